import DICOM
import Foundation

/// How the field edge of a dose grid is drawn around its 50% isodose.
public enum FieldEdgeMethod: String, Sendable, Codable {
    /// One box per connected part of the 50% isodose, each part split along z where its
    /// cross-section changes sharply (a craniospinal plan: brain, then spine), and across x or y
    /// where parts of it sit side by side (two lateral fields, two lesions joined by a bridge), so
    /// that an organ beside the spine or between two fields is as far from the field as it really is.
    case isodoseBoxes
    /// One box around the whole 50% isodose (the method before multi-box edges; kept to compare).
    case singleBox
}

/// Boxes around the 50% isodose of a grid: connected components (6-connectivity, union-find on
/// one contiguous label array, no per-voxel allocation), each cut into slabs of frames whose
/// in-plane extent stays within a factor `slabAreaRatio` of the slab's, each slab then cut across
/// columns or rows into at most three boxes where that shrinks the boxes' volume to at most
/// `lateralSplitRatio` of the slab's (`splitLaterally`), one box per part.
enum IsodoseBoxes {
    /// A slab ends when a frame's in-plane box area differs from the slab's by more than this
    /// factor (1.5: a 50% jump in cross-section, as from the brain to the spinal field).
    static let slabAreaRatio = 1.5
    /// More boxes than this are merged, the two nearest first (keeps distance look-ups cheap on
    /// grids with scattered hot voxels).
    static let maxBoxes = 24
    /// A slab is cut across x or y when its parts' boxes fill at most this share of its box (0.7:
    /// two touching fields offset side by side fill 0.6, two lesions joined by a thin bridge less;
    /// a ball or a cylinder cut in three fills 0.88 or more and stays one box).
    static let lateralSplitRatio = 0.7
    /// Lateral cuts of a slab are applied to their parts again at most this many times.
    static let lateralSplitDepth = 2

    /// Grid-index boxes (inclusive column, row and frame ranges) of the voxels at or above `threshold`.
    struct IndexBox: Equatable {
        var c0: Int, c1: Int, r0: Int, r1: Int, f0: Int, f1: Int
        var area: Int { (c1 - c0 + 1) * (r1 - r0 + 1) }
        var volume: Int { area * (f1 - f0 + 1) }
        mutating func formUnion(_ o: IndexBox) {
            c0 = min(c0, o.c0); c1 = max(c1, o.c1); r0 = min(r0, o.r0); r1 = max(r1, o.r1); f0 = min(f0, o.f0); f1 = max(f1, o.f1)
        }
        /// Gap in voxels (Chebyshev) between two boxes, 0 when they touch or overlap.
        func gap(_ o: IndexBox) -> Int {
            max(0, o.c0 - c1 - 1, c0 - o.c1 - 1) + max(0, o.r0 - r1 - 1, r0 - o.r1 - 1) + max(0, o.f0 - f1 - 1, f0 - o.f1 - 1)
        }
    }

    static func boxes(values: [Double], columns: Int, rows: Int, frames: Int, threshold: Double) -> [IndexBox] {
        let n = columns * rows * frames
        guard n > 0 else { return [] }
        // parent[i] = -1 below threshold; otherwise a union-find parent index.
        var parent = [Int32](repeating: -1, count: n)
        values.withUnsafeBufferPointer { v in
            parent.withUnsafeMutableBufferPointer { p in
                let out = MutableBufferBox(p), inp = UnsafeBufferBox(v)
                DispatchQueue.concurrentPerform(iterations: frames) { f in
                    let start = f * rows * columns
                    for i in start ..< start + rows * columns where inp.buffer[i] >= threshold { out.buffer[i] = Int32(i) }
                }
            }
        }
        parent.withUnsafeMutableBufferPointer { p in
            @inline(__always) func find(_ i: Int32) -> Int32 {
                var r = i
                while p[Int(r)] != r { r = p[Int(r)] }
                var j = i
                while p[Int(j)] != r { let next = p[Int(j)]; p[Int(j)] = r; j = next }
                return r
            }
            @inline(__always) func union(_ a: Int32, _ b: Int32) {
                let ra = find(a), rb = find(b)
                if ra != rb { if ra < rb { p[Int(rb)] = ra } else { p[Int(ra)] = rb } }
            }
            let plane = rows * columns
            for f in 0..<frames {
                for r in 0..<rows {
                    let base = f * plane + r * columns
                    for c in 0..<columns {
                        let i = base + c
                        guard p[i] >= 0 else { continue }
                        if c > 0, p[i - 1] >= 0 { union(Int32(i), Int32(i - 1)) }
                        if r > 0, p[i - columns] >= 0 { union(Int32(i), Int32(i - columns)) }
                        if f > 0, p[i - plane] >= 0 { union(Int32(i), Int32(i - plane)) }
                    }
                }
            }
            // Flatten: every voxel points at its root.
            for i in 0..<n where p[i] >= 0 { p[i] = find(Int32(i)) }
        }
        // Component ids by root, and per component and frame the in-plane box.
        var componentOfRoot: [Int32: Int] = [:], rootOfComponent: [Int32] = []
        var frameBoxes: [[Int: IndexBox]] = []     // per component: frame -> in-plane box (a few components, so small)
        let plane = rows * columns
        for f in 0..<frames {
            for r in 0..<rows {
                let base = f * plane + r * columns
                var c = 0
                while c < columns {
                    let root = parent[base + c]
                    guard root >= 0 else { c += 1; continue }
                    // A run of voxels of the same component along the row.
                    var e = c
                    while e + 1 < columns, parent[base + e + 1] == root { e += 1 }
                    let k: Int
                    if let known = componentOfRoot[root] { k = known } else {
                        k = frameBoxes.count; componentOfRoot[root] = k; rootOfComponent.append(root); frameBoxes.append([:])
                    }
                    let run = IndexBox(c0: c, c1: e, r0: r, r1: r, f0: f, f1: f)
                    if var b = frameBoxes[k][f] { b.formUnion(run); frameBoxes[k][f] = b } else { frameBoxes[k][f] = run }
                    c = e + 1
                }
            }
        }
        var out: [IndexBox] = []
        for (k, perFrame) in frameBoxes.enumerated() {
            var slabs: [IndexBox] = []
            var slab: IndexBox?
            for f in perFrame.keys.sorted() {
                let b = perFrame[f]!
                guard var s = slab else { slab = b; continue }
                var u = s; u.formUnion(b)
                let ratio = slabAreaRatio
                if Double(b.area) * ratio < Double(s.area) || Double(u.area) > ratio * Double(s.area) {
                    slabs.append(s); slab = b
                } else { s = u; slab = s }
            }
            if let s = slab { slabs.append(s) }
            for s in slabs {
                out += splitLaterally(s, root: rootOfComponent[k], labels: parent, columns: columns, rows: rows, depth: lateralSplitDepth)
            }
        }
        while out.count > maxBoxes {
            var best = (i: 0, j: 1, gap: Int.max)
            for i in out.indices { for j in (i + 1)..<out.count { let g = out[i].gap(out[j]); if g < best.gap { best = (i, j, g) } } }
            out[best.i].formUnion(out[best.j]); out.remove(at: best.j)
        }
        return out
    }

