import Foundation
/// A point or vector in the phantom frame (cm). Axes follow MIRD-5 (Snyder et al. 1978) and
/// coincide with DICOM patient LPS: +x towards the phantom's left, +y posterior, +z superior;
/// z = 0 at the base of the trunk.
public struct Vec3: Sendable, Hashable {
    public var x: Double, y: Double, z: Double
    @inlinable public init(_ x: Double, _ y: Double, _ z: Double) { self.x = x; self.y = y; self.z = z }
    @inlinable public static func + (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x + b.x, a.y + b.y, a.z + b.z) }
    @inlinable public static func - (a: Vec3, b: Vec3) -> Vec3 { Vec3(a.x - b.x, a.y - b.y, a.z - b.z) }
    @inlinable public static func * (s: Double, a: Vec3) -> Vec3 { Vec3(s * a.x, s * a.y, s * a.z) }
    @inlinable public func dot(_ b: Vec3) -> Double { x * b.x + y * b.y + z * b.z }
    @inlinable public func cross(_ b: Vec3) -> Vec3 { Vec3(y * b.z - z * b.y, z * b.x - x * b.z, x * b.y - y * b.x) }
    @inlinable public var length: Double { dot(self).squareRoot() }
    @inlinable public var normalised: Vec3 { (1 / length) * self }
}

/// A half-space `normal · p <= offset` that cuts a solid (MIRD's cut planes).
public struct CutPlane: Sendable {
    public var normal: Vec3, offset: Double
    public init(_ normal: Vec3, _ offset: Double) { self.normal = normal; self.offset = offset }
}

/// A quadric solid of the stylised-phantom tradition, in template (adult MIRD) coordinates.
public enum Quadric: Sendable {
    /// ((x-cx)/a)² + ((y-cy)/b)² + ((z-cz)/c)² <= 1
    case ellipsoid(centre: Vec3, semi: Vec3)
    /// Elliptic cylinder along z: ((x-cx)/a)² + ((y-cy)/b)² <= 1, zMin <= z <= zMax.
    case cylinderZ(cx: Double, cy: Double, a: Double, b: Double, zMin: Double, zMax: Double)
    /// Elliptic cylinder along x: ((y-cy)/b)² + ((z-cz)/c)² <= 1, xMin <= x <= xMax.
    case cylinderX(cy: Double, cz: Double, b: Double, c: Double, xMin: Double, xMax: Double)
    /// Truncated circular cone along z (MIRD legs): radius r0 at z0 linearly to r1 at z1.
    case coneZ(cx: Double, cy: Double, r0: Double, z0: Double, r1: Double, z1: Double)
    /// Superelliptic (Lamé) cylinder along z: |(x-cx)/a|ⁿ + |(y-cy)/b|ⁿ <= 1, zMin <= z <= zMax.
    /// With n = 2 an elliptic cylinder; with n > 2 fuller at the sides (the trunk, `AdultTemplate`).
    case superellipticCylinderZ(cx: Double, cy: Double, a: Double, b: Double, n: Double, zMin: Double, zMax: Double)

    @inlinable func contains(_ p: Vec3) -> Bool {
        switch self {
        case let .ellipsoid(c, s):
            let u = (p.x - c.x) / s.x, v = (p.y - c.y) / s.y, w = (p.z - c.z) / s.z
            return u * u + v * v + w * w <= 1
        case let .cylinderZ(cx, cy, a, b, zMin, zMax):
            guard p.z >= zMin && p.z <= zMax else { return false }
            let u = (p.x - cx) / a, v = (p.y - cy) / b
            return u * u + v * v <= 1
        case let .cylinderX(cy, cz, b, c, xMin, xMax):
            guard p.x >= xMin && p.x <= xMax else { return false }
            let v = (p.y - cy) / b, w = (p.z - cz) / c
            return v * v + w * w <= 1
        case let .coneZ(cx, cy, r0, z0, r1, z1):
            guard p.z >= min(z0, z1) && p.z <= max(z0, z1) else { return false }
            let r = r0 + (r1 - r0) * (p.z - z0) / (z1 - z0)
            let dx = p.x - cx, dy = p.y - cy
            return dx * dx + dy * dy <= r * r
        case let .superellipticCylinderZ(cx, cy, a, b, n, zMin, zMax):
            guard p.z >= zMin && p.z <= zMax else { return false }
            let u = abs(p.x - cx) / a, v = abs(p.y - cy) / b
            guard u <= 1 && v <= 1 else { return false }
            return pow(u, n) + pow(v, n) <= 1
        }
    }

