import DICOM
import Foundation
import HarmonicCore
import Phantoms

/// What the plan is, for reports and the out-of-field models.
public struct PlanInfo: Sendable, Codable {
    public var label: String
    public var radiation: Radiation
    public var technique: Technique
    public var fractions: Int
    public var prescribedDoseGy: Double
    public var nominalEnergyMeV: Double?
    /// Monitor units per Gy of prescribed dose (photons), the leakage scaling of modulated plans.
    public var monitorUnitsPerGy: Double?
}

/// A structure that gave no organ dose, and why.
public struct UnmappedStructure: Sendable, Codable, Equatable {
    public var name: String, reason: String
}

/// Options of a plan-dose calculation.
public struct PlanDoseOptions: Sendable {
    /// Beyond this distance from the field edge (cm) the out-of-field model replaces the grid,
    /// where planning systems underestimate the dose (TG-158 section 4.1: commercial algorithms
    /// underestimate out-of-field dose by 40% or more beyond about 3 cm from the field edge).
    public var blendDistanceCm = 3.0
    /// Place the organs that are not contoured from the phantom.
    public var placeUncontouredOrgans = true
    /// Prescribed dose when the plan does not carry one (Gy).
    public var prescribedDoseGy: Double? = nil
    /// Extra geometric standard deviation of phantom-placed organs (position of a stylised organ
    /// against the child's anatomy: 1-2 cm in a gradient of 10-15%/cm; an assumption).
    public var placementGSD = 1.25
    /// How the field edge is drawn around the 50% isodose: one box per connected part and slab
    /// (default), or one box around all of it (the earlier method, kept for comparison).
    public var fieldEdge = FieldEdgeMethod.isodoseBoxes
    public init() {}
}

/// Organ doses of one plan (`harmonic rt dose --plan --dose --struct`).
public struct PlanDoseResult: Sendable {
    public var patient: PatientDescription
    public var plan: PlanInfo
    public var organs: [OrganPlanDose]
    public var unmapped: [UnmappedStructure]
    public var field: FieldRegion
    public var modelLabel: String
    public var notes: [String]
    /// The target site when the doses come from a course record (no DICOM-RT), nil for a plan.
    public var courseSite: String? = nil
}

