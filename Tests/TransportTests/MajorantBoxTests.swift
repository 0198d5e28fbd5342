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

    @Test("label bounds are each label's first and last voxel index on every axis; an absent label is empty")
    func labelBoundsOfSmallGrid() {
        // 4 × 3 × 2 grid: label 1 at (1, 0, 0) and (2, 2, 1), label 2 at (3, 1, 0), label 3 absent.
        let (nx, ny, nz) = (4, 3, 2)
        var labels = [UInt8](repeating: 0, count: nx * ny * nz)
        labels[1 + nx * (0 + ny * 0)] = 1
        labels[2 + nx * (2 + ny * 1)] = 1
        labels[3 + nx * (1 + ny * 0)] = 2
        let b = LabelBounds(labels: labels, labelCount: 4, nx: nx, ny: ny, nz: nz)
        #expect(b.isPresent(1) && b.isPresent(2) && !b.isPresent(3))
        #expect(b.box(1).lower == (1, 0, 0) && b.box(1).upper == (2, 2, 1))
        #expect(b.box(2).lower == (3, 1, 0) && b.box(2).upper == (3, 1, 0))
        #expect(b.box(0).lower == (0, 0, 0) && b.box(0).upper == (3, 2, 1))
    }

    @Test("the box found from the label bounds is the one a scan of every voxel finds, in a 5-year-old's grid")
    func boxFromBoundsEqualsVoxelScan() throws {
        let phantom = StylisedPhantom.reference(age: .five, sex: .female)
        let voxels = phantom.voxelise()
        let config = TransportConfiguration(phantom: phantom, beam: .wholeBodyParallel(.ap), spectrum: .monoenergetic(50), histories: 1)
        let problem = try TransportSimulation.makeProblem(config, voxels: voxels, physics: XRayPhysicsModel.shared.adapted(to: phantom)).problem
        let box = problem.majorantBox
        #expect(!box.isEmpty)
        // The reference: every voxel's material, scanned (what `MajorantBox` did until session 26).
        let (nx, ny, nz, h) = (voxels.nx, voxels.ny, voxels.nz, voxels.spacing)
        let nE = problem.tables.count, nM = problem.tables.materialCount, mu = problem.tables.muTotal
        let material = voxels.labels.map { problem.labelMaterial[Int($0)] }
        let present = Set(material)
        var wins = [Int](repeating: 0, count: nM)
        for i in 0..<nE {
            var best = 0
            for m in 1..<nM where present.contains(m) && mu[m * nE + i] > mu[best * nE + i] { best = m }
            wins[best] += 1
        }
        let dense = (1..<nM).max { wins[$0] < wins[$1] }!
        var denseLo = (nx, ny, nz), denseHi = (-1, -1, -1)
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx where material[x + nx * (y + ny * z)] == dense {
            denseLo = (min(denseLo.0, x), min(denseLo.1, y), min(denseLo.2, z)); denseHi = (max(denseHi.0, x), max(denseHi.1, y), max(denseHi.2, z))
        } } }
        let lo = (max(denseLo.0 - 1, 0), max(denseLo.1 - 1, 0), max(denseLo.2 - 1, 0))
        let hi = (min(denseHi.0 + 1, nx - 1), min(denseHi.1 + 1, ny - 1), min(denseHi.2 + 1, nz - 1))
        #expect(abs(box.lower.x - Double(lo.0) * h) < 1e-9 && abs(box.lower.y - Double(lo.1) * h) < 1e-9 && abs(box.lower.z - Double(lo.2) * h) < 1e-9)
        #expect(abs(box.upper.x - Double(hi.0 + 1) * h) < 1e-9 && abs(box.upper.y - Double(hi.1 + 1) * h) < 1e-9
                && abs(box.upper.z - Double(hi.2 + 1) * h) < 1e-9)
        var outsidePresent = [Bool](repeating: false, count: nM)
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx
            where !(x >= lo.0 && x <= hi.0 && y >= lo.1 && y <= hi.1 && z >= lo.2 && z <= hi.2) {
            outsidePresent[material[x + nx * (y + ny * z)]] = true
        } } }
        let scanned = (0..<nE).map { i in (1..<nM).filter { outsidePresent[$0] }.map { mu[$0 * nE + i] }.max() ?? 0 }
        #expect(box.outside == scanned)
    }

    @Test("the tracking grid keeps labels and codes air voxels by their free distance: skip (d − 1) voxel edges")
    func trackingGridCodes() {
        // A 1-D row: body at x = 0, then air at chessboard distances 1, 2, 3, 4 from it.
        let labels: [UInt8] = [1, 0, 0, 0, 0]
        let distance: [UInt8] = [0, 1, 2, 3, 4]
        let g = TrackingGrid(labels: labels, nx: 5, ny: 1, nz: 1, labelMaterial: [0, 3], labelBone: [-1, 0], airDistance: distance, spacing: 0.5)
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