    /// Cuts a slab of one component (voxels labelled `root` inside `box`) across columns or rows
    /// into two or three boxes (left, middle, right) when their total volume is at most
    /// `lateralSplitRatio` of the slab's box: two fields side by side, or two lesions and the
    /// bridge between them, become separate boxes. Each part is tried again, `depth` times.
    static func splitLaterally(_ box: IndexBox, root: Int32, labels: [Int32], columns: Int, rows: Int, depth: Int) -> [IndexBox] {
        guard depth > 0, box.c1 > box.c0 || box.r1 > box.r0 else { return [box] }
        // Per column and per row of the slab, the box of the component's voxels there.
        var byColumn = [IndexBox?](repeating: nil, count: box.c1 - box.c0 + 1)
        var byRow = [IndexBox?](repeating: nil, count: box.r1 - box.r0 + 1)
        let plane = rows * columns
        for f in box.f0...box.f1 {
            for r in box.r0...box.r1 {
                let base = f * plane + r * columns
                for c in box.c0...box.c1 where labels[base + c] == root {
                    let v = IndexBox(c0: c, c1: c, r0: r, r1: r, f0: f, f1: f)
                    if byColumn[c - box.c0] == nil { byColumn[c - box.c0] = v } else { byColumn[c - box.c0]!.formUnion(v) }
                    if byRow[r - box.r0] == nil { byRow[r - box.r0] = v } else { byRow[r - box.r0]!.formUnion(v) }
                }
            }
        }
        let best = [bestCut(byColumn), bestCut(byRow)].compactMap { $0 }.min { $0.volume < $1.volume }
        guard let cut = best, Double(cut.volume) <= lateralSplitRatio * Double(box.volume) else { return [box] }
        return cut.parts.flatMap { splitLaterally($0, root: root, labels: labels, columns: columns, rows: rows, depth: depth - 1) }
    }

    /// The cut of a sequence of per-line boxes into at most three consecutive runs (at least two
    /// of them occupied) whose boxes have the least total volume; of cuts with equal volume, the
    /// one with fewer parts (a solid block cut anywhere keeps its volume, and is not cut for it).
    static func bestCut(_ lines: [IndexBox?]) -> (volume: Int, parts: [IndexBox])? {
        let n = lines.count
        guard n > 1 else { return nil }
        func union(_ a: IndexBox?, _ b: IndexBox?) -> IndexBox? {
            guard var a else { return b }
            if let b { a.formUnion(b) }
            return a
        }
        var prefix = [IndexBox?](repeating: nil, count: n + 1), suffix = [IndexBox?](repeating: nil, count: n + 1)
        for i in 0..<n { prefix[i + 1] = union(prefix[i], lines[i]) }
        for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = union(suffix[i + 1], lines[i]) }
        var best: (volume: Int, parts: [IndexBox])?
        for k1 in 1..<n {
            guard let left = prefix[k1] else { continue }
            var middle: IndexBox?
            for k2 in k1...n {
                if k2 > k1 { middle = union(middle, lines[k2 - 1]) }
                let parts = [left, middle, suffix[k2]].compactMap { $0 }
                guard parts.count >= 2 else { continue }
                let volume = parts.reduce(0) { $0 + $1.volume }
                if let b = best, (b.volume, b.parts.count) <= (volume, parts.count) { continue }
                best = (volume, parts)
            }
        }
        return best
    }
}
