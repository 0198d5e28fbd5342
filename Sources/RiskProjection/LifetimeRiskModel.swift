import Foundation
import HarmonicCore

/// Cancer incidence or cancer death.
public enum RiskOutcome: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable { case incidence, mortality }

/// Lifetime attributable risk (LAR) per unit dose by site, sex and age at exposure, for the central
/// BEIR VII parameters and for every Monte Carlo draw (RadRAT's method).
///
/// LAR(D, e) = sum over attained ages a >= e of  M(D, e, a) * S(a) / S(e)   (BEIR VII eq. 12-4),
/// with M = ERR * baseline rate (relative transport) or EAR (absolute transport), combined as the
/// weighted geometric mean LAR_ERR^w * LAR_EAR^(1-w) (BEIR VII ch. 12; w = 0.7, lung 0.3), solid
/// cancers divided by the DDREF. Mortality: ERR times baseline cancer mortality, EAR times the ratio of
/// baseline mortality to incidence (BEIR VII ch. 12, "mortality ... using incidence models"). Sums run
/// over single years a in [e, 100) at the middle of each year, S at mid-year; fractional ages at
/// exposure interpolate linearly between whole years. A draw in which a normal-sampled beta goes
/// negative falls back to the arithmetic mixture (a geometric mean needs positive parts).
public struct LifetimeRiskModel: Sendable {
    public let models: Beir7Models
    public let baseline: Baseline
    public let draws: ParameterDraws
    public let latency: Latency
    public let applyDDREF: Bool
    static let ages = Baseline.maxAge
    /// Years after exposure over which the latency ramp can still be below 1.
    static let rampYears = 12

    /// Per-Gy coefficients: `[outcome][sex][site]`, each nil (not computable) or a table.
    let tables: [[[RiskSite: CoefficientTable]]]
    /// Whole ages at exposure whose coefficients were computed.
    let computedAges: [Bool]
    /// Why a site cannot be projected, by outcome, sex, site.
    public let unavailable: [RiskOutcome: [Sex: [RiskSite: String]]]

    struct CoefficientTable: Sendable {
        /// Central estimate per whole age at exposure 0..<100.
        var central: [Double]
        /// Draw-major: `draws[d * ages + e]`.
        var draws: [Double]
    }

    /// Tables for every sex and age at exposure 0-99, or, to save time when only a few are needed, for
    /// `sexes` and the whole years around `agesAtExposure` (other ages then give no coefficient: asking
    /// for one is a programming error caught by a precondition).
    public init(models: Beir7Models, baseline: Baseline, draws: ParameterDraws, latency: Latency = .radratSigmoid, ddref: Bool = true,
                sexes: [Sex] = Sex.allCases, agesAtExposure: [Double]? = nil) {
        self.models = models; self.baseline = baseline; self.draws = draws; self.latency = latency; self.applyDDREF = ddref
        var needed = [Bool](repeating: agesAtExposure == nil, count: LifetimeRiskModel.ages)
        for a in agesAtExposure ?? [] {
            let (i, _) = LifetimeRiskModel.interpolationIndex(a)
            needed[i] = true; needed[min(i + 1, LifetimeRiskModel.ages - 1)] = true
        }
        self.computedAges = needed
        let agesNeeded = needed
        let jobs = RiskOutcome.allCases.flatMap { o in sexes.map { (o, $0) } }
        let results = ConcurrentResults<([RiskSite: CoefficientTable], [RiskSite: String])>(count: jobs.count)
        DispatchQueue.concurrentPerform(iterations: jobs.count) { j in
            let (o, sex) = jobs[j]
            var t: [RiskSite: CoefficientTable] = [:], why: [RiskSite: String] = [:]
            for site in RiskSite.allCases where site.applies(to: sex) {
                switch LifetimeRiskModel.table(site: site, sex: sex, outcome: o, models: models, baseline: baseline,
                                               draws: draws, latency: latency, ddref: ddref, ages: agesNeeded) {
                case .success(let table): t[site] = table
                case .failure(let reason): why[site] = reason.message
                }
            }
            results.set(j, (t, why))
        }
        var tables: [[[RiskSite: CoefficientTable]]] = [], unavailable: [RiskOutcome: [Sex: [RiskSite: String]]] = [:]
        for (oi, o) in RiskOutcome.allCases.enumerated() {
            var bySex: [[RiskSite: CoefficientTable]] = []
            for sex in Sex.allCases {
                guard let si = sexes.firstIndex(of: sex) else { bySex.append([:]); continue }
                let r = results.value(oi * sexes.count + si)
                bySex.append(r.0); unavailable[o, default: [:]][sex] = r.1
            }
            tables.append(bySex)
        }
        self.tables = tables; self.unavailable = unavailable
    }

