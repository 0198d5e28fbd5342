import ArgumentParser
import Foundation
import HarmonicCore
import Reports
import RiskProjection

struct RiskCompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Second-cancer risk of two radiotherapy plans for one child, by site and in total, with the paired ratio.",
        discussion: """
        Inputs are two plan-dose JSON files (`harmonic rt dose --json`, schema harmonic.rt-plan-dose/1) for the same \
        child. Each organ's DVH becomes an organ equivalent dose (Schneider 2011: linear-exponential for in-field organs \
        with a shipped alpha, mean dose for out-of-field organs), which drives the BEIR VII lifetime attributable risk \
        of its cancer site. Both plans use the same Monte Carlo draws, so the ratio B/A has an interval that cancels \
        the shared model uncertainty and is narrower than either plan's own.
        Output: LAR of cancer incidence in percent, estimate (95% interval), per site and in total, \
        and B/A; with --html a page with a chart of sites by risk, plans side by side.
        Examples:
          harmonic risk compare imrt.json pbs.json
          harmonic risk compare imrt.json pbs.json --html compare.html --json
        """
    )

    @Argument(help: "Plan A (plan-dose JSON).") var planA: String
    @Argument(help: "Plan B (plan-dose JSON).") var planB: String
    @Option(help: "Age at treatment in years (default: the plans' patient.ageYears).") var age: Double?
    @Option(help: "Sex M or F (default: the plans' patient.sex).") var sex: String?
    @Option(help: "Write an HTML page with the comparison and its chart to this path.") var html: String?
    @Option(help: "Linear-exponential alpha (Gy^-1) for an in-field organ the shipped table lacks, e.g. brain=0.1 (repeatable).")
    var oedAlpha: [String] = []
    @OptionGroup var model: RiskModelOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let a = try PlanDose.read(planA), b = try PlanDose.read(planB)
        let s: Sex
        if let sex { guard let v = Sex(code: sex) else { throw ValidationError("--sex: '\(sex)' is not M or F") }; s = v } else {
            guard Sex(code: a.patient.sex) == Sex(code: b.patient.sex) else {
                throw InputError(.file(planB), field: "patient.sex", value: b.patient.sex, expected: "the same sex as \(planA) (\(a.patient.sex)), or give --sex")
            }
            s = Sex(code: a.patient.sex)!
        }
        let ageYears: Double
        if let age { guard (0..<100).contains(age) else { throw ValidationError("--age must be 0-99 years") }; ageYears = age } else {
            guard abs(a.patient.ageYears - b.patient.ageYears) < 1e-9 else {
                throw InputError(.file(planB), field: "patient.ageYears", value: "\(b.patient.ageYears)", expected: "the same age as \(planA) (\(a.patient.ageYears)), or give --age")
            }
            ageYears = a.patient.ageYears
        }
        var parameters = try OEDParameters.shipped()
        for item in oedAlpha {
            let kv = item.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, let organ = Organ(rawValue: kv[0]), let alpha = Double(kv[1]), alpha >= 0 else {
                throw ValidationError("--oed-alpha: '\(item)' is not organ=alpha (alpha in Gy^-1, organ a Harmonic organ name)")
            }
            parameters.entries["\(organ.rawValue)/linear_exponential/alpha"] = .init(value: alpha, source: "command line")
        }
        let c = try PlanComparison(planA: a, planB: b, model: try model.model(sexes: [s], agesAtExposure: [ageYears]), ageYears: ageYears, sex: s,
                                   parameters: parameters)
        if let html {
            do { try PlanRiskPage.html(c).write(toFile: html, atomically: true, encoding: .utf8) } catch {
                throw InputError(.file(html), expected: "a writable path for the HTML page (\(error.localizedDescription))")
            }
        }
        if json { print(try jsonString(c)); return }
        let pad = { (s: String, n: Int) in s.padding(toLength: n, withPad: " ", startingAt: 0) }
        print("Second-cancer LAR of incidence in percent, age \(ageYears) y, \(s == .female ? "female" : "male"); \(c.draws) paired draws, baseline \(c.baseline)")
        print(pad("site", 14) + pad("A: \(c.labels[0])", 28) + pad("B: \(c.labels[1])", 28) + "B/A")
        for r in c.sites.sorted(by: { ($0.lar[0]?.estimate ?? 0) > ($1.lar[0]?.estimate ?? 0) }) {
            print(pad(r.site.displayName, 14) + pad(percent(r.lar[0]), 28) + pad(percent(r.lar[1]), 28)
                  + (r.ratio.map { String(format: "%.2f (%.2f-%.2f)", $0.estimate, $0.lower95, $0.upper95) } ?? (r.note ?? "-")))
        }
        print(pad("Total", 14) + pad(percent(c.total[0]), 28) + pad(percent(c.total[1]), 28)
              + String(format: "%.2f (%.2f-%.2f)", c.totalRatio.estimate, c.totalRatio.lower95, c.totalRatio.upper95))
        for k in 0..<2 where !c.notComputed[k].isEmpty {
            print("Left out of \(c.labels[k]): \(c.notComputed[k].joined(separator: ", ")) (in field above \(PlanComparison.linearLimitGy) Gy with no cell-killing alpha; give --oed-alpha ORGAN=A)")
        }
        if let html { note("risk compare: wrote \(html)") }
    }
}

