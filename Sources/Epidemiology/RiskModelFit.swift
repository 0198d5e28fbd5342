import Foundation

/// One end of a profile-likelihood interval.
public enum ProfileBound: Sendable, Equatable, Codable {
    /// The deviance reaches the χ²₁ cut-off at this value.
    case value(Double)
    /// The parameter hit the domain boundary (a rate would turn ≤ 0) before the cut-off:
    /// the bound lies at or beyond `boundary` and is reported as not reached.
    case boundary(Double)
    /// The cut-off was not reached within the search range (flat likelihood).
    case notReached
    /// No bound: the deviance tends to a limit below the cut-off as the parameter → +∞ (a linear
    /// ERR whose likelihood flattens to a plateau; docs/model-language.md), so the interval is
    /// open above. Proven from the limit, not from where a search stopped.
    case unbounded
    public var value: Double? { if case .value(let v) = self { v } else { nil } }
    public var text: String {
        switch self {
        case .value(let v): String(format: "%.4g", v)
        case .boundary(let b): String(format: "<%.4g (boundary)", b)
        case .notReached: "not reached"
        case .unbounded: "+∞"
        }
    }
}

/// Why a parameter has no finite maximum-likelihood estimate: the profile log-likelihood rises
/// towards a finite plateau as the parameter → +∞ (docs/model-language.md, "Unbounded ERR estimates").
public struct UnboundedEstimate: Sendable, Codable, Equatable {
    /// lim ℓ_p(β) as β → +∞: the supremum of the log-likelihood, never attained.
    public var plateauLogLikelihood: Double
    /// The largest value searched, where the profile is within `plateauTolerance` of the plateau.
    public var largestSearched: Double
    /// ℓ_p at `largestSearched`.
    public var profileLogLikelihoodAtLargest: Double
    /// What the unconstrained optimiser did (it cannot converge to a point at infinity).
    public var optimiserNote: String
    /// The estimate as text: "≥ 1.2e+07 (unbounded)".
    public var text: String { String(format: "unbounded (≥ %.3g)", largestSearched) }
}

/// One fitted parameter with its Wald and profile-likelihood intervals.
public struct ParameterEstimate: Sendable, Codable {
    public var name: String
    public var estimate: Double
    public var standardError: Double
    public var waldLower: Double
    public var waldUpper: Double
    public var profileLower: ProfileBound?
    public var profileUpper: ProfileBound?
    /// Two-sided Wald p-value for the parameter being zero.
    public var pValue: Double
    /// Set when the MLE lies at +∞: then `estimate` is +∞, and the standard error, Wald limits
    /// and p-value are NaN (the information is zero at infinity, so there is no Wald interval).
    public var unboundedAbove: UnboundedEstimate? = nil
    /// The estimate as text, "unbounded (≥ …)" when the MLE lies at +∞.
    public var estimateText: String { unboundedAbove?.text ?? String(format: "%.4g", estimate) }
}

/// A maximum-likelihood fit: estimates, covariance (inverse observed information), deviance, AIC.
public struct RiskModelFit: Sendable {
    public var parameters: [ParameterEstimate]
    public var theta: [Double]
    public var covariance: [Double]
    public var logLikelihood: Double
    /// −2ℓ + 2ℓ_saturated for Poisson cells; −2ℓ otherwise.
    public var deviance: Double
    public var aic: Double
    public var parameterCount: Int
    public var iterations: Int
    public var converged: Bool
    public var confidenceLevel: Double
    public func parameter(_ name: String) -> ParameterEstimate? { parameters.first { $0.name == name } }
}

public enum FitError: Error, CustomStringConvertible {
    case startOutsideDomain, didNotConverge(iterations: Int), singularInformation
    public var description: String {
        switch self {
        case .startOutsideDomain: "the starting values give a non-positive rate; give other start values"
        case .didNotConverge(let n): "the optimiser did not converge in \(n) iterations"
        case .singularInformation: "the information matrix is singular: a parameter is not identifiable from these data"
        }
    }
}

