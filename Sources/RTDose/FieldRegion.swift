import DICOM
import Foundation

/// The treated region of a plan: boxes around the composite 50% isodose (of the prescribed
/// dose), the usual definition of the field edge for out-of-field dose (AAPM TG-158 section 2:
/// distances are measured from the 50% isodose); one box per connected part of the isodose and
/// slab of it (`IsodoseBoxes`), so a craniospinal plan has a brain box and a spine box.
/// Distances from it are Euclidean distances to the nearest box, zero inside.
public struct FieldRegion: Sendable, Equatable {
    /// An axis-aligned box, corners in mm (patient coordinates).
    public struct Box: Sendable, Equatable {
        public var lower: SIMD3<Double>, upper: SIMD3<Double>
        public init(lower: SIMD3<Double>, upper: SIMD3<Double>) { self.lower = lower; self.upper = upper }
        public var volumeCm3: Double { let e = upper - lower; return e.x * e.y * e.z / 1000 }
    }
    /// The treated boxes: one for a plan's 50% isodose; several for a site-typical geometry
    /// (craniospinal: brain and spine). Distances are to the nearest box.
    public var boxes: [Box]
    /// Volume receiving at least 95% of the prescribed dose, cm³ (the target, for proton yields).
    public var highDoseVolumeCm3: Double

    /// Corners of the box around all the boxes.
    public var lower: SIMD3<Double> { boxes.dropFirst().reduce(boxes[0].lower) { pointwiseMin($0, $1.lower) } }
    public var upper: SIMD3<Double> { boxes.dropFirst().reduce(boxes[0].upper) { pointwiseMax($0, $1.upper) } }

    public init(lower: (Double, Double, Double), upper: (Double, Double, Double), highDoseVolumeCm3: Double) {
        boxes = [Box(lower: SIMD3(lower.0, lower.1, lower.2), upper: SIMD3(upper.0, upper.1, upper.2))]
        self.highDoseVolumeCm3 = highDoseVolumeCm3
    }

    public init(boxes: [Box], highDoseVolumeCm3: Double) {
        precondition(!boxes.isEmpty)
        self.boxes = boxes; self.highDoseVolumeCm3 = highDoseVolumeCm3
    }

    /// The field edge of a grid: boxes around its 50% isodose (one per connected part and slab
    /// with `.isodoseBoxes`, one around everything with `.singleBox`); nil when no voxel reaches
    /// half the prescribed dose.
    public init?(grid: RTDoseGrid, prescribedDoseGy: Double, method: FieldEdgeMethod = .isodoseBoxes) {
        let half = 0.5 * prescribedDoseGy, high = 0.95 * prescribedDoseGy
        let frames = grid.frames, rows = grid.rows, cols = grid.columns
        struct Partial { var c0 = Int.max, c1 = -1, r0 = Int.max, r1 = -1, f0 = Int.max, f1 = -1, high = 0 }
        let parts: [Partial] = grid.values.withUnsafeBufferPointer { v in
            let values = UnsafeBufferBox(v)
            return parallelMap(frames) { f in
                var p = Partial()
                for r in 0..<rows {
                    let base = (f * rows + r) * cols
                    for c in 0..<cols {
                        let d = values.buffer[base + c]
                        if d >= half {
                            p.c0 = min(p.c0, c); p.c1 = max(p.c1, c); p.r0 = min(p.r0, r); p.r1 = max(p.r1, r)
                            p.f0 = min(p.f0, f); p.f1 = max(p.f1, f)
                            if d >= high { p.high += 1 }
                        }
                    }
                }
                return p
            }
        }
        var t = Partial()
        for p in parts {
            t.c0 = min(t.c0, p.c0); t.c1 = max(t.c1, p.c1); t.r0 = min(t.r0, p.r0); t.r1 = max(t.r1, p.r1)
            t.f0 = min(t.f0, p.f0); t.f1 = max(t.f1, p.f1); t.high += p.high
        }
        guard t.c1 >= 0 else { return nil }
        let dz = frames > 1 ? abs(grid.frameOffsets[1] - grid.frameOffsets[0]) : 1
        func box(_ b: IsodoseBoxes.IndexBox) -> Box {
            let x0 = grid.origin[0] + Double(b.c0) * grid.columnSpacing - grid.columnSpacing / 2
            let x1 = grid.origin[0] + Double(b.c1) * grid.columnSpacing + grid.columnSpacing / 2
            let y0 = grid.origin[1] + Double(b.r0) * grid.rowSpacing - grid.rowSpacing / 2
            let y1 = grid.origin[1] + Double(b.r1) * grid.rowSpacing + grid.rowSpacing / 2
            let za = grid.origin[2] + grid.frameOffsets[b.f0], zb = grid.origin[2] + grid.frameOffsets[b.f1]
            return Box(lower: SIMD3(min(x0, x1), min(y0, y1), min(za, zb) - dz / 2), upper: SIMD3(max(x0, x1), max(y0, y1), max(za, zb) + dz / 2))
        }
        let all = IsodoseBoxes.IndexBox(c0: t.c0, c1: t.c1, r0: t.r0, r1: t.r1, f0: t.f0, f1: t.f1)
        let indexBoxes = method == .singleBox ? [all]
            : IsodoseBoxes.boxes(values: grid.values, columns: cols, rows: rows, frames: frames, threshold: half)
        self.init(boxes: indexBoxes.map(box), highDoseVolumeCm3: Double(t.high) * grid.columnSpacing * grid.rowSpacing * dz / 1000)
    }

    /// Distance (cm) of a point (mm) from the box, zero inside.
    @inline(__always)
    public func distanceCm(_ x: Double, _ y: Double, _ z: Double) -> Double {
        var best = Double.infinity
        for b in boxes {
            let dx = max(0, b.lower.x - x, x - b.upper.x), dy = max(0, b.lower.y - y, y - b.upper.y), dz = max(0, b.lower.z - z, z - b.upper.z)
            best = min(best, dx * dx + dy * dy + dz * dz)
        }
        return best.squareRoot() / 10
    }

    /// True when a point (mm) lies in one of the boxes.
    public func contains(_ x: Double, _ y: Double, _ z: Double) -> Bool {
        boxes.contains { x >= $0.lower.x && x <= $0.upper.x && y >= $0.lower.y && y <= $0.upper.y && z >= $0.lower.z && z <= $0.upper.z }
    }

    /// Equivalent square (cm) of the field seen by a coplanar beam: 2ab/(a+b) of the lateral and
    /// cranio-caudal extents (the area/perimeter rule, Sterling et al. 1964) of the largest box
    /// by volume (the dominant field: the brain field of a craniospinal plan), so that a field
    /// split into several boxes keeps the patient scatter of its main field.
    public var equivalentSquareCm: Double {
        let main = boxes.max { $0.volumeCm3 < $1.volumeCm3 }!
        let a = (main.upper.x - main.lower.x) / 10, b = (main.upper.z - main.lower.z) / 10
        return a + b > 0 ? 2 * a * b / (a + b) : 0
    }
}

struct UnsafeBufferBox<T>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<T>
    init(_ b: UnsafeBufferPointer<T>) { buffer = b }
}
