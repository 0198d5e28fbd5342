import Foundation

/// A mapping from data values to pixels along one axis, linear or logarithmic, with ticks at
/// "nice" values (1, 2, 5 × 10ⁿ for linear; powers of ten for log).
public struct AxisScale: Sendable {
    public enum Kind: Sendable { case linear, log }
    public let kind: Kind
    public let domain: ClosedRange<Double>
    /// Pixel positions of the domain's lower and upper ends (upper may be smaller, as for y).
    public let range: (Double, Double)

    /// A scale covering `values` (padded to nice bounds; log scales ignore values <= 0).
    public init(kind: Kind = .linear, covering values: [Double], range: (Double, Double), includeZero: Bool = false) {
        self.kind = kind
        self.range = range
        var finite = values.filter { $0.isFinite && (kind == .linear || $0 > 0) }
        if finite.isEmpty { finite = kind == .log ? [1, 10] : [0, 1] }
        var lo = finite.min()!, hi = finite.max()!
        switch kind {
        case .linear:
            if includeZero { lo = min(lo, 0); hi = max(hi, 0) }
            if lo == hi { lo -= 1; hi += 1 }
            let step = AxisScale.niceStep((hi - lo) / 5)
            lo = (lo / step).rounded(.down) * step
            hi = (hi / step).rounded(.up) * step
        case .log:
            lo = pow(10, log10(lo).rounded(.down))
            hi = pow(10, log10(hi).rounded(.up))
            if lo == hi { hi = lo * 10 }
        }
        domain = lo...hi
    }

    /// Pixel position of `v`.
    public func position(_ v: Double) -> Double {
        let t: Double
        switch kind {
        case .linear: t = (v - domain.lowerBound) / (domain.upperBound - domain.lowerBound)
        case .log: t = (log10(max(v, domain.lowerBound / 10)) - log10(domain.lowerBound))
            / (log10(domain.upperBound) - log10(domain.lowerBound))
        }
        return range.0 + t * (range.1 - range.0)
    }

    /// Tick values inside the domain.
    public var ticks: [Double] {
        switch kind {
        case .linear:
            let step = AxisScale.niceStep((domain.upperBound - domain.lowerBound) / 5)
            var out: [Double] = []
            var v = domain.lowerBound
            while v <= domain.upperBound + step * 1e-9 { out.append(abs(v) < step * 1e-9 ? 0 : v); v += step }
            return out
        case .log:
            var out: [Double] = []
            var v = domain.lowerBound
            while v <= domain.upperBound * 1.000001 { out.append(v); v *= 10 }
            return out
        }
    }

    /// 1, 2 or 5 × 10ⁿ at or above `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let p = pow(10, log10(raw).rounded(.down))
        let f = raw / p
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p
    }
}
