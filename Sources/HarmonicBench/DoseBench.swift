import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Registry
import Reports
import Synthesis

/// `harmonic-bench dose`: organ doses with realisations over a whole synthetic registry
/// (synth → ingest as in `harmonic demo`, then `harmonic dose` in a child process so that its
/// peak memory is its own), an incremental re-run, the check against synth's true doses and
/// the calculator's latency.
struct DoseBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dose",
        abstract: "Dose reconstruction over the whole synthetic registry: seconds, peak memory, truth check, calculator latency.",
        discussion: "Example: swift run -c release harmonic-bench dose --children 70000 --realisations 1000")

    @Option(help: "Children of the synthetic cardiac cohort.") var children = 70_000
    @Option(help: "Realisations per procedure.") var realisations = 1000
    @Option(help: "Working folder (extract, keys, store).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-dose-bench").path
    @Flag(help: "Reuse the store already in the working folder (skip synth and ingest).") var reuse = false
    @Flag(help: "Use an analytic stand-in instead of the coefficient library, to time the reconstruction without library lookups.")
    var standIn = false
    @Flag(help: "Internal: run only the dose stage on the working folder's store and print its figures.") var doseOnly = false

    var storePath: String { workDir + "/harmonic.sqlite" }

    func run() throws {
        if doseOnly { try doseStage(); return }
        if !reuse || !FileManager.default.fileExists(atPath: storePath) { try buildStore() }
        for f in [storePath + ".realisations", storePath + ".realisations.index.csv"] { try? FileManager.default.removeItem(atPath: f) }
        let store = try RegistryStore(path: storePath, role: .analyst)
        try DoseRun.clear(store: store, storePath: storePath)
        log("first run (everything computed), in a child process:")
        try child()
        log("second run (nothing changed: incremental), in a child process:")
        try child()

        let (source, identity) = try coefficientSource()
        let truth = try DoseTruthComparison.compute(store: store, truthCSV: URL(fileURLWithPath: workDir + "/extract/truth/organ_doses.csv"),
                                                    pseudonymisers: BenchSiteKeys.keys(folders: try FileManager.default.contentsOfDirectory(atPath: workDir + "/extract")))
        print("\nReconstructed / true (synth) per procedure, median [p10-p90], \(truth.matched) procedures matched:")
        print("| tier | quantity | n | median | p10-p90 |\n|---|---|---|---|---|")
        for r in truth.ratios { print(String(format: "| %@ | %@ | %d | %.2f | %.2f-%.2f |", r.tier, r.quantity, r.n, r.median, r.p10, r.p90)) }

        let calculator = DoseCalculator(source: source, realisations: 2000, sourceIdentity: identity)
        let request = DoseCalculator.Request(age: 3, sex: .female, weightKg: 14, kapGyCm2: 4.2, procedureType: "asd_closure",
                                             projections: [(.pa, 0.6), (.leftLateral, 0.4)])
        _ = try calculator.estimate(request)
        var times: [Double] = []
        for _ in 0..<200 { let t = Date(); _ = try calculator.estimate(request); times.append(Date().timeIntervalSince(t) * 1000) }
        times.sort()
        print(String(format: "\ncalculator (2,000 realisations, library loaded): median %.2f ms, 95th percentile %.2f ms over 200 estimates",
                     times[100], times[189]))
    }

    func child() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["dose", "--dose-only", "--work-dir", workDir, "--realisations", "\(realisations)"] + (standIn ? ["--stand-in"] : [])
        try p.run(); p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("dose stage failed (exit \(p.terminationStatus))") }
    }

    func doseStage() throws {
        let (source, identity) = try coefficientSource()
        let t = Date()
        let summary = try DoseRun.run(store: RegistryStore(path: storePath, role: .analyst), storePath: storePath, source: source,
                                      settings: ReconstructionSettings(realisations: realisations, sourceIdentity: identity))
        let seconds = Date().timeIntervalSince(t)
        var me = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: summary.realisationFile)[.size] as? Int) ?? 0
        let tiers = DoseTier.allCases.map { "\($0.rawValue) \(summary.byTier[$0] ?? 0)" }.joined(separator: ", ")
        print(String(format: "dose: %d procedures (%@), %d events, %d realisations: %.1f s (read %.1f, models %.1f, realisations %.1f, write %.1f); computed %d, unchanged %d; peak RSS %.0f MiB; CPU user+sys %.1f s; realisation file %.0f MiB; %d cores",
                     summary.procedures, tiers, summary.events, realisations, seconds, summary.readSeconds, summary.modelSeconds,
                     summary.computeSeconds, summary.writeSeconds, summary.computed, summary.reused, Double(me.ru_maxrss) / 1024,
                     Double(me.ru_utime.tv_sec + me.ru_stime.tv_sec) + Double(me.ru_utime.tv_usec + me.ru_stime.tv_usec) / 1e6,
                     Double(bytes) / 1_048_576, ProcessInfo.processInfo.activeProcessorCount))
    }

    func buildStore() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let t = Date()
        let extract = URL(fileURLWithPath: workDir + "/extract")
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 1, cardiacChildren: children, corruptFraction: 0), to: extract)
        var accepted = 0
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let dir = extract.appendingPathComponent(folder)
            let files = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted().map { dir.appendingPathComponent($0).path }
            accepted += try store.ingest(files: files, site: country, pseudonymiser: BenchSiteKeys.key(folder: folder), user: "bench").accepted
        }
        log(String(format: "synth + ingest of %d children: %d rows in %.1f s", children, accepted, Date().timeIntervalSince(t)))
    }

    func coefficientSource() throws -> (any OrganDoseCoefficientSource, String) {
        standIn ? (AnalyticStandIn(), "analytic stand-in (benchmark only)") : try DefaultCoefficientSource.load()
    }
}

/// BENCHMARK STAND-IN, not a dose model: organ dose per KAP ∝ weight^(-2/3), breast lower in
/// lateral projections. Lets `--stand-in` time the reconstruction apart from library lookups.
struct AnalyticStandIn: OrganDoseCoefficientSource {
    func coefficients(for e: CardiacExposure) throws -> OrganDoseCoefficients {
        let weight = e.patient.weight?.value ?? ReferenceGrowth.medianWeight(age: e.patient.age.value)
        let size = pow(weight / 14, -2.0 / 3.0) * (e.quality.kVp.value / 70).squareRoot()
        var v = [Double](repeating: 0.5 * size, count: Organ.allCases.count)
        v[Organ.breast.index] = 2 * size * (1 - 0.6 * abs(sin(e.primaryDegrees * .pi / 180)))
        return OrganDoseCoefficients(perKAP: v, effectiveDosePerKAP: 0.9 * size)
    }
}
