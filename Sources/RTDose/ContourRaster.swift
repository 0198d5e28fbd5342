import DICOM
import Foundation

/// A lattice of voxel centres aligned with a dose grid (same x/y spacing and phase), extended in
/// x/y and z as far as a structure reaches, so that the parts of an organ outside the grid get
/// voxels too (their dose then comes from an out-of-field model).
public struct VoxelLattice: Sendable {
    public var x0: Double, dx: Double, nx: Int
    public var y0: Double, dy: Double, ny: Int
    /// Plane centres (mm) and thicknesses (mm).
    public var planeZ: [Double], planeThickness: [Double]
    /// For each plane, the dose-grid frame it is, or -1 for a plane outside the grid.
    public var gridFrame: [Int]
    /// Offset of lattice column/row 0 in grid columns/rows (grid column = lattice column - columnShift).
    public var columnShift: Int, rowShift: Int
}

/// Voxels of a structure on one lattice row: columns `c0 ..< c1` of row `row` on plane `plane`.
public struct VoxelRun: Sendable {
    public var plane: Int32, row: Int32, c0: Int32, c1: Int32
}

/// Voxel-centre rasterisation of closed planar contours by scanlines: on each plane, the contours
/// within half a plane thickness are cut by each row's line y = const; a voxel centre is inside
/// when an odd number of crossings lie at or beyond it (the even–odd rule of `DoseVolumeSummary`,
/// holes and several islands included). One pass per row over the edges instead of one polygon
/// test per voxel: the cost grows with rows × edges, not with voxels × edges.
public enum ContourRaster {
    /// The lattice of a structure over a grid: grid frames, plus the structure's own contour
    /// planes beyond the grid's z range (thickness: the structure's plane spacing).
    public static func lattice(for structure: RTStructure, grid: RTDoseGrid) -> VoxelLattice {
        let pts = structure.contours.flatMap(\.points)
        let gx1 = grid.origin[0] + Double(grid.columns - 1) * grid.columnSpacing
        let gy1 = grid.origin[1] + Double(grid.rows - 1) * grid.rowSpacing
        let xmin = min(pts.map(\.x).min() ?? grid.origin[0], grid.origin[0]), xmax = max(pts.map(\.x).max() ?? gx1, gx1)
        let ymin = min(pts.map(\.y).min() ?? grid.origin[1], grid.origin[1]), ymax = max(pts.map(\.y).max() ?? gy1, gy1)
        let cs = Int(((grid.origin[0] - xmin) / grid.columnSpacing).rounded(.up))
        let rs = Int(((grid.origin[1] - ymin) / grid.rowSpacing).rounded(.up))
        let x0 = grid.origin[0] - Double(cs) * grid.columnSpacing, y0 = grid.origin[1] - Double(rs) * grid.rowSpacing
        let nx = Int(((xmax - x0) / grid.columnSpacing).rounded(.down)) + 1
        let ny = Int(((ymax - y0) / grid.rowSpacing).rounded(.down)) + 1
        let frameZ = grid.frameOffsets.map { grid.origin[2] + $0 }
        let step = frameZ.count > 1 ? abs(frameZ[1] - frameZ[0]) : 1
        var z = frameZ, t = [Double](repeating: step, count: frameZ.count), f = Array(frameZ.indices)
        let lo = (frameZ.min() ?? 0) - step / 2, hi = (frameZ.max() ?? 0) + step / 2
        let planes = Array(Set(structure.contours.map(\.z))).sorted()
        let gaps = zip(planes.dropFirst(), planes).map { $0 - $1 }.filter { $0 > 1e-6 }.sorted()
        let own = gaps.isEmpty ? step : gaps[gaps.count / 2]
        for p in planes where p < lo || p > hi { z.append(p); t.append(own); f.append(-1) }
        return VoxelLattice(x0: x0, dx: grid.columnSpacing, nx: nx, y0: y0, dy: grid.rowSpacing, ny: ny,
                            planeZ: z, planeThickness: t, gridFrame: f, columnShift: cs, rowShift: rs)
    }

    /// The runs of voxels whose centres lie inside the structure, planes in parallel.
    public static func runs(of structure: RTStructure, on lattice: VoxelLattice) -> [VoxelRun] {
        // Contours grouped by plane once: each plane's edges as flat arrays.
        let contours = structure.contours
        let n = lattice.planeZ.count
        let perPlane: [[VoxelRun]] = parallelMap(n) { p in
                let z = lattice.planeZ[p], half = lattice.planeThickness[p] / 2
                let polys = contours.filter { abs($0.z - z) <= half }
                guard !polys.isEmpty else { return [] }
                var ex0: [Double] = [], ey0: [Double] = [], ex1: [Double] = [], ey1: [Double] = []
                var ylo = Double.infinity, yhi = -Double.infinity
                for c in polys {
                    var j = c.points.count - 1
                    for i in 0..<c.points.count {
                        ex0.append(c.points[j].x); ey0.append(c.points[j].y); ex1.append(c.points[i].x); ey1.append(c.points[i].y)
                        ylo = min(ylo, c.points[i].y); yhi = max(yhi, c.points[i].y)
                        j = i
                    }
                }
                var result: [VoxelRun] = []
                var xs: [Double] = []
                let r0 = max(0, Int(((ylo - lattice.y0) / lattice.dy).rounded(.up)))
                let r1 = min(lattice.ny - 1, Int(((yhi - lattice.y0) / lattice.dy).rounded(.down)))
                guard r0 <= r1 else { return [] }
                for r in r0...r1 {
                    let y = lattice.y0 + Double(r) * lattice.dy
                    xs.removeAll(keepingCapacity: true)
                    for e in ex0.indices where (ey1[e] > y) != (ey0[e] > y) {
                        xs.append(ex1[e] + (y - ey1[e]) * (ex0[e] - ex1[e]) / (ey0[e] - ey1[e]))
                    }
                    guard xs.count >= 2 else { continue }
                    xs.sort()
                    var k = 0
                    while k + 1 < xs.count {
                        let c0 = max(0, Int(((xs[k] - lattice.x0) / lattice.dx).rounded(.up)))
                        let c1 = min(lattice.nx, Int(((xs[k + 1] - lattice.x0) / lattice.dx).rounded(.up)))
                        if c1 > c0 { result.append(VoxelRun(plane: Int32(p), row: Int32(r), c0: Int32(c0), c1: Int32(c1))) }
                        k += 2
                    }
                }
                return result
        }
        return perPlane.flatMap { $0 }
    }
}
