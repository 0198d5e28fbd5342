import Foundation
import HarmonicCore

/// One measurement of an outcome (a biomarker or a patient-reported score) of a child treated with
/// radiotherapy, with the child's organ dose and covariates.
public struct OutcomeObservation: Sendable, Hashable, Codable {
    /// The child (`SITE/pseudonym`), the cluster of repeated measurements.
    public var child: String
    /// Mean dose of the analysed organ (Gy), summed over the child's courses.
    public var doseGy: Double
    public var ageAtRTYears: Double
    public var female: Bool
    /// Biomarkers: the value measured before RT (the baseline); nil for scores without one.
    public var baseline: Double?
    public var value: Double
    /// Years from the start of RT to the measurement.
    public var yearsSinceRT: Double

    public init(child: String, doseGy: Double, ageAtRTYears: Double, female: Bool, baseline: Double?, value: Double, yearsSinceRT: Double) {
        self.child = child; self.doseGy = doseGy; self.ageAtRTYears = ageAtRTYears; self.female = female
        self.baseline = baseline; self.value = value; self.yearsSinceRT = yearsSinceRT
    }
}

/// The dose coefficient of an outcome model with its uncertainty.
public struct OutcomeDoseFit: Sendable, Codable {
    public var outcome: String
    public var organ: String
    /// The model in words (formula, estimator, standard errors).
    public var model: String
    /// `log` (β is the change of log(value) per Gy) or `points` (score points per Gy).
    public var scale: String
    public var observations: Int
    public var children: Int
    /// β: the dose coefficient per Gy, its standard error, 95% interval and two-sided p-value.
    public var perGy: Double
    public var standardError: Double
    public var lower95: Double
    public var upper95: Double
    public var pValue: Double
    /// Log-scale outcomes: percent change of the value per Gy, 100 (e^β − 1), with its interval.
    public var percentPerGy: [Double]?
    /// Every coefficient of the model by name.
    public var coefficients: [String: Double]
    /// Dose range of the data (Gy): minimum, median, maximum.
    public var doseRangeGy: [Double]
}

/// Dose-response models for the biomarkers and patient-reported outcomes of the study's biology work
/// package (early detection of late effects): does the outcome change with organ dose?
///
/// - **Biomarker change, adjusted for baseline (ANCOVA)**: for the measurement after RT,
///   `log(post) = b0 + b1 log(pre) + β D + b3 age + b4 female + e`, one observation per child,
///   ordinary least squares with classical standard errors and a t(n − p) interval. Analysing the
///   follow-up value adjusted for baseline is more efficient than the change score and unbiased
///   when the dose does not depend on the baseline value (Vickers & Altman, BMJ 323 (2001) 1123).
///   On the log scale, e^β − 1 is the relative change per Gy.
/// - **Repeated scores (PRO)**: every score after RT,
///   `score = b0 + β D + b2 years since RT + b3 age + b4 female + e`, a marginal linear model fitted by
///   OLS with standard errors robust to the correlation of a child's repeated scores (cluster-robust
///   sandwich by child, CR1; equivalent to GEE with an independence working correlation, Liang &
///   Zeger, Biometrika 73 (1986) 13) and a normal interval.
public enum OutcomeDoseResponse {
    /// Fewest children a fit accepts.
    public static let minimumChildren = 10

    public struct TooFewData: Error, CustomStringConvertible {
        public var outcome: String, children: Int, needed: String
        public var description: String {
            "\(outcome): \(children) children with \(needed); a dose-response fit needs at least \(OutcomeDoseResponse.minimumChildren). Check the outcome name and that the store has organ doses (harmonic rt dose --store)."
        }
    }