    struct Reason: Error { var message: String }

    /// The summand of the lifetime sum for one scale, years a = e..<100 (index a - e), without beta.
    static func summands(site: RiskSite, sex: Sex, scale: RiskScale, outcome: RiskOutcome, e: Int,
                         solid: SolidCancerTerm?, leukaemia: LeukaemiaTerm?, baseline: Baseline,
                         incidence: [Double], mortality: [Double]?, survival: [Double], q: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: ages - e)
        for a in e..<ages {
            let mid = Double(a) + 0.5, t = mid - Double(e)
            let shape = solid?.modifier(site: site, ageAtExposure: Double(e), attainedAge: mid)
                ?? leukaemia!.modifier(ageAtExposure: Double(e), yearsSince: t)
            let base: Double
            switch (scale, outcome) {
            case (.err, .incidence): base = incidence[a]
            case (.err, .mortality): base = mortality![a]
            case (.ear, .incidence): base = 1e-4
            case (.ear, .mortality): base = incidence[a] > 0 ? 1e-4 * mortality![a] / incidence[a] : 0
            }
            out[a - e] = shape * base * survival[a] * (1 - q[a] / 2) / survival[e]
        }
        return out
    }

    static func table(site: RiskSite, sex: Sex, outcome: RiskOutcome, models: Beir7Models, baseline: Baseline,
                      draws: ParameterDraws, latency: Latency, ddref: Bool, ages needed: [Bool]) -> Result<CoefficientTable, Reason> {
        // Incidence rates are needed except for the EAR-only breast incidence model; mortality needs both.
        let earOnly = site.isSolid && models.solid[sex]?[site]?.err == nil
        let incidenceRates = baseline.incidence[sex]?[site]
        if incidenceRates == nil && !(earOnly && outcome == .incidence) {
            return .failure(Reason(message: "baseline '\(baseline.name)' has no \(site.rawValue) incidence rates for sex \(sex.rawValue)"))
        }
        let incidence = incidenceRates ?? [Double](repeating: 0, count: ages)
        let mortality = baseline.mortality[sex]?[site]
        if outcome == .mortality && mortality == nil {
            return .failure(Reason(message: "baseline '\(baseline.name)' has no \(site.rawValue) mortality rates for sex \(sex.rawValue)"))
        }
        let si = Sex.allCases.firstIndex(of: sex)!
        var scales: [(RiskScale, SolidCancerTerm?, LeukaemiaTerm?, Double, [Double])] = []   // scale, terms, central beta, draw betas
        let weight: Double
        if site == .leukaemia {
            let pair = models.leukaemia[sex]!
            scales = [(.err, nil, pair.err, pair.err.beta, draws.leukaemiaBeta[si][.err]!),
                      (.ear, nil, pair.ear, pair.ear.beta, draws.leukaemiaBeta[si][.ear]!)]
            weight = models.leukaemiaWeightERR
        } else {
            guard let m = models.solid[sex]?[site] else {
                return .failure(Reason(message: "BEIR VII gives no \(site.rawValue) model for sex \(sex.rawValue)"))
            }
            for term in [m.err, m.ear].compactMap({ $0 }) {
                scales.append((term.scale, term, nil, term.beta.estimate, draws.solidBeta[si][site]![term.scale]!))
            }
            weight = m.err == nil ? 0 : (m.ear == nil ? 1 : m.weightERR)
        }
        let cls = LatencyClass(site)
        let survival = baseline.survival(sex), q = baseline.deathProbability[sex]!
        let n = draws.count, ramp = rampYears
        // Latency weights of the first `ramp` years after exposure, per draw.
        var rampWeights = [Double](repeating: 0, count: n * ramp)
        for d in 0..<n {
            let mid = draws.latencyMidpoint?[cls.rawValue][d]
            for k in 0..<ramp { rampWeights[d * ramp + k] = cls.weight(t: Double(k) + 0.5, midpoint: mid) }
        }
        var central = [Double](repeating: 0, count: ages)
        var perDraw = [Double](repeating: 0, count: n * ages)
        var partsCentral = [Double](repeating: 0, count: scales.count)
        var parts = [[Double]](repeating: [Double](repeating: 0, count: n), count: scales.count)
        for e in 0..<ages where needed[e] {
            for (k, (scale, solid, leuk, betaC, betas)) in scales.enumerated() {
                let s = summands(site: site, sex: sex, scale: scale, outcome: outcome, e: e, solid: solid, leukaemia: leuk,
                                 baseline: baseline, incidence: incidence, mortality: mortality, survival: survival, q: q)
                var c = 0.0
                for (i, v) in s.enumerated() where cls.weight(t: Double(i) + 0.5, midpoint: nil) > 0 { c += v }
                partsCentral[k] = betaC * c
                var tail = 0.0
                if s.count > ramp { for i in ramp..<s.count { tail += s[i] } }
                let head = min(ramp, s.count)
                for d in 0..<n {
                    var sum = tail
                    let base = d * ramp
                    for i in 0..<head { sum += rampWeights[base + i] * s[i] }
                    parts[k][d] = betas[d] * sum
                }
            }
            let divC = (site.isSolid && ddref) ? 1.5 : 1
            central[e] = combine(partsCentral, weight: weight) / divC
            var p = [Double](repeating: 0, count: scales.count)
            for d in 0..<n {
                for k in 0..<scales.count { p[k] = parts[k][d] }
                perDraw[d * ages + e] = combine(p, weight: weight) / (site.isSolid ? draws.ddref[d] : 1)
            }
        }
        return .success(CoefficientTable(central: central, draws: perDraw))
    }

    /// Weighted geometric mean of ERR- and EAR-based LAR (one part: that part).
    @inline(__always)
    static func combine(_ p: [Double], weight w: Double) -> Double {
        if p.count == 1 { return p[0] }
        if w >= 1 { return p[0] }
        if w <= 0 { return p[1] }
        if p[0] > 0 && p[1] > 0 { return exp(w * log(p[0]) + (1 - w) * log(p[1])) }
        return w * p[0] + (1 - w) * p[1]
    }

    /// LAR per Gy (solid) or per unit of the leukaemia dose factor, central estimate, at a (possibly
    /// fractional) age at exposure; nil when the site cannot be projected.
    public func centralCoefficient(site: RiskSite, sex: Sex, outcome: RiskOutcome, ageAtExposure e: Double) -> Double? {
        guard let t = table(site, sex, outcome) else { return nil }
        let (i, f) = LifetimeRiskModel.interpolationIndex(e)
        precondition(computedAges[i], "age at exposure \(e) was not among the ages this model was built for")
        return (1 - f) * t.central[i] + f * t.central[min(i + 1, LifetimeRiskModel.ages - 1)]
    }

    func table(_ site: RiskSite, _ sex: Sex, _ outcome: RiskOutcome) -> CoefficientTable? {
        tables[RiskOutcome.allCases.firstIndex(of: outcome)!][Sex.allCases.firstIndex(of: sex)!][site]
    }

    @inline(__always)
    static func interpolationIndex(_ e: Double) -> (Int, Double) {
        let c = max(0, min(e, Double(ages - 1)))
        let i = Int(c)
        return (i, c - Double(i))
    }

    /// The dose factor of a site: D for solid cancers, the weighted geometric mean of the
    /// linear-quadratic factors D(1 + theta D) of the ERR and EAR leukaemia models.
    public func doseFactor(site: RiskSite, sex: Sex, dose: Gray) -> Double {
        let d = dose.value
        guard site == .leukaemia, d > 0 else { return d }
        let pair = models.leukaemia[sex]!, w = models.leukaemiaWeightERR
        return exp(w * log(pair.err.doseFactor(d)) + (1 - w) * log(pair.ear.doseFactor(d)))
    }
}

/// Write-once slots filled from `concurrentPerform` iterations.
final class ConcurrentResults<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.lock(); slots[i] = v; lock.unlock() }
    func value(_ i: Int) -> T { lock.lock(); defer { lock.unlock() }; return slots[i]! }
}
