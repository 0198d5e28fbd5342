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
    var d = [UInt8](repeating: 0, count: labels.count)
    for i in labels.indices where labels[i] == 0 { d[i] = 255 }
    func pass(_ forward: Bool) {
        let s = forward ? -1 : 1
        let zs = forward ? Array(0..<nz) : Array((0..<nz).reversed())
        let ys = forward ? Array(0..<ny) : Array((0..<ny).reversed())
        let xs = forward ? Array(0..<nx) : Array((0..<nx).reversed())
        // the 13 neighbours already visited in this pass's raster order
        var offsets: [(Int, Int, Int)] = []
        for dy in -1...1 { for dx in -1...1 { offsets.append((dx, dy, s)) } }
        for dx in -1...1 { offsets.append((dx, s, 0)) }
        offsets.append((s, 0, 0))
        for z in zs { for y in ys { for x in xs {
            let i = x + nx * (y + ny * z)
            var best = Int(d[i])
            if best == 0 { continue }
            for (ox, oy, oz) in offsets {
                let a = x + ox, b = y + oy, c = z + oz
                guard a >= 0, a < nx, b >= 0, b < ny, c >= 0, c < nz else { continue }
                best = min(best, Int(d[a + nx * (b + ny * c)]) + 1)
            }
            d[i] = UInt8(min(best, 255))
        } } }
    }
    pass(true); pass(false)
    return d
}