    /// Half-depth (y) of a superelliptic section of semi-axes a, b and exponent n at |x - cx| = dx.
    static func superellipseHalfDepth(a: Double, b: Double, n: Double, at dx: Double) -> Double {
        let u = min(1, abs(dx) / a)
        return b * pow(1 - pow(u, n), 1 / n)
    }

    /// Analytic volume of the uncut solid (cm³), used to check the voxelised masses.
    var volume: Double {
        switch self {
        case let .ellipsoid(_, s): 4.0 / 3.0 * .pi * s.x * s.y * s.z
        case let .cylinderZ(_, _, a, b, zMin, zMax): .pi * a * b * (zMax - zMin)
        case let .cylinderX(_, _, b, c, xMin, xMax): .pi * b * c * (xMax - xMin)
        case let .coneZ(_, _, r0, z0, r1, z1): .pi * abs(z1 - z0) * (r0 * r0 + r0 * r1 + r1 * r1) / 3
        case let .superellipticCylinderZ(_, _, a, b, n, zMin, zMax):
            // Area of a Lamé curve: 4ab Γ(1 + 1/n)² / Γ(1 + 2/n).
            4 * a * b * tgamma(1 + 1 / n) * tgamma(1 + 1 / n) / tgamma(1 + 2 / n) * (zMax - zMin)
        }
    }

    /// Axis-aligned bounding box (min, max).
    var bounds: (Vec3, Vec3) {
        switch self {
        case let .ellipsoid(c, s): (c - s, c + s)
        case let .cylinderZ(cx, cy, a, b, zMin, zMax): (Vec3(cx - a, cy - b, zMin), Vec3(cx + a, cy + b, zMax))
        case let .cylinderX(cy, cz, b, c, xMin, xMax): (Vec3(xMin, cy - b, cz - c), Vec3(xMax, cy + b, cz + c))
        case let .coneZ(cx, cy, r0, z0, r1, z1):
            (Vec3(cx - max(r0, r1), cy - max(r0, r1), min(z0, z1)), Vec3(cx + max(r0, r1), cy + max(r0, r1), max(z0, z1)))
        case let .superellipticCylinderZ(cx, cy, a, b, _, zMin, zMax): (Vec3(cx - a, cy - b, zMin), Vec3(cx + a, cy + b, zMax))
        }
    }

    /// The solid shrunk by `t` (cm) on every axis of its section (an ellipse's inner offset, to
    /// first order); a cone loses `t` of radius.
    func inset(by t: Double) -> Quadric {
        switch self {
        case let .ellipsoid(c, s): .ellipsoid(centre: c, semi: Vec3(max(0, s.x - t), max(0, s.y - t), max(0, s.z - t)))
        case let .cylinderZ(cx, cy, a, b, zMin, zMax): .cylinderZ(cx: cx, cy: cy, a: max(0, a - t), b: max(0, b - t), zMin: zMin, zMax: zMax)
        case let .cylinderX(cy, cz, b, c, xMin, xMax): .cylinderX(cy: cy, cz: cz, b: max(0, b - t), c: max(0, c - t), xMin: xMin, xMax: xMax)
        case let .coneZ(cx, cy, r0, z0, r1, z1): .coneZ(cx: cx, cy: cy, r0: max(0, r0 - t), z0: z0, r1: max(0, r1 - t), z1: z1)
        case let .superellipticCylinderZ(cx, cy, a, b, n, zMin, zMax):
            .superellipticCylinderZ(cx: cx, cy: cy, a: max(0, a - t), b: max(0, b - t), n: n, zMin: zMin, zMax: zMax)
        }
    }

