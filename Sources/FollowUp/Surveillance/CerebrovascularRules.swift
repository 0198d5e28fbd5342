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
/// Neither the carotid arteries nor the head as a whole are organs of the shared list: both rules
/// select courses by field (`FieldExposure.neckFields`, `fieldsExposing[.brain]`). The carotid dose of
/// a neck course is the carotid arteries' DVH mean, else the phantom estimate from the thyroid and
/// salivary glands, else the prescribed dose (`RegionDose`); a head or brain course of the
/// cerebrovascular rule gives its brain mean dose where known (any dose qualifies, so the dose only
/// informs), else its prescribed dose.
extension SurveillanceRules {
    /// Prescribed dose (Gy) of neck fields from which carotid ultrasound applies (COG, via Bryce 2025).
    public static let neckCarotidUltrasoundGy = 40.0
    /// Years after the neck radiotherapy at which the carotid ultrasound is due (COG, via Bryce 2025).
    public static let carotidUltrasoundAfterYears = 10

    static func cerebrovascularItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        var sources: [DoseSource] = [], basis: [String] = [], ends: [CalendarDate] = []
        for (i, c) in s.radiotherapy.enumerated() where c.prescribedDoseGy > 0 {
            let neck = FieldExposure.matches(targetSite: c.targetSite, FieldExposure.neckFields)
            guard neck || FieldExposure.exposes(targetSite: c.targetSite, .brain) else { continue }
            let line: (source: DoseSource, basis: String)
            if neck {
                let d = RegionDose.course(c, index: i, .carotidArteries)
                line = (d.source, d.basis)
            } else if let brain = c.organMeanDoseGy?[Organ.brain.rawValue] {
                line = (.phantomEstimate, "course \(i + 1) (\(c.targetSite)): brain mean dose \(format(brain)) Gy from the RT organ doses (phantom estimate)")
            } else {
                line = (.prescribedFallback, "course \(i + 1) (\(c.targetSite)): prescribed \(format(c.prescribedDoseGy)) Gy of a field exposing the head or brain (prescribed-dose fallback)")
            }
            if !sources.contains(line.source) { sources.append(line.source) }
            basis.append(line.basis)
            if let end = CalendarDate(iso: c.endDate) { ends.append(end) }
        }
        guard let lastEnd = ends.max() else { return nil }
        return SurveillanceItem(
            rule: "cerebrovascular", lateEffect: "Cerebrovascular problems (carotid artery disease, cerebrovascular accidents, aneurysm, cavernomas)",
            trigger: "radiotherapy to a volume exposing the head, brain or neck (any dose qualifies)",
            doseBasis: basis.joined(separator: "; "),
            riskGroup: nil, strength: "recommended (PanCare; the strength grade is not in the sources reached)",
            modality: "discuss the importance of controlling cardiovascular and stroke risk factors (hypertension, diabetes, dyslipidaemia, obesity, smoking, low physical activity); imaging as appropriate and/or referral to a neurologist, neurosurgeon or vascular specialist",
            frequency: "no interval given by the source (counselling at follow-up)",
            startAgeYears: age(lastEnd), startDate: lastEnd.description,
            sources: ["PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 20.1 (RT to a volume exposing the head, brain or neck) and 20.2 (including TBI), recommendation GUIDELINE_T20 (cerebrovascular problem)"],
            doseSources: DoseSource.allCases.filter(sources.contains).map(\.rawValue))
    }

    static func carotidItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let e = RegionDose.exposure(s, .carotidArteries) { FieldExposure.matches(targetSite: $0, FieldExposure.neckFields) }
        guard e.doseGy >= neckCarotidUltrasoundGy, let lastEnd = e.lastEnd else { return nil }
        let start = lastEnd.adding(years: carotidUltrasoundAfterYears)
        return SurveillanceItem(
            rule: "carotid_artery_disease", lateEffect: "Carotid artery disease",
            trigger: "neck radiotherapy: \(format(e.doseGy)) Gy \(e.sourceLabel)", doseBasis: e.basis.joined(separator: "; "),
            riskGroup: "≥ 40 Gy", strength: "recommended (COG; strength score not given in the sources used)",
            modality: "carotid ultrasound",
            frequency: "once, 10 years after the radiotherapy (later intervals are not in the sources reached)",
            startAgeYears: age(start), startDate: start.description,
            sources: ["Children's Oncology Group (COG) Long-Term Follow-Up Guidelines, as reported by the Childhood Cancer Survivor Study (Bryce Y et al., Cancer 131 (2025) e35591): carotid ultrasound 10 years after neck radiotherapy ≥ 40 Gy"],
            doseSources: e.sources.map(\.rawValue))
    }
}
