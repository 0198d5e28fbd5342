import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology
import Reports
import Synthesis

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// `harmonic-bench epi`: person-years for 70,000 children (~20 y each) + linear ERR fit with
/// profile intervals; 1,000-realisation MCML; the same fit in R on the same cell table.
struct EpidemiologyBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "epi",
        abstract: "Person-years + linear ERR fit for 70,000 children, 1,000-realisation MCML, speed ratio against R.")
    @Option var children = 70_000
    @Option var realisations = 1_000
    @Flag(name: .long, help: "Skip the R comparison.") var noR = false
    @Flag(name: .long, help: "Skip the Cox fit.") var noCox = false

    func run() throws {
        let members = CohortSimulator(children: children, errPerGy: 2, baselineRate: 1e-3).generate(seed: 1)
        let opts = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: [5, 10, 15, 20, 30],
                                     calendarYearCuts: [1990, 2000, 2010], doseCuts: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
                                     byCountry: true, bySex: true)
        var split: PersonYearResult!
        let tSplit = try seconds { split = try PersonYearSplitter.split(members, options: opts) }
        let t = split.table
        let design = ModelDesign(table: t)
        let model = try design.model(form: .relative, background: [], strata: ["country", "sex", "attained_age", "calendar_period"])
        var fit: RiskModelFit!
        let tFit = try seconds { fit = try model.fit() }
        let b = fit.parameter("err_per_gy")!
        print(String(format: "person-years: %d children, %.0f PY (%.1f y each), %d segments, %d cells, %.0f cases: %.3f s",
                     children, t.personYears.reduce(0, +), t.personYears.reduce(0, +) / Double(children), split.segmentCell.count, t.count, t.events.reduce(0, +), tSplit))
        print(String(format: "linear ERR, background strata(country, sex, attained_age, calendar_period): ERR/Gy %.4f, profile CI [%@, %@]: %.3f s",
                     b.estimate, b.profileLower?.text ?? "-", b.profileUpper?.text ?? "-", tFit))
        print(String(format: "person-years + fit together: %.3f s", tSplit + tFit))

        // Cox (harmonic analyze --method cox): the same cohort, case-level intervals, stratified by country and sex.
        if !noCox {
            var cox: CoxAnalysis!
            let coxSpec = try ModelSpecification.parse("err: dose; background: strata(country, sex)")
            let tCox = try seconds { cox = try CoxAnalysis.run(members: members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: coxSpec)) }
            let cb = cox.fit.parameter("err_per_gy")!
            print(String(format: "Cox linear ERR, strata(country, sex), %d intervals, %d cases: ERR/Gy %.4f, profile CI [%@, %@]: %.2f s (split + fit + profile)",
                         cox.intervals, cox.events, cb.estimate, cb.profileLower?.text ?? "-", cb.profileUpper?.text ?? "-", tCox))
        }

        // R on the same table: stratified linear ERR via optim with the strata as parameters is
        // slow; R fits the same profiled likelihood written out (identical estimate), with profile CI by uniroot.
        if !noR {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-bench-epi-\(getpid())")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            let path = dir.appendingPathComponent("cells.csv").path
            var csv = "stratum,pyr,events,dose\n"
            let st = try design.strata(["country", "sex", "attained_age", "calendar_period"])
            for c in 0..<t.count { csv += "\(st[c]),\(t.personYears[c]),\(t.events[c]),\(t.meanDose[c])\n" }
            try csv.write(toFile: path, atomically: true, encoding: .utf8)
            let script = """
            options(digits=10); d <- read.csv("\(path)"); s <- factor(d$stratum)
            t0 <- proc.time()[3]
            nll <- function(b){ r <- 1 + b*d$dose; if(any(r<=0)) return(1e10); w <- d$pyr*r; W <- tapply(w, s, sum); Y <- tapply(d$events, s, sum)
              -(sum(d$events*log(r)) - sum(ifelse(Y>0, Y*log(W), 0))) }
            o <- optimize(nll, c(-1/max(d$dose)*0.999, 50), tol=1e-10)
            cut <- qchisq(0.95,1)/2
            lo <- tryCatch(uniroot(function(b) nll(b)-o$objective-cut, c(-1/max(d$dose)*0.999, o$minimum), tol=1e-10)$root, error=function(e) NA)
            hi <- uniroot(function(b) nll(b)-o$objective-cut, c(o$minimum, 50), tol=1e-10)$root
            cat(o$minimum, lo, hi, proc.time()[3]-t0, "\\n")
            """
            let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["Rscript", "--vanilla", "-e", script]
            let pipe = Pipe(); p.standardOutput = pipe
            var wall = 0.0
            wall = try seconds { try p.run(); p.waitUntilExit() }
            let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let v = out.split(separator: " ").compactMap { Double($0.trimmingWhitespace()) }
            if v.count >= 4 {
                print(String(format: "R on the same %d cells: ERR/Gy %.4f, profile CI [%.4f, %.4f]: fit %.3f s (Rscript wall %.2f s); Harmonic fit %.3f s: R/Harmonic = %.1fx",
                             t.count, v[0], v[1], v[2], v[3], wall, tFit, v[3] / tFit))
            } else { print("R comparison failed: \(out)") }
        }

        // MCML over realisations: cells by country, sex, attained age and mean-dose category; each realisation gives its own cell doses.
        let mOpts = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: [5, 10, 15, 20, 30],
                                      doseCuts: [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5], byCountry: true, bySex: true)
        var mSplit: PersonYearResult!, doses: [Float] = [], mcFit: RiskModelFit!, rcFit: RiskModelFit!
        let real = DoseRealisationMatrix.simulate(members: members, organ: .redMarrow, count: realisations, sharedSigma: 0.3, unsharedSigma: 0.5, seed: 2)
        let tCells = try seconds {
            mSplit = try PersonYearSplitter.split(members, options: mOpts)
            doses = cellDoseRealisations(mSplit, realisations: real)
        }
        let mModel = try ModelDesign(table: mSplit.table).model(form: .relative, background: ["sex", "factor(attained_age)"])
        rcFit = try mModel.fit()
        let tMC = try seconds {
            mcFit = try RiskModelFitter.fit(MonteCarloLikelihood(model: mModel, cellDoses: doses, realisationCount: realisations),
                                            start: rcFit.theta, profile: [mModel.doseParameterIndex!])
        }
        let k = mModel.doseParameterIndex!
        let rc = rcFit.parameters[k], mc = mcFit.parameters[k]
        let wRC = (rc.profileUpper?.value ?? .nan) - (rc.profileLower?.value ?? .nan), wMC = (mc.profileUpper?.value ?? .nan) - (mc.profileLower?.value ?? .nan)
        print(String(format: "MCML %d realisations (%d cells): cell doses %.2f s, fit + profile CI %.2f s; ERR/Gy %.4f [%@, %@] vs mean-dose %.4f [%@, %@]; interval widens %.2fx",
                     realisations, mSplit.table.count, tCells, tMC, mc.estimate, mc.profileLower?.text ?? "-", mc.profileUpper?.text ?? "-",
                     rc.estimate, rc.profileLower?.text ?? "-", rc.profileUpper?.text ?? "-", wMC / wRC))
        var fma: ModelAveragedEstimate!
        let tFMA = try seconds { fma = try DoseUncertaintyAnalysis.modelAverage(model: mModel, cellDoses: doses, realisationCount: realisations, parameter: k) }
        print(String(format: "FMA %d fits: %.2f s; ERR/Gy %.4f [%.4f, %.4f] (SE %.4f vs mean-dose Wald SE %.4f: %.2fx)",
                     fma.fittedRealisations, tFMA, fma.estimate, fma.lower, fma.upper, fma.standardError, rc.standardError, fma.standardError / rc.standardError))
    }
}

