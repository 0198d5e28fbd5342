import Foundation
import HarmonicCore

/// Second-cancer risk of two radiotherapy plans for the same child, organ by organ, with the model
/// uncertainty paired between the plans.
///
/// Method: each organ's dose distribution is reduced to an organ equivalent dose (Schneider 2011): the
/// linear-exponential shape with the organ's shipped alpha for in-field organs with a DVH (`contoured`,
/// `phantom`), the linear shape (mean dose, the BEIR VII low-dose path) for `outOfField` organs and for
/// organs without a shipped alpha. The OED then drives the BEIR VII LAR of the organ's site
/// (`LifetimeRiskModel`) at the child's age; both plans use the same Monte Carlo draws, so the ratio
/// B/A per draw cancels the uncertainty they share (risk coefficients, DDREF, latency, transport).
/// Organs with no BEIR VII site of their own (brain, heart, ...) form the site "other" through the mean
/// of their OEDs. Leukaemia takes the red-marrow OED. An in-field organ dosed above `linearLimitGy` with no
/// alpha is left out (listed in `notComputed`), not extrapolated linearly. Each organ's dose uncertainty
/// (`interval95Gy`, lognormal, mean-preserving) multiplies its draws, independently per plan.
public struct PlanComparison: Sendable, Codable {
    public struct OrganRow: Sendable, Codable {
        public var organ: String
        public var site: RiskSite?
        public var source: [String]
        public var model: [String]
        public var meanDoseGy: [Double?]
        public var oedGy: [Double?]
    }
    public struct SiteRow: Sendable, Codable {
        public var site: RiskSite
        /// LAR of incidence under plan A and plan B (nil: no dose in that plan).
        public var lar: [RiskSummary?]
        /// B / A with its paired 95% interval (nil when either plan has no risk at this site).
        public var ratio: RiskSummary?
        public var note: String?
    }
    public var labels: [String]
    public var ageYears: Double
    public var sex: Sex
    public var baseline: String
    public var draws: Int
    public var organs: [OrganRow]
    public var sites: [SiteRow]
    public var total: [RiskSummary]
    public var totalRatio: RiskSummary
    public var method: String
    /// Organs of plan A and of plan B left out of the risk (in field beyond the linear range, no alpha).
    public var notComputed: [[String]] = [[], []]

    /// Above this dose (Gy) in any DVH bin, the linear BEIR VII path is not used for an in-field organ:
    /// it needs an organ-specific cell-killing alpha (shipped or `--oed-alpha`).
    public static let linearLimitGy = 2.0

    /// The OED shape used for one organ of a plan and its OED; nil OED (with the reason as model) when
    /// the organ is in field beyond the linear range and has no alpha.
    public static func organEquivalentDose(_ o: PlanDose.OrganDose, fractions: Int, parameters: OEDParameters) throws -> (model: String, oed: Double?) {
        let organ = Organ(rawValue: o.organ)!
        guard o.source != "outOfField", let dvh = o.differentialDVH else { return ("linear (mean dose)", o.meanDoseGy) }
        let d = try DifferentialDVH(doseGy: dvh.doseGy, volumeCm3: dvh.volumeCm3, source: o.organ)
        if let a = parameters.value(organ: organ, model: "linear_exponential", parameter: "alpha") {
            return ("linear-exponential alpha \(a.value) (\(a.source))", OEDModel.linearExponential(alpha: a.value).oed(d))
        }
        let maxDose = zip(d.doseGy, d.volumeCm3).filter { $0.1 > 0 }.map(\.0).max() ?? 0
        if maxDose > linearLimitGy {
            return ("not computed: in field up to \(maxDose) Gy, no cell-killing alpha for \(organ.rawValue) (give --oed-alpha \(organ.rawValue)=A)", nil)
        }
        return ("linear (low dose, no alpha needed)", OEDModel.linear.oed(d))
    }

    /// Relative dose uncertainty of an organ (lognormal sd of log dose) from its 95% interval, 0 when absent.
    static func doseSigma(_ o: PlanDose.OrganDose) -> Double {
        guard let i = o.interval95Gy, i.count == 2, i[0] > 0, i[1] > i[0] else { return 0 }
        return log(i[1] / i[0]) / (2 * 1.959964)
    }

