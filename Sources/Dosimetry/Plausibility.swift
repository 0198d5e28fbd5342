import Foundation

/// Impossible or absurd values that must not be dosed silently. A procedure with any of them is
/// reconstructed as tier `flagged`, with the first reason found, and gets no dose.
/// The ranges are those of the data dictionary (docs/data-dictionary.md), so a row that passed
/// ingest passes here; the checks matter for rows written by other tools and for the calculator.
public enum Plausibility {
    /// Largest plausible KAP per kg of body weight, Gy·cm²/kg: the registry's ingest guard
    /// (Registry.IngestRules.maxKAPPerKg; the highest paediatric cardiac KAPs published are
    /// ~1-5 Gy·cm²/kg, Harbron et al. Br J Radiol 2015, so 20 only catches unit errors).
    public static let maxKAPPerKg = 20.0
    /// Tube voltage range, kV (data dictionary; IEC 60601-2-43 systems work in 40-150 kV).
    public static let kVpRange = 40.0...150.0
    /// Positioner angles, degrees (DICOM PS3.3 C.8.7.5.1.2).
    public static let primaryRange = -180.0...180.0
    public static let secondaryRange = -90.0...90.0
    /// Added copper filtration, mm (data dictionary filter_thickness_mm).
    public static let copperRange = 0.0...10.0
    /// Field area at the detector, cm² (data dictionary field_area_cm2), above 0.
    public static let fieldAreaRange = 0.0...2500.0
    /// Age at procedure of the cohort, years (0-18 inclusive).
    public static let ageRange = 0.0...19.0
    /// Body weight, kg (data dictionary weight_kg).
    public static let weightRange = 0.3...150.0

    /// The reason the procedure cannot be dosed, or nil when every value is plausible.
    public static func problem(_ p: ProcedureInput, events: UnsafeBufferPointer<EventInput>) -> String? {
        if !p.ageYears.isFinite || !ageRange.contains(p.ageYears) {
            return "age at procedure \(fmt(p.ageYears)) y outside 0-18"
        }
        if p.weightKg.isFinite && !weightRange.contains(p.weightKg) {
            return "weight \(fmt(p.weightKg)) kg outside 0.3-150"
        }
        let weight = p.weightKg.isFinite ? p.weightKg : ReferenceGrowth.medianWeight(age: p.ageYears)
        if !p.totalKAP.isNaN {
            if p.totalKAP < 0 || !p.totalKAP.isFinite { return "total KAP \(fmt(p.totalKAP)) Gy·cm² is negative or not finite" }
            if p.totalKAP > maxKAPPerKg * weight {
                return "total KAP \(fmt(p.totalKAP)) Gy·cm² absurd for \(fmt(weight)) kg (> \(Int(maxKAPPerKg)) Gy·cm²/kg)"
            }
        }
        var eventKAP = 0.0
        for (j, e) in events.enumerated() {
            if !(e.kapGyCm2 >= 0) || !e.kapGyCm2.isFinite { return "event \(j + 1): KAP \(fmt(e.kapGyCm2)) Gy·cm² negative or missing" }
            if e.kVp.isFinite && !kVpRange.contains(e.kVp) { return "event \(j + 1): kVp \(fmt(e.kVp)) outside 40-150" }
            if e.primaryDegrees.isFinite && !primaryRange.contains(e.primaryDegrees) {
                return "event \(j + 1): primary angle \(fmt(e.primaryDegrees))° outside -180..180"
            }
            if e.secondaryDegrees.isFinite && !secondaryRange.contains(e.secondaryDegrees) {
                return "event \(j + 1): secondary angle \(fmt(e.secondaryDegrees))° outside -90..90"
            }
            if e.copperMillimetres.isFinite && !copperRange.contains(e.copperMillimetres) {
                return "event \(j + 1): copper filtration \(fmt(e.copperMillimetres)) mm outside 0-10"
            }
            if e.fieldAreaCm2.isFinite && !(e.fieldAreaCm2 > 0 && e.fieldAreaCm2 <= fieldAreaRange.upperBound) {
                return "event \(j + 1): field area \(fmt(e.fieldAreaCm2)) cm² outside (0, 2500]"
            }
            eventKAP += e.kapGyCm2
        }
        if eventKAP > maxKAPPerKg * weight {
            return "sum of event KAP \(fmt(eventKAP)) Gy·cm² absurd for \(fmt(weight)) kg (> \(Int(maxKAPPerKg)) Gy·cm²/kg)"
        }
        return nil
    }

    static func fmt(_ v: Double) -> String { v.isFinite ? String(format: "%g", v) : "\(v)" }
}