/// `harmonic-bench coverage`: coverage of 95% profile intervals on simulated cohorts with a known ERR/Gy.
struct CoverageBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "coverage",
        abstract: "Coverage of 95% profile-likelihood intervals for ERR/Gy over replicate simulated cohorts.",
        discussion: """
        Default: the fast CohortSimulator. With --synth each replicate is a cohort drawn by the Synthesis module's \
        generator (harmonic synth: realistic ages, procedures, KAP-driven organ doses, predisposing conditions, \
        death and emigration), read back through the analysis-cohort builder, and the truth is its truth.json's \
        leukaemia ERR/Gy. Example: harmonic-bench coverage --synth --replicates 200 --children 20000 --err 150
        """)
    @Option var replicates = 200
    @Option(help: "Children per replicate (default 10,000; with --synth 20,000).") var children: Int?
    @Option(help: "True ERR/Gy (default 2; with --synth 150 for leukaemia, since cardiac red-marrow doses are mGy).") var err: Double?
    @Flag(help: "Draw the replicates with the Synthesis module's cohort generator.") var synth = false
    @Option(help: "With --synth: seed of the first replicate (replicate k uses seed + k); 5000 by default.") var firstSeed: UInt64 = 5000
    @Flag(help: "With --synth: print one line per replicate (seed, cases, estimate, interval, covered).") var perReplicate = false

    func runSynth() throws {
        let n = children ?? 20_000, truthERR = err ?? 150
        let spec = try ModelSpecification.parse(SyntheticAnalysisCohort.coverageModel)
        let request = DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec, doseCuts: SyntheticAnalysisCohort.coverageDoseCuts)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-coverage-synth-\(getpid())")
        var r: CoverageStudy.Result!
        let t = seconds {
            r = CoverageStudy.run(replicates: replicates, seed: firstSeed, request: request, generate: { seed in
                try SyntheticAnalysisCohort.draw(children: n, seed: seed, trueERR: [.leukaemia: truthERR], outcome: .leukaemia, scratch: scratch)
            }, progress: { k, r in
                if k % 10 == 0 { FileHandle.standardError.write(Data("coverage --synth: \(k)/\(replicates), covered \(r.covered), MLE at +∞ \(r.unboundedEstimates), failed \(r.failedFits)\n".utf8)) }
            })
        }
        if perReplicate {
            for o in r.outcomes {
                print("replicate seed \(o.seed): cases \(Int(o.events.isFinite ? o.events : -1)), estimate \(o.unbounded?.text ?? String(format: "%.4g", o.estimate)), CI [\(o.lower?.text ?? "-"), \(o.upper?.text ?? "-")], covered \(o.covered)"
                      + (o.unbounded.map { "; plateau ℓ \(String(format: "%.4f", $0.plateauLogLikelihood)); optimiser: \($0.optimiserNote)" } ?? "")
                      + (o.failure.map { "; FAILED: \($0)" } ?? ""))
            }
        }
        let unboundedSeeds = r.outcomes.filter { $0.unbounded != nil }.map { String($0.seed) }.joined(separator: " ")
        print(String(format: "synth cohorts (seeds %llu-%llu): coverage of 95%% profile CI for leukaemia ERR/Gy = %.4g (truth.json), %d children each, model %@: %d/%d = %.3f (binomial SE %.3f) counting every replicate; MLE at +∞ (interval [lower, +∞)) in %d (seeds %@); upper limit open (+∞) in %d; failed %d; median estimate %.1f; mean cases %.1f; %.1f s",
                     firstSeed, firstSeed + UInt64(max(replicates, 1) - 1), truthERR, n, SyntheticAnalysisCohort.coverageModel, r.covered, r.replicates, r.coverage, r.coverageStandardError,
                     r.unboundedEstimates, unboundedSeeds.isEmpty ? "none" : unboundedSeeds, r.openUpper, r.failedFits, r.medianEstimate, r.meanEvents, t))
    }

    func run() throws {
        if synth { try runSynth(); return }
        let children = self.children ?? 10_000, err = self.err ?? 2.0
        let sim = CohortSimulator(children: children, errPerGy: err, baselineRate: 1e-3, medianDose: 0.05)
        var t = 0.0
        var r: CoverageStudy.Result!
        t = seconds {
            r = CoverageStudy.run(simulator: sim, replicates: replicates, seed: 777) { k in
                if k % 20 == 0 { FileHandle.standardError.write(Data("coverage: \(k)/\(replicates)\n".utf8)) }
            }
        }
        let n = Double(r.replicates - r.failedFits), c = r.coverage
        let se = (c * (1 - c) / n).squareRoot()
        print(String(format: "coverage of 95%% profile CI for ERR/Gy = %.2f: %d/%d = %.3f (binomial SE %.3f); failed fits %d; mean estimate %.3f; %.1f s",
                     err, r.covered, r.replicates - r.failedFits, c, se, r.failedFits, r.meanEstimate, t))
    }
}
