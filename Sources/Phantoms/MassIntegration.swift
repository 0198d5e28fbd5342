import HarmonicCore

extension StylisedPhantom {
    /// True when a point is inside the body envelope or a body-extending region.
    func inBody(_ p: Vec3) -> Bool {
        for part in AdultTemplate.envelope {
            let q = dimensions.toTemplate(p, part.0)
            if part.1.contains(q) { return true }
        }
        for r in regions where r.extendsBody && r.contains(p, dimensions) { return true }
        return false
    }

    /// Mass (g) of every region by midpoint integration on an n³ grid over the region's
    /// bounding box, honouring precedence (a point belongs to the first region containing it)
    /// and the body envelope. Independent of any voxelisation; used by the fit and the tests.
    public func regionMassesByIntegration(pointsPerAxis n: Int = 24) -> [Double] {
        let d = dimensions
        let boxes = regions.map { $0.bounds(d) }
        func overlaps(_ a: (Vec3, Vec3), _ b: (Vec3, Vec3)) -> Bool {
            a.0.x <= b.1.x && b.0.x <= a.1.x && a.0.y <= b.1.y && b.0.y <= a.1.y && a.0.z <= b.1.z && b.0.z <= a.1.z
        }
        var masses = [Double](repeating: 0, count: regions.count)
        for (i, region) in regions.enumerated() {
            let (lo, hi) = boxes[i]
            let earlier = (0..<i).filter { overlaps(boxes[$0], boxes[i]) }
            let step = Vec3((hi.x - lo.x) / Double(n), (hi.y - lo.y) / Double(n), (hi.z - lo.z) / Double(n))
            var inside = 0
            for a in 0..<n { for b in 0..<n { for c in 0..<n {
                let p = Vec3(lo.x + (Double(a) + 0.5) * step.x, lo.y + (Double(b) + 0.5) * step.y, lo.z + (Double(c) + 0.5) * step.z)
                guard region.contains(p, d) else { continue }
                if earlier.contains(where: { regions[$0].contains(p, d) }) { continue }
                if !inBody(p) { continue }
                inside += 1
            } } }
            masses[i] = Double(inside) * step.x * step.y * step.z * density(of: region.tissue)
        }
        return masses
    }

    /// Organ (wall) masses by integration, grams.
    public func organMassesByIntegration(pointsPerAxis n: Int = 24) -> [Organ: Double] {
        var out: [Organ: Double] = [:]
        for (i, m) in regionMassesByIntegration(pointsPerAxis: n).enumerated() {
            if case let .organ(o) = regions[i].role { out[o, default: 0] += m }
        }
        return out
    }
}
