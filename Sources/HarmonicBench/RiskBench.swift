import ArgumentParser
import Foundation
import HarmonicCore
import Reports
import RiskProjection

/// `harmonic-bench risk`: LAR of every child of a synthetic cohort (72,300 children, 1,000 parameter
/// draws; issue 15 target < 30 s) and `harmonic-bench risk-compare`: two plans compared (target < 1 s).
struct RiskBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "LAR with intervals for a synthetic cohort of cardiac children (default 72,300 x 1,000 draws; target < 30 s).")

    @Option(help: "Children.") var children: Int = 72_300
    @Option(help: "Parameter draws.") var draws: Int = 1000
    @Option(help: "Random seed of the synthetic cohort.") var seed: UInt64 = 15

    func run() throws {
        var rng = RandomStream(seed: seed, stream: 0)
        // Synthetic cardiac children: 1-4 procedures at ages 0-18, organ doses lognormal around a few mGy.
        let kids: [CohortRisk.Child] = (0..<children).map { i in
            let sex: Sex = rng.uniform() < 0.5 ? .male : .female
            let n = 1 + Int(rng.uniform() * 4)
            let exposures = (0..<n).map { _ in
                let scale = exp(0.8 * rng.normal())
                let organs: [Organ: Gray] = [.redMarrow: Gray(milligray: 1.5 * scale), .breast: Gray(milligray: 4 * scale),
                                             .lungs: Gray(milligray: 9 * scale), .heart: Gray(milligray: 12 * scale),
                                             .thyroid: Gray(milligray: 1 * scale), .oesophagus: Gray(milligray: 8 * scale)]
                return Exposure(ageYears: 18 * rng.uniform(), organDoses: organs, sex: sex,
                                otherDose: Gray(milligray: 10 * scale))
            }
            return CohortRisk.Child(id: "c\(i)", sex: sex, exposures: exposures)
        }
        let t0 = Date()
        let models = try Beir7Models.beir7()
        let model = LifetimeRiskModel(models: models, baseline: try Baseline.load("who-region1"),
                                      draws: ParameterDraws(models: models, count: draws, seed: 1))
        let t1 = Date()
        let cohort = CohortRisk(model: model)
        let risks = cohort.risks(kids)
        let t2 = Date()
        let bands = CohortRisk.bandCounts(risks)
        let median = risks.map(\.estimate).sorted()[risks.count / 2]
        print(String(format: "risk: %d children x %d draws: model tables %.2f s, children %.2f s, total %.2f s (target < 30 s); median LAR %.2f per 100,000",
                     children, draws, t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t2.timeIntervalSince(t0), median * 1e5))
        print("bands: " + bands.map { "\($0.label): \($0.children)" }.joined(separator: "; "))
    }
}

struct RiskCompareBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk-compare",
        abstract: "Two synthetic plan-dose JSON files compared (read, 1,000 paired draws, OED, HTML); target < 1 s.")

    @Option(help: "DVH bins per organ.") var bins: Int = 500
    @Option(help: "Repetitions (the median is reported).") var repeats: Int = 5

    static func planJSON(label: String, radiation: String, inField: Double, scatter: Double, bins: Int) -> String {
        let organs: [(String, Double, Double)] = [("brain", 1.0, 1200), ("thyroid", 0.08, 15), ("lung", 0.03, 900), ("breast", 0.02, 150),
                                                 ("red_marrow", 0.12, 600), ("stomach", 0.015, 150), ("colon", 0.01, 400),
                                                 ("liver", 0.02, 900), ("bladder", 0.005, 100), ("heart", 0.03, 300), ("oesophagus", 0.05, 40),
                                                 ("ovaries", 0.004, 10), ("salivary_glands", 0.5, 40)]
        let items = organs.map { organ -> String in
            let (name, share, volume) = organ
            let mean = share >= 0.5 ? inField * share : scatter * share * 10
            let doses = (0..<bins).map { String(format: "%.4f", mean * 2 * (Double($0) + 0.5) / Double(bins)) }
            let vols = (0..<bins).map { _ in String(format: "%.4f", volume / Double(bins)) }
            return """
            {"organ": "\(name)", "source": "\(share >= 0.05 ? "contoured" : "outOfField")", "meanDoseGy": \(mean), "d2Gy": \(mean * 1.9),
             "interval95Gy": [\(mean * 0.7), \(mean * 1.4)], "components": {"inFieldGy": \(mean), "imagingGy": null},
             "differentialDVH": {"doseGy": [\(doses.joined(separator: ","))], "volumeCm3": [\(vols.joined(separator: ","))]}}
            """
        }
        return """
        {"schema": "harmonic.rt-plan-dose/1", "patient": {"ageYears": 8.0, "sex": "F"},
         "plan": {"label": "\(label)", "radiation": "\(radiation)", "technique": "\(radiation == "photon" ? "IMRT" : "PBS")", "fractions": 30, "prescribedDoseGy": 54.0},
         "organs": [\(items.joined(separator: ",\n"))]}
        """
    }

    func run() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-risk-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("imrt.json").path, b = dir.appendingPathComponent("pbs.json").path
        try Self.planJSON(label: "IMRT brain", radiation: "photon", inField: 54, scatter: 1.0, bins: bins).write(toFile: a, atomically: true, encoding: .utf8)
        try Self.planJSON(label: "PBS brain", radiation: "proton", inField: 54, scatter: 0.2, bins: bins).write(toFile: b, atomically: true, encoding: .utf8)
        var times: [Double] = []
        var last: PlanComparison?
        for _ in 0..<repeats {
            let t0 = Date()
            let pa = try PlanDose.read(a), pb = try PlanDose.read(b)
            let models = try Beir7Models.beir7()
            let model = LifetimeRiskModel(models: models, baseline: try Baseline.load("who-region1"),
                                          draws: ParameterDraws(models: models, count: 1000, seed: 1),
                                          sexes: [.female], agesAtExposure: [8])   // as `harmonic risk compare` builds it
            let c = try PlanComparison(planA: pa, planB: pb, model: model, ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
            _ = PlanRiskPage.html(c)
            times.append(Date().timeIntervalSince(t0)); last = c
        }
        times.sort()
        print(String(format: "risk-compare: 2 plans x 13 organs x %d DVH bins, 1000 paired draws, HTML: median %.3f s (min %.3f, max %.3f; target < 1 s); total ratio %.2f (%.2f-%.2f)",
                     bins, times[times.count / 2], times.first!, times.last!, last!.totalRatio.estimate, last!.totalRatio.lower95, last!.totalRatio.upper95))
        try? FileManager.default.removeItem(at: dir)
    }
}
