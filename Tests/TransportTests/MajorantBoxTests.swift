import Foundation
import Testing
import HarmonicCore
import Phantoms
@testable import Transport

/// The two-level Woodcock majorant (`MajorantBox`) and the one-byte tracking grid (`TrackingGrid`).
@Suite("Tracking: majorant box and tracking grid")
struct MajorantBoxTests {
    /// A 2 cm cube of soft tissue (0.1 cm voxels) holding a 1 cm cube of cortical bone in its
    /// middle (voxels 5..<15 on every axis).
    static func blockInSlab() -> VoxelPhantom {
        let n = 20
        var labels = [UInt8](repeating: 1, count: n * n * n)
        for z in 5..<15 { for y in 5..<15 { for x in 5..<15 { labels[x + n * (y + n * z)] = 2 } } }
        return VoxelPhantom(nx: n, ny: n, nz: n, spacing: 0.1, origin: Vec3(-1, -1, -1), labels: labels,
                            regions: [VoxelRegion(name: "tissue", role: .organ(.liver), tissue: .softTissue, density: Tissue.softTissue.nominalDensity),
                                      VoxelRegion(name: "bone", role: .organ(.stomach), tissue: .corticalBone, density: Tissue.corticalBone.nominalDensity)])
    }

    static func config(histories: Int) -> TransportConfiguration {
        TransportConfiguration(phantom: .reference(age: .newborn, sex: .female), beam: .wholeBodyParallel(.pa),
                               spectrum: .monoenergetic(60), histories: histories, seed: 5, batches: 16)
    }

    @Test("the box is the dense block grown by one voxel, and outside it the majorant is the soft tissue's μ")
    func boxAroundDenseBlock() throws {
        let prepared = try TransportSimulation.makeProblem(Self.config(histories: 1), voxels: Self.blockInSlab(), physics: ToyPhysics())
        let box = prepared.problem.majorantBox
        #expect(!box.isEmpty)
        for c in [box.lower.x, box.lower.y, box.lower.z] { #expect(abs(c - 0.4) < 1e-12) }
        for c in [box.upper.x, box.upper.y, box.upper.z] { #expect(abs(c - 1.6) < 1e-12) }
        // ToyPhysics: μ/ρ = 0.2 cm²/g for every tissue, so μ = 0.2 ρ.
        let tables = prepared.problem.tables
        #expect(abs(box.outside[100] - 0.2 * Tissue.softTissue.nominalDensity) < 1e-12)
        #expect(abs(tables.majorant[100] - 0.2 * Tissue.corticalBone.nominalDensity) < 1e-12)
    }

    @Test("with the box, uncollided transmission through tissue and bone equals the area-weighted exp(−Σμx)")
    func transmissionIsExact() throws {
        let histories = 40_000
        let r = try TransportSimulation.run(Self.config(histories: histories), physics: ToyPhysics(), voxels: Self.blockInSlab())
        let muTissue = 0.2 * Tissue.softTissue.nominalDensity, muBone = 0.2 * Tissue.corticalBone.nominalDensity
        // The parallel beam covers the 2 x 2 cm face uniformly; a quarter of it meets 1 cm of bone.
        let expected = 0.25 * exp(-muTissue - muBone) + 0.75 * exp(-2 * muTissue)
        // Binomial σ = √(p(1−p)/n) ≈ 0.0024; 4σ. Treating the bone with the tissue's majorant
        // (capping its μ) would give 0.660, 11σ away.
        let sigma = (expected * (1 - expected) / Double(histories)).squareRoot()
        #expect(abs(r.uncollidedFraction - expected) < 4 * sigma, "\(r.uncollidedFraction) vs \(expected)")
    }

    @Test("a box holding more than half the grid is not used: one global majorant")
    func largeDenseRegionHasNoBox() throws {
        let n = 10
        var labels = [UInt8](repeating: 1, count: n * n * n)
        for i in 0..<(n * n * 6) { labels[i] = 2 }   // bone in the lower 6 of 10 z layers
        let voxels = VoxelPhantom(nx: n, ny: n, nz: n, spacing: 0.2, origin: Vec3(-1, -1, -1), labels: labels,
                                  regions: [VoxelRegion(name: "tissue", role: .organ(.liver), tissue: .softTissue, density: 1.04),
                                            VoxelRegion(name: "bone", role: .organ(.stomach), tissue: .corticalBone, density: 1.92)])
        let problem = try TransportSimulation.makeProblem(Self.config(histories: 1), voxels: voxels, physics: ToyPhysics()).problem
        #expect(problem.majorantBox.isEmpty)
        #expect(problem.majorantBox.outside == problem.tables.majorant)
    }

    @Test("the tracking grid keeps labels and codes air voxels by their free distance: skip (d − 1) voxel edges")
    func trackingGridCodes() {
        // A 1-D row: body at x = 0, then air at chessboard distances 1, 2, 3, 4 from it.
        let labels: [UInt8] = [1, 0, 0, 0, 0]
        let distance: [UInt8] = [0, 1, 2, 3, 4]
        let g = TrackingGrid(labels: labels, labelMaterial: [0, 3], labelBone: [-1, 0], airDistance: distance, spacing: 0.5)
        #expect(g.cells[0] == 1 && g.material[1] == 3 && g.bone[1] == 0 && g.skip[1] == 0)
        #expect(g.cells[1] == 0 && g.skip[0] == 0)   // next to the body: no skip
        for x in 2...4 {
            let code = Int(g.cells[x])
            #expect(code >= 2 && g.material[code] == 0 && g.bone[code] == -1)
            #expect(abs(g.skip[code] - Double(x - 1) * 0.5) < 1e-12, "x = \(x)")
        }
    }

    @Test("the grid's bytes are copied unchanged to a 2 MiB boundary, where Linux may map them on one huge page")
    func gridStorageIsAlignedCopy() {
        let bytes = (0..<5_000).map { UInt8($0 % 251) }
        let storage = HugePageBytes(bytes)
        #expect(Array(storage.buffer) == bytes)
        #expect(Int(bitPattern: storage.buffer.baseAddress) % (1 << 21) == 0)
    }
}
