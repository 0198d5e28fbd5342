import DICOM
import Foundation
import HarmonicCore
import Phantoms

/// The child described by the plan's user: age, sex and (optionally) size.
public struct PatientDescription: Sendable, Codable {
    public var ageYears: Double
    public var sex: Sex
    public var heightCm: Double?, massKg: Double?
    public init(ageYears: Double, sex: Sex, heightCm: Double? = nil, massKg: Double? = nil) {
        self.ageYears = ageYears; self.sex = sex; self.heightCm = heightCm; self.massKg = massKg
    }
}

/// The age- and sex-matched stylised phantom registered to a plan: a translation (the phantom
/// and DICOM patient axes agree for a head-first supine patient: +x left, +y posterior, +z
/// superior). x and y come from the centroid of the BODY/EXTERNAL outline; z from the contoured
/// organs the phantom also has (their centroids, mean offset), or, without any, from the top of
/// the BODY outline matched to the top of the phantom's head.
public struct PhantomPlacement: Sendable {
    public let phantom: VoxelPhantom
    public let age: ReferenceAge
    /// Phantom frame (cm) to patient frame (mm): p_mm = 10 p_cm + offset.
    public let offsetMillimetres: (x: Double, y: Double, z: Double)
    /// How z was found, for reports.
    public let method: String
    /// The phantom's skeleton: active marrow by ICRP 143 site (weights of the red-marrow voxels).
    public let skeleton: SkeletonComposition

    public init(phantom: VoxelPhantom, age: ReferenceAge, offsetMillimetres: (x: Double, y: Double, z: Double), method: String,
                skeleton: SkeletonComposition) {
        self.phantom = phantom; self.age = age; self.offsetMillimetres = offsetMillimetres; self.method = method; self.skeleton = skeleton
    }

    /// The phantom of a child (individual when height and mass are given, as PCXMC does),
    /// voxelised at its default spacing (height / 300).
    public static func phantom(for patient: PatientDescription) -> StylisedPhantom {
        if let h = patient.heightCm, let m = patient.massKg {
            return .individual(ageYears: patient.ageYears, sex: patient.sex, heightCm: h, massKg: m)
        }
        return .reference(age: .nearest(to: patient.ageYears), sex: patient.sex)
    }

    /// Registers the phantom; nil (with the reason) when neither an outline nor landmarks exist.
    public static func register(patient: PatientDescription, body: RTStructure?,
                                landmarks: [(organ: Organ, centroidMillimetres: (x: Double, y: Double, z: Double))]) -> Result<PhantomPlacement, RegistrationFailure> {
        guard let body, !body.contours.isEmpty else {
            return .failure(RegistrationFailure(reason: "no BODY/EXTERNAL structure: the phantom cannot be registered to the patient outline"))
        }
        let stylised = phantom(for: patient)
        let voxels = stylised.voxelise()
        // Area-weighted centroid of the outline.
        var ax = 0.0, ay = 0.0, area = 0.0
        for c in body.contours {
            let p = c.points
            var j = p.count - 1
            for i in 0..<p.count {
                let cross = p[j].x * p[i].y - p[i].x * p[j].y
                area += cross; ax += (p[j].x + p[i].x) * cross; ay += (p[j].y + p[i].y) * cross
                j = i
            }
        }
        guard abs(area) > 0 else { return .failure(RegistrationFailure(reason: "the BODY outline encloses no area")) }
        let cx = ax / (3 * area), cy = ay / (3 * area)
        var dz: [Double] = []
        for l in landmarks {
            if let c = voxels.centroid(of: l.organ) { dz.append(l.centroidMillimetres.z - 10 * c.z) }
        }
        let offsetZ: Double, method: String
        if !dz.isEmpty {
            offsetZ = dz.reduce(0, +) / Double(dz.count)
            method = "z from \(dz.count) contoured organ centroid(s): \(landmarks.map(\.organ.rawValue).joined(separator: ", "))"
        } else {
            let top = body.contours.map(\.z).max() ?? 0
            offsetZ = top - 10 * stylised.dimensions.standingHeight + 10 * stylised.dimensions.legLength
            method = "z from the top of the BODY outline matched to the top of the phantom's head (no contoured landmark organ)"
        }
        return .success(PhantomPlacement(phantom: voxels, age: stylised.age, offsetMillimetres: (cx, cy, offsetZ), method: method,
                                         skeleton: stylised.skeleton))
    }

