import Foundation
import HarmonicCore

/// Cerebrovascular problems (carotid artery disease, stroke, aneurysm, cavernomas) after radiotherapy
/// to the head, brain or neck.
///
/// - Any dose to a volume exposing the head, brain or neck, TBI included (PanCare SurPass algorithm,
///   hl7-eu/pcsp: risk factors 20.1-20.2, recommendation GUIDELINE_T20): discuss the importance of
///   controlling cardiovascular and stroke risk factors; imaging and/or referral to a neurologist,
///   neurosurgeon or vascular specialist as appropriate. The source gives no interval.
/// - Neck radiotherapy ≥ 40 Gy: carotid ultrasound 10 years after the radiotherapy (COG Long-Term
///   Follow-Up Guidelines, as reported by the Childhood Cancer Survivor Study: Bryce Y et al., Cancer
///   131 (2025) e35591).
///
/// Neither the carotid arteries nor the head as a whole are organs of the shared list, so both rules
/// read fields and prescribed doses (`FieldExposure.neckFields`, `fieldsExposing[.brain]`).
extension SurveillanceRules {
    /// Prescribed dose (Gy) of neck fields from which carotid ultrasound applies (COG, via Bryce 2025).
    public static let neckCarotidUltrasoundGy = 40.0
    /// Years after the neck radiotherapy at which the carotid ultrasound is due (COG, via Bryce 2025).
    public static let carotidUltrasoundAfterYears = 10

    static func cerebrovascularItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let courses = s.radiotherapy.filter {
            ($0.prescribedDoseGy > 0) && (FieldExposure.exposes(targetSite: $0.targetSite, .brain)
                                          || FieldExposure.matches(targetSite: $0.targetSite, FieldExposure.neckFields))
        }
        guard let lastEnd = courses.compactMap({ CalendarDate(iso: $0.endDate) }).max() else { return nil }
        let dose = courses.reduce(0) { $0 + $1.prescribedDoseGy }
        return SurveillanceItem(
            rule: "cerebrovascular", lateEffect: "Cerebrovascular problems (carotid artery disease, cerebrovascular accidents, aneurysm, cavernomas)",
            trigger: "radiotherapy to a volume exposing the head, brain or neck: \(format(dose)) Gy (prescribed; any dose qualifies)",
            doseBasis: courses.map { "\($0.targetSite): prescribed \(format($0.prescribedDoseGy)) Gy of a field exposing the head, brain or neck (the rule has no dose threshold)" }
                .joined(separator: "; "),
            riskGroup: nil, strength: "recommended (PanCare; the strength grade is not in the sources reached)",
            modality: "discuss the importance of controlling cardiovascular and stroke risk factors (hypertension, diabetes, dyslipidaemia, obesity, smoking, low physical activity); imaging as appropriate and/or referral to a neurologist, neurosurgeon or vascular specialist",
            frequency: "no interval given by the source (counselling at follow-up)",
            startAgeYears: age(lastEnd), startDate: lastEnd.description,
            sources: ["PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 20.1 (RT to a volume exposing the head, brain or neck) and 20.2 (including TBI), recommendation GUIDELINE_T20 (cerebrovascular problem)"])
    }

    static func carotidItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let courses = s.radiotherapy.filter { FieldExposure.matches(targetSite: $0.targetSite, FieldExposure.neckFields) }
        let dose = courses.reduce(0) { $0 + $1.prescribedDoseGy }
        guard dose >= neckCarotidUltrasoundGy, let lastEnd = courses.compactMap({ CalendarDate(iso: $0.endDate) }).max() else { return nil }
        let start = lastEnd.adding(years: carotidUltrasoundAfterYears)
        let basis = courses.map { c in
            "\(c.targetSite): prescribed \(format(c.prescribedDoseGy)) Gy of a neck field (the threshold is on the neck field dose)"
                + (c.targetSite.lowercased().contains("craniospinal") ? "; craniospinal: the prescribed dose includes the brain boost, the neck gets less" : "")
        }
        return SurveillanceItem(
            rule: "carotid_artery_disease", lateEffect: "Carotid artery disease",
            trigger: "neck radiotherapy: \(format(dose)) Gy", doseBasis: basis.joined(separator: "; "),
            riskGroup: "≥ 40 Gy", strength: "recommended (COG; strength score not given in the sources used)",
            modality: "carotid ultrasound",
            frequency: "once, 10 years after the radiotherapy (later intervals are not in the sources reached)",
            startAgeYears: age(start), startDate: start.description,
            sources: ["Children's Oncology Group (COG) Long-Term Follow-Up Guidelines, as reported by the Childhood Cancer Survivor Study (Bryce Y et al., Cancer 131 (2025) e35591): carotid ultrasound 10 years after neck radiotherapy ≥ 40 Gy"])
    }
}
