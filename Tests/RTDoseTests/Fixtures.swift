import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import RTDose

/// The DICOM-RT sample of scripts/generate_rt_plan_sample.py (a stylised 8-year-old, brain IMRT).
enum Sample {
    static let folder = Bundle.module.bundleURL.appendingPathComponent("Resources/plan")
    static func url(_ name: String) -> URL { folder.appendingPathComponent(name) }
    static let girl = PatientDescription(ageYears: 8, sex: .female)

    static func files(plan: String = "RP.dcm", dose: String = "RD.dcm", structures: String = "RS.dcm") throws -> PlanFiles {
        try PlanFiles(plan: url(plan), dose: url(dose), structures: url(structures))
    }

    /// The full calculation of the IMRT sample, computed once.
    static let imrt: PlanDoseResult? = try? PlanDoseCalculation.run(files(), patient: girl)
}
