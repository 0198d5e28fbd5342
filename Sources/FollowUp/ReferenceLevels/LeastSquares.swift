import Foundation

/// Ordinary least squares by modified Gram-Schmidt QR on the columns of a design matrix.
/// Columns that are (numerically) linear combinations of earlier ones are aliased: dropped and
/// reported, as R's `lm` reports NA coefficients, instead of failing on a singular system.
struct LeastSquares {
    /// Coefficients (nil for aliased columns), their covariance (for kept columns, in `kept` order),
    /// the residual sum of squares and the residual degrees of freedom.
    var coefficients: [Double?]
    var kept: [Int]
    var covariance: [[Double]]
    var rss: Double
    var residualDF: Int
    /// y − Xβ, one per observation.
    var residuals: [Double]
    /// (XᵀX)⁻¹ over the kept columns (the covariance divided by σ²), for sandwich estimators.
    var unscaledCovariance: [[Double]]

    /// `columns[j]` is column j of X (each of length n).
    init?(columns: [[Double]], y: [Double], aliasTolerance: Double = 1e-9) {
        let n = y.count
        var q: [[Double]] = []
        var r: [[Double]] = []      // r[k] = row k of R over kept columns
        var kept: [Int] = []
        for (j, col) in columns.enumerated() {
            var v = col
            let norm0 = sqrt(v.reduce(0) { $0 + $1 * $1 })
            var coeffs = [Double](repeating: 0, count: q.count)
            for k in q.indices {
                var dot = 0.0
                for i in 0..<n { dot += q[k][i] * v[i] }
                coeffs[k] = dot
                for i in 0..<n { v[i] -= dot * q[k][i] }
            }
            let norm = sqrt(v.reduce(0) { $0 + $1 * $1 })
            guard norm0 > 0, norm > aliasTolerance * norm0 else { continue }
            for i in 0..<n { v[i] /= norm }
            for k in r.indices { r[k].append(coeffs[k]) }
            r.append([Double](repeating: 0, count: kept.count) + [norm])
            q.append(v)
            kept.append(j)
        }
        let p = kept.count
        guard p > 0, n > p else { return nil }
        // Qᵀy, then back-substitution R β = Qᵀy.
        let qty = q.map { qk in zip(qk, y).reduce(0) { $0 + $1.0 * $1.1 } }
        var beta = [Double](repeating: 0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            var s = qty[k]
            for m in (k + 1)..<p { s -= r[k][m] * beta[m] }
            beta[k] = s / r[k][k]
        }
        var rss = 0.0
        var residuals = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var fit = 0.0
            for (k, j) in kept.enumerated() { fit += columns[j][i] * beta[k] }
            residuals[i] = y[i] - fit
            rss += residuals[i] * residuals[i]
        }
        // (XᵀX)⁻¹ = R⁻¹ R⁻ᵀ.
        var rInv = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for c in 0..<p {
            for k in stride(from: p - 1, through: 0, by: -1) {
                var s = k == c ? 1.0 : 0.0
                for m in (k + 1)..<p { s -= r[k][m] * rInv[m][c] }
                rInv[k][c] = s / r[k][k]
            }
        }
        let sigma2 = rss / Double(n - p)
        var unscaled = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p {
            for b in 0..<p {
                var s = 0.0
                for m in 0..<p { s += rInv[a][m] * rInv[b][m] }
                unscaled[a][b] = s
            }
        }
        let cov = unscaled.map { $0.map { $0 * sigma2 } }
        var all = [Double?](repeating: nil, count: columns.count)
        for (k, j) in kept.enumerated() { all[j] = beta[k] }
        self.coefficients = all; self.kept = kept; self.covariance = cov; self.rss = rss; self.residualDF = n - p
        self.residuals = residuals; self.unscaledCovariance = unscaled
    }

    /// Cluster-robust (sandwich) covariance of the kept coefficients, observations grouped by
    /// `clusters[i]`: (XᵀX)⁻¹ (Σ_g X_gᵀ e_g e_gᵀ X_g) (XᵀX)⁻¹ × G/(G−1) × (n−1)/(n−p), the CR1
    /// small-sample correction of Stata and of statsmodels' `cov_type="cluster"` (Cameron & Miller,
    /// J Hum Resour 50 (2015) 317, eq. 12). With one observation per cluster it is HC1.
    func clusterRobustCovariance(columns: [[Double]], clusters: [Int]) -> [[Double]] {
        let n = residuals.count, p = kept.count
        var scores: [Int: [Double]] = [:]   // Σ_i∈g x_i e_i per cluster
        for i in 0..<n {
            var s = scores[clusters[i]] ?? [Double](repeating: 0, count: p)
            for (k, j) in kept.enumerated() { s[k] += columns[j][i] * residuals[i] }
            scores[clusters[i]] = s
        }
        var meat = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for s in scores.values { for a in 0..<p { for b in 0..<p { meat[a][b] += s[a] * s[b] } } }
        let g = Double(scores.count)
        let correction = g / max(g - 1, 1) * Double(n - 1) / Double(n - p)
        var out = [[Double]](repeating: [Double](repeating: 0, count: p), count: p)
        for a in 0..<p {
            for b in 0..<p {
                var s = 0.0
                for m in 0..<p { for q in 0..<p { s += unscaledCovariance[a][m] * meat[m][q] * unscaledCovariance[q][b] } }
                out[a][b] = s * correction
            }
        }
        return out
    }
}

/// Tail probabilities of Student's t and Fisher's F, from the regularised incomplete beta function
/// I_x(a, b) evaluated by its continued fraction with the modified Lentz method (Abramowitz &
/// Stegun 26.5.8; Lentz, Appl Opt 15 (1976) 668), using the symmetry I_x(a,b) = 1 − I_{1−x}(b,a)
/// where the fraction converges slowly.
enum Distributions {
    static func regularizedIncompleteBeta(_ x: Double, _ a: Double, _ b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        if x > (a + 1) / (a + b + 2) { return 1 - regularizedIncompleteBeta(1 - x, b, a) }
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var f = d
        for m in 1...500 {
            let md = Double(m)
            // even step
            var num = md * (b - md) * x / ((a + 2 * md - 1) * (a + 2 * md))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d; f *= c * d
            // odd step
            num = -(a + md) * (a + b + md) * x / ((a + 2 * md) * (a + 2 * md + 1))
            d = 1 + num * d; if abs(d) < tiny { d = tiny }
            c = 1 + num / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = c * d
            f *= delta
            if abs(delta - 1) < 1e-15 { break }
        }
        return exp(lnFront) * f / a
    }

    /// P(|T| > |t|) for Student's t with `df` degrees of freedom.
    static func twoSidedT(_ t: Double, df: Double) -> Double {
        regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)
    }

    /// P(F > f) for Fisher's F with (d1, d2) degrees of freedom.
    static func upperF(_ f: Double, _ d1: Double, _ d2: Double) -> Double {
        guard f > 0 else { return 1 }
        return regularizedIncompleteBeta(d2 / (d2 + d1 * f), d2 / 2, d1 / 2)
    }

    /// The two-sided 95% quantile of Student's t (bisection on the tail probability).
    static func tQuantile975(df: Double) -> Double {
        var lo = 0.0, hi = 1000.0
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if twoSidedT(mid, df: df) > 0.05 { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }
}
