import Foundation
import Testing
import HarmonicCore
@testable import Phantoms

/// The trunk's section and the arms beside it (session 24, `AdultTemplate.trunkOutline`,
/// `AdultTemplate.armA`): MIRD-5's 20-cm ellipse held the arms and thinned from the midline; the
/// ICRP 110 adults' trunk is fuller at the sides and their arms hang outside it
/// (docs/trunk-remodel.md, sections 1-2).
@Suite("Trunk and arms: the trunk's fuller section and the arms beside it, at every age")
struct TrunkAndArmsTests {
    /// The body's antero-posterior thickness (cm) along the line (x, z) of a voxelised phantom.
    static func depth(_ v: VoxelPhantom, x: Double, z: Double) -> Double {
        var inside = 0
        var y = v.origin.y
        let step = v.spacing / 4, end = v.origin.y + Double(v.ny) * v.spacing
        while y < end {
            if v.label(at: Vec3(x, y, z)) != 0 { inside += 1 }
            y += step
        }
        return Double(inside) * step
    }

    @Test("the superelliptic outline is MIRD's ellipse at n = 2 and its Lamé area at n = 3 (a quasi-random count of the section)")
    func superellipseAreaAndMembership() {
        let ellipse = Quadric.superellipticCylinderZ(cx: 0, cy: 0, a: 16, b: 10, n: 2, zMin: 0, zMax: 1)
        #expect(abs(ellipse.volume - .pi * 160) < 1e-9)
        let cube = Quadric.superellipticCylinderZ(cx: 0, cy: 0, a: 16, b: 10, n: 3, zMin: 0, zMax: 1)
        // 4ab Γ(4/3)² / Γ(5/3) = 3.5332 ab for n = 3.
        #expect(abs(cube.volume / 160 - 3.5332) < 1e-3)
        var inside = 0
        let n = 400
        for i in 0..<n { for j in 0..<n {
            let p = Vec3(-16 + 32 * (Double(i) + 0.5) / Double(n), -10 + 20 * (Double(j) + 0.5) / Double(n), 0.5)
            if cube.contains(p) { inside += 1 }
        } }
        let counted = Double(inside) / Double(n * n) * 640
        #expect(abs(counted / cube.volume - 1) < 0.002, "counted \(counted) cm², analytic \(cube.volume)")
    }

    @Test("a point maps to the arms' frame and back unchanged, on both sides, at every age", arguments: ReferenceAge.allCases)
    func armsFrameRoundTrip(age: ReferenceAge) {
        let d = StylisedPhantom.reference(age: age, sex: .female).dimensions
        for p in [Vec3(7.3, -1.2, 20), Vec3(-9.1, 2.5, 3), Vec3(3, 0, 0)] {
            let back = d.fromTemplate(d.toTemplate(p, .arms), .arms)
            #expect((back - p).length < 1e-9, "\(age.label): \(p) → \(back)")
        }
    }

    @Test("the arms stay as round as the template's at every age (their section scales with the trunk's area, not its axes)",
          arguments: ReferenceAge.allCases)
    func armsKeepTheirProportion(age: ReferenceAge) {
        let d = StylisedPhantom.reference(age: age, sex: .male).dimensions
        let centre = d.fromTemplate(Vec3(AdultTemplate.armCentreX, 0, 35), .arms)
        let outer = d.fromTemplate(Vec3(AdultTemplate.armCentreX + AdultTemplate.armA, 0, 35), .arms)
        let back = d.fromTemplate(Vec3(AdultTemplate.armCentreX, AdultTemplate.armB, 35), .arms)
        let ratio = (back.y - centre.y) / (outer.x - centre.x)
        #expect(abs(ratio - AdultTemplate.armB / AdultTemplate.armA) < 1e-9)
        // The arm touches the trunk's side: its inner edge maps onto the outline's.
        let inner = d.fromTemplate(Vec3(AdultTemplate.armCentreX - AdultTemplate.armA, 0, 35), .arms)
        let side = d.fromTemplate(Vec3(AdultTemplate.trunkOutlineA, 0, 35), .trunk)
        #expect(abs(inner.x - side.x) < 1e-9)
    }