public enum PlanDoseCalculation {
    /// Computes every organ of the shared list that exists in the child's sex.
    public static func run(_ files: PlanFiles, patient: PatientDescription, options: PlanDoseOptions = PlanDoseOptions()) throws -> PlanDoseResult {
        var notes: [String] = []
        var courseGrid = files.grid
        let fractions = files.plan.fractionsPlanned ?? 1
        if (courseGrid.summationType ?? "").uppercased() == "FRACTION", fractions > 1 {
            courseGrid.values = courseGrid.values.map { $0 * Double(fractions) }
            notes.append("dose grid summation type FRACTION: multiplied by the \(fractions) planned fractions")
        }
        let grid = courseGrid
        guard let prescribed = files.plan.prescribedDoseGy ?? options.prescribedDoseGy, prescribed > 0 else {
            throw InputError(.tag(file: files.planPath, tag: "(300A,0026)", offset: 0), field: "TargetPrescriptionDose",
                             value: "(absent)", expected: "a prescribed dose in the plan's Dose Reference Sequence, or --prescribed-dose")
        }
        guard let field = FieldRegion(grid: grid, prescribedDoseGy: prescribed, method: options.fieldEdge) else {
            let maxDose = grid.values.max() ?? 0
            throw InputError(.tag(file: files.dosePath, tag: "(3004,000E)", offset: 0), field: "DoseGridScaling",
                             value: String(format: "grid maximum %.4g Gy", maxDose),
                             expected: String(format: "a course dose reaching at least half the prescribed %.4g Gy (a beam or fraction dose, or a wrong scaling?)", prescribed))
        }
        let treatment = files.plan.beams.filter { ($0.deliveryType ?? "TREATMENT") == "TREATMENT" }
        let mu = treatment.compactMap(\.meterset).reduce(0, +)
        let muPerGy: Double? = files.radiation == .photon && mu > 0 ? mu * Double(fractions) / prescribed : nil
        let plan = PlanInfo(label: files.plan.label ?? URL(fileURLWithPath: files.planPath).lastPathComponent,
                            radiation: files.radiation, technique: files.technique, fractions: fractions,
                            prescribedDoseGy: prescribed, nominalEnergyMeV: treatment.first?.nominalEnergyMeV, monitorUnitsPerGy: muPerGy)
        let model: OutOfFieldModel
        switch files.radiation {
        case .photon:
            if muPerGy == nil { notes.append("no beam meterset in the plan: leakage at the reference MU per Gy") }
            model = try PhotonOutOfFieldModel(parameters: .resource(ModelParameters.photonFile),
                                              equivalentSquareCm: field.equivalentSquareCm, monitorUnitsPerGy: muPerGy)
        case .proton:
            model = try ProtonSecondaryModel(parameters: .resource(ModelParameters.protonFile),
                                             targetVolumeCm3: field.highDoseVolumeCm3, technique: files.technique)
        }
        let evaluator = DoseEvaluator(grid: grid, field: field, model: model, prescribedGy: prescribed,
                                      blendCm: options.blendDistanceCm)

        // Structures to organs.
        var unmapped: [UnmappedStructure] = []
        var byOrgan: [Organ: [RTStructure]] = [:]
        var body: RTStructure?
        for s in files.structures.structures {
            let role = StructureNaming.standard.role(of: s.name)
            if s.contours.isEmpty, role != .helper, role != .target {
                unmapped.append(UnmappedStructure(name: s.name, reason: "no closed planar contours")); continue
            }
            switch role {
            case let .organ(o):
                if o.exists(in: patient.sex) { byOrgan[o, default: []].append(s) }
                else { unmapped.append(UnmappedStructure(name: s.name, reason: "organ \(o.rawValue) does not exist for sex \(patient.sex.rawValue)")) }
            case .body: if body == nil { body = s } else { unmapped.append(UnmappedStructure(name: s.name, reason: "second body outline (the first, '\(body!.name)', is used)")) }
            case .target: unmapped.append(UnmappedStructure(name: s.name, reason: "target volume"))
            case .helper: unmapped.append(UnmappedStructure(name: s.name, reason: "planning helper structure"))
            case .noOrgan: unmapped.append(UnmappedStructure(name: s.name, reason: "anatomical structure without an organ of the shared list"))
            case .unknown: unmapped.append(UnmappedStructure(name: s.name, reason: "name not in the synonym table (Sources/RTDose/Resources/structure_synonyms.tsv)"))
            }
        }
        // Contoured organs, in parallel.
        let contoured = byOrgan.keys.sorted { $0.rawValue < $1.rawValue }
        let groups = byOrgan
        let contouredDoses: [(OrganPlanDose, (Double, Double, Double)?)] = parallelMap(contoured.count) { k in
            let organ = contoured[k]
            var samples = OrganSamples()
            var volume = 0.0, cx = 0.0, cy = 0.0, cz = 0.0
            for s in groups[organ]! {
                let lattice = ContourRaster.lattice(for: s, grid: grid)
                let runs = ContourRaster.runs(of: s, on: lattice)
                var n = 0
                for r in runs { n += Int(r.c1 - r.c0) }
                samples.reserve(samples.dose.count + n)
                for r in runs {
                    let p = Int(r.plane), row = Int(r.row)
                    let z = lattice.planeZ[p], y = lattice.y0 + Double(row) * lattice.dy
                    let w = lattice.dx * lattice.dy * lattice.planeThickness[p] / 1000
                    let frame = lattice.gridFrame[p], gridRow = row - lattice.rowShift
                    let rowInGrid = frame >= 0 && gridRow >= 0 && gridRow < grid.rows
                    for c in Int(r.c0)..<Int(r.c1) {
                        let x = lattice.x0 + Double(c) * lattice.dx
                        let gc = c - lattice.columnShift
                        let index = rowInGrid && gc >= 0 && gc < grid.columns ? (frame * grid.rows + gridRow) * grid.columns + gc : -1
                        evaluator.add(x, y, z, gridIndex: index, weight: w, to: &samples)
                        volume += w; cx += x * w; cy += y * w; cz += z * w
                    }
                }
            }
            let dose = Self.finish(organ, .contoured, samples, volume: volume, structures: groups[organ]!.map(\.name),
                                   model: model, extraGSD: 1, seed: UInt64(k + 1))
            return (dose, volume > 0 ? (cx / volume, cy / volume, cz / volume) : nil)
        }
        var organs = contouredDoses.map(\.0).filter { $0.volumeCm3 > 0 }
        for (d, _) in contouredDoses where d.volumeCm3 == 0 {
            unmapped.append(UnmappedStructure(name: d.structures.joined(separator: "+"), reason: "contours enclose no voxel centre"))
        }

        // Organs not contoured: from the registered phantom.
        let missing = Organ.allCases.filter { $0.exists(in: patient.sex) && byOrgan[$0] == nil }
        if options.placeUncontouredOrgans, !missing.isEmpty {
            let landmarks = zip(contoured, contouredDoses).compactMap { o, d in d.1.map { (organ: o, centroidMillimetres: (x: $0.0, y: $0.1, z: $0.2)) } }
            switch PhantomPlacement.register(patient: patient, body: body, landmarks: landmarks) {
            case let .failure(f):
                notes.append("organs not contoured are not dosed (\(missing.map(\.rawValue).joined(separator: ", "))): \(f.reason)")
            case let .success(placement):
                notes.append("phantom \(placement.age.label) \(patient.sex.rawValue) registered: \(placement.method)")
                let placed = Self.placedOrgans(missing, placement: placement, evaluator: evaluator, model: model,
                                               placementGSD: options.placementGSD)
                organs += placed.compactMap { $0 }
                let none = zip(missing, placed).filter { $0.1 == nil }.map(\.0.rawValue)
                if !none.isEmpty { notes.append("no phantom region for: \(none.joined(separator: ", ")) (not dosed)") }
            }
        }
        organs.sort { $0.organ.rawValue < $1.organ.rawValue }
        return PlanDoseResult(patient: patient, plan: plan, organs: organs, unmapped: unmapped, field: field,
                              modelLabel: model.label, notes: notes)
    }

