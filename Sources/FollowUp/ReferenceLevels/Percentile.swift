/// Sample percentiles as dose surveys compute them.
///
/// ICRP Publication 135 (2017) sets a DRL at the 75th percentile of the distribution of facility
/// medians without fixing an estimator; this uses linear interpolation between order statistics
/// (Hyndman & Fan 1996, definition 7: the default of R's `quantile` and numpy's `percentile`), so
/// that a user can check every figure with either tool.
public enum Percentile {
    /// The `p`-th percentile (0...100) of `values`, or nil when empty. Non-finite values are ignored.
    public static func of(_ values: [Double], _ p: Double) -> Double? {
        let sorted = values.filter(\.isFinite).sorted()
        return ofSorted(sorted, p)
    }

    /// As `of(_:_:)` for values already sorted ascending (no copy).
    public static func ofSorted(_ sorted: [Double], _ p: Double) -> Double? {
        guard !sorted.isEmpty else { return nil }
        let h = Double(sorted.count - 1) * min(100, max(0, p)) / 100
        let lo = Int(h.rounded(.down))
        let hi = min(lo + 1, sorted.count - 1)
        return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
    }

    /// The median (50th percentile).
    public static func median(_ values: [Double]) -> Double? { of(values, 50) }
}
