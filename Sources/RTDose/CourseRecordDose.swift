import Foundation
import HarmonicCore
import Phantoms

/// A radiotherapy course known only from its registry record (`rt_courses`): the second tier of
/// record completeness, below DICOM-RT.
public struct CourseRecord: Sendable {
    public var targetSite: String
    public var radiation: Radiation
    public var technique: Technique
    public var prescribedDoseGy: Double
    public var fractions: Int
    public var energyMeV: Double?

    public init(targetSite: String, radiation: Radiation, technique: Technique, prescribedDoseGy: Double, fractions: Int,
                energyMeV: Double? = nil) {
        self.targetSite = targetSite; self.radiation = radiation; self.technique = technique
        self.prescribedDoseGy = prescribedDoseGy; self.fractions = fractions; self.energyMeV = energyMeV
    }

    /// From the registry's codes (data dictionary `rt_courses`: modality photon/proton/electron/
    /// carbon; technique 3d_crt, imrt, vmat, tomotherapy, stereotactic, passive_scattering,
    /// pencil_beam_scanning, brachytherapy, other). Unsupported values are errors naming the field.
    public init(targetSite: String, modality: String, technique: String, prescribedDoseGy: Double, fractions: Int,
                energyMeV: Double? = nil, location: InputLocation) throws {
        let radiation: Radiation
        switch modality.lowercased() {
        case "photon": radiation = .photon
        case "proton": radiation = .proton
        default: throw InputError(location, field: "modality", value: modality,
                                  expected: "photon or proton (electron and carbon-ion courses are not supported)")
        }
        let t: Technique
        switch (radiation, technique.lowercased()) {
        case (.photon, "3d_crt"), (.photon, "stereotactic"): t = .conformal3D
        case (.photon, "imrt"), (.photon, "tomotherapy"): t = .imrt
        case (.photon, "vmat"): t = .vmat
        case (.proton, "passive_scattering"): t = .passiveScattering
        case (.proton, "pencil_beam_scanning"): t = .pencilBeamScanning
        default: throw InputError(location, field: "technique", value: technique,
                                  expected: radiation == .photon ? "3d_crt, imrt, vmat, tomotherapy or stereotactic for a photon course"
                                    : "passive_scattering or pencil_beam_scanning for a proton course")
        }
        guard prescribedDoseGy > 0 else { throw InputError(location, field: "prescribed_dose_gy", value: "\(prescribedDoseGy)", expected: "a positive dose (Gy)") }
        guard SiteGeometry.sites.contains(targetSite.lowercased()) else {
            throw InputError(location, field: "target_site", value: targetSite,
                             expected: "a known target site (\(SiteGeometry.sites.sorted().joined(separator: ", "))): unknown site, course flagged")
        }
        self.init(targetSite: targetSite.lowercased(), radiation: radiation, technique: t, prescribedDoseGy: prescribedDoseGy,
                  fractions: fractions, energyMeV: energyMeV)
    }
}

/// Site-typical field geometry on the phantom (course-record tier): boxes around the phantom's
/// anatomy for each target site of the registry. Idealised fields of the paediatric protocols
/// named in `RadiotherapyChildSimulator` (SIOP-Europe): a partial-brain field, craniospinal
/// (whole brain + spine), head and neck, mediastinum (Hodgkin), one flank (Wilms), pelvis, and
/// one leg (extremity sarcoma). Sizes follow the child's own anatomy, so they scale with age.
public enum SiteGeometry {
    public static let sites: Set<String> = ["brain", "craniospinal", "head_neck", "thorax", "abdomen", "pelvis", "extremity"]

