import Foundation

/// Cox partial likelihood (Breslow ties) for counting-process data (start, stop], with the
/// same relative-risk forms as the Poisson model: r = exp(α·x)·(1 + β·d·exp(γ·z)) (ERR) or
/// r = exp(α·x) (log-linear; put dose in x). Time-dependent cumulative dose comes from
/// splitting follow-up (`PersonYearResult.intervals`). Risk set at an event time t: every
/// interval with start < t ≤ stop (Therneau & Grambsch 2000, §3.7; Breslow 1974).
public struct CoxModel: LogLikelihoodFunction {
    public var form: ExcessRiskForm
    public var start: [Double]
    public var stop: [Double]
    public var event: [Bool]
    public var dose: [Double]
    public var covariates: [[Double]]
    public var covariateNames: [String]
    public var modifiers: [[Double]]
    public var modifierNames: [String]
    /// Risk sets of one stratum: intervals sorted by start and by stop, distinct event times.
    struct RiskSets: Sendable { var byStart: [Int]; var byStop: [Int]; var eventTimes: [Double]; var events: [Int] }
    let groups: [RiskSets]

    /// `strata` (optional, one value per interval) gives a stratified Cox model: risk sets are
    /// formed within each stratum, each with its own baseline hazard (Therneau & Grambsch 2000, §3.3).
    public init(form: ExcessRiskForm, start: [Double], stop: [Double], event: [Bool], dose: [Double],
                covariates: [[Double]] = [], covariateNames: [String] = [], modifiers: [[Double]] = [], modifierNames: [String] = [],
                strata: [Int32]? = nil) {
        precondition(form != .absolute, "the Cox model has no absolute-risk form")
        self.form = form; self.start = start; self.stop = stop; self.event = event; self.dose = dose
        self.covariates = covariates; self.covariateNames = covariateNames
        self.modifiers = form == .relative ? modifiers : []; self.modifierNames = form == .relative ? modifierNames : []
        var members: [Int32: [Int]] = [:]
        if let strata { for i in start.indices { members[strata[i], default: []].append(i) } } else { members[0] = Array(start.indices) }
        groups = members.keys.sorted().map { k in
            let idx = members[k]!
            let ev = idx.filter { event[$0] }.sorted { stop[$0] < stop[$1] }
            return RiskSets(byStart: idx.sorted { start[$0] < start[$1] }, byStop: idx.sorted { stop[$0] < stop[$1] },
                            eventTimes: Array(Set(ev.map { stop[$0] })).sorted(), events: ev)
        }.filter { !$0.events.isEmpty }
    }

    public var parameterCount: Int { covariates.count + (form == .relative ? 1 + modifiers.count : 0) }
    public var parameterNames: [String] { covariateNames + (form == .relative ? ["err_per_gy"] + modifierNames.map { "modifier_" + $0 } : []) }

    public func evaluate(_ theta: [Double]) -> LikelihoodValue? {
        let p = parameterCount, nx = covariates.count, nm = modifiers.count, n = start.count
        // Per-interval log r and its gradient g.
        var logr = [Double](repeating: 0, count: n), g = [Double](repeating: 0, count: n * p)
        for i in 0..<n {
            var eta = 0.0
            for k in 0..<nx { eta += theta[k] * covariates[k][i]; g[i * p + k] = covariates[k][i] }
            if form == .relative {
                var mod = 0.0
                for k in 0..<nm { mod += theta[nx + 1 + k] * modifiers[k][i] }
                let m = exp(mod), e = theta[nx] * dose[i] * m, r = 1 + e
                guard r > 0 else { return nil }
                eta += log(r)
                g[i * p + nx] = dose[i] * m / r
                for k in 0..<nm { g[i * p + nx + 1 + k] = modifiers[k][i] * e / r }
            }
            logr[i] = eta
        }
        var ll = 0.0, grad = [Double](repeating: 0, count: p), info = [Double](repeating: 0, count: p * p)
        var W = 0.0, WG = [Double](repeating: 0, count: p), WGG = [Double](repeating: 0, count: p * p)
        var eventsAt: [Int] = []
        func add(_ i: Int, _ sign: Double) {
            let w = sign * exp(logr[i]); W += w
            for a in 0..<p { let wg = w * g[i * p + a]; WG[a] += wg; for b in 0...a { WGG[a * p + b] += wg * g[i * p + b] } }
        }
        for group in groups {
          W = 0; for a in 0..<p { WG[a] = 0 }; for a in 0..<(p * p) { WGG[a] = 0 }
          let byStart = group.byStart, byStop = group.byStop, m = byStart.count
          var inStart = 0, outStop = 0
          var evIdx = group.events[...]
          for t in group.eventTimes {
            while inStart < m && start[byStart[inStart]] < t { add(byStart[inStart], 1); inStart += 1 }
            while outStop < m && stop[byStop[outStop]] < t {
                let i = byStop[outStop]; if start[i] < stop[i] { add(i, -1) }; outStop += 1
            }
            eventsAt.removeAll(keepingCapacity: true)
            while let i = evIdx.first, stop[i] == t { eventsAt.append(i); evIdx = evIdx.dropFirst() }
            let D = Double(eventsAt.count)
            guard W > 0 else { return nil }
            for i in eventsAt { ll += logr[i]; for a in 0..<p { grad[a] += g[i * p + a] } }
            ll -= D * log(W)
            for a in 0..<p {
                let ga = WG[a] / W; grad[a] -= D * ga
                for b in 0...a { info[a * p + b] += D * (WGG[a * p + b] / W - ga * WG[b] / W) }
            }
          }
        }
        for a in 0..<p { for b in 0..<a { info[b * p + a] = info[a * p + b] } }
        return LikelihoodValue(logLikelihood: ll, gradient: grad, information: info)
    }

    /// Fits by maximum partial likelihood with profile intervals for the ERR terms.
    public func fit(level: Double = 0.95, start: [Double]? = nil) throws -> RiskModelFit {
        var s = start ?? [Double](repeating: 0, count: parameterCount)
        if start == nil && form == .relative { s[covariates.count] = 0.1 }
        let prof = form == .relative ? Array(covariates.count..<parameterCount) : []
        return try RiskModelFitter.fit(self, start: s, profile: prof, level: level)
    }
}
