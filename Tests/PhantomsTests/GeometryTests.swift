import Testing
import HarmonicCore
@testable import Phantoms

@Suite("Quadric solids and voxelisation")
struct GeometryTests {
    @Test("a voxelised ellipsoid's volume approaches the analytic 4/3·π·abc")
    func ellipsoidVolume() {
        let q = Quadric.ellipsoid(centre: Vec3(0, 0, 0), semi: Vec3(3, 2, 5))
        let h = 0.1
        var n = 0
        for ix in -40..<40 { for iy in -30..<30 { for iz in -60..<60 {
            if q.contains(Vec3((Double(ix) + 0.5) * h, (Double(iy) + 0.5) * h, (Double(iz) + 0.5) * h)) { n += 1 }
        } } }
        // 1%: surface voxels at h = 0.1 cm on a 2-5 cm ellipsoid give O(h/a) ≈ 0.3% noise.
        #expect(abs(Double(n) * h * h * h / q.volume - 1) < 0.01)
    }

    @Test("the heart sits left of the midline, anterior to the spine, between the lungs")
    func heartPosition() throws {
        let v = StylisedPhantom.reference(age: .five, sex: .female).voxelise()
        let heart = try #require(v.centroid(of: .heart))
        let lungs = try #require(v.centroid(of: .lungs))
        #expect(heart.x > 0)          // MIRD: +x is the phantom's left
        #expect(heart.y < 0)          // anterior
        #expect(abs(heart.z - lungs.z) < 5)
    }

    @Test("an individual child's phantom scales height and mass as PCXMC does")
    func individualScaling() {
        let ref = StylisedPhantom.reference(age: .five, sex: .male)
        let child = StylisedPhantom.individual(ageYears: 5, sex: .male, heightCm: 120, massKg: 25)
        // Height exact by construction; mass within 5% (the reference fit's tolerance).
        #expect(abs(child.dimensions.standingHeight / ref.dimensions.standingHeight - 120.0 / 109) < 1e-9)
        #expect(abs(child.voxelise().bodyMass / 25_000 - 1) < 0.05)
    }

    @Test("voxel labels form one contiguous array sized nx·ny·nz")
    func contiguous() {
        let v = StylisedPhantom.reference(age: .newborn, sex: .male).voxelise()
        #expect(v.labels.count == v.nx * v.ny * v.nz)
        #expect(v.labels.contains { $0 > 0 })
    }
}
