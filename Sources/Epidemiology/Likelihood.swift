import Foundation

/// Value, score and Fisher information of a log-likelihood at one parameter vector.
public struct LikelihoodValue: Sendable {
    public var logLikelihood: Double
    public var gradient: [Double]
    /// Expected (Fisher) information, row-major p×p, used for the scoring direction.
    public var information: [Double]
}

/// A log-likelihood the optimiser can maximise: Poisson cells, Cox partial likelihood, or a
/// Monte Carlo average over dose realisations.
public protocol LogLikelihoodFunction: Sendable {
    var parameterCount: Int { get }
    var parameterNames: [String] { get }
    /// nil when θ lies outside the model's domain (a rate ≤ 0, e.g. 1 + β·d·exp(γ·z) ≤ 0).
    func evaluate(_ theta: [Double]) -> LikelihoodValue?
}

/// Safeguarded Fisher scoring: the step is halved until the parameters stay inside the
/// domain and the log-likelihood does not decrease; a ridge is added to a singular information.
public enum MaximumLikelihood {
    public struct Result: Sendable {
        public var theta: [Double]
        public var value: LikelihoodValue
        public var iterations: Int
        public var converged: Bool
    }

    /// Maximises `f` from `start`; parameters listed in `fixed` stay at their start value.
    public static func maximise(_ f: some LogLikelihoodFunction, start: [Double], fixed: Set<Int> = [],
                                maxIterations: Int = 200, tolerance: Double = 1e-10) -> Result? {
        var theta = start
        guard var cur = f.evaluate(theta) else { return nil }
        let free = (0..<f.parameterCount).filter { !fixed.contains($0) }
        let p = f.parameterCount, q = free.count
        if q == 0 { return Result(theta: theta, value: cur, iterations: 0, converged: true) }
        for it in 1...maxIterations {
            var info = [Double](repeating: 0, count: q * q), g = [Double](repeating: 0, count: q)
            for (a, i) in free.enumerated() {
                g[a] = cur.gradient[i]
                for (b, j) in free.enumerated() { info[a * q + b] = cur.information[i * p + j] }
            }
            guard let step = Dense.solveSPD(info, g, q) else { return Result(theta: theta, value: cur, iterations: it, converged: false) }
            let predicted = zip(step, g).reduce(0) { $0 + $1.0 * $1.1 }
            var t = 1.0, accepted = false
            for _ in 0..<60 {
                var trial = theta
                for (a, i) in free.enumerated() { trial[i] += t * step[a] }
                if let v = f.evaluate(trial), v.logLikelihood.isFinite, v.logLikelihood >= cur.logLikelihood - 1e-12 * abs(cur.logLikelihood) {
                    let gain = v.logLikelihood - cur.logLikelihood
                    theta = trial; cur = v; accepted = true
                    if abs(gain) < tolerance * max(1, abs(v.logLikelihood)) && predicted * t < 1e-8 {
                        return Result(theta: theta, value: cur, iterations: it, converged: true)
                    }
                    break
                }
                t *= 0.5
            }
            if !accepted {
                // No ascent possible along the scoring direction: converged if the score is tiny.
                return Result(theta: theta, value: cur, iterations: it, converged: predicted < 1e-6)
            }
        }
        return Result(theta: theta, value: cur, iterations: maxIterations, converged: false)
    }

    /// Observed information −∂²ℓ by central differences of the analytic score (symmetrised).
    public static func observedInformation(_ f: some LogLikelihoodFunction, at theta: [Double]) -> [Double]? {
        let p = f.parameterCount
        var h = [Double](repeating: 0, count: p * p)
        for k in 0..<p {
            let e = 1e-5 * max(1, abs(theta[k]))
            var up = theta, dn = theta; up[k] += e; dn[k] -= e
            if let a = f.evaluate(up), let b = f.evaluate(dn) {
                for i in 0..<p { h[i * p + k] = -(a.gradient[i] - b.gradient[i]) / (2 * e) }
            } else if let a = f.evaluate(up), let c = f.evaluate(theta) {
                for i in 0..<p { h[i * p + k] = -(a.gradient[i] - c.gradient[i]) / e }
            } else if let b = f.evaluate(dn), let c = f.evaluate(theta) {
                for i in 0..<p { h[i * p + k] = -(c.gradient[i] - b.gradient[i]) / e }
            } else { return nil }
        }
        for i in 0..<p { for j in 0..<i { let m = 0.5 * (h[i * p + j] + h[j * p + i]); h[i * p + j] = m; h[j * p + i] = m } }
        return h
    }
}
