import Foundation
import HarmonicCore

/// The dose that enters the BEIR VII LAR for an organ of a radiotherapy course known only by its mean
/// dose (the store's `rt_course_organ_dose` keeps means, not DVHs), following the same rules as
/// `PlanComparison.organEquivalentDose` for organs with a DVH:
///
/// - an organ with a shipped linear-exponential alpha (`schneider_oed_parameters.csv`, Schneider et al.
///   2005 Table 1; breast Schneider et al. 2011) takes `D exp(-alpha D)` of its mean dose `D`: the
///   organ equivalent dose of a uniform dose (Schneider, Zwahlen, Ross, Kaser-Hotz, Int J Radiat Oncol
///   Biol Phys 61 (2005) 1510). For a non-uniform dose the true OED is lower where the shape is
///   concave (`D < 2/alpha`, Jensen's inequality), so this is an upper bound of the plan's OED there;
/// - an organ without an alpha whose mean dose is at most `PlanComparison.linearLimitGy` takes its
///   mean dose (the linear, low-dose path of BEIR VII);
/// - an organ without an alpha above that limit is left out (nil), never extrapolated linearly to
///   therapeutic doses; callers count and report it.
public enum MeanDoseRiskEquivalent {
    /// The risk-equivalent dose (Gy) of `organ` with mean dose `meanGy`, and the rule used; nil when
    /// the organ is left out.
    public static func dose(organ: Organ, meanGy: Double, parameters: OEDParameters) -> (doseGy: Double?, rule: String) {
        guard meanGy.isFinite, meanGy >= 0 else { return (nil, "not computed: mean dose \(meanGy) Gy is not a dose") }
        if let a = parameters.value(organ: organ, model: "linear_exponential", parameter: "alpha") {
            return (meanGy * exp(-a.value * meanGy), "linear-exponential OED of the mean dose, alpha \(a.value) (\(a.source))")
        }
        if meanGy <= PlanComparison.linearLimitGy { return (meanGy, "linear (mean dose within the low-dose range)") }
        return (nil, "not computed: mean dose \(String(format: "%.3g", meanGy)) Gy above \(PlanComparison.linearLimitGy) Gy and no cell-killing alpha for \(organ.rawValue)")
    }
}