    /// Field boxes (mm, phantom frame × 10) for a site.
    public static func boxes(site: String, placement: PhantomPlacement) throws -> [FieldRegion.Box] {
        let p = placement
        func b(_ pred: (RegionRole) -> Bool) throws -> FieldRegion.Box {
            guard let box = p.bounds(where: pred) else {
                throw InputError(.file("phantom"), field: "target_site", value: site, expected: "phantom regions for the site's field")
            }
            return box
        }
        func scaled(_ box: FieldRegion.Box, _ f: SIMD3<Double>) -> FieldRegion.Box {
            let c = (box.lower + box.upper) / 2, h = (box.upper - box.lower) / 2 * f
            return FieldRegion.Box(lower: c - h, upper: c + h)
        }
        func grown(_ box: FieldRegion.Box, _ mm: Double) -> FieldRegion.Box {
            FieldRegion.Box(lower: box.lower - SIMD3(repeating: mm), upper: box.upper + SIMD3(repeating: mm))
        }
        switch site {
        case "brain": return [scaled(try b { $0 == .organ(.brain) }, SIMD3(0.5, 0.5, 0.5))]
        case "craniospinal":
            let spine = try b { if case let .bone(s) = $0 { return [.cervicalVertebrae, .thoracicVertebrae, .lumbarVertebrae, .sacrum].contains(s) }; return false }
            return [grown(try b { $0 == .organ(.brain) }, 10), grown(spine, 10)]
        case "head_neck": return [grown(try b { $0 == .organ(.salivaryGlands) || $0 == .organ(.thyroid) }, 10)]
        case "thorax":
            let heart = try b { $0 == .organ(.heart) || $0 == .contents(.heart) }
            let lungs = try b { $0 == .organ(.lungs) }
            return [FieldRegion.Box(lower: SIMD3(heart.lower.x - 10, lungs.lower.y, lungs.lower.z + 0.2 * (lungs.upper.z - lungs.lower.z)),
                                    upper: SIMD3(heart.upper.x + 10, lungs.upper.y, lungs.upper.z))]
        case "abdomen":
            // One flank: the left kidney (positive x) with a 1 cm margin, and across the midline
            // the whole width of the lumbar vertebrae with the same margin, so that the growing
            // vertebrae receive a homogeneous dose: the rule of the 2D and 3D flank fields that
            // the registry's courses were given ("articles published in the 2D and 3D radiotherapy
            // era instructed radiation oncologists to avoid dose inhomogeneity over growing
            // vertebrae"; Hoeben et al., Lancet Oncol 20 (2019) e155, SIOPE consensus). Until
            // session 17 the medial edge ran 1 cm past the kidneys' midline, through the vertebral
            // bodies, so the marrow in the field swung with every shift of the port.
            let kidneys = try b { $0 == .organ(.kidneys) }
            let vertebrae = try b { $0 == .bone(.lumbarVertebrae) }
            let medial = min((kidneys.lower.x + kidneys.upper.x) / 2, vertebrae.lower.x)
            return [grown(FieldRegion.Box(lower: SIMD3(medial, kidneys.lower.y, kidneys.lower.z), upper: kidneys.upper), 10)]
        case "pelvis": return [grown(try b { $0 == .organ(.bladder) || $0 == .contents(.bladder) || $0 == .organ(.uterus) || $0 == .organ(.prostate) }, 20)]
        case "extremity":
            let legs = try b { if case let .bone(s) = $0 { return [.femoraUpper, .femoraLower, .patellae, .tibiae, .fibulae, .anklesAndFeet].contains(s) }; return false }
            let mid = (legs.lower.x + legs.upper.x) / 2, zmid = (legs.lower.z + legs.upper.z) / 2
            return [FieldRegion.Box(lower: SIMD3(mid, legs.lower.y, legs.lower.z), upper: SIMD3(legs.upper.x, legs.upper.y, zmid))]
        default:
            throw InputError(.file("course record"), field: "target_site", value: site, expected: sites.sorted().joined(separator: ", "))
        }
    }
}

public enum CourseRecordDose {
    /// Organ doses of a course from its record: the phantom of the child's age, sex and size in
    /// its own frame, the site-typical field boxes receiving the prescribed dose, every other
    /// voxel the out-of-field model of the course's radiation and technique.
    public static func run(_ course: CourseRecord, patient: PatientDescription) throws -> PlanDoseResult {
        let stylised = PhantomPlacement.phantom(for: patient)
        let placement = PhantomPlacement(phantom: stylised.voxelise(), age: stylised.age, offsetMillimetres: (0, 0, 0),
                                         method: "phantom frame (course record: no patient outline)", skeleton: stylised.skeleton)
        let boxes = try SiteGeometry.boxes(site: course.targetSite, placement: placement)
        let target = boxes.reduce(0) { $0 + $1.volumeCm3 }
        let field = FieldRegion(boxes: boxes, highDoseVolumeCm3: target)
        let model: OutOfFieldModel
        var notes = ["course-record tier: site-typical fields on the \(stylised.age.label) \(patient.sex.rawValue) phantom, "
                     + "prescribed dose inside the field boxes, out-of-field model elsewhere"]
        var muPerGy: Double? = nil
        switch course.radiation {
        case .photon:
            let p = try ModelParameters.resource(ModelParameters.photonFile)
            muPerGy = course.technique.isModulated ? try p["mu_per_gy_modulated"] : try p["mu_ref"]
            notes.append(String(format: "monitor units assumed: %.0f MU/Gy (%@)", muPerGy!, course.technique.rawValue))
            model = try PhotonOutOfFieldModel(parameters: p, equivalentSquareCm: field.equivalentSquareCm, monitorUnitsPerGy: muPerGy)
        case .proton:
            model = try ProtonSecondaryModel(parameters: .resource(ModelParameters.protonFile), targetVolumeCm3: target, technique: course.technique)
        }
        let evaluator = DoseEvaluator(grid: nil, field: field, model: model, prescribedGy: course.prescribedDoseGy, blendCm: 0)
        let organs = Organ.allCases.filter { $0.exists(in: patient.sex) }
        let doses = PlanDoseCalculation.placedOrgans(organs, placement: placement, evaluator: evaluator, model: model, placementGSD: 1.25)
        let none = zip(organs, doses).filter { $0.1 == nil }.map(\.0.rawValue)
        if !none.isEmpty { notes.append("no phantom region for: \(none.joined(separator: ", ")) (not dosed)") }
        let plan = PlanInfo(label: "\(course.targetSite) course record", radiation: course.radiation, technique: course.technique,
                            fractions: course.fractions, prescribedDoseGy: course.prescribedDoseGy, nominalEnergyMeV: course.energyMeV,
                            monitorUnitsPerGy: muPerGy)
        var result = PlanDoseResult(patient: patient, plan: plan, organs: doses.compactMap { $0 }.sorted { $0.organ.rawValue < $1.organ.rawValue }, unmapped: [], field: field,
                                    modelLabel: model.label, notes: notes)
        result.courseSite = course.targetSite
        return result
    }
}
