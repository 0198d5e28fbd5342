import Foundation
import HarmonicCore
import Phantoms

/// Mean dose components of one organ per Gy of prescribed dose (course-record tier).
public struct OrganComponentsPerGy: Sendable, Equatable {
    public var organ: Organ
    /// In-field, photon out-of-field (patient scatter + head scatter/leakage, or proton secondary
    /// photons), neutron absorbed dose (Gy/Gy) and neutron dose equivalent (Sv/Gy).
    public var inField: Double, outOfField: Double, neutronAbsorbed: Double, neutronEquivalent: Double
    public var total: Double { inField + outOfField + neutronAbsorbed }

    public init(organ: Organ, inField: Double, outOfField: Double, neutronAbsorbed: Double, neutronEquivalent: Double) {
        self.organ = organ; self.inField = inField; self.outOfField = outOfField
        self.neutronAbsorbed = neutronAbsorbed; self.neutronEquivalent = neutronEquivalent
    }
}

/// Organ doses of many course records (the registry): each reference phantom is voxelised once
/// and its organ voxels extracted once; the organ doses per Gy are computed once per
/// (reference age, sex, site, radiation, technique) and scaled by each course's prescribed dose
/// (every component of the course-record tier is proportional to it).
public final class CourseDoseCache: @unchecked Sendable {
    struct PhantomKey: Hashable { let age: ReferenceAge, sex: Sex }
    struct CourseKey: Hashable { let age: ReferenceAge, sex: Sex, site: String, radiation: Radiation, technique: Technique }
    struct OrganVoxels { let organ: Organ, x: [Double], y: [Double], z: [Double], w: [Double] }

    private let lock = NSLock()
    private var phantoms: [PhantomKey: (placement: PhantomPlacement, organs: [OrganVoxels])] = [:]
    private var perGy: [CourseKey: [OrganComponentsPerGy]] = [:]
    private let photon: ModelParameters, proton: ModelParameters

    public init() throws {
        photon = try .resource(ModelParameters.photonFile)
        proton = try .resource(ModelParameters.protonFile)
    }

    /// Organ components per Gy for a course and child (reference phantom of the nearest age).
    public func dosesPerGy(_ course: CourseRecord, ageYears: Double, sex: Sex) throws -> [OrganComponentsPerGy] {
        let key = CourseKey(age: .nearest(to: ageYears), sex: sex, site: course.targetSite, radiation: course.radiation, technique: course.technique)
        lock.lock()
        if let d = perGy[key] { lock.unlock(); return d }
        lock.unlock()
        let doses = try compute(course, key: key, variation: nil)
        lock.lock(); perGy[key] = doses; lock.unlock()
        return doses
    }

    /// Organ components per Gy of one course whose fields differ from the site-typical ones by
    /// `variation` (not cached): the synthetic registry's true doses (`SyntheticRTTruth`).
    public func dosesPerGy(_ course: CourseRecord, ageYears: Double, sex: Sex, variation: FieldVariation) throws -> [OrganComponentsPerGy] {
        let key = CourseKey(age: .nearest(to: ageYears), sex: sex, site: course.targetSite, radiation: course.radiation, technique: course.technique)
        return try compute(course, key: key, variation: variation)
    }

    private func compute(_ course: CourseRecord, key: CourseKey, variation: FieldVariation?) throws -> [OrganComponentsPerGy] {
        let ph = phantom(PhantomKey(age: key.age, sex: key.sex))
        var boxes = try SiteGeometry.boxes(site: course.targetSite, placement: ph.placement)
        if let v = variation { boxes = boxes.map(v.apply) }
        let field = FieldRegion(boxes: boxes, highDoseVolumeCm3: boxes.reduce(0) { $0 + $1.volumeCm3 })
        let model: OutOfFieldModel
        switch course.radiation {
        case .photon:
            let mu = try variation?.monitorUnitsPerGy ?? (course.technique.isModulated ? try photon["mu_per_gy_modulated"] : try photon["mu_ref"])
            model = try PhotonOutOfFieldModel(parameters: photon, equivalentSquareCm: field.equivalentSquareCm, monitorUnitsPerGy: mu)
        case .proton:
            model = try ProtonSecondaryModel(parameters: proton, targetVolumeCm3: field.highDoseVolumeCm3, technique: course.technique)
        }
        let organs = ph.organs
        let doses: [OrganComponentsPerGy] = parallelMap(organs.count) { k in
            let v = organs[k]
            var inField = 0.0, oof = 0.0, nA = 0.0, nH = 0.0, wsum = 0.0
            for i in v.w.indices {
                let w = v.w[i], d = field.distanceCm(v.x[i], v.y[i], v.z[i])
                wsum += w
                if d == 0 { inField += w; continue }
                let o = model.dose(distanceFromEdgeCm: d)
                oof += (o.patientScatter + o.headScatterLeakage) * w; nA += o.neutronAbsorbed * w; nH += o.neutronEquivalent * w
            }
            return OrganComponentsPerGy(organ: v.organ, inField: inField / wsum, outOfField: oof / wsum,
                                        neutronAbsorbed: nA / wsum, neutronEquivalent: nH / wsum)
        }
        return doses
    }

    private func phantom(_ key: PhantomKey) -> (placement: PhantomPlacement, organs: [OrganVoxels]) {
        lock.lock()
        if let p = phantoms[key] { lock.unlock(); return p }
        lock.unlock()
        let stylised = StylisedPhantom.reference(age: key.age, sex: key.sex)
        let placement = PhantomPlacement(phantom: stylised.voxelise(), age: key.age, offsetMillimetres: (0, 0, 0), method: "phantom frame", skeleton: stylised.skeleton)
        let organs = Organ.allCases.filter { $0.exists(in: key.sex) }
        let voxels: [OrganVoxels?] = parallelMap(organs.count) { k in
            let v = placement.voxels(of: organs[k])
            return v.weight.isEmpty ? nil : OrganVoxels(organ: organs[k], x: v.x, y: v.y, z: v.z, w: v.weight)
        }
        let entry = (placement, voxels.compactMap { $0 })
        lock.lock(); phantoms[key] = entry; lock.unlock()
        return entry
    }
}

/// How one course's real fields differ from the site-typical boxes: each box scaled about its
/// centre by `scale` per axis and moved by `shiftMillimetres`; for photons, the monitor units per
/// Gy actually delivered (nil: the technique's assumed value).
public struct FieldVariation: Sendable, Equatable {
    public var scale: SIMD3<Double>, shiftMillimetres: SIMD3<Double>, monitorUnitsPerGy: Double?
    public init(scale: SIMD3<Double> = .one, shiftMillimetres: SIMD3<Double> = .zero, monitorUnitsPerGy: Double? = nil) {
        self.scale = scale; self.shiftMillimetres = shiftMillimetres; self.monitorUnitsPerGy = monitorUnitsPerGy
    }
    func apply(_ b: FieldRegion.Box) -> FieldRegion.Box {
        let c = (b.lower + b.upper) / 2 + shiftMillimetres, h = (b.upper - b.lower) / 2 * scale
        return FieldRegion.Box(lower: c - h, upper: c + h)
    }
}
