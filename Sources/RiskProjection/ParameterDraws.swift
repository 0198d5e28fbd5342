import Foundation
import HarmonicCore

/// How the latency (minimum time from exposure to a radiation-related cancer) is modelled.
public enum Latency: Sendable, Hashable {
    /// BEIR VII Phase 2 ch. 12: no excess before 5 years (solid) or 2 years (leukaemia) after exposure.
    case beir7Step
    /// RadRAT (Berrington de Gonzalez et al. 2012): a logistic ramp whose midpoint is uncertain
    /// (triangular 5-7.5-10 y solid, 2-5-7 y thyroid, 2-2.25-2.5 y leukaemia; logistic scale 0.76, 0.544,
    /// 0.401 y; latency truncated to 4-11, 2.5-7.6, 0.4-4.1 y), as implemented in LARisk (cran/LARisk).
    case radratSigmoid
}

/// The three latency classes of RadRAT.
enum LatencyClass: Int, CaseIterable {
    case solid, thyroid, leukaemia
    init(_ site: RiskSite) { self = site == .leukaemia ? .leukaemia : (site == .thyroid ? .thyroid : .solid) }
    var stepYears: Double { self == .leukaemia ? 2 : 5 }
    var triangle: (Double, Double, Double) {
        switch self { case .solid: (5, 7.5, 10); case .thyroid: (2, 5, 7); case .leukaemia: (2, 2.25, 2.5) }
    }
    var logisticScale: Double { switch self { case .solid: 0.76; case .thyroid: 0.544; case .leukaemia: 0.401 } }
    var truncation: ClosedRange<Double> { switch self { case .solid: 4...11; case .thyroid: 2.5...7.6; case .leukaemia: 0.4...4.1 } }

    /// Fraction of the excess expressed `t` years after exposure, for a ramp midpoint.
    func weight(t: Double, midpoint: Double?) -> Double {
        guard let midpoint else { return t >= stepYears ? 1 : 0 }
        if t < truncation.lowerBound { return 0 }
        if t > truncation.upperBound { return 1 }
        return 1 / (1 + exp(-(t - midpoint) / logisticScale))
    }
}

/// Monte Carlo draws of the uncertain model inputs, shared by every person and plan that is
/// projected with them, so that differences and ratios pair the model uncertainty.
/// Drawn: each site's ERR and EAR beta (95% intervals of RadRAT Table 1 / BEIR VII Table 12-2),
/// leukaemia beta (lognormal, BEIR VII covariance), DDREF (lognormal, median 1.5, geometric sd 1.35,
/// RadRAT; BEIR VII Annex 10B gives 1.5 with 95% interval 1.1-2.3), the latency ramp midpoints.
public struct ParameterDraws: Sendable {
    public let count: Int
    public let seed: UInt64
    /// DDREF per draw (1 for all draws when DDREF is off).
    public let ddref: [Double]
    /// beta per draw, by sex, site, scale: index `[sexIndex][site][scale]`.
    let solidBeta: [[RiskSite: [RiskScale: [Double]]]]
    let leukaemiaBeta: [[RiskScale: [Double]]]
    /// Latency midpoints per class and draw (nil in `beir7Step`).
    let latencyMidpoint: [[Double]]?

    public init(models: Beir7Models, count: Int, seed: UInt64, latency: Latency = .radratSigmoid, ddref applyDDREF: Bool = true) {
        precondition(count > 0)
        self.count = count; self.seed = seed
        var rng = RandomStream(seed: seed, stream: 0)
        ddref = (0..<count).map { _ in applyDDREF ? 1.5 * exp(log(1.35) * rng.normal()) : 1 }
        var solid: [[RiskSite: [RiskScale: [Double]]]] = []
        var leuk: [[RiskScale: [Double]]] = []
        for (si, sex) in Sex.allCases.enumerated() {
            var bySite: [RiskSite: [RiskScale: [Double]]] = [:]
            for site in RiskSite.allCases where site.isSolid {
                guard let m = models.solid[sex]?[site] else { continue }
                var byScale: [RiskScale: [Double]] = [:]
                for (ki, term) in [m.err, m.ear].enumerated() {
                    guard let term else { continue }
                    var r = RandomStream(seed: seed, stream: UInt64(1000 + si * 100 + RiskSite.allCases.firstIndex(of: site)! * 2 + ki))
                    byScale[term.scale] = (0..<count).map { _ in term.beta.sample(z: r.normal()) }
                }
                bySite[site] = byScale
            }
            solid.append(bySite)
            var byScale: [RiskScale: [Double]] = [:]
            let pair = models.leukaemia[sex]!
            for (ki, term) in [pair.err, pair.ear].enumerated() {
                var r = RandomStream(seed: seed, stream: UInt64(3000 + si * 10 + ki))
                byScale[term.scale] = (0..<count).map { _ in term.beta * exp(term.sigmaLogBeta * r.normal()) }
            }
            leuk.append(byScale)
        }
        solidBeta = solid; leukaemiaBeta = leuk
        if latency == .radratSigmoid {
            latencyMidpoint = LatencyClass.allCases.map { cls in
                var r = RandomStream(seed: seed, stream: UInt64(4000 + cls.rawValue))
                let (a, b, c) = cls.triangle
                return (0..<count).map { _ in
                    let u = r.uniform(), f = (b - a) / (c - a)
                    return u < f ? a + ((u * (c - a) * (b - a))).squareRoot() : c - (((1 - u) * (c - a) * (c - b))).squareRoot()
                }
            }
        } else {
            latencyMidpoint = nil
        }
    }
}
