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

    /// Mass (g) of every region by stratified integration on an n³ grid of cells over the region's
    /// bounding box, one point per cell, honouring precedence (a point belongs to the first region
    /// containing it) and the body envelope. Independent of any voxelisation; used by the fit and
    /// the tests.
    ///
    /// The point's place in its cell follows the R₃ additive recurrence (Roberts, *The unreasonable
    /// effectiveness of quasirandom sequences*, 2018: offsets frac(k·αᵢ), α = (1/φ₃, 1/φ₃², 1/φ₃³),
    /// φ₃ ≈ 1.2207 the positive root of x⁴ = x + 1), not the cell's centre: a flat face normal to an axis (the
    /// heart flattened by the pleura and the posterior mediastinum, `ThoracicSkeleton`) otherwise
    /// gains or loses a whole layer of cell centres at once as the organ's size factor changes,
    /// which at n = 24 put the adult male heart wall 8% off its mass (fine integration: 2%) and
    /// left the fit without a fixed point.
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
            var inside = 0, k = 0
            for a in 0..<n { for b in 0..<n { for c in 0..<n {
                k += 1
                let u = Self.r3Offset(k)
                let p = Vec3(lo.x + (Double(a) + u.x) * step.x, lo.y + (Double(b) + u.y) * step.y, lo.z + (Double(c) + u.z) * step.z)
                guard region.contains(p, d) else { continue }
                if earlier.contains(where: { regions[$0].contains(p, d) }) { continue }
                if !inBody(p) { continue }
                inside += 1
            } } }
            masses[i] = Double(inside) * step.x * step.y * step.z * density(of: region.tissue)
        }
        return masses
    }

    /// The k-th point of the R₃ sequence in the unit cube (see `regionMassesByIntegration`).
    @inline(__always)
    static func r3Offset(_ k: Int) -> Vec3 {
        let g = 1.2207440845899206 // φ₃: g⁴ = g + 1
        let x = 0.5 + Double(k) / g, y = 0.5 + Double(k) / (g * g), z = 0.5 + Double(k) / (g * g * g)
        return Vec3(x - x.rounded(.down), y - y.rounded(.down), z - z.rounded(.down))
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