    public init(planA: PlanDose, planB: PlanDose, model: LifetimeRiskModel, ageYears: Double, sex: Sex, parameters: OEDParameters) throws {
        let plans = [planA, planB]
        labels = plans.map(\.plan.label)
        self.ageYears = ageYears; self.sex = sex
        baseline = model.baseline.name; draws = model.draws.count
        method = "OED (Schneider 2011; linear-exponential in field, linear out of field) -> BEIR VII LAR of incidence; model draws paired between plans, organ-dose uncertainty (interval95Gy, lognormal) independent per plan"
        // OED per organ per plan.
        var names: [String] = []
        for p in plans { for o in p.organs where !names.contains(o.organ) { names.append(o.organ) } }
        var rows: [OrganRow] = []
        var siteDose: [[RiskSite: Gray]] = [[:], [:]]
        var siteSigma: [[RiskSite: Double]] = [[:], [:]]
        var otherOEDs: [[Double]] = [[], []], otherSigmas: [[Double]] = [[], []]
        var skipped: [[String]] = [[], []]
        for name in names {
            let organ = Organ(rawValue: name)!
            let site = RiskSite.allCases.first { $0.organ == organ }
            var row = OrganRow(organ: name, site: site, source: [], model: [], meanDoseGy: [], oedGy: [])
            for (k, p) in plans.enumerated() {
                guard let o = p.organs.first(where: { $0.organ == name }) else {
                    row.source.append("-"); row.model.append("-"); row.meanDoseGy.append(nil); row.oedGy.append(nil); continue
                }
                let (m, oedValue) = try Self.organEquivalentDose(o, fractions: p.plan.fractions, parameters: parameters)
                row.source.append(o.source); row.model.append(m); row.meanDoseGy.append(o.meanDoseGy); row.oedGy.append(oedValue)
                guard let oed = oedValue else { skipped[k].append(name); continue }
                if let site, site.applies(to: sex) { siteDose[k][site] = Gray(oed); siteSigma[k][site] = Self.doseSigma(o) }
                else if site == nil, organ != .boneSurface, organ != .skin, organ != .eyeLens { otherOEDs[k].append(oed); otherSigmas[k].append(Self.doseSigma(o)) }
            }
            rows.append(row)
        }
        for k in 0..<2 where !otherOEDs[k].isEmpty {
            siteDose[k][.other] = Gray(otherOEDs[k].reduce(0, +) / Double(otherOEDs[k].count))
            siteSigma[k][.other] = otherSigmas[k].max() ?? 0
        }
        notComputed = skipped
        organs = rows
        // LAR per site, paired draws.
        let n = model.draws.count
        var totals = [[Double]](repeating: [Double](repeating: 0, count: n), count: 2)
        var totalEst = [0.0, 0.0]
        var sites: [SiteRow] = []
        for site in RiskSite.allCases where site.applies(to: sex) {
            guard siteDose[0][site] != nil || siteDose[1][site] != nil else { continue }
            var lar: [RiskSummary?] = [], drawsBy: [[Double]?] = []
            var note: String?
            for k in 0..<2 {
                guard let d = siteDose[k][site] else { lar.append(nil); drawsBy.append(nil); continue }
                guard let r = model.siteRisk(site: site, sex: sex, outcome: .incidence, exposures: [Exposure(ageYears: ageYears, doses: [site: d])]) else {
                    note = model.unavailable[.incidence]?[sex]?[site]; lar.append(nil); drawsBy.append(nil); continue
                }
                // Dose uncertainty of this plan's organ (independent between plans), lognormal from interval95Gy.
                var rd = r.draws
                if let sigma = siteSigma[k][site], sigma > 0 {
                    var rng = RandomStream(seed: model.draws.seed, stream: UInt64(9000 + k * 100 + RiskSite.allCases.firstIndex(of: site)!))
                    for i in 0..<n { rd[i] *= exp(sigma * rng.normal() - sigma * sigma / 2) }
                }
                lar.append(RiskSummary(estimate: r.estimate, draws: rd)); drawsBy.append(rd)
                totalEst[k] += r.estimate
                for i in 0..<n { totals[k][i] += rd[i] }
            }
            var ratio: RiskSummary?
            if let a = drawsBy[0], let b = drawsBy[1], let ea = lar[0]?.estimate, let eb = lar[1]?.estimate, ea > 0 {
                ratio = RiskSummary(estimate: eb / ea, draws: zip(a, b).map { $0.0 != 0 ? $0.1 / $0.0 : .nan }.filter(\.isFinite))
            }
            sites.append(SiteRow(site: site, lar: lar, ratio: ratio, note: note))
        }
        self.sites = sites
        total = [RiskSummary(estimate: totalEst[0], draws: totals[0]), RiskSummary(estimate: totalEst[1], draws: totals[1])]
        totalRatio = RiskSummary(estimate: totalEst[1] / totalEst[0],
                                 draws: zip(totals[0], totals[1]).map { $0.0 != 0 ? $0.1 / $0.0 : .nan }.filter(\.isFinite))
    }
}
