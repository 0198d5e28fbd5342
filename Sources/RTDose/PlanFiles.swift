import DICOM
import Foundation
import HarmonicCore

/// The three DICOM-RT objects of one plan, read and checked against each other before any dose
/// is computed: same Frame of Reference, an axial dose grid in Gy with evenly spaced slices, and
/// an external-beam photon or proton plan. Every refusal is an `InputError` naming the file and tag.
public struct PlanFiles: Sendable {
    public var plan: RTPlan
    public var grid: RTDoseGrid
    public var structures: RTStructureSet
    public var planPath: String, dosePath: String, structurePath: String
    public var radiation: Radiation
    public var technique: Technique

    /// A plan held in memory (benchmarks, synthetic courses): no file checks.
    public init(plan: RTPlan, grid: RTDoseGrid, structures: RTStructureSet, radiation: Radiation, technique: Technique,
                label: String = "in memory") {
        self.plan = plan; self.grid = grid; self.structures = structures; self.radiation = radiation; self.technique = technique
        planPath = label; dosePath = label; structurePath = label
    }

    /// Reads and checks the three files.
    public init(plan planURL: URL, dose doseURL: URL, structures structureURL: URL) throws {
        planPath = planURL.path; dosePath = doseURL.path; structurePath = structureURL.path
        let planSet = try DICOMFile(contentsOf: planURL).dataSet
        let doseSet = try DICOMFile(contentsOf: doseURL).dataSet
        let structureSet = try DICOMFile(contentsOf: structureURL).dataSet
        try Self.expectModality(planSet, "RTPLAN", planPath)
        try Self.expectModality(doseSet, "RTDOSE", dosePath)
        try Self.expectModality(structureSet, "RTSTRUCT", structurePath)
        plan = try RTPlan(planSet)
        (radiation, technique) = try Self.classify(plan, planSet, planPath)
        try Self.checkGridHeader(doseSet, dosePath)
        grid = try RTDoseGrid(doseSet)
        try Self.checkGrid(grid, doseSet, dosePath)
        structures = try RTStructureSet(structureSet)
        try Self.checkFrames(planSet: planSet, doseSet: doseSet, structureSet: structureSet)
    }

    static func tagError(_ ds: DataSet, _ file: String, _ tag: UInt32, field: String, value: String?, expected: String) -> InputError {
        InputError(.tag(file: file, tag: Tag(tag).description, offset: ds.element(Tag(tag))?.headerOffset ?? 0),
                   field: field, value: value, expected: expected)
    }

    static func expectModality(_ ds: DataSet, _ modality: String, _ file: String) throws {
        let m = ds.string(Tag(0x0008_0060))
        guard m == modality else {
            throw tagError(ds, file, 0x0008_0060, field: "Modality", value: m ?? "(absent)", expected: "\(modality) for this argument")
        }
    }

    /// Photon or proton external beams; brachytherapy, electrons and heavier ions are refused.
    static func classify(_ plan: RTPlan, _ ds: DataSet, _ file: String) throws -> (Radiation, Technique) {
        if plan.brachyApplicationSetups > 0 {
            throw tagError(ds, file, ds.contains(Tag(0x300A_0230)) ? 0x300A_0230 : 0x300A_00A0, field: "BrachyApplicationSetups",
                           value: "\(plan.brachyApplicationSetups)",
                           expected: "an external-beam photon or proton plan (brachytherapy is not supported)")
        }
        let treatment = plan.beams.filter { ($0.deliveryType ?? "TREATMENT") == "TREATMENT" }
        guard !treatment.isEmpty else {
            throw tagError(ds, file, plan.isIonPlan ? 0x300A_03A2 : 0x300A_00B0, field: plan.isIonPlan ? "IonBeamSequence" : "BeamSequence",
                           value: "\(plan.beams.count) beams, none with TreatmentDeliveryType TREATMENT",
                           expected: "at least one treatment beam")
        }
        let types = Set(treatment.map { ($0.radiationType ?? "").uppercased() })
        let radiation: Radiation
        switch types {
        case ["PHOTON"]: radiation = .photon
        case ["PROTON"]: radiation = .proton
        default:
            throw tagError(ds, file, 0x300A_00C6, field: "RadiationType", value: types.sorted().joined(separator: ", "),
                           expected: "PHOTON or PROTON for every treatment beam (electrons, carbon and other ions are not supported)")
        }
        return (radiation, Technique(beams: treatment, radiation: radiation))
    }

    /// Units in Gy and an axial grid, before the pixel data are read.
    static func checkGridHeader(_ ds: DataSet, _ file: String) throws {
        let units = ds.string(Tag(0x3004_0002))
        guard units?.uppercased() == "GY" else {
            throw tagError(ds, file, 0x3004_0002, field: "DoseUnits", value: units ?? "(absent)",
                           expected: "GY (a RELATIVE dose cannot give organ doses in Gy)")
        }
        let orientation = try ds.decimals(Tag(0x0020_0037))
        let axial = [1.0, 0, 0, 0, 1, 0]
        if !orientation.isEmpty, orientation.count != 6 || zip(orientation, axial).contains(where: { abs($0 - $1) > 1e-3 }) {
            throw tagError(ds, file, 0x0020_0037, field: "ImageOrientationPatient",
                           value: orientation.map { String($0) }.joined(separator: "\\"),
                           expected: "1\\0\\0\\0\\1\\0 (an axial head-first grid)")
        }
    }

