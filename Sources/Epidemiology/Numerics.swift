import Foundation

/// Small dense linear algebra and special functions for the likelihood code (row-major p×p).
enum Dense {
    /// Solves A x = b for symmetric positive-definite A by Cholesky; adds a growing ridge
    /// (Levenberg-Marquardt style) when A is not positive definite. Returns nil if hopeless.
    static func solveSPD(_ a: [Double], _ b: [Double], _ p: Int) -> [Double]? {
        var ridge = 0.0
        let scale = (0..<p).map { max(abs(a[$0 * p + $0]), 1e-300) }.max() ?? 1
        for _ in 0..<40 {
            if let l = cholesky(a, p, ridge: ridge) { return cholSolve(l, b, p) }
            ridge = ridge == 0 ? 1e-10 * scale : ridge * 10
        }
        return nil
    }
    static func cholesky(_ a: [Double], _ p: Int, ridge: Double) -> [Double]? {
        var l = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var s = a[j * p + j] + ridge
            for k in 0..<j { s -= l[j * p + k] * l[j * p + k] }
            guard s > 0, s.isFinite else { return nil }
            let d = s.squareRoot(); l[j * p + j] = d
            for i in (j + 1)..<max(p, j + 1) {
                var t = a[i * p + j]
                for k in 0..<j { t -= l[i * p + k] * l[j * p + k] }
                l[i * p + j] = t / d
            }
        }
        return l
    }
    static func cholSolve(_ l: [Double], _ b: [Double], _ p: Int) -> [Double] {
        var y = b
        for i in 0..<p { var s = y[i]; for k in 0..<i { s -= l[i * p + k] * y[k] }; y[i] = s / l[i * p + i] }
        for i in stride(from: p - 1, through: 0, by: -1) {
            var s = y[i]; for k in (i + 1)..<max(p, i + 1) { s -= l[k * p + i] * y[k] }; y[i] = s / l[i * p + i]
        }
        return y
    }
    /// Inverse of a symmetric positive-definite matrix (nil if singular).
    static func inverseSPD(_ a: [Double], _ p: Int) -> [Double]? {
        guard let l = cholesky(a, p, ridge: 0) else { return nil }
        var inv = [Double](repeating: 0, count: p * p)
        for j in 0..<p {
            var e = [Double](repeating: 0, count: p); e[j] = 1
            let col = cholSolve(l, e, p)
            for i in 0..<p { inv[i * p + j] = col[i] }
        }
        return inv
    }
}

/// Distribution functions used for p-values and exact Poisson intervals.
public enum Distributions {
    /// Standard normal upper tail P(Z > z).
    public static func normalUpperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.0.squareRoot()) }

    /// Standard normal quantile (Acklam's algorithm refined by one Halley step; |error| < 1e-15).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1)
        let a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00]
        let b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01]
        let c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00]
        let d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00]
        var x: Double
        if p < 0.02425 {
            let q = (-2 * log(p)).squareRoot()
            x = (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        } else if p <= 1 - 0.02425 {
            let q = p - 0.5, r = q * q
            x = (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r+a[5])*q / (((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r+1)
        } else {
            let q = (-2 * log(1 - p)).squareRoot()
            x = -(((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q+c[5]) / ((((d[0]*q+d[1])*q+d[2])*q+d[3])*q+1)
        }
        let e = 0.5 * erfc(-x / 2.0.squareRoot()) - p
        let u = e * (2 * Double.pi).squareRoot() * exp(x * x / 2)
        return x - u / (1 + x * u / 2)
    }

    /// Regularised lower incomplete gamma P(a, x) (Numerical Recipes 3rd ed. §6.2: series for
    /// x < a + 1, Lentz continued fraction otherwise).
    public static func regularizedGammaP(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        let lg = logGamma(a)
        if x < a + 1 {
            var sum = 1 / a, term = sum, ap = a
            for _ in 0..<10_000 { ap += 1; term *= x / ap; sum += term; if abs(term) < abs(sum) * 1e-16 { break } }
            return sum * exp(-x + a * log(x) - lg)
        }
        var b = x + 1 - a, c = 1 / 1e-300, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a); b += 2
            d = an * d + b; if abs(d) < 1e-300 { d = 1e-300 }
            c = b + an / c; if abs(c) < 1e-300 { c = 1e-300 }
            d = 1 / d; let del = d * c; h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return 1 - exp(-x + a * log(x) - lg) * h
    }

    /// Upper tail of the chi-squared distribution with `df` degrees of freedom.
    public static func chiSquaredUpperTail(_ x: Double, df: Double) -> Double {
        x <= 0 ? 1 : 1 - regularizedGammaP(df / 2, x / 2)
    }

    /// Quantile of the Gamma(shape, 1) distribution by bisection to machine precision.
    public static func gammaQuantile(_ p: Double, shape: Double) -> Double {
        if p <= 0 { return 0 }
        var lo = 0.0, hi = max(1, shape)
        while regularizedGammaP(shape, hi) < p { lo = hi; hi *= 2 }
        for _ in 0..<200 {
            let mid = 0.5 * (lo + hi)
            if regularizedGammaP(shape, mid) < p { lo = mid } else { hi = mid }
            if hi - lo <= 1e-15 * hi { break }
        }
        return 0.5 * (lo + hi)
    }

    /// χ²₁ 95% quantile, the profile-likelihood deviance cut-off (3.841458820694124).
    public static func chiSquared1Quantile(_ level: Double) -> Double {
        let z = normalQuantile(0.5 + level / 2); return z * z
    }
}