    /// Doses of organs placed from a registered phantom (nil: no phantom region for the organ).
    static func placedOrgans(_ organs: [Organ], placement: PhantomPlacement, evaluator: DoseEvaluator, model: OutOfFieldModel,
                             placementGSD: Double) -> [OrganPlanDose?] {
        parallelMap(organs.count) { k in
            let organ = organs[k]
            let v = placement.voxels(of: organ)
            guard !v.weight.isEmpty else { return nil }
            var samples = OrganSamples()
            samples.reserve(v.weight.count)
            for i in v.weight.indices {
                evaluator.add(v.x[i], v.y[i], v.z[i], gridIndex: evaluator.nearestIndex(v.x[i], v.y[i], v.z[i]),
                              weight: v.weight[i], to: &samples)
            }
            let source: OrganDoseSource = samples.fromGridWeight > 0 ? .phantom : .outOfField
            return finish(organ, source, samples, volume: v.weight.reduce(0, +), structures: v.regions,
                          model: model, extraGSD: placementGSD, seed: UInt64(1000 + k))
        }
    }

    static func finish(_ organ: Organ, _ source: OrganDoseSource, _ s: OrganSamples, volume: Double, structures: [String],
                       model: OutOfFieldModel, extraGSD: Double, seed: UInt64) -> OrganPlanDose {
        let st = s.statistics(volumeCm3: volume)
        return OrganPlanDose(organ: organ, source: source, meanDoseGy: st.mean, d2Gy: st.d2,
                             interval95Gy: volume > 0 ? interval95(st.components, model.uncertainty, extraGSD: extraGSD, seed: seed) : [0, 0],
                             components: st.components, differentialDVH: st.dvh, volumeCm3: volume,
                             fractionFromGrid: st.fromGrid, structures: structures)
    }
}

/// Dose at a point: the grid inside the blend distance, the out-of-field model beyond it or
/// outside the grid, split into components. Without a grid (course-record tier) a point inside
/// the field boxes receives the prescribed dose (idealised coverage) and every other point the model.
struct DoseEvaluator: Sendable {
    let grid: RTDoseGrid?, field: FieldRegion, model: OutOfFieldModel
    let prescribedGy: Double, blendCm: Double
    let zFirst: Double, zStep: Double

    init(grid: RTDoseGrid?, field: FieldRegion, model: OutOfFieldModel, prescribedGy: Double, blendCm: Double) {
        self.grid = grid; self.field = field; self.model = model; self.prescribedGy = prescribedGy; self.blendCm = blendCm
        zFirst = grid.map { $0.origin[2] + $0.frameOffsets[0] } ?? 0
        zStep = grid.map { $0.frameOffsets.count > 1 ? $0.frameOffsets[1] - $0.frameOffsets[0] : 1 } ?? 1
    }

    /// The grid voxel whose centre is nearest to a point inside the grid, or -1.
    func nearestIndex(_ x: Double, _ y: Double, _ z: Double) -> Int {
        guard let grid else { return -1 }
        let c = Int(((x - grid.origin[0]) / grid.columnSpacing).rounded()), r = Int(((y - grid.origin[1]) / grid.rowSpacing).rounded())
        let f = Int(((z - zFirst) / zStep).rounded())
        guard c >= 0, c < grid.columns, r >= 0, r < grid.rows, f >= 0, f < grid.frames else { return -1 }
        return (f * grid.rows + r) * grid.columns + c
    }

    @inline(__always)
    func add(_ x: Double, _ y: Double, _ z: Double, gridIndex: Int, weight w: Double, to s: inout OrganSamples) {
        let d = field.distanceCm(x, y, z)
        if gridIndex >= 0, d < blendCm, let grid {
            let v = grid.values[gridIndex]
            s.dose.append(v); s.weight.append(w)
            s.components.inFieldGy += v * w; s.fromGridWeight += w
        } else if grid == nil, d == 0 {
            s.dose.append(prescribedGy); s.weight.append(w)
            s.components.inFieldGy += prescribedGy * w; s.fromGridWeight += w
        } else {
            let o = model.dose(distanceFromEdgeCm: d)
            let v = o.absorbed * prescribedGy
            s.dose.append(v); s.weight.append(w)
            s.components.patientScatterGy += o.patientScatter * prescribedGy * w
            s.components.headScatterLeakageGy += o.headScatterLeakage * prescribedGy * w
            s.components.neutronAbsorbedGy += o.neutronAbsorbed * prescribedGy * w
            s.components.neutronEquivalentSv += o.neutronEquivalent * prescribedGy * w
        }
    }
}