    /// Frame offsets strictly monotonic and evenly spaced (a missing or uneven slice would
    /// make voxel volumes wrong), positive spacings.
    static func checkGrid(_ g: RTDoseGrid, _ ds: DataSet, _ file: String) throws {
        guard g.rowSpacing > 0, g.columnSpacing > 0 else {
            throw tagError(ds, file, 0x0028_0030, field: "PixelSpacing", value: "\(g.rowSpacing)\\\(g.columnSpacing)", expected: "two positive spacings (mm)")
        }
        let o = g.frameOffsets
        guard o.count >= 2 else { return }
        let step = o[1] - o[0]
        let list = o.map { String(format: "%g", $0) }.joined(separator: "\\")
        guard abs(step) > 1e-6 else {
            throw tagError(ds, file, 0x3004_000C, field: "GridFrameOffsetVector", value: list, expected: "distinct frame positions")
        }
        for i in 1..<o.count where abs((o[i] - o[i - 1]) - step) > max(1e-3, 1e-3 * abs(step)) {
            let gap = o[i] - o[i - 1]
            let what = abs(gap) > abs(step) * 1.5 ? "a missing slice between \(String(format: "%g", o[i - 1])) and \(String(format: "%g", o[i])) mm"
                : "an uneven spacing (\(String(format: "%g", gap)) mm after \(String(format: "%g", step)) mm)"
            throw tagError(ds, file, 0x3004_000C, field: "GridFrameOffsetVector", value: list,
                           expected: "evenly spaced frames; found \(what) at frame \(i + 1)")
        }
    }

    /// Plan (when it carries one), dose and structure set must share one Frame of Reference UID.
    static func checkFrames(planSet: DataSet, doseSet: DataSet, structureSet: DataSet) throws {
        let doseFrame = doseSet.string(Tag(0x0020_0052))
        let structureFrames = structureSet.sequence(Tag(0x3006_0010)).compactMap { $0.string(Tag(0x0020_0052)) }
        let roiFrames = structureSet.sequence(Tag(0x3006_0020)).compactMap { $0.string(Tag(0x3006_0024)) }
        let allStructureFrames = Set(structureFrames + roiFrames)
        guard let doseFrame else {
            throw tagError(doseSet, doseSet.buffer.name, 0x0020_0052, field: "FrameOfReferenceUID", value: "(absent)",
                           expected: "the Frame of Reference UID of the planning CT")
        }
        if !allStructureFrames.isEmpty, !allStructureFrames.contains(doseFrame) {
            throw tagError(structureSet, structureSet.buffer.name, 0x3006_0010, field: "ReferencedFrameOfReferenceSequence",
                           value: allStructureFrames.sorted().joined(separator: ", "),
                           expected: "the dose grid's Frame of Reference \(doseFrame) (\(doseSet.buffer.name)): the structures and the dose lie on different frames of reference")
        }
        if let planFrame = planSet.string(Tag(0x0020_0052)), planFrame != doseFrame {
            throw tagError(planSet, planSet.buffer.name, 0x0020_0052, field: "FrameOfReferenceUID", value: planFrame,
                           expected: "the dose grid's Frame of Reference \(doseFrame) (\(doseSet.buffer.name)): the plan and the dose lie on different frames of reference")
        }
    }
}

/// Radiation of a plan's treatment beams.
public enum Radiation: String, Sendable, Codable { case photon, proton }

/// Delivery technique, from the beams' control points, MLC and scan mode.
public enum Technique: String, Sendable, Codable {
    case conformal3D = "3D-CRT", imrt = "IMRT", vmat = "VMAT"
    case passiveScattering = "PS", pencilBeamScanning = "PBS"

    /// VMAT: an arc (gantry rotation CW/CC) with MLC; IMRT: a static gantry with MLC and more
    /// than two control points (step-and-shoot or sliding window); 3D-CRT otherwise. Protons:
    /// PBS when the scan mode is MODULATED (PS3.3 C.8.8.25), passive scattering otherwise.
    init(beams: [RTBeam], radiation: Radiation) {
        switch radiation {
        case .proton:
            self = beams.contains { ($0.scanMode ?? "NONE").hasPrefix("MODULATED") } ? .pencilBeamScanning : .passiveScattering
        case .photon:
            if beams.contains(where: { ["CW", "CC"].contains($0.gantryRotation ?? "NONE") && $0.hasMLC }) { self = .vmat }
            else if beams.contains(where: { $0.hasMLC && $0.controlPoints > 2 }) { self = .imrt }
            else { self = .conformal3D }
        }
    }

    /// Modulated techniques, whose leakage scales with monitor units (Kry et al. 2005; TG-158 §4).
    public var isModulated: Bool { self == .imrt || self == .vmat }
}
