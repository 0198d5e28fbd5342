import Foundation
import HarmonicCore

/// The error model of the two-dimensional Monte Carlo. Every factor is lognormal (multiplicative
/// on dose); the SDs are on the natural-log scale.
///
/// Shared errors (one draw per realisation for everyone they concern):
/// - KAP-meter calibration, per hospital and era: IEC 60580 (2000) requires the dose-area
///   product meter's response within ±25%; ±35% is taken before 2000 (older meters; the limit
///   given in the brief after IEC 60580). Limits read as 95% bounds: SD = ln(1.25)/1.96 = 0.114
///   from 2000, ln(1.35)/1.96 = 0.153 before. Applies to recorded KAP (tiers event, totals).
/// - Coefficient model error, per organ, shared by all children (phantom and projection model
///   versus the real anatomy): SDs are assumptions of this reconstruction (0.20 in the field,
///   0.25 red marrow, 0.40 thyroid at the field edge, 0.50 brain out of field, 0.20 effective
///   dose), to be replaced by the coefficient library's validation.
/// - Era-level imputation parameters: the era coefficient of `KAPImputation` drawn from its
///   estimate and standard error (imputed tier).
///
/// Unshared errors (independent per procedure and realisation):
/// - individual size: organ dose per KAP scales about as weight^(-2/3) (dose per area over a
///   body of mass ∝ length³, assumption); recorded weight ± 5% (scale reading and phantom
///   scaling), unrecorded weight from the reference for age with SD 0.15 (WHO standards).
/// - projection mix (totals and imputed tiers): logistic-normal perturbation of the group's
///   class shares with the group's between-procedure spread (`ProjectionMix.spread`).
/// - per-record imputation residual: `KAPImputation.residualSD`.
public struct UncertaintyModel: Sendable, Hashable {
    public var calibrationSDBefore2000 = log(1.35) / 1.96
    public var calibrationSDFrom2000 = log(1.25) / 1.96
    /// Per `DoseQuantity`.
    public var coefficientSD: [Double] = [0.25, 0.20, 0.20, 0.20, 0.40, 0.20, 0.50, 0.20]
    public var recordedWeightSD = 0.05
    public var weightExponent = 2.0 / 3.0

    public init() {}
    public static let standard = UncertaintyModel()

    public func calibrationSD(year: Double) -> Double { year < 2000 ? calibrationSDBefore2000 : calibrationSDFrom2000 }

    /// SD of the log size factor of a child with or without a recorded weight.
    public func sizeSD(weightRecorded: Bool) -> Double {
        weightRecorded ? recordedWeightSD : weightExponent * ReferenceGrowth.logWeightSD
    }

    var fingerprint: UInt64 {
        var h = StableHash()
        for v in [calibrationSDBefore2000, calibrationSDFrom2000, recordedWeightSD, weightExponent] + coefficientSD { h.add(v) }
        return h.value
    }
}

/// Draws of the shared errors for one run: the same for every procedure they concern, keyed by
/// the group's name (not its position), so adding a hospital does not change anyone else's draws.
public struct SharedErrors: Sendable {
    public let realisations: Int
    public let seed: UInt64
    /// Coefficient-model factor (lognormal, median 1), [quantity * N + r].
    public let coefficient: [Float]
    /// Standard normal draw of each era's imputation parameter, [era * N + r].
    public let eraNormal: [Float]

    public init(seed: UInt64, realisations n: Int, model: UncertaintyModel) {
        self.seed = seed; realisations = n
        var c = [Float](repeating: 0, count: DoseQuantity.count * n)
        for q in 0..<DoseQuantity.count {
            var rng = RandomStream(seed: seed, stream: StableHash.of("coefficient|\(q)"))
            for r in 0..<n { c[q * n + r] = Float(exp(model.coefficientSD[q] * rng.normal())) }
        }
        coefficient = c
        var e = [Float](repeating: 0, count: DoseEra.all.count * n)
        for era in 0..<DoseEra.all.count {
            var rng = RandomStream(seed: seed, stream: StableHash.of("imputation-era|\(era)"))
            for r in 0..<n { e[era * n + r] = Float(rng.normal()) }
        }
        eraNormal = e
    }

    /// Calibration factors (lognormal, median 1) of one hospital and era, with the SD of the era's year.
    public func calibration(hospital: String, era: DoseEra, model: UncertaintyModel) -> [Float] {
        var rng = RandomStream(seed: seed, stream: StableHash.of("calibration|\(hospital)|\(era.start)"))
        let sd = model.calibrationSD(year: Double(era.start))
        return (0..<realisations).map { _ in Float(exp(sd * rng.normal())) }
    }
}