/// Fits a likelihood and computes intervals.
public enum RiskModelFitter {
    /// Maximises `model`, then Wald intervals for all parameters and profile-likelihood intervals
    /// for those in `profile` (indices). `saturatedLogLikelihood` turns −2ℓ into a deviance.
    /// `plateau` gives, for one parameter, the limit of the profile log-likelihood as it → +∞
    /// (`ExcessRiskModel.limitLogLikelihoodAsDoseCoefficientGrows`): when the optimiser finds no
    /// interior maximum at or above that limit, the fit reports the MLE at +∞ (`unboundedAbove`)
    /// instead of failing, and an upper profile limit that is not reached becomes `.unbounded`.
    public static func fit(_ model: some LogLikelihoodFunction, start: [Double]? = nil, profile: [Int] = [],
                           level: Double = 0.95, saturatedLogLikelihood: Double = 0,
                           boundary: (([Double]) -> Double?)? = nil,
                           plateau: (index: Int, logLikelihood: Double)? = nil) throws -> RiskModelFit {
        let s = start ?? [Double](repeating: 0, count: model.parameterCount)
        guard model.evaluate(s) != nil else { throw FitError.startOutsideDomain }
        guard let r = MaximumLikelihood.maximise(model, start: s) else { throw FitError.startOutsideDomain }
        let p = model.parameterCount
        let interior: [Double]? = r.converged ? MaximumLikelihood.observedInformation(model, at: r.theta).flatMap { Dense.inverseSPD($0, p) } : nil
        if let pl = plateau, pl.logLikelihood.isFinite,
           interior == nil || pl.logLikelihood >= r.value.logLikelihood - plateauTolerance {
            // A "maximum" within the tolerance of the plateau is the optimiser stopping far out on it
            // (steps too small to gain, information ~0 but still invertible), not an interior maximum.
            let note = !r.converged ? "the optimiser did not converge in \(r.iterations) iterations (β drifting upward, at \(String(format: "%.3g", r.theta[pl.index])))"
                : interior == nil ? "the information matrix is singular at β = \(String(format: "%.3g", r.theta[pl.index]))"
                : pl.logLikelihood > r.value.logLikelihood + plateauTolerance
                ? "the interior maximum (β = \(String(format: "%.4g", r.theta[pl.index]))) lies below the plateau"
                : "the optimiser stopped on the plateau at β = \(String(format: "%.3g", r.theta[pl.index])) (log-likelihood within \(plateauTolerance) of it)"
            if var fit = unboundedFit(model, optimum: r, plateau: pl, level: level, saturatedLogLikelihood: saturatedLogLikelihood,
                                      boundary: boundary, note: note) {
                for k in profile {
                    let (lo, hi) = profileInterval(model, fit: fit, index: k, level: level, boundary: boundary, plateau: pl)
                    fit.parameters[k].profileLower = lo; fit.parameters[k].profileUpper = hi
                }
                return fit
            }
        }
        guard r.converged else { throw FitError.didNotConverge(iterations: r.iterations) }
        guard let cov = interior else { throw FitError.singularInformation }
        let z = Distributions.normalQuantile(0.5 + level / 2)
        var params: [ParameterEstimate] = []
        for k in 0..<p {
            let se = max(cov[k * p + k], 0).squareRoot(), est = r.theta[k]
            params.append(ParameterEstimate(name: model.parameterNames[k], estimate: est, standardError: se,
                                            waldLower: est - z * se, waldUpper: est + z * se,
                                            profileLower: nil, profileUpper: nil,
                                            pValue: 2 * Distributions.normalUpperTail(abs(est / se))))
        }
        var fit = RiskModelFit(parameters: params, theta: r.theta, covariance: cov, logLikelihood: r.value.logLikelihood,
                               deviance: 2 * (saturatedLogLikelihood - r.value.logLikelihood),
                               aic: -2 * r.value.logLikelihood + 2 * Double(p), parameterCount: p,
                               iterations: r.iterations, converged: true, confidenceLevel: level)
        for k in profile {
            let (lo, hi) = profileInterval(model, fit: fit, index: k, level: level, boundary: boundary, plateau: plateau)
            fit.parameters[k].profileLower = lo; fit.parameters[k].profileUpper = hi
        }
        return fit
    }

