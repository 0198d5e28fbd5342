import Foundation
import HarmonicCore

/// One exposure of a person: age and absorbed dose per risk site.
public struct Exposure: Sendable, Hashable, Codable {
    public var ageYears: Double
    public var doses: [RiskSite: Gray]
    public init(ageYears: Double, doses: [RiskSite: Gray]) { self.ageYears = ageYears; self.doses = doses }

    /// Site doses from organ doses: each site takes its organ's dose; `other` takes `otherDose` when
    /// given, else the mean dose of the ICRP 103 remainder tissues present (ICRP 103 Table 3), else none.
    public init(ageYears: Double, organDoses: [Organ: Gray], sex: Sex, otherDose: Gray? = nil) {
        self.ageYears = ageYears
        var d: [RiskSite: Gray] = [:]
        for site in RiskSite.allCases {
            if let organ = site.organ, let g = organDoses[organ] { d[site] = g }
        }
        if let otherDose { d[.other] = otherDose } else {
            let rem = TissueWeights.icrp103Remainder(for: sex).compactMap { organDoses[$0] }
            if !rem.isEmpty { d[.other] = rem.reduce(Gray.zero, +) / Double(rem.count) }
        }
        doses = d
    }
}

/// A risk with its Monte Carlo distribution: central estimate (BEIR VII central parameters), mean,
/// median and 95% interval of the draws. Probabilities per person (multiply by 1e5 for per 100,000).
public struct RiskSummary: Sendable, Codable, Hashable {
    public var estimate: Double
    public var mean: Double
    public var median: Double
    public var lower95: Double
    public var upper95: Double

    public init(estimate: Double, draws: [Double]) {
        self.estimate = estimate
        let s = draws.sorted()
        mean = draws.reduce(0, +) / Double(max(draws.count, 1))
        median = Quantile.of(sorted: s, 0.5)
        lower95 = Quantile.of(sorted: s, 0.025)
        upper95 = Quantile.of(sorted: s, 0.975)
    }
}

enum Quantile {
    /// Linear interpolation between order statistics (R type 7).
    static func of(sorted s: [Double], _ p: Double) -> Double {
        guard !s.isEmpty else { return .nan }
        let h = Double(s.count - 1) * p
        let i = Int(h.rounded(.down)), f = h - Double(i)
        return i + 1 < s.count ? s[i] + f * (s[i + 1] - s[i]) : s[i]
    }
}

/// Lifetime attributable risk of one person, by site and in total, for incidence and mortality.
public struct PersonRisk: Sendable, Codable {
    public struct SiteRisk: Sendable, Codable {
        public var site: RiskSite
        public var incidence: RiskSummary?
        public var mortality: RiskSummary?
        /// Why the site was left out (no dose, no baseline, sex); nil when computed.
        public var note: String?
    }
    public var sex: Sex
    public var exposures: [Exposure]
    public var baseline: String
    public var draws: Int
    public var sites: [SiteRisk]
    public var allSolid: [RiskOutcome: RiskSummary]
    public var leukaemia: [RiskOutcome: RiskSummary]
    public var total: [RiskOutcome: RiskSummary]
    /// Per-draw totals (incidence), kept for paired comparisons; not encoded.
    public var totalIncidenceDraws: [Double] = []

    enum CodingKeys: String, CodingKey { case sex, exposures, baseline, draws, sites, allSolid, leukaemia, total }
}

extension LifetimeRiskModel {
    /// Per-draw LAR of one site summed over the exposures, and its central estimate; nil if not computable.
    public func siteRisk(site: RiskSite, sex: Sex, outcome: RiskOutcome, exposures: [Exposure]) -> (estimate: Double, draws: [Double])? {
        guard let t = table(site, sex, outcome) else { return nil }
        let n = draws.count, ages = LifetimeRiskModel.ages
        var out = [Double](repeating: 0, count: n)
        var est = 0.0
        for x in exposures {
            guard let dose = x.doses[site], dose.value != 0 else { continue }
            let f = doseFactor(site: site, sex: sex, dose: dose)
            let (i, w) = LifetimeRiskModel.interpolationIndex(x.ageYears)
            precondition(computedAges[i], "age at exposure \(x.ageYears) was not among the ages this model was built for")
            let j = min(i + 1, ages - 1)
            est += f * ((1 - w) * t.central[i] + w * t.central[j])
            t.draws.withUnsafeBufferPointer { p in
                for d in 0..<n { out[d] += f * ((1 - w) * p[d * ages + i] + w * p[d * ages + j]) }
            }
        }
        return (est, out)
    }

    /// LAR of one person with one or more exposures.
    public func risk(sex: Sex, exposures: [Exposure]) -> PersonRisk {
        var sites: [PersonRisk.SiteRisk] = []
        var solid: [RiskOutcome: (Double, [Double])] = [:], leuk: [RiskOutcome: (Double, [Double])] = [:]
        let n = draws.count
        for o in RiskOutcome.allCases { solid[o] = (0, [Double](repeating: 0, count: n)); leuk[o] = solid[o] }
        for site in RiskSite.allCases {
            guard site.applies(to: sex) else { continue }
            let hasDose = exposures.contains { $0.doses[site] != nil }
            var sr = PersonRisk.SiteRisk(site: site)
            if !hasDose {
                sr.note = site == .other
                    ? "no dose: give other=GY or doses of ICRP 103 remainder tissues"
                    : "no dose given for \(site.organ!.rawValue)"
                sites.append(sr); continue
            }
            for o in RiskOutcome.allCases {
                guard let r = siteRisk(site: site, sex: sex, outcome: o, exposures: exposures) else {
                    sr.note = unavailable[o]?[sex]?[site]; continue
                }
                let summary = RiskSummary(estimate: r.estimate, draws: r.draws)
                if o == .incidence { sr.incidence = summary } else { sr.mortality = summary }
                if site == .leukaemia { leuk[o] = (r.estimate, r.draws) } else {
                    var acc = solid[o]!
                    acc.0 += r.estimate
                    for d in 0..<n { acc.1[d] += r.draws[d] }
                    solid[o] = acc
                }
            }
            sites.append(sr)
        }
        var allSolid: [RiskOutcome: RiskSummary] = [:], leukaemia: [RiskOutcome: RiskSummary] = [:], total: [RiskOutcome: RiskSummary] = [:]
        var totalIncidence: [Double] = []
        for o in RiskOutcome.allCases {
            let s = solid[o]!, l = leuk[o]!
            allSolid[o] = RiskSummary(estimate: s.0, draws: s.1)
            leukaemia[o] = RiskSummary(estimate: l.0, draws: l.1)
            let t = zip(s.1, l.1).map(+)
            total[o] = RiskSummary(estimate: s.0 + l.0, draws: t)
            if o == .incidence { totalIncidence = t }
        }
        var p = PersonRisk(sex: sex, exposures: exposures, baseline: baseline.name, draws: n, sites: sites,
                           allSolid: allSolid, leukaemia: leukaemia, total: total)
        p.totalIncidenceDraws = totalIncidence
        return p
    }
}
