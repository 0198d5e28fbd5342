import Foundation
import HarmonicCore
import HarmonicTestSupport
import RTDose
import RiskProjection
import Testing

/// The example of `harmonic risk compare`: photon IMRT against proton PBS for a child's brain
/// tumour, from the synthetic DICOM-RT of scripts/generate_rt_plan_sample.py (a stylised 8-year-old
/// girl, 54 Gy to a 25 mm target; RP/RD: seven-field 6 MV IMRT with a low-dose bath; rp_proton_pbs /
/// rd_proton_pbs: two lateral PBS fields, 5 mm fall-off, entrance channels at 40%; one structure set),
/// through `harmonic rt dose --json` (PlanDoseResult.json) and `PlanComparison`.
@Suite("Photon IMRT against proton PBS for a brain tumour (synthetic DICOM-RT)", .serialized)
struct PhotonProtonExampleTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RTDoseTests/Resources/plan")

    static let comparison = Result(catching: { () throws -> (PlanComparison, PlanDose, PlanDose) in
        let girl = PatientDescription(ageYears: 8, sex: .female)
        let dir = try SharedData.temporaryDirectory("photon-proton")
        func planDose(_ plan: String, _ dose: String) throws -> PlanDose {
            let files = try PlanFiles(plan: folder.appendingPathComponent(plan), dose: folder.appendingPathComponent(dose),
                                      structures: folder.appendingPathComponent("RS.dcm"))
            let path = dir.appendingPathComponent(plan + ".json").path
            try PlanDoseCalculation.run(files, patient: girl).json.write(toFile: path, atomically: true, encoding: .utf8)
            return try PlanDose.read(path)
        }
        let imrt = try planDose("RP.dcm", "RD.dcm"), pbs = try planDose("rp_proton_pbs.dcm", "rd_proton_pbs.dcm")
        let models = try Beir7Models.beir7()
        let model = LifetimeRiskModel(models: models, baseline: try Baseline.load("who-region1"),
                                      draws: ParameterDraws(models: models, count: 400, seed: 7), sexes: [.female], agesAtExposure: [8])
        return (try PlanComparison(planA: imrt, planB: pbs, model: model, ageYears: 8, sex: .female, parameters: try OEDParameters.shipped()), imrt, pbs)
    })

    @Test("the proton plan's out-of-field thyroid, breast and lung doses are far below the photon plan's")
    func outOfFieldDoses() throws {
        let (_, imrt, pbs) = try Self.comparison.get()
        for organ in ["thyroid", "breast", "lung"] {
            let a = try #require(imrt.organs.first { $0.organ == organ }?.meanDoseGy)
            let b = try #require(pbs.organs.first { $0.organ == organ }?.meanDoseGy)
            #expect(a > 0.05 && b < a / 10, "\(organ): IMRT \(a) Gy, PBS \(b) Gy")
        }
    }

    @Test("PBS lowers the second-cancer LAR, and pairing the draws narrows the ratio interval below that of independent plans")
    func pairedRatio() throws {
        let (c, _, _) = try Self.comparison.get()
        #expect(c.totalRatio.upper95 < 1, "B/A \(c.totalRatio)")
        let width = { (s: RiskSummary) in log(s.upper95 / s.lower95) }
        // The plans' site mixes differ (thyroid dominates IMRT; out-of-field neutrons and the brain's
        // neighbours PBS), so the shared model uncertainty cancels only partly: the paired interval is
        // narrower than two independent ones would give (sqrt(wA^2 + wB^2) on the log scale), not
        // narrower than each plan's (it is for similar plans: PlanComparisonTests).
        let independent = (pow(width(c.total[0]), 2) + pow(width(c.total[1]), 2)).squareRoot()
        #expect(width(c.totalRatio) < 0.9 * independent, "paired \(width(c.totalRatio)), independent \(independent)")
        // In-field brain and red marrow above 2 Gy without a cell-killing alpha are left out and listed, not extrapolated.
        #expect(c.notComputed[0].contains("brain") && c.notComputed[1].contains("brain"))
    }
}
