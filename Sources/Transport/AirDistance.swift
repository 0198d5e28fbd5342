import Foundation
import Phantoms

/// Per voxel, the Chebyshev (chessboard) distance in voxels to the nearest voxel of the body
/// (label ≠ 0): 0 inside the body, capped at 255. Outside the grid counts as air.
///
/// A photon at a tentative collision in an air voxel with distance d ≥ 2 lies at least (d − 1)
/// voxel edges from any tissue, so the tracker moves it that far straight on without sampling:
/// no real collision can happen in air, and the Woodcock flight restarts from the new point
/// (memoryless), so the skip is exact. Two-pass chamfer transform with unit weights over the
/// 26-neighbourhood, which is exact for the chessboard metric (Rosenfeld & Pfaltz, J. ACM 13
/// (1966) 471; Borgefors, CVGIP 34 (1986) 344).
func chessboardAirDistance(labels: [UInt8], nx: Int, ny: Int, nz: Int) -> [UInt8] {
    // Work on a copy padded by one voxel of "no body" on every side, so that the 13 neighbours
    // of every interior voxel exist (no bounds tests in the inner loop).
    let px = nx + 2, py = ny + 2, pz = nz + 2
    var d = [UInt8](repeating: 255, count: px * py * pz)
    for z in 0..<nz { for y in 0..<ny { for x in 0..<nx where labels[x + nx * (y + ny * z)] != 0 {
        d[(x + 1) + px * ((y + 1) + py * (z + 1))] = 0
    } } }
    // Linear offsets of the 13 neighbours visited before a voxel in forward raster order.
    var before: [Int] = []
    for dy in -1...1 { for dx in -1...1 { before.append(dx + px * (dy - py)) } }
    for dx in -1...1 { before.append(dx - px) }
    before.append(-1)
    // Row by row: first the minimum over the 12 neighbours in rows already final (a loop over
    // x that vectorises), then a scan along x for the 13th, the previous voxel of the row. The
    // same minima as relaxing voxel by voxel, so the same map.
    let row = UnsafeMutablePointer<UInt8>.allocate(capacity: nx)
    defer { row.deallocate() }
    d.withUnsafeMutableBufferPointer { buffer in
        let d = buffer.baseAddress!
        for forward in [true, false] {
            let sign = forward ? 1 : -1
            for zi in 1...nz { for yi in 1...ny {
                let z = forward ? zi : nz + 1 - zi, y = forward ? yi : ny + 1 - yi
                let start = d + (1 + px * (y + py * z))
                row.update(repeating: 255, count: nx)
                for k in 0..<12 {
                    let q = UnsafePointer(start + sign * before[k])
                    var x = 0
                    while x < nx { row[x] = min(row[x], q[x]); x += 1 }
                }
                if forward {
                    var previous = start[-1], x = 0
                    while x < nx {
                        previous = min(start[x], plusOne(row[x]), plusOne(previous)); start[x] = previous; x += 1
                    }
                } else {
                    var previous = start[nx], x = nx - 1
                    while x >= 0 {
                        previous = min(start[x], plusOne(row[x]), plusOne(previous)); start[x] = previous; x -= 1
                    }
                }
            } }
        }
    }
    var out = [UInt8](repeating: 0, count: nx * ny * nz)
    for z in 0..<nz { for y in 0..<ny { for x in 0..<nx {
        out[x + nx * (y + ny * z)] = d[(x + 1) + px * ((y + 1) + py * (z + 1))]
    } } }
    return out
}

/// d + 1, saturating at 255 (the map's cap).
@inline(__always) private func plusOne(_ d: UInt8) -> UInt8 { d == 255 ? 255 : d + 1 }

/// The voxel grid as the tracking loop reads it: one byte per voxel, the region label for
/// labelled voxels and, for air voxels (label 0) at least two voxels from the body, a code above
/// the labels that carries the free distance, with per-code tables of material, skeletal tally
/// and air skip. An air step then reads one array instead of two, and the separate distance map
/// (as large as the grid) no longer competes with the grid for the cache.
struct TrackingGrid: Sendable {
    /// The codes, one byte per voxel (x fastest), on huge pages where the system allows.
    let storage: HugePageBytes
    var cells: UnsafeBufferPointer<UInt8> { storage.buffer }
    /// Per code (256 entries): material index (0 for air and vacuum), skeletal fluence tally
    /// (−1: none), and the straight skip (cm) of an air code (0: none).
    let material: [Int], bone: [Int], skip: [Double]
    /// Each label's bounding box in the grid, for the `MajorantBox` of every run on this grid.
    let labelBounds: LabelBounds

