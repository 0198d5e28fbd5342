import Testing
import HarmonicCore
@testable import Phantoms

/// The os coxae of the stylised family against pelvic anatomy (`PelvicSkeleton`; sources there):
/// a pubis in front of the bladder, iliac wings reaching the anterior pelvic plane, the adult
/// breadths scaled with the trunk, all inside the trunk.
@Suite("Pelvic anatomy: os coxae with iliac wings, acetabula and pubis by age")
struct PelvicAnatomyTests {
    static let ages: [ReferenceAge] = ReferenceAge.allCases
    static let osCoxae = RegionRole.bone(SkeletalSite.osCoxae)

    /// Centres of the voxels of a role.
    static func voxels(_ v: VoxelPhantom, _ role: RegionRole) -> [Vec3] {
        let labels = Set(v.regions.indices.filter { v.regions[$0].role == role }.map { UInt8($0 + 1) })
        var out: [Vec3] = []
        for iz in 0..<v.nz { for iy in 0..<v.ny { for ix in 0..<v.nx where labels.contains(v.labels[v.index(ix, iy, iz)]) {
            out.append(Vec3(v.origin.x + (Double(ix) + 0.5) * v.spacing, v.origin.y + (Double(iy) + 0.5) * v.spacing,
                            v.origin.z + (Double(iz) + 0.5) * v.spacing))
        } } }
        return out
    }

    @Test("the pubic symphysis lies on the anterior midline in front of the bladder and under the anterior skin, at every age and sex",
          arguments: ages)
    func symphysisInFrontOfBladder(age: ReferenceAge) throws {
        for sex in Sex.allCases {
            let p = StylisedPhantom.reference(age: age, sex: sex)
            let v = p.voxelise()
            let midline = Self.voxels(v, Self.osCoxae).filter { abs($0.x) < v.spacing }
            let symphysisFront = try #require(midline.map(\.y).min(), "\(age.label) \(sex): no os coxae on the midline")
            let bladderFront = try #require(Self.voxels(v, .organ(.bladder)).map(\.y).min())
            #expect(symphysisFront < bladderFront, "\(age.label) \(sex): symphysis front y \(symphysisFront), bladder front \(bladderFront)")
            // Soft tissue over the pubis: at least one voxel (the skin), at most a quarter of the trunk depth.
            let skinToPubis = symphysisFront + p.dimensions.trunkB
            #expect(skinToPubis > v.spacing && skinToPubis < 0.5 * p.dimensions.trunkB,
                    "\(age.label) \(sex): \(skinToPubis) cm of tissue over the pubis, trunk half-depth \(p.dimensions.trunkB) cm")
        }
    }

    @Test("the iliac wings reach forward to the anterior pelvic plane of the pubis, at the inter-ASIS breadth (22.7 cm adult) scaled with the trunk",
          arguments: ages)
    func wingsReachAnteriorPlane(age: ReferenceAge) throws {
        let p = StylisedPhantom.reference(age: age, sex: .female)
        let v = p.voxelise()
        let d = p.dimensions
        let bone = Self.voxels(v, Self.osCoxae)
        let pubisFront = try #require(bone.filter { abs($0.x) < v.spacing }.map(\.y).min())
        // The ASIS: the most anterior voxel of the wings (above the acetabular roof).
        let roof = PelvicSkeleton.acetabularRoofZ * d.trunkHeight / AdultTemplate.trunkHeight
        let wings = bone.filter { $0.z > roof + v.spacing }
        let asis = try #require(wings.min { $0.y < $1.y })
        // The ASIS and the pubic tubercles lie in one vertical frontal plane in standing posture; the
        // stylised trunk's elliptic section keeps the ASIS 1 cm (template) under its skin, which lies
        // 1.3 cm (template) behind that plane at the ASIS: within 1.6 cm (template) plus a voxel of it,
        // and in front of the acetabular centres by more than half their depth behind the pubis.
        let tolerance = 1.6 * d.trunkB / AdultTemplate.trunkB + v.spacing
        #expect(asis.y - pubisFront < tolerance, "\(age.label): ASIS y \(asis.y), pubis front \(pubisFront)")
        let layout = ThoracicSkeleton.layout(trunkB: d.trunkB, ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, .female))
        let acetabulumY = layout.vertebralBodyFront * d.trunkB / AdultTemplate.trunkB
        #expect(asis.y < pubisFront + 0.5 * (acetabulumY - pubisFront), "\(age.label): ASIS y \(asis.y), acetabula y \(acetabulumY)")
        let expectedHalfASIS = PelvicSkeleton.interASIS / 2 * d.trunkA / AdultTemplate.trunkA
        #expect(abs(abs(asis.x) - expectedHalfASIS) < 0.1 * expectedHalfASIS + v.spacing,
                "\(age.label): ASIS at |x| \(abs(asis.x)) cm, expected \(expectedHalfASIS) cm")
    }

    @Test("the iliac crest is the top of the os coxae, below the rib cage, and the bi-iliac breadth is 28 cm (adult) scaled with the trunk",
          arguments: ages)
    func crestHeightAndBreadth(age: ReferenceAge) throws {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let v = p.voxelise()
        let d = p.dimensions
        let bone = Self.voxels(v, Self.osCoxae)
        let top = try #require(bone.map(\.z).max())
        let crest = PelvicSkeleton.iliacCrestZ * d.trunkHeight / AdultTemplate.trunkHeight
        #expect(abs(top - crest) < v.spacing, "\(age.label): top of os coxae z \(top) cm, crest \(crest) cm")
        let lowestRib = try #require(Self.voxels(v, .bone(.ribs)).map(\.z).min())
        #expect(top < lowestRib, "\(age.label): crest \(top) cm not below the rib cage (\(lowestRib) cm)")
        let breadth = try #require(bone.map(\.x).max()) - (bone.map(\.x).min() ?? 0)
        let expected = PelvicSkeleton.biIliacBreadth * d.trunkA / AdultTemplate.trunkA
        // The wings' thickness grows with the fitted bone size factor (1.0-1.2): up to 10% wider.
        #expect(breadth > expected - 2 * v.spacing && breadth < 1.1 * expected + 2 * v.spacing,
                "\(age.label): bi-iliac breadth \(breadth) cm, expected \(expected) cm")
    }

    @Test("the os coxae lie on both sides of the trunk's frontal plane (MIRD-5's pelvis lay only behind it) and never touch the outside",
          arguments: ages)
    func anteriorAndInside(age: ReferenceAge) {
        for sex in Sex.allCases {
            let v = StylisedPhantom.reference(age: age, sex: sex).voxelise()
            let labels = Set(v.regions.indices.filter { v.regions[$0].role == Self.osCoxae }.map { UInt8($0 + 1) })
            var n = 0, anterior = 0, touching = 0
            for iz in 1..<(v.nz - 1) { for iy in 1..<(v.ny - 1) { for ix in 1..<(v.nx - 1) {
                let i = v.index(ix, iy, iz)
                guard labels.contains(v.labels[i]) else { continue }
                n += 1
                if v.origin.y + (Double(iy) + 0.5) * v.spacing < 0 { anterior += 1 }
                if [i - 1, i + 1, i - v.nx, i + v.nx, i - v.nx * v.ny, i + v.nx * v.ny].contains(where: { v.labels[$0] == 0 }) { touching += 1 }
            } } }
            #expect(n > 0)
            #expect(Double(anterior) > 0.25 * Double(n), "\(age.label) \(sex): \(anterior) of \(n) os coxae voxels anterior of the frontal plane")
            #expect(touching == 0, "\(age.label) \(sex): \(touching) os coxae voxels touch the outside")
        }
    }
}