    @Test("the arm bones lie in the arms, outside the trunk's outline, at every age", arguments: ReferenceAge.allCases)
    func armBonesOutsideTheTrunk(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .female)
        let v = p.voxelise()
        let d = p.dimensions
        let armSites: Set<SkeletalSite> = [.humeriUpper, .humeriLower, .radii, .ulnae, .wristsAndHands]
        var armVoxels = 0, insideTrunk = 0
        for iz in 0..<v.nz { for iy in 0..<v.ny { for ix in 0..<v.nx {
            let l = Int(v.labels[v.index(ix, iy, iz)])
            guard l > 0, case let .bone(site) = v.regions[l - 1].role, armSites.contains(site) else { continue }
            armVoxels += 1
            let q = v.origin + Vec3((Double(ix) + 0.5) * v.spacing, (Double(iy) + 0.5) * v.spacing, (Double(iz) + 0.5) * v.spacing)
            if AdultTemplate.trunkOutline(contains: d.toTemplate(q, .trunk)) { insideTrunk += 1 }
        } } }
        #expect(armVoxels > 0)
        #expect(insideTrunk == 0, "\(age.label): \(insideTrunk) of \(armVoxels) arm-bone voxels inside the trunk")
    }

    @Test("the arms' soft tissue is not counted as the trunk's residual tissue (the lymph-node proxy)")
    func armsAreNotTrunkResidual() throws {
        let p = StylisedPhantom.reference(age: .ten, sex: .male)
        let v = p.voxelise()
        let d = p.dimensions
        // Mid-trunk height, between the arm bone (1.4 cm half-width, at most 1.17 × that) and the skin.
        let q = d.fromTemplate(Vec3(AdultTemplate.armCentreX + 0.6 * AdultTemplate.armA, 0, 35), .arms)
        let l = Int(v.label(at: q))
        try #require(l > 0)
        #expect(v.regions[l - 1].role == .residualOther)
        // The trunk's own soft tissue: the anterior abdominal wall, on a line from the front skin
        // towards the centre (where exactly the organs begin depends on the age's fitted sizes).
        let wall = stride(from: -9.8, through: 0, by: 0.2).contains { y in
            let l = Int(v.label(at: d.fromTemplate(Vec3(0, y, 20), .trunk)))
            return l > 0 && v.regions[l - 1].role == .residualTrunk
        }
        #expect(wall)
    }

    @Test("the trunk is as deep at 0.8 of its half-width as the ICRP 110 adults' (0.80-0.87 of the midline depth; MIRD-5's ellipse 0.60)",
          arguments: [ReferenceAge.five, .adult])
    func trunkDepthProfile(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let v = p.voxelise()
        let d = p.dimensions
        // Below the breasts and above the pelvis: template z 30 cm.
        let z = 30 * d.trunkHeight / AdultTemplate.trunkHeight
        let halfWidth = AdultTemplate.trunkOutlineA * d.trunkA / AdultTemplate.trunkA
        let midline = Self.depth(v, x: 0, z: z)
        let ratio = Self.depth(v, x: 0.8 * halfWidth, z: z) / midline
        #expect(ratio > 0.74 && ratio < 0.87, "\(age.label): \(ratio)")
    }

    @Test("the adult male is 40-52 cm wide with his arms and his trunk 28-36 cm (ICRP 110 AM: about 50 cm, and 34-35 cm at the chest)")
    func adultWidths() {
        let d = StylisedPhantom.reference(age: .adult, sex: .male).dimensions
        let armOuter = d.fromTemplate(Vec3(AdultTemplate.armCentreX + AdultTemplate.armA, 0, 50), .arms).x
        let trunk = d.fromTemplate(Vec3(AdultTemplate.trunkOutlineA, 0, 50), .trunk).x
        #expect(2 * armOuter > 40 && 2 * armOuter < 52, "width with the arms \(2 * armOuter) cm")
        #expect(2 * trunk > 28 && 2 * trunk < 36, "trunk width \(2 * trunk) cm")
    }
}