    /// `labelMaterial` and `labelBone` per label (index 0 = outside); `airDistance` from
    /// `chessboardAirDistance`. Skips longer than the free codes allow (256 − label count voxels)
    /// are shortened, which stays exact (a shorter jump through air is still a jump through air).
    init(labels: [UInt8], nx: Int, ny: Int, nz: Int, labelMaterial: [Int], labelBone: [Int], airDistance: [UInt8], spacing: Double) {
        let nL = labelMaterial.count
        labelBounds = LabelBounds(labels: labels, labelCount: nL, nx: nx, ny: ny, nz: nz)
        let maxFree = max(0, 256 - nL)
        var material = [Int](repeating: 0, count: 256), bone = [Int](repeating: -1, count: 256)
        var skip = [Double](repeating: 0, count: 256)
        for l in 0..<min(nL, 256) { material[l] = labelMaterial[l]; bone[l] = labelBone[l] }
        if maxFree > 0 { for free in 1...maxFree { skip[nL - 1 + free] = Double(free) * spacing } }
        var cells = labels
        if maxFree > 0 {
            cells.withUnsafeMutableBufferPointer { c in airDistance.withUnsafeBufferPointer { d in
                for i in c.indices where c[i] == 0 && d[i] > 1 { c[i] = UInt8(nL - 1 + min(Int(d[i]) - 1, maxFree)) }
            } }
        }
        storage = HugePageBytes(cells)
        self.material = material; self.bone = bone; self.skip = skip
    }
}

/// The voxel-index bounding box of each label of a grid: what `MajorantBox` needs of the
/// geometry, found in one pass when the grid is built and kept with it (`TrackingGrid`).
/// Scanning the grid twice for the box in every run had taken 9% of a cardiac-library build.
struct LabelBounds: Sendable, Equatable {
    /// [6 · label + k]: the first x, y, z index (k = 0, 1, 2) and the last (k = 3, 4, 5) of the
    /// label's voxels; first > last when the label has none.
    let bounds: [Int]

    init(labels: [UInt8], labelCount: Int, nx: Int, ny: Int, nz: Int) {
        precondition(labels.count == nx * ny * nz, "the labels are not an nx × ny × nz grid")
        let n = max(labelCount, Int(labels.max() ?? 0) + 1)
        var b = [Int](repeating: 0, count: 6 * n)
        for l in 0..<n { b[6 * l] = nx; b[6 * l + 1] = ny; b[6 * l + 2] = nz; b[6 * l + 3] = -1; b[6 * l + 4] = -1; b[6 * l + 5] = -1 }
        labels.withUnsafeBufferPointer { v in
            var i = 0
            for z in 0..<nz { for y in 0..<ny { for x in 0..<nx {
                let k = 6 * Int(v[i]); i += 1
                if x < b[k] { b[k] = x }
                if x > b[k + 3] { b[k + 3] = x }
                if y < b[k + 1] { b[k + 1] = y }
                if y > b[k + 4] { b[k + 4] = y }
                if z < b[k + 2] { b[k + 2] = z }
                if z > b[k + 5] { b[k + 5] = z }
            } } }
        }
        bounds = b
    }

    /// Whether the label has voxels.
    func isPresent(_ label: Int) -> Bool { 6 * label < bounds.count && bounds[6 * label] <= bounds[6 * label + 3] }

    /// First and last voxel indices of the label (meaningful when it is present).
    func box(_ label: Int) -> (lower: (Int, Int, Int), upper: (Int, Int, Int)) {
        let k = 6 * label
        return ((bounds[k], bounds[k + 1], bounds[k + 2]), (bounds[k + 3], bounds[k + 4], bounds[k + 5]))
    }
}

/// Tracking grids kept across runs on the same voxel phantom (`VoxelPhantom.identity`): the air
/// distance map and the coded grid depend on the labels and the label → material and skeletal
/// tally maps alone, not on the beam or the energy, and took about 8 ms of every run's setup,
/// a third of a cardiac-library run of 40,000 histories. The few most recent grids are kept
/// (each holds its phantom's identity, so an identity is never reused while its entry lives).
final class TrackingGridCache: Sendable {
    static let shared = TrackingGridCache()
    static let capacity = 4
    /// A phantom's identity and the two maps; the key holds the identity, so it is not reused
    /// while the entry lives.
    private struct Key: Equatable {
        let identity: VoxelPhantom.Identity, labelMaterial: [Int], labelBone: [Int]
        static func == (a: Key, b: Key) -> Bool {
            a.identity === b.identity && a.labelMaterial == b.labelMaterial && a.labelBone == b.labelBone
        }
    }
    private let grids = RecentlyUsedCache<Key, TrackingGrid>(capacity: capacity)

    /// The grid of `voxels` with these maps, built (outside the lock) if it is not kept.
    func grid(for voxels: VoxelPhantom, labelMaterial: [Int], labelBone: [Int]) -> TrackingGrid {
        grids.value(for: Key(identity: voxels.identity, labelMaterial: labelMaterial, labelBone: labelBone)) {
            TrackingGrid(labels: voxels.labels, nx: voxels.nx, ny: voxels.ny, nz: voxels.nz, labelMaterial: labelMaterial, labelBone: labelBone,
                         airDistance: chessboardAirDistance(labels: voxels.labels, nx: voxels.nx, ny: voxels.ny, nz: voxels.nz),
                         spacing: voxels.spacing)
        }
    }
}
