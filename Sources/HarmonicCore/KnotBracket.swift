/// Where a value falls among ascending knots (reference ages, table abscissae): the knots below
/// and above it and the fraction of the way between them, clamped to the first and last knot.
/// Linear interpolation is then `y[lower] · (1 − fraction) + y[upper] · fraction`.
public struct KnotBracket: Sendable, Equatable {
    public let lower: Int, upper: Int, fraction: Double

    /// `knots` ascending and not empty.
    public init(_ knots: [Double], _ x: Double) {
        let i = knots.lastIndex { $0 <= x } ?? 0
        let j = min(i + 1, knots.count - 1)
        lower = i; upper = j
        fraction = j == i ? 0 : max(0, min(1, (x - knots[i]) / (knots[j] - knots[i])))
    }

    /// The linear interpolation of `values` (one per knot).
    public func interpolate(_ values: [Double]) -> Double { values[lower] * (1 - fraction) + values[upper] * fraction }
}