/// "1.23 (0.45-3.01)" in percent.
func percent(_ s: RiskSummary?) -> String {
    guard let s else { return "-" }
    return String(format: "%.3g (%.3g-%.3g)", s.estimate * 100, s.lower95 * 100, s.upper95 * 100)
}

struct RiskCohortCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cohort",
        abstract: "LAR of cancer incidence for every child of a store, from the organ doses of `harmonic dose` and `harmonic rt dose --store`.",
        discussion: """
        Cardiac children: each row of procedure_organ_dose (mean organ doses of a catheterisation, written by \
        `harmonic dose`) is an exposure at the child's age on that date. Organs: red marrow (leukaemia), breast, lung, \
        thyroid, and oesophagus, heart and brain, which form BEIR VII's "other solid cancers" through their mean dose.
        Radiotherapy children: each course of rt_course_organ_dose that is not flagged (written by `harmonic rt dose \
        --store`) is an exposure at the child's age at the start of the course. The store keeps organ mean doses, not \
        DVHs, so an organ with a shipped cell-killing alpha takes the linear-exponential OED of its mean dose (Schneider \
        2005; exact for a uniform dose, an upper bound otherwise), an organ without one takes its mean dose up to 2 Gy, \
        and above that it is left out and counted (never extrapolated linearly to therapeutic doses); for one plan's \
        DVHs use `harmonic risk compare`.
        Output: for each exposure type and in all, the distribution of the children's total LAR (per 100,000) and the \
        number of children per risk band (< 1 in 10,000; to 1 in 1,000; to 1 in 100; >= 1 in 100); --csv writes one \
        row per child (exposure types, estimate, mean, 95% interval).
        Examples:
          harmonic risk cohort --store harmonic-out/harmonic.sqlite --csv child-lar.csv
          harmonic risk cohort --store S --exposures radiotherapy --json
        """
    )

    @Option(help: "Registry store (SQLite) with doses from `harmonic dose`.") var store: String
    @Option(help: "Write one row per child to this CSV.") var csv: String?
    @Option(help: "Exposures to include, comma-separated: cardiac, radiotherapy (default both).") var exposures: String = "cardiac,radiotherapy"
    @OptionGroup var model: RiskModelOptions
    @Flag(help: "Print JSON.") var json = false

    struct Group: Encodable {
        var exposures: String; var children: Int
        var percentilesPer100000: [String: Double]
        var bands: [String: Int]
    }
    struct Output: Encodable {
        var children: Int; var baseline: String; var draws: Int
        var percentilesPer100000: [String: Double]
        var bands: [String: Int]
        var byExposure: [Group]
        var radiotherapyCourses: Int; var flaggedCoursesNotIncluded: Int
        /// Radiotherapy course organ doses left out of the risk (above 2 Gy with no cell-killing alpha): organ -> courses.
        var organDosesLeftOut: [String: Int]
    }

    func run() throws {
        var types: Set<CohortRiskDoses.ExposureType> = []
        for part in exposures.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
            guard let t = CohortRiskDoses.ExposureType(rawValue: part == "rt" ? "radiotherapy" : part) else {
                throw ValidationError("--exposures: '\(part)' is not one of cardiac, radiotherapy")
            }
            types.insert(t)
        }
        let cohort = try CohortRiskDoses.read(storePath: store, exposures: types)
        guard !cohort.children.isEmpty else {
            throw InputError(.file(store), expected: "organ doses to project: run `harmonic dose --store \(store)` (cardiac) or `harmonic rt dose --store \(store)` (radiotherapy) first")
        }
        let started = Date()
        let m = try model.model()
        let risks = CohortRisk(model: m).risks(cohort.children)
        note(String(format: "risk cohort: %d children x %d draws in %.1f s", cohort.children.count, m.draws.count, Date().timeIntervalSince(started)))
        func summary(_ r: [CohortRisk.ChildRisk]) -> (pct: [String: Double], bands: [String: Int]) {
            var pct: [String: Double] = [:]
            for (p, v) in zip(CohortRisk.summaryPercentiles, CohortRisk.estimatePercentiles(r)) { pct["p\(Int(p * 100))"] = v * 1e5 }
            return (pct, Dictionary(uniqueKeysWithValues: CohortRisk.bandCounts(r).map { ($0.label, $0.children) }))
        }
        let all = summary(risks)
        let groups: [Group] = CohortRiskDoses.ExposureType.allCases.filter(types.contains).map { t in
            let r = risks.filter { cohort.types[$0.id]?.contains(t) == true }
            let s = summary(r)
            return Group(exposures: t.rawValue, children: r.count, percentilesPer100000: s.pct, bands: s.bands)
        }
        if let csv {
            var text = "patient,exposures,lar_estimate,lar_mean,lar_lower95,lar_upper95\n"
            for r in risks {
                let t = (cohort.types[r.id] ?? []).map(\.rawValue).sorted().joined(separator: "+")
                text += "\(r.id),\(t),\(r.estimate),\(r.mean),\(r.lower95),\(r.upper95)\n"
            }
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
        }
        let out = Output(children: risks.count, baseline: m.baseline.name, draws: m.draws.count, percentilesPer100000: all.pct, bands: all.bands,
                         byExposure: groups, radiotherapyCourses: cohort.radiotherapyCourses, flaggedCoursesNotIncluded: cohort.flaggedCourses,
                         organDosesLeftOut: cohort.leftOut)
        if json { print(try jsonString(out)); return }
        print("LAR of cancer incidence, summed over the dosed sites, for \(risks.count) children; baseline \(m.baseline.name), \(m.draws.count) draws")
        for g in groups + [Group(exposures: "all", children: risks.count, percentilesPer100000: all.pct, bands: all.bands)] where g.children > 0 {
            print("\(g.exposures) (\(g.children) children), per 100,000: " + ["p5", "p25", "p50", "p75", "p95", "p99"].map { String(format: "%@ %.2f", $0, g.percentilesPer100000[$0] ?? .nan) }.joined(separator: ", "))
            for b in CohortRisk.bands { print("  \(b.label.padding(toLength: 28, withPad: " ", startingAt: 0)) \(g.bands[b.label] ?? 0)") }
        }
        if cohort.flaggedCourses > 0 { print("\(cohort.flaggedCourses) of \(cohort.radiotherapyCourses) radiotherapy courses are flagged (not dosed) and not included.") }
        if !cohort.leftOut.isEmpty {
            print("Radiotherapy organ doses left out (mean above 2 Gy, no cell-killing alpha): " + cohort.leftOut.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
    }
}