    /// How close (log-likelihood units) the profile must come to the plateau for the search to stop.
    static let plateauTolerance = 1e-6

    /// The fit when the likelihood's supremum is the plateau as parameter `plateau.index` → +∞:
    /// walks the profile upward by doubling until it is within `plateauTolerance` of the plateau;
    /// the other parameters are reported at that point with standard errors conditional on it.
    /// nil when the profile exceeds the plateau somewhere on the way (an interior maximum the
    /// optimiser missed) or cannot be evaluated.
    static func unboundedFit(_ model: some LogLikelihoodFunction, optimum r: MaximumLikelihood.Result,
                             plateau pl: (index: Int, logLikelihood: Double), level: Double, saturatedLogLikelihood: Double,
                             boundary: (([Double]) -> Double?)?, note: String) -> RiskModelFit? {
        let k = pl.index, p = model.parameterCount
        let scale = boundary?(r.theta).map { abs($0) }.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1
        var beta = max(r.theta[k], scale), warm = r.theta
        var placeholder = RiskModelFit(parameters: [], theta: r.theta, covariance: [], logLikelihood: pl.logLikelihood,
                                       deviance: 0, aic: 0, parameterCount: p, iterations: r.iterations, converged: true,
                                       confidenceLevel: level)
        var reached: Double? = nil
        for _ in 0..<1100 {
            var w = warm
            guard let l = profileLogLikelihood(model, fit: placeholder, index: k, value: beta, warm: &w) else { return nil }
            if l > pl.logLikelihood + plateauTolerance { return nil }
            warm = w; placeholder.theta = w
            if pl.logLikelihood - l <= plateauTolerance { reached = l; break }
            beta *= 2
            if !beta.isFinite { return nil }
        }
        guard let lAtLargest = reached else { return nil }
        // Conditional standard errors of the others at β = largest searched.
        let others = (0..<p).filter { $0 != k }, q = others.count
        var cov = [Double](repeating: .nan, count: p * p)
        if q > 0, let obs = MaximumLikelihood.observedInformation(model, at: warm) {
            var sub = [Double](repeating: 0, count: q * q)
            for (a, i) in others.enumerated() { for (b, j) in others.enumerated() { sub[a * q + b] = obs[i * p + j] } }
            if let inv = Dense.inverseSPD(sub, q) {
                for (a, i) in others.enumerated() { for (b, j) in others.enumerated() { cov[i * p + j] = inv[a * q + b] } }
            }
        }
        let z = Distributions.normalQuantile(0.5 + level / 2)
        var params: [ParameterEstimate] = []
        for j in 0..<p {
            if j == k {
                params.append(ParameterEstimate(name: model.parameterNames[j], estimate: .infinity, standardError: .nan,
                                                waldLower: .nan, waldUpper: .nan, profileLower: nil, profileUpper: nil, pValue: .nan,
                                                unboundedAbove: UnboundedEstimate(plateauLogLikelihood: pl.logLikelihood, largestSearched: beta,
                                                                                  profileLogLikelihoodAtLargest: lAtLargest, optimiserNote: note)))
            } else {
                let se = cov[j * p + j].isNaN ? Double.nan : max(cov[j * p + j], 0).squareRoot(), est = warm[j]
                params.append(ParameterEstimate(name: model.parameterNames[j], estimate: est, standardError: se,
                                                waldLower: est - z * se, waldUpper: est + z * se, profileLower: nil, profileUpper: nil,
                                                pValue: 2 * Distributions.normalUpperTail(abs(est / se))))
            }
        }
        return RiskModelFit(parameters: params, theta: warm, covariance: cov, logLikelihood: pl.logLikelihood,
                            deviance: 2 * (saturatedLogLikelihood - pl.logLikelihood), aic: -2 * pl.logLikelihood + 2 * Double(p),
                            parameterCount: p, iterations: r.iterations, converged: true, confidenceLevel: level)
    }