    /// A natural centre about which a fitted size factor scales the solid.
    var centre: Vec3 {
        let (lo, hi) = bounds
        return 0.5 * (lo + hi)
    }
}

/// A solid with optional cut planes, an excluded inner solid (shells such as ribs and
/// pelvis) and optional z-banding (the 12 discrete rib pairs of MIRD-5).
public struct Solid: Sendable {
    public var quadric: Quadric
    public var cuts: [CutPlane] = []
    public var excluding: Quadric? = nil
    /// (start, pitch, width): keep only points with (z - start) mod pitch < width.
    public var zBands: (start: Double, pitch: Double, width: Double)? = nil

    public init(_ quadric: Quadric, cuts: [CutPlane] = [], excluding: Quadric? = nil,
                zBands: (start: Double, pitch: Double, width: Double)? = nil) {
        self.quadric = quadric; self.cuts = cuts; self.excluding = excluding; self.zBands = zBands
    }
}

extension Solid {
    /// Membership in the solid, or with `inset` t > 0 (cm) in the solid shrunk by t: its quadric
    /// inset (`Quadric.inset(by:)`) and every cut plane moved t inwards; an excluded solid and
    /// z-bands are kept. Builds nothing on the heap (called per point by voxelisation and the fit).
    func contains(_ p: Vec3, inset t: Double = 0) -> Bool {
        guard (t > 0 ? quadric.inset(by: t) : quadric).contains(p) else { return false }
        for c in cuts where c.normal.dot(p) > c.offset - (t > 0 ? t * c.normal.length : 0) { return false }
        if let e = excluding, e.contains(p) { return false }
        if let b = zBands {
            let r = (p.z - b.start).truncatingRemainder(dividingBy: b.pitch)
            if (r < 0 ? r + b.pitch : r) >= b.width { return false }
        }
        return true
    }

    /// Membership in a z-banded elliptic-cylinder shell (`cylinderZ` excluding an inner
    /// `cylinderZ`) whose inner surface stays and whose radial thickness and band width are
    /// multiplied by `s` (band width at most 90% of the pitch); cut planes apply unscaled.
    func containsShell(_ p: Vec3, thicknessScale s: Double) -> Bool {
        guard case let .cylinderZ(cx, cy, a, b, zMin, zMax) = quadric,
              case let .cylinderZ(_, _, ai, bi, _, _)? = excluding else { return contains(p) }
        guard p.z >= zMin && p.z <= zMax else { return false }
        for c in cuts where c.normal.dot(p) > c.offset { return false }
        let ao = ai + s * (a - ai), bo = bi + s * (b - bi)
        let u = (p.x - cx) / ao, v = (p.y - cy) / bo
        guard u * u + v * v <= 1 else { return false }
        let ui = (p.x - cx) / ai, vi = (p.y - cy) / bi
        if ui * ui + vi * vi <= 1 { return false }
        if let band = zBands {
            let width = min(0.9 * band.pitch, band.width * s)
            let r = (p.z - band.start).truncatingRemainder(dividingBy: band.pitch)
            if (r < 0 ? r + band.pitch : r) >= width { return false }
        }
        return true
    }

    /// Bounding box of the shell of `containsShell` at thickness scale `s`.
    func shellBounds(thicknessScale s: Double) -> (Vec3, Vec3) {
        guard case let .cylinderZ(cx, cy, a, b, zMin, zMax) = quadric,
              case let .cylinderZ(_, _, ai, bi, _, _)? = excluding else { return quadric.bounds }
        let ao = ai + s * (a - ai), bo = bi + s * (b - bi)
        return (Vec3(cx - ao, cy - bo, zMin), Vec3(cx + ao, cy + bo, zMax))
    }
}
