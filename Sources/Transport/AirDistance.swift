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
    d.withUnsafeMutableBufferPointer { d in
        before.withUnsafeBufferPointer { off in
            func relax(_ i: Int, _ sign: Int) {
                var best = Int(d[i])
                if best == 0 { return }
                var k = 0
                while k < 13 { best = min(best, Int(d[i + sign * off[k]]) + 1); k += 1 }
                d[i] = UInt8(best)
            }
            var z = 1
            while z <= nz { var y = 1; while y <= ny { var x = 1
                while x <= nx { relax(x + px * (y + py * z), 1); x += 1 }
                y += 1 }; z += 1 }
            z = nz
            while z >= 1 { var y = ny; while y >= 1 { var x = nx
                while x >= 1 { relax(x + px * (y + py * z), -1); x -= 1 }
                y -= 1 }; z -= 1 }
        }
    }
    var out = [UInt8](repeating: 0, count: nx * ny * nz)
    for z in 0..<nz { for y in 0..<ny { for x in 0..<nx {
        out[x + nx * (y + ny * z)] = d[(x + 1) + px * ((y + 1) + py * (z + 1))]
    } } }
    return out
}

/// The voxel grid as the tracking loop reads it: one byte per voxel, the region label for
/// labelled voxels and, for air voxels (label 0) at least two voxels from the body, a code above
/// the labels that carries the free distance, with per-code tables of material, skeletal tally
/// and air skip. An air step then reads one array instead of two, and the separate distance map
/// (as large as the grid) no longer competes with the grid for the cache.
struct TrackingGrid: Sendable {
    let cells: [UInt8]
    /// Per code (256 entries): material index (0 for air and vacuum), skeletal fluence tally
    /// (−1: none), and the straight skip (cm) of an air code (0: none).
    let material: [Int], bone: [Int], skip: [Double]

    /// `labelMaterial` and `labelBone` per label (index 0 = outside); `airDistance` from
    /// `chessboardAirDistance`. Skips longer than the free codes allow (256 − label count voxels)
    /// are shortened, which stays exact (a shorter jump through air is still a jump through air).
    init(labels: [UInt8], labelMaterial: [Int], labelBone: [Int], airDistance: [UInt8], spacing: Double) {
        let nL = labelMaterial.count
        let maxFree = max(0, 256 - nL)
        var material = [Int](repeating: 0, count: 256), bone = [Int](repeating: -1, count: 256)
        var skip = [Double](repeating: 0, count: 256)
        for l in 0..<min(nL, 256) { material[l] = labelMaterial[l]; bone[l] = labelBone[l] }
        if maxFree > 0 { for free in 1...maxFree { skip[nL - 1 + free] = Double(free) * spacing } }
        cells = zip(labels, airDistance).map { label, d in
            guard label == 0, d > 1, maxFree > 0 else { return label }
            return UInt8(nL - 1 + min(Int(d) - 1, maxFree))
        }
        self.material = material; self.bone = bone; self.skip = skip
    }
}