    /// ANCOVA of a biomarker after RT on dose, adjusted for its baseline, age at RT and sex.
    public static func biomarkerChange(outcome: String, organ: String, _ observations: [OutcomeObservation]) throws -> OutcomeDoseFit {
        let data = observations.filter { ($0.baseline ?? 0) > 0 && $0.value > 0 && $0.doseGy.isFinite }
        guard Set(data.map(\.child)).count >= minimumChildren, data.count > 5 else {
            throw TooFewData(outcome: outcome, children: Set(data.map(\.child)).count, needed: "a positive value before and after RT and an organ dose")
        }
        let names = ["intercept", "log_baseline", "dose_gy", "age_at_rt", "female"]
        let columns = [data.map { _ in 1.0 }, data.map { log($0.baseline!) }, data.map(\.doseGy), data.map(\.ageAtRTYears), data.map { $0.female ? 1 : 0 }]
        guard let fit = LeastSquares(columns: columns, y: data.map { log($0.value) }), let k = fit.kept.firstIndex(of: 2) else {
            throw TooFewData(outcome: outcome, children: data.count, needed: "varying organ doses")
        }
        let beta = fit.coefficients[2]!, se = sqrt(fit.covariance[k][k])
        let df = Double(fit.residualDF), q = Distributions.tQuantile975(df: df)
        let lower = beta - q * se, upper = beta + q * se
        return OutcomeDoseFit(
            outcome: outcome, organ: organ,
            model: "log(after) = b0 + b1 log(before) + beta dose + b3 age at RT + b4 female; OLS, one measurement per child, classical SE, t(\(fit.residualDF)) interval",
            scale: "log", observations: data.count, children: Set(data.map(\.child)).count,
            perGy: beta, standardError: se, lower95: lower, upper95: upper, pValue: Distributions.twoSidedT(beta / se, df: df),
            percentPerGy: [beta, lower, upper].map { 100 * (exp($0) - 1) },
            coefficients: Dictionary(uniqueKeysWithValues: names.indices.compactMap { j in fit.coefficients[j].map { (names[j], $0) } }),
            doseRangeGy: range(data.map(\.doseGy)))
    }

    /// Marginal linear model of repeated scores on dose with cluster-robust standard errors by child.
    public static func repeatedScores(outcome: String, organ: String, _ observations: [OutcomeObservation]) throws -> OutcomeDoseFit {
        let data = observations.filter { $0.value.isFinite && $0.doseGy.isFinite }
        let children = Array(Set(data.map(\.child))).sorted()
        guard children.count >= minimumChildren else {
            throw TooFewData(outcome: outcome, children: children.count, needed: "a score after RT and an organ dose")
        }
        let index = Dictionary(uniqueKeysWithValues: children.enumerated().map { ($1, $0) })
        let names = ["intercept", "dose_gy", "years_since_rt", "age_at_rt", "female"]
        let columns = [data.map { _ in 1.0 }, data.map(\.doseGy), data.map(\.yearsSinceRT), data.map(\.ageAtRTYears), data.map { $0.female ? 1 : 0 }]
        guard let fit = LeastSquares(columns: columns, y: data.map(\.value)), let k = fit.kept.firstIndex(of: 1) else {
            throw TooFewData(outcome: outcome, children: children.count, needed: "varying organ doses")
        }
        let cov = fit.clusterRobustCovariance(columns: columns, clusters: data.map { index[$0.child]! })
        let beta = fit.coefficients[1]!, se = sqrt(cov[k][k]), z = 1.959963984540054
        let p = erfc(abs(beta / se) / 2.0.squareRoot())
        return OutcomeDoseFit(
            outcome: outcome, organ: organ,
            model: "score = b0 + beta dose + b2 years since RT + b3 age at RT + b4 female; OLS over every score after RT, SE cluster-robust by child (CR1), normal interval",
            scale: "points", observations: data.count, children: children.count,
            perGy: beta, standardError: se, lower95: beta - z * se, upper95: beta + z * se, pValue: p, percentPerGy: nil,
            coefficients: Dictionary(uniqueKeysWithValues: names.indices.compactMap { j in fit.coefficients[j].map { (names[j], $0) } }),
            doseRangeGy: range(data.map(\.doseGy)))
    }

    static func range(_ v: [Double]) -> [Double] {
        let s = v.sorted()
        return s.isEmpty ? [] : [s[0], s[s.count / 2], s[s.count - 1]]
    }
}