    /// Profile log-likelihood with parameter k fixed at v (others maximised), warm-started.
    static func profileLogLikelihood(_ model: some LogLikelihoodFunction, fit: RiskModelFit, index k: Int,
                                     value v: Double, warm: inout [Double]) -> Double? {
        var starts: [[Double]] = []
        var a = warm; a[k] = v; starts.append(a)
        var b = fit.theta; b[k] = v; starts.append(b)
        var c = b; for j in c.indices where j > k { c[j] = 0 }; starts.append(c)
        for s in starts where model.evaluate(s) != nil {
            if let r = MaximumLikelihood.maximise(model, start: s, fixed: [k]) {
                warm = r.theta; return r.value.logLikelihood
            }
        }
        return nil
    }

    /// Profile-likelihood interval: roots of 2(ℓ̂ − ℓ_p(v)) = χ²₁(level) on each side, found by
    /// bracketing outward in steps of the SE and bisection; a side that reaches the domain
    /// boundary first is reported as `.boundary`. With `plateau` (the limit of ℓ_p as the
    /// parameter → +∞), an upper side not reached is `.unbounded` when 2(ℓ̂ − plateau) is below
    /// the cut-off. When the MLE lies at +∞ (`unboundedAbove`), ℓ̂ is the plateau, the upper limit
    /// is `.unbounded`, and the lower limit is bracketed by halving from the largest value searched.
    public static func profileInterval(_ model: some LogLikelihoodFunction, fit: RiskModelFit, index k: Int,
                                       level: Double = 0.95, boundary: (([Double]) -> Double?)? = nil,
                                       plateau: (index: Int, logLikelihood: Double)? = nil) -> (ProfileBound, ProfileBound) {
        let cut = Distributions.chiSquared1Quantile(level)
        let est = fit.theta[k], se = max(fit.parameters[k].standardError, 1e-8 * max(1, abs(est)))
        /// Walks from `start` (inside the interval) in direction `dir`, first step `firstStep`,
        /// then bisects; `tolScale` sets the bisection's absolute resolution near zero.
        /// `knownFinite`: the limit as the parameter → ±∞ is beyond the cut-off, so a root exists: when the
        /// first 60 steps (which grow only while the deviance is below a quarter of the cut-off) do not
        /// reach it, the walk goes on with doubling steps instead of stopping at that arbitrary cap.
        func side(_ dir: Double, start: Double, firstStep: Double, warm warm0: [Double], tolScale: Double,
                  knownFinite: Bool = false) -> ProfileBound {
            var warm = warm0
            var inside = start
            var step = firstStep
            var outside: Double? = nil
            for _ in 0..<60 {
                let v = inside + dir * step
                var w = warm
                if let l = profileLogLikelihood(model, fit: fit, index: k, value: v, warm: &w) {
                    let dev = 2 * (fit.logLikelihood - l)
                    if dev >= cut { outside = v; break }
                    inside = v; warm = w
                    step *= dev < cut / 4 ? 2 : 1
                } else {
                    // Infeasible: the domain boundary lies between `inside` and v.
                    var lo = inside, hi = v
                    for _ in 0..<60 {
                        let mid = 0.5 * (lo + hi); var w2 = warm
                        if let l = profileLogLikelihood(model, fit: fit, index: k, value: mid, warm: &w2) {
                            if 2 * (fit.logLikelihood - l) >= cut { outside = mid; break }
                            lo = mid; warm = w2
                        } else { hi = mid }
                        if abs(hi - lo) <= 1e-9 * max(1, abs(hi)) { break }
                    }
                    if outside == nil { return .boundary(boundary?(warm) ?? lo) }
                    inside = lo; break
                }
                if abs(step) > 1e8 * max(1, abs(start)) { break }
            }
            if outside == nil && knownFinite {
                for _ in 0..<400 {
                    step *= 2
                    let v = inside + dir * step
                    guard v.isFinite else { break }
                    var w = warm
                    guard let l = profileLogLikelihood(model, fit: fit, index: k, value: v, warm: &w) else { break }
                    if 2 * (fit.logLikelihood - l) >= cut { outside = v; break }
                    inside = v; warm = w
                }
            }
            guard let out = outside else { return .notReached }
            return .value(bisect(inside: inside, outside: out, warm: warm, tolScale: tolScale))
        }
        /// Bisection between `inside` (deviance < cut) and `outside` (deviance ≥ cut).
        func bisect(inside: Double, outside: Double, warm warm0: [Double], tolScale: Double) -> Double {
            var a = inside, b = outside, warm = warm0
            for _ in 0..<100 {
                let mid = 0.5 * (a + b); var w = warm
                guard let l = profileLogLikelihood(model, fit: fit, index: k, value: mid, warm: &w) else { b = mid; continue }
                if 2 * (fit.logLikelihood - l) < cut { a = mid; warm = w } else { b = mid }
                if abs(b - a) <= 1e-10 * max(abs(a), tolScale) { break }
            }
            return 0.5 * (a + b)
        }
        if let u = fit.parameters[k].unboundedAbove {
            // MLE at +∞: halve from the largest value searched until the deviance from the plateau
            // reaches the cut-off; below a small fraction of the dose scale, continue linearly to
            // zero and past it towards the domain boundary.
            let scale = boundary?(fit.theta).map { abs($0) }.flatMap { $0.isFinite && $0 > 0 ? $0 : nil } ?? 1
            var inside = u.largestSearched, warm = fit.theta
            while inside > 1e-3 * scale {
                let v = inside / 2
                var w = warm
                guard let l = profileLogLikelihood(model, fit: fit, index: k, value: v, warm: &w) else { break }
                if 2 * (fit.logLikelihood - l) >= cut {
                    return (.value(bisect(inside: inside, outside: v, warm: warm, tolScale: scale)), .unbounded)
                }
                inside = v; warm = w
            }
            return (side(-1, start: inside, firstStep: 0.25 * scale, warm: warm, tolScale: scale), .unbounded)
        }
        let lower = side(-1, start: est, firstStep: se, warm: fit.theta, tolScale: se)
        let finiteAbove = plateau.map { $0.index == k && 2 * (fit.logLikelihood - $0.logLikelihood) >= cut } ?? false
        var upper = side(1, start: est, firstStep: se, warm: fit.theta, tolScale: se, knownFinite: finiteAbove)
        if upper == .notReached, let pl = plateau, pl.index == k, 2 * (fit.logLikelihood - pl.logLikelihood) < cut { upper = .unbounded }
        return (lower, upper)
    }

