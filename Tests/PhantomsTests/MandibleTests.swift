import Testing
import HarmonicCore
@testable import Phantoms

/// The mandible as a bone of its own (`Mandible`): the body of the jaw at the head's base, sized to
/// its ICRP 143 volume. Before, it was the antero-inferior part of the skull's ellipsoid, 5.4-9
/// template-cm above the head's base, with 1.4-1.7 times the ICRP 143 volume from 5 y.
@Suite("Mandible: the jaw at the head's base, at its ICRP 143 volume")
struct MandibleTests {
    /// The mandible's voxels in a reference phantom: volume (cm³) and z range (cm), with the head's
    /// base and height.
    static func measure(_ age: ReferenceAge, _ sex: Sex) -> (volume: Double, zLow: Double, zHigh: Double, base: Double, height: Double, spacing: Double) {
        let p = StylisedPhantom.reference(age: age, sex: sex)
        let v = p.voxelise()
        let labels = Set(v.regions.indices.filter { v.regions[$0].role == .bone(SkeletalSite.mandible) }.map { UInt8($0 + 1) })
        var n = 0, zLow = Double.infinity, zHigh = -Double.infinity
        for iz in 0..<v.nz { for iy in 0..<v.ny { for ix in 0..<v.nx where labels.contains(v.labels[v.index(ix, iy, iz)]) {
            n += 1
            let z = v.origin.z + (Double(iz) + 0.5) * v.spacing
            zLow = min(zLow, z); zHigh = max(zHigh, z)
        } } }
        let d = p.dimensions
        return (Double(n) * v.voxelVolume, zLow, zHigh, d.trunkHeight + d.neckHeight, d.headHeight, v.spacing)
    }

    @Test("the mandible's bone holds its ICRP 143 volume (cortex and spongiosa) within 15% at every reference age",
          arguments: [ReferenceAge.newborn, .one, .five, .ten, .fifteen, .adult])
    func volumeMatchesICRP143(age: ReferenceAge) {
        for sex in Sex.allCases {
            let m = Self.measure(age, sex)
            let v = ThoracicSkeleton.siteVolume(.mandible, ageYears: Double(age.rawValue), sex: sex)
            let reference = v.cortex + v.spongiosa
            // 15%: a band one to a few voxels thick, voxelised at height/300.
            #expect(abs(m.volume / reference - 1) < 0.15, "\(age.label) \(sex): \(m.volume) cm³ against \(reference)")
        }
    }

    @Test("the body of the mandible spans the lowest fifth of the head, from its base (the menton) up: 4.8 of 23.2 cm in the ICRP 110 adult male",
          arguments: [ReferenceAge.newborn, .five, .fifteen, .adult])
    func atTheHeadsBase(age: ReferenceAge) {
        let m = Self.measure(age, .male)
        // Voxel centres lie within one voxel of the solid's faces.
        #expect(abs(m.zLow - m.base) <= m.spacing, "\(age.label): lowest mandible voxel \(m.zLow - m.base) cm above the head's base")
        let top = (m.zHigh - m.base) / m.height
        #expect(abs(top - 4.8 / 23.2) <= m.spacing / m.height + 0.01, "\(age.label): top at \(top) of the head's height")
    }

    @Test("the skull's ellipsoid is craniofacial only; the mandible's marrow lies in the mandible's own solid")
    func siteMapping() {
        #expect(BoneGeometry.skull.sites == [.craniofacial])
        #expect(BoneGeometry.mandible.sites == [.mandible])
        #expect(SkeletalSite.mandible.geometry == .mandible)
        #expect(StylisedPhantom.volumeSizedSites.contains(.mandible))
    }
}
