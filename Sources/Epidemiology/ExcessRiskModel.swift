import Foundation

/// How radiation dose enters the rate.
public enum ExcessRiskForm: String, Sendable, Codable {
    /// λ = exp(α·x) · (1 + ERR(d)·exp(γ·z)) — excess relative risk (BEIR VII, Preston et al. 2007).
    case relative = "err"
    /// λ = exp(α·x) + EAR(d)·exp(γ·z) — excess absolute risk.
    case absolute = "ear"
    /// λ = exp(α·x): background only (log-linear; put dose in x for an exponential dose term).
    case none
}

/// Shape of the excess in dose: β₁·d (linear) or β₁·d + β₂·d² (linear-quadratic).
/// A linear-exponential shape β·d·exp(δ·d) is a linear shape with dose as a modifier column.
public enum DoseShape: String, Sendable, Codable { case linear, linearQuadratic = "linear_quadratic" }

/// Poisson likelihood of grouped (cell) data for the general excess-risk model
/// λᵢ = PYᵢ · exp(α_s(i) + α·xᵢ) · (1 + f(dᵢ; β)·exp(γ·zᵢ)) and its absolute analogue.
/// With `strata`, the stratum intercepts α_s are profiled out analytically (α̂_s =
/// log(Y_s / Σ_s PY·exp(α·x)·RR)), which gives the same estimates and standard errors for the
/// remaining parameters as fitting every stratum parameter (Epicure's strata; Preston, Lubin,
/// Pierce & McConney, Epicure User's Guide 1993).
/// Parameters are ordered: background columns, dose coefficients, modifier coefficients.
public struct ExcessRiskModel: LogLikelihoodFunction {
    public var form: ExcessRiskForm
    public var shape: DoseShape
    public var events: [Double]
    public var personYears: [Double]
    public var dose: [Double]
    /// Log-linear background columns x (cell-indexed); include an intercept when not stratified.
    public var background: [[Double]]
    public var backgroundNames: [String]
    /// Modifier columns z of the excess (cell-indexed).
    public var modifiers: [[Double]]
    public var modifierNames: [String]
    /// Stratum of each cell (0..<strataCount) when the background is stratified.
    public var strata: [Int32]?
    public var strataCount: Int

    public init(form: ExcessRiskForm, shape: DoseShape = .linear, events: [Double], personYears: [Double],
                dose: [Double], background: [[Double]], backgroundNames: [String],
                modifiers: [[Double]] = [], modifierNames: [String] = [], strata: [Int32]? = nil) {
        self.form = form; self.shape = shape; self.events = events; self.personYears = personYears; self.dose = dose
        self.background = background; self.backgroundNames = backgroundNames
        self.modifiers = form == .none ? [] : modifiers; self.modifierNames = form == .none ? [] : modifierNames
        self.strata = strata; self.strataCount = strata.map { Int($0.max() ?? -1) + 1 } ?? 0
    }

    public var doseParameterCount: Int { form == .none ? 0 : (shape == .linear ? 1 : 2) }
    public var parameterCount: Int { background.count + doseParameterCount + modifiers.count }
    public var parameterNames: [String] {
        let prefix = form == .absolute ? "ear" : "err"
        let doseNames = doseParameterCount == 0 ? [] : (shape == .linear ? ["\(prefix)_per_gy"] : ["\(prefix)_per_gy", "\(prefix)_per_gy2"])
        return backgroundNames + doseNames + modifierNames.map { "modifier_" + $0 }
    }
    /// Index of the first dose coefficient (β₁) in the parameter vector.
    public var doseParameterIndex: Int? { doseParameterCount == 0 ? nil : background.count }

    /// A start vector: log overall rate for the intercept, small positive β, zero elsewhere.
    public func startingValues() -> [Double] {
        var t = [Double](repeating: 0, count: parameterCount)
        let rate = max(events.reduce(0, +), 0.5) / max(personYears.reduce(0, +), 1e-300)
        if strata == nil, let i = backgroundNames.firstIndex(of: "intercept") { t[i] = log(rate) }
        if let b = doseParameterIndex { t[b] = form == .absolute ? rate * 0.1 : 0.1 }
        return t
    }

    public func evaluate(_ theta: [Double]) -> LikelihoodValue? {
        dose.withUnsafeBufferPointer { evaluate(theta, dose: $0) }
    }