    /// Likelihood-ratio test of a nested model: statistic 2(ℓ₁ − ℓ₀), df, χ² p-value.
    public static func likelihoodRatioTest(null: RiskModelFit, alternative: RiskModelFit) -> (statistic: Double, df: Int, pValue: Double) {
        let stat = max(0, 2 * (alternative.logLikelihood - null.logLikelihood))
        let df = alternative.parameterCount - null.parameterCount
        return (stat, df, Distributions.chiSquaredUpperTail(stat, df: Double(df)))
    }
}

extension ExcessRiskModel {
    /// Saturated Poisson log-likelihood Σ y log y − y − log y! (deviance reference).
    public var saturatedLogLikelihood: Double {
        var s = 0.0
        for y in events where y > 0 { s += y * log(y) - y - logGamma(y + 1) }
        return s
    }

    /// Fits the model with profile intervals for the dose and modifier coefficients.
    public func fit(level: Double = 0.95, profileAll: Bool = false, start: [Double]? = nil) throws -> RiskModelFit {
        let prof = profileAll ? Array(0..<parameterCount) : Array(background.count..<parameterCount)
        let plateau = doseParameterIndex.flatMap { k in limitLogLikelihoodAsDoseCoefficientGrows().map { (index: k, logLikelihood: $0) } }
        return try RiskModelFitter.fit(self, start: start ?? startingValues(), profile: prof, level: level,
                                       saturatedLogLikelihood: saturatedLogLikelihood,
                                       boundary: { self.doseBoundary(at: $0) }, plateau: plateau)
    }
}
