import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology
import Registry

private func seconds(_ body: () throws -> Void) rethrows -> Double {
    let t0 = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
}

/// `harmonic-bench pool`: export of one site, pooled fit of seven site tables with profile
/// intervals, and a 100,000-cell grouped-table fit side by side with R (docs/grouped-tables-and-pooling.md).
struct PoolBench: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pool",
        abstract: "Site export (16,000 children), pooled fit of 7 site tables, 100,000-cell grouped-table fit vs R.")
    @Option(help: "Children of the exported site.") var siteChildren = 16_000
    @Option(help: "Children of the seven-site cohort (split by country).") var children = 70_000
    @Option(help: "Cells of the large grouped table.") var cells = 100_000
    @Flag(name: .long, help: "Skip the R comparison.") var noR = false
    @Option(help: "Replicate cohorts for the grouping-bias study (0: skip).") var biasReplicates = 20
    @Option(help: "Children per grouping-bias replicate.") var biasChildren = 20_000

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-bench-pool-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let request = SiteTableExport.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2)

        // 1. One site's export.
        let site = CohortSimulator(children: siteChildren, errPerGy: 2, baselineRate: 1e-3).generate(seed: 3).map { m -> CohortMember in
            var m = m; m.country = .norway; return m
        }
        let out = dir.appendingPathComponent("NO.table.csv")
        var manifest: SiteTableExport.Manifest!
        let tExport = try seconds { manifest = try SiteTableExport.run(members: site, request: request, out: out) }
        print(String(format: "export-tables, one site of %d children: %.3f s; %d cells (%d before disclosure control; merged cells by axis: %@), %d bytes",
                     siteChildren, tExport, manifest.cells, manifest.cellsBeforeDisclosureControl,
                     manifest.mergedCells.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "), manifest.files[0].bytes))

        // 2. Seven site tables pooled.
        let members = CohortSimulator(children: children, errPerGy: 2, baselineRate: 1e-3).generate(seed: 1)
        var files: [(String, URL)] = []
        for c in Country.cardiac {
            let url = dir.appendingPathComponent("\(c.rawValue).table.csv")
            try SiteTableExport.run(members: members.filter { $0.country == c }, request: request, out: url)
            files.append((c.rawValue, url))
        }
        let spec = try ModelSpecification.parse("err: dose; background: strata(country, sex, attained_age)")
        var pooled: PooledAnalysis!
        var sites: [SiteTable] = []
        let tRead = try seconds { sites = try files.map { SiteTable(site: $0.0, table: try GroupedTable.read($0.1, columns: GroupedTable.exportColumns, model: spec)) } }
        var fitOnly: DoseResponseAnalysis!
        let tFit = try seconds { fitOnly = try DoseResponseAnalysis.run(table: try PooledAnalysis.combine(sites), model: PooledAnalysis.siteSpecific(spec)) }
        let tPool = try seconds { pooled = try PooledAnalysis.run(sites: sites, model: spec) }
        let b = fitOnly.fit.parameter("err_per_gy")!
        print(String(format: "pool, 7 site tables of %d children (%d cells): read %.3f s; pooled fit with profile CI, categories and LR test %.3f s "
                     + "(ERR/Gy %.4f [%@, %@]); with the 7 site fits and heterogeneity test %.3f s (χ² %.2f on %d df)",
                     children, pooled.pooled.table.count, tRead, tFit, b.estimate, b.profileLower?.text ?? "-", b.profileUpper?.text ?? "-",
                     tPool, pooled.heterogeneity?.statistic ?? .nan, pooled.heterogeneity?.df ?? 0))

        // 3. A 100,000-cell grouped table: 1,000 strata, linear ERR 2/Gy.
        var rng = RandomStream(seed: 9, stream: 0)
        var csv = "stratum,pyr,cases,dose\n"; csv.reserveCapacity(cells * 40)
        let strataCount = 1_000
        let rate = (0..<strataCount).map { _ in 2e-3 * exp(0.8 * rng.normal()) }
        for c in 0..<cells {
            let s = c % strataCount
            let py = 50 * rng.exponential(), d = 0.05 * exp(rng.normal())
            let mu = py * rate[s] * (1 + 2 * d)
            var k = 0, p = exp(-mu), u = rng.uniform(), cum = p
            while u > cum && k < 50 { k += 1; p *= mu / Double(k); cum += p }
            csv += "s\(s),\(py),\(k),\(d)\n"
        }
        let big = dir.appendingPathComponent("big.csv")
        try csv.write(to: big, atomically: true, encoding: .utf8)
        let bigSpec = try ModelSpecification.parse("err: dose; background: strata(stratum)")
        var table: PersonYearTable!, fit: RiskModelFit!
        let tBigRead = try seconds { table = try GroupedTable.read(big, columns: GroupedTable.Columns(cases: "cases", personYears: "pyr", dose: "dose"), model: bigSpec) }
        let tBigFit = try seconds { fit = try ModelDesign(table: table).model(bigSpec).fit() }
        let e = fit.parameter("err_per_gy")!
        print(String(format: "grouped table of %d cells, %d strata: read %.3f s, linear ERR fit with profile CI %.3f s: ERR/Gy %.4f [%@, %@]",
                     cells, strataCount, tBigRead, tBigFit, e.estimate, e.profileLower?.text ?? "-", e.profileUpper?.text ?? "-"))
        if !noR {
            let script = """
            options(digits=10); t0 <- proc.time()[3]; d <- read.csv("\(big.path)"); s <- factor(d$stratum); t1 <- proc.time()[3]
            nll <- function(b){ r <- 1 + b*d$dose; if(any(r<=0)) return(1e10); W <- tapply(d$pyr*r, s, sum); Y <- tapply(d$cases, s, sum)
              -(sum(d$cases*log(r)) - sum(ifelse(Y>0, Y*log(W), 0))) }
            o <- optimize(nll, c(-1/max(d$dose)*0.999, 50), tol=1e-10)
            cut <- qchisq(0.95,1)/2
            lo <- uniroot(function(b) nll(b)-o$objective-cut, c(-1/max(d$dose)*0.999, o$minimum), tol=1e-10)$root
            hi <- uniroot(function(b) nll(b)-o$objective-cut, c(o$minimum, 50), tol=1e-10)$root
            cat(o$minimum, lo, hi, t1-t0, proc.time()[3]-t1, "\\n")
            """
            let p = Process(); p.executableURL = URL(fileURLWithPath: "/usr/bin/env"); p.arguments = ["Rscript", "--vanilla", "-e", script]
            let pipe = Pipe(); p.standardOutput = pipe
            try p.run(); p.waitUntilExit()
            let v = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: " ").compactMap { Double($0.trimmingWhitespace()) }
            if v.count >= 5 {
                print(String(format: "R on the same table (profiled stratum likelihood, optimize + uniroot): ERR/Gy %.4f [%.4f, %.4f]: read %.3f s, fit %.3f s; "
                             + "fit R/Harmonic = %.1fx, read + fit R/Harmonic = %.1fx", v[0], v[1], v[2], v[3], v[4], v[4] / tBigFit, (v[3] + v[4]) / (tBigRead + tBigFit)))
            } else { print("R comparison failed") }
        }
        if biasReplicates > 0 { try groupingBias() }
        try? FileManager.default.removeItem(at: dir)
    }

    /// What merging and category midpoints cost: replicate cohorts with a known ERR/Gy, fitted on
    /// exact cell tables (person-year-weighted mean doses), on the same cells with dose-category
    /// midpoints, and on disclosure-controlled tables (default and strict rules).
    func groupingBias() throws {
        let truth = 2.0
        let spec = try ModelSpecification.parse("err: dose; background: strata(country, sex, attained_age)")
        let q = SiteTableExport.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2)
        let opts = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: q.attainedAgeCuts,
                                     calendarYearCuts: q.calendarYearCuts, ageAtExposureCuts: q.ageAtExposureCuts, doseCuts: q.doseCuts,
                                     byCountry: true, bySex: true)
        // Midpoint of each dose category; the open top category [c, ∞) at 1.5·c.
        let cuts = q.doseCuts
        let mid = (0...cuts.count).map { k -> Double in k == 0 ? cuts[0] / 2 : k == cuts.count ? 1.5 * cuts[k - 1] : (cuts[k - 1] + cuts[k]) / 2 }
        let rules: [(String, DisclosureRules)] = [("children rule only (3 children; no case rule)", DisclosureRules(minCases: 1, minPersonYears: 0, minPersons: 3)),
                                                  ("case rule only (3 cases)", DisclosureRules(minCases: 3, minPersonYears: 0, minPersons: 1)),
                                                  ("default rules (3 cases, 3 children)", DisclosureRules()),
                                                  ("strict rules (5 cases, 50 PY, 5 children)", DisclosureRules(minCases: 5, minPersonYears: 50, minPersons: 5))]
        var est = [[Double]](repeating: [], count: 2 + rules.count), merged = [Double](repeating: 0, count: rules.count)
        let t0 = DispatchTime.now().uptimeNanoseconds
        for r in 0..<biasReplicates {
            let members = CohortSimulator(children: biasChildren, errPerGy: truth, baselineRate: 2e-3).generate(seed: 1000 + UInt64(r))
            let split = try PersonYearSplitter.split(members, options: opts)
            let t = split.table
            let model = try ModelDesign(table: t).model(spec)
            est[0].append(try model.fit().theta[model.doseParameterIndex!])
            let df = t.factorIndex("dose")!
            var m2 = model; m2.dose = (0..<t.count).map { mid[t.levels[df][$0]] }
            est[1].append(try m2.fit().theta[m2.doseParameterIndex!])
            let persons = split.personsPerCell()
            for (k, rule) in rules.enumerated() {
                guard let d = try? TableDisclosure.apply(t, persons: persons, rules: rule.1) else { continue }
                merged[k] += Double(d.cellsBefore - d.table.count) / Double(d.cellsBefore)
                let mm = try ModelDesign(table: d.table).model(spec)
                est[2 + k].append(try mm.fit().theta[mm.doseParameterIndex!])
            }
        }
        let secs = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        func summary(_ v: [Double]) -> String {
            let m = v.reduce(0, +) / Double(v.count), sd = (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(max(1, v.count - 1))).squareRoot()
            return String(format: "mean ERR/Gy %.3f (bias %+.1f%%, SE of mean %.3f) over %d", m, 100 * (m - truth) / truth, sd / Double(v.count).squareRoot(), v.count)
        }
        func paired(_ v: [Double]) -> String {
            let n = min(v.count, est[0].count)
            let d = (0..<n).map { v[$0] / est[0][$0] - 1 }
            let m = d.reduce(0, +) / Double(max(1, n))
            return String(format: "vs exact %+.2f%% on average (max |Δ| %.2f%%)", 100 * m, 100 * (d.map(abs).max() ?? 0))
        }
        print(String(format: "grouping bias, %d replicates of %d children, true ERR/Gy %.1f (%.1f s):", biasReplicates, biasChildren, truth, secs))
        print("  exact cells, person-year-weighted mean doses: " + summary(est[0]))
        print("  same cells, dose-category midpoints: " + summary(est[1]) + "; " + paired(est[1]))
        for (k, rule) in rules.enumerated() {
            print("  " + rule.0 + String(format: ", %.1f%% of cells merged: ", 100 * merged[k] / Double(max(1, est[2 + k].count))) + summary(est[2 + k]) + "; " + paired(est[2 + k]))
        }
    }
}