    /// The likelihood with another dose column (a dose realisation).
    public func evaluate<F: BinaryFloatingPoint>(_ theta: [Double], dose d: UnsafeBufferPointer<F>) -> LikelihoodValue? {
        let p = parameterCount, nb = background.count, nd = doseParameterCount, nm = modifiers.count
        let n = events.count
        var grad = [Double](repeating: 0, count: p), info = [Double](repeating: 0, count: p * p)
        var g = [Double](repeating: 0, count: p)
        var ll = 0.0
        let stratified = strata != nil
        // Stratum accumulators: W_s, Y_s, Σ w g, Σ w g gᵀ.
        let S = strataCount
        var W = [Double](repeating: 0, count: S), Y = [Double](repeating: 0, count: S)
        var WG = [Double](repeating: 0, count: stratified ? S * p : 0)
        var WGG = [Double](repeating: 0, count: stratified ? S * p * p : 0)
        var sumLogFactorial = 0.0
        for i in 0..<n {
            let y = events[i], t = personYears[i]
            if t <= 0 { continue }
            var eta = 0.0
            for k in 0..<nb { eta += theta[k] * background[k][i] }
            let di = Double(d[i])
            var mod = 0.0
            for k in 0..<nm { mod += theta[nb + nd + k] * modifiers[k][i] }
            let m = nm > 0 ? exp(mod) : 1
            let f = nd == 0 ? 0 : (nd == 1 ? theta[nb] * di : theta[nb] * di + theta[nb + 1] * di * di)
            let e = f * m
            var logRate: Double
            switch form {
            case .none:
                logRate = eta
                for k in 0..<nb { g[k] = background[k][i] }
            case .relative:
                let r = 1 + e
                guard r > 0 else { return nil }
                logRate = eta + log(r)
                for k in 0..<nb { g[k] = background[k][i] }
                g[nb] = di * m / r; if nd == 2 { g[nb + 1] = di * di * m / r }
                for k in 0..<nm { g[nb + nd + k] = modifiers[k][i] * e / r }
            case .absolute:
                let b = exp(eta), r = b + e
                guard r > 0 else { return nil }
                logRate = log(r)
                for k in 0..<nb { g[k] = background[k][i] * b / r }
                g[nb] = di * m / r; if nd == 2 { g[nb + 1] = di * di * m / r }
                for k in 0..<nm { g[nb + nd + k] = modifiers[k][i] * e / r }
            }
            sumLogFactorial += logGamma(y + 1)
            if stratified {
                let s = Int(strata![i]), w = t * exp(logRate)
                guard w.isFinite else { return nil }
                W[s] += w; Y[s] += y
                if y > 0 { ll += y * logRate }
                for a in 0..<p {
                    grad[a] += y * g[a]
                    let wg = w * g[a]; WG[s * p + a] += wg
                    for b in 0...a { WGG[(s * p + a) * p + b] += wg * g[b] }
                }
            } else {
                let mu = t * exp(logRate)
                guard mu.isFinite else { return nil }
                ll += (y > 0 ? y * (log(t) + logRate) : 0) - mu
                for a in 0..<p {
                    grad[a] += (y - mu) * g[a]
                    let mg = mu * g[a]
                    for b in 0...a { info[a * p + b] += mg * g[b] }
                }
            }
        }
        if stratified {
            // ℓ_p = Σ y log(PY·w) − Σ_s Y_s log W_s + Σ_s (Y_s log Y_s − Y_s): the full Poisson
            // log-likelihood at the profiled stratum intercepts.
            for i in 0..<n where events[i] > 0 && personYears[i] > 0 { ll += events[i] * log(personYears[i]) }
            for s in 0..<S where W[s] > 0 {
                if Y[s] > 0 { ll += -Y[s] * log(W[s]) + Y[s] * log(Y[s]) }
                ll -= Y[s]
                let inv = 1 / W[s]
                for a in 0..<p {
                    let ga = WG[s * p + a] * inv
                    grad[a] -= Y[s] * ga
                    for b in 0...a {
                        info[a * p + b] += Y[s] * (WGG[(s * p + a) * p + b] * inv - ga * WG[s * p + b] * inv)
                    }
                }
            }
        }
        for a in 0..<p { for b in 0..<a { info[b * p + a] = info[a * p + b] } }
        return LikelihoodValue(logLikelihood: ll - sumLogFactorial, gradient: grad, information: info)
    }

    /// Lowest value of the dose coefficient β₁ (others fixed) that keeps every rate positive,
    /// for linear ERR/EAR: the boundary the profile lower bound can run into.
    public func doseBoundary(at theta: [Double]) -> Double? {
        guard form != .none, shape == .linear, let bi = doseParameterIndex else { return nil }
        let nb = background.count, nm = modifiers.count
        var bound = -Double.infinity
        for i in events.indices where personYears[i] > 0 && dose[i] > 0 {
            var mod = 0.0
            for k in 0..<nm { mod += theta[nb + 1 + k] * modifiers[k][i] }
            let dm = dose[i] * exp(mod)
            var floor = -1 / dm
            if form == .absolute {
                var eta = 0.0; for k in 0..<nb { eta += theta[k] * background[k][i] }
                floor = -exp(eta) / dm
            }
            bound = max(bound, floor)
        }
        _ = bi
        return bound.isFinite ? bound : nil
    }
}
