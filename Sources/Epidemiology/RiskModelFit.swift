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
    public var value: Double? { if case .value(let v) = self { v } else { nil } }
    public var text: String {
        switch self {
        case .value(let v): String(format: "%.4g", v)
        case .boundary(let b): String(format: "<%.4g (boundary)", b)
        case .notReached: "not reached"
        }
    }
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
    public static func fit(_ model: some LogLikelihoodFunction, start: [Double]? = nil, profile: [Int] = [],
                           level: Double = 0.95, saturatedLogLikelihood: Double = 0,
                           boundary: (([Double]) -> Double?)? = nil) throws -> RiskModelFit {
        let s = start ?? [Double](repeating: 0, count: model.parameterCount)
        guard model.evaluate(s) != nil else { throw FitError.startOutsideDomain }
        guard let r = MaximumLikelihood.maximise(model, start: s) else { throw FitError.startOutsideDomain }
        guard r.converged else { throw FitError.didNotConverge(iterations: r.iterations) }
        let p = model.parameterCount
        guard let obs = MaximumLikelihood.observedInformation(model, at: r.theta),
              let cov = Dense.inverseSPD(obs, p) else { throw FitError.singularInformation }
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
            let (lo, hi) = profileInterval(model, fit: fit, index: k, level: level, boundary: boundary)
            fit.parameters[k].profileLower = lo; fit.parameters[k].profileUpper = hi
        }
        return fit
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
    /// boundary first is reported as `.boundary`.
    public static func profileInterval(_ model: some LogLikelihoodFunction, fit: RiskModelFit, index k: Int,
                                       level: Double = 0.95, boundary: (([Double]) -> Double?)? = nil) -> (ProfileBound, ProfileBound) {
        let cut = Distributions.chiSquared1Quantile(level)
        let est = fit.theta[k], se = max(fit.parameters[k].standardError, 1e-8 * max(1, abs(est)))
        func side(_ dir: Double) -> ProfileBound {
            var warm = fit.theta
            var inside = est, insideDev = 0.0
            var step = se
            var outside: Double? = nil
            for _ in 0..<60 {
                let v = inside + dir * step
                var w = warm
                if let l = profileLogLikelihood(model, fit: fit, index: k, value: v, warm: &w) {
                    let dev = 2 * (fit.logLikelihood - l)
                    if dev >= cut { outside = v; break }
                    inside = v; insideDev = dev; warm = w
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
                if abs(step) > 1e8 * max(1, abs(est)) { break }
            }
            guard let out = outside else { return .notReached }
            _ = insideDev
            // Bisection between inside (dev < cut) and out (dev ≥ cut).
            var a = inside, b = out
            for _ in 0..<100 {
                let mid = 0.5 * (a + b); var w = warm
                guard let l = profileLogLikelihood(model, fit: fit, index: k, value: mid, warm: &w) else { b = mid; continue }
                if 2 * (fit.logLikelihood - l) < cut { a = mid; warm = w } else { b = mid }
                if abs(b - a) <= 1e-10 * max(abs(a), se) { break }
            }
            return .value(0.5 * (a + b))
        }
        return (side(-1), side(1))
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
        return try RiskModelFitter.fit(self, start: start ?? startingValues(), profile: prof, level: level,
                                       saturatedLogLikelihood: saturatedLogLikelihood,
                                       boundary: { self.doseBoundary(at: $0) })
    }
}