    /// Voxels of an organ in patient coordinates (mm) with their weights (cm³; red marrow by the
    /// share of active marrow of each skeletal site at the phantom's age, ICRP 143 / ICRP 89 as in
    /// `SkeletonComposition.activeMarrowFraction`). Empty when the phantom has no region for the organ.
    public func voxels(of organ: Organ) -> (x: [Double], y: [Double], z: [Double], weight: [Double], regions: [String]) {
        let ph = phantom
        var labelWeight = [Double](repeating: 0, count: ph.regions.count + 1)
        var names: [String] = []
        var siteVoxels: [SkeletalSite: Int] = [:]
        for r in ph.regions { if case let .bone(s) = r.role { siteVoxels[s, default: 0] += r.voxelCount } }
        let boneVolume = ph.regions.reduce(0.0) { if case .bone = $1.role { $0 + Double($1.voxelCount) * ph.voxelVolume } else { $0 } }
        for (i, r) in ph.regions.enumerated() {
            var w = 0.0
            switch (organ, r.role) {
            case let (o, .organ(ro)) where ro == o: w = ph.voxelVolume
            case let (.redMarrow, .bone(site)):
                let n = siteVoxels[site] ?? 0
                w = n > 0 ? skeleton.activeMarrowFraction[site.rawValue] * boneVolume / Double(n) : 0
            case (.boneSurface, .bone): w = ph.voxelVolume
            case (.skin, .skin): w = ph.voxelVolume
            case (.lymphNodes, .residualTrunk): w = ph.voxelVolume
            case (.muscle, .residualTrunk), (.muscle, .residualOther): w = ph.voxelVolume
            default: break
            }
            if w > 0 { labelWeight[i + 1] = w; names.append(r.name) }
        }
        var xs: [Double] = [], ys: [Double] = [], zs: [Double] = [], ws: [Double] = []
        guard !names.isEmpty else { return ([], [], [], [], []) }
        let h = ph.spacing
        for iz in 0..<ph.nz {
            let z = 10 * (ph.origin.z + (Double(iz) + 0.5) * h) + offsetMillimetres.z
            for iy in 0..<ph.ny {
                let y = 10 * (ph.origin.y + (Double(iy) + 0.5) * h) + offsetMillimetres.y
                var i = ph.index(0, iy, iz)
                for ix in 0..<ph.nx {
                    let w = labelWeight[Int(ph.labels[i])]
                    if w > 0 {
                        xs.append(10 * (ph.origin.x + (Double(ix) + 0.5) * h) + offsetMillimetres.x); ys.append(y); zs.append(z); ws.append(w)
                    }
                    i += 1
                }
            }
        }
        return (xs, ys, zs, ws, names)
    }
}

extension PhantomPlacement {
    /// Bounding box (mm, patient frame) of the voxels of the regions whose role matches.
    public func bounds(where matches: (RegionRole) -> Bool) -> FieldRegion.Box? {
        let ph = phantom
        var wanted = [Bool](repeating: false, count: ph.regions.count + 1)
        for (i, r) in ph.regions.enumerated() where matches(r.role) { wanted[i + 1] = true }
        var lo = SIMD3<Int>(repeating: Int.max), hi = SIMD3<Int>(repeating: -1)
        for iz in 0..<ph.nz { for iy in 0..<ph.ny {
            var i = ph.index(0, iy, iz)
            for ix in 0..<ph.nx {
                if wanted[Int(ph.labels[i])] {
                    lo = SIMD3(min(lo.x, ix), min(lo.y, iy), min(lo.z, iz)); hi = SIMD3(max(hi.x, ix), max(hi.y, iy), max(hi.z, iz))
                }
                i += 1
            }
        } }
        guard hi.x >= 0 else { return nil }
        let h = ph.spacing, o = SIMD3(ph.origin.x, ph.origin.y, ph.origin.z)
        let off = SIMD3(offsetMillimetres.x, offsetMillimetres.y, offsetMillimetres.z)
        let lower = 10 * (o + h * SIMD3(Double(lo.x), Double(lo.y), Double(lo.z))) + off
        let upper = 10 * (o + h * SIMD3(Double(hi.x + 1), Double(hi.y + 1), Double(hi.z + 1))) + off
        return FieldRegion.Box(lower: lower, upper: upper)
    }
}

/// Why the phantom could not be registered (uncontoured organs are then listed, not dosed).
public struct RegistrationFailure: Error, Sendable { public let reason: String }
