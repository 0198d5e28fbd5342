import Foundation
import HarmonicCore

/// Hypothalamic-pituitary (HP) axis problems (growth hormone, TSH, LH/FSH and ACTH deficiency) after
/// radiotherapy to a volume exposing the HP region, including TBI, or surgery near or within it; and
/// central precocious puberty after such radiotherapy.
///
/// Sources: PanCare follow-up recommendations, "Hypothalamic-pituitary (HP) axis problems" (IGHG:
/// van Iersel L et al., Endocr Rev 43 (2022) 794-823): refer survivors with ≥ 30 Gy to the HP region
/// directly to a (paediatric) endocrinologist or a multidisciplinary team; initiate surveillance
/// ≥ 6 months from the end of radiotherapy. The PanCare SurPass algorithm (hl7-eu/pcsp, risk factors
/// 15.1 "≥ 30 Gy", 16.1 "< 30 Gy"; recommendations GUIDELINE_T15-T16) gives the modality and frequency
/// of the standard-risk surveillance. PanCare "central precocious puberty (CPP)" (same IGHG guideline)
/// gives the CPP surveillance (PanCare SurPass GUIDELINE_T17/T18 is its earlier wording).
///
/// The store's organ list has no hypothalamus or pituitary, so each course's HP dose is, in order of
/// preference, the hypothalamus or pituitary mean dose from the plan's DVH, the brain mean dose of a
/// whole-brain field (phantom estimate), or the prescribed dose of a field exposing the HP region
/// (`FieldExposure.hypothalamicPituitaryFields`; an upper bound for focal fields and craniospinal
/// courses); `RegionDose` gives the physics and sources. Doses add up over courses; the item lists
/// which sources it read.
extension SurveillanceRules {
    /// Prescribed dose (Gy) to a volume exposing the HP region from which survivors are high risk
    /// (PanCare HP axis problems; PanCare SurPass risk factor 15.1).
    public static let hypothalamicPituitaryHighRiskGy = 30.0
    /// Months after the end of radiotherapy at which HP surveillance starts ("≥ 6 months from the end
    /// of radiotherapy", PanCare HP axis problems; "6-12 months", PanCare SurPass GUIDELINE_T16), and
    /// after its start for central precocious puberty ("at 6 months from start of radiotherapy", PanCare CPP).
    public static let hypothalamicPituitaryStartMonths = 6
    /// Ages (years) below which central precocious puberty is watched for: girls 8, boys 9 (PanCare
    /// CPP; PanCare SurPass GUIDELINE_T17/T18).
    public static let precociousPubertyAgeGirls = 8.0, precociousPubertyAgeBoys = 9.0

    static func hypothalamicPituitaryExposure(_ s: TreatmentSummary) -> RegionDose.Exposure? {
        let e = RegionDose.exposure(s, .hypothalamicPituitary) { FieldExposure.matches(targetSite: $0, FieldExposure.hypothalamicPituitaryFields) }
        return e.lastEnd == nil ? nil : e
    }

    /// Surgery regions of the data dictionary that are "near or within the HP region" (PanCare HP axis
    /// problems; PanCare SurPass risk factor 15.2): `hypothalamic_pituitary`. A `brain` operation does not
    /// say where in the brain, so it is not counted.
    public static let hypothalamicPituitarySurgeryRegions: Set<String> = ["hypothalamic_pituitary"]

    /// HP axis problems after radiotherapy exposing the HP region, or surgery near or within it. Surgery
    /// puts the survivor in the high-risk group (refer directly; PanCare HP axis problems, SurPass risk
    /// factor 15.2) from the day of the operation (the source gives no delay for a direct referral);
    /// radiotherapy from 6 months after its last course. With both, the earlier start applies. CNS tumours
    /// near the HP region (15.3) and hydrocephalus or shunts (16.2) are risk factors too, but the data
    /// dictionary does not hold them.
    static func hypothalamicPituitaryItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let e = hypothalamicPituitaryExposure(s)
        let surgeries = (s.surgeries ?? []).filter { hypothalamicPituitarySurgeryRegions.contains($0.region.lowercased()) }
        let surgeryDates = surgeries.compactMap { CalendarDate(iso: $0.date) }
        let rtStart = e?.lastEnd?.addingMonths(hypothalamicPituitaryStartMonths)
        guard let start = (surgeryDates + [rtStart].compactMap { $0 }).min() else { return nil }
        var trigger: [String] = [], high: [String] = []
        if let e {
            trigger.append("radiotherapy to a volume exposing the hypothalamic-pituitary region: \(format(e.doseGy)) Gy \(e.sourceLabel)")
            if e.doseGy >= hypothalamicPituitaryHighRiskGy { high.append("≥ 30 Gy") }
        }
        if !surgeries.isEmpty {
            trigger.append("surgery near or within the hypothalamic-pituitary region (" + surgeries.map(\.date).joined(separator: ", ") + ")")
            high.append("surgery near or within the HP region")
        }
        var sources = ["PanCare follow-up recommendations: hypothalamic-pituitary (HP) axis problems (IGHG: van Iersel L et al., Endocr Rev 43 (2022) 794-823)",
                       "PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 15.1 (HP region ≥ 30 Gy) and 16.1 (< 30 Gy), recommendations GUIDELINE_T15 and GUIDELINE_T16"]
        if !surgeries.isEmpty { sources.append("PanCare SurPass algorithm (hl7-eu/pcsp, cs-riskfactor-eu-pcsp): risk factor 15.2 (surgery near or within the HP region), GUIDELINE_T15") }
        return SurveillanceItem(
            rule: "hypothalamic_pituitary", lateEffect: "Hypothalamic-pituitary axis problems (growth hormone, TSH, LH/FSH and ACTH deficiency)",
            trigger: trigger.joined(separator: " + "),
            doseBasis: e.map { $0.basis.joined(separator: "; ") } ?? "no radiotherapy exposing the HP region; surgery there is the trigger",
            riskGroup: high.isEmpty ? "standard: < 30 Gy" : "high: " + high.joined(separator: " and "),
            strength: "recommended (IGHG; the strength grade is not in the sources reached)",
            modality: !high.isEmpty
                ? "refer directly to a (paediatric) endocrinologist or see in a multidisciplinary team"
                : "before and during puberty: history, physical examination, height velocity against parental height and Tanner stage every 6 months, fT4, TSH and morning cortisol every year; after puberty: history, examination, menstrual cycle (females), fT4, TSH, morning cortisol and IGF-1, morning testosterone and LH (males) or oestradiol, FSH and LH (females) every year (an IGF-1 even at 0 SDS does not rule out growth hormone deficiency)",
            frequency: !high.isEmpty
                ? "as the endocrinologist schedules"
                : "every 6 months (growth and puberty) and every year (blood tests) before and during puberty; every year after puberty; for at least 15 years after the radiotherapy",
            startAgeYears: age(start), startDate: start.description,
            sources: sources, doseSources: e?.sources.map(\.rawValue))
    }

    /// Central precocious puberty (PanCare "central precocious puberty (CPP)", reflecting the IGHG
    /// HP guideline): girls below 8 and boys below 9 years treated with radiotherapy exposing the HP
    /// region (any dose, TBI included); surveillance from 6 months after the start of radiotherapy
    /// until 8 (girls) or 9 (boys) years of age, so only children still below that age then qualify.
    /// Boys exposed to gonadotoxic therapy (alkylating agents, radiotherapy to the testes) get a yearly
    /// morning testosterone, because their testicular volume may be unreliable.
    static func precociousPubertyItem(_ s: TreatmentSummary, birth: CalendarDate, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        guard let e = hypothalamicPituitaryExposure(s),
              let firstStart = e.courses.compactMap({ CalendarDate(iso: $0.startDate) }).min() else { return nil }
        let female = s.sex.uppercased() == "F"
        let limit = female ? precociousPubertyAgeGirls : precociousPubertyAgeBoys
        let start = firstStart.addingMonths(hypothalamicPituitaryStartMonths)
        guard birth.years(to: start) < limit else { return nil }
        let testosterone = !female && gonadotoxicForTestes(s)
        return SurveillanceItem(
            rule: "central_precocious_puberty", lateEffect: "Central precocious puberty",
            trigger: "radiotherapy to a volume exposing the hypothalamic-pituitary region: \(format(e.doseGy)) Gy \(e.sourceLabel), surveillance starting before \(Int(limit)) years of age"
                + (testosterone ? "; gonadotoxic therapy (alkylating agents or radiotherapy exposing the testes)" : ""),
            doseBasis: e.basis.joined(separator: "; "),
            riskGroup: female ? "girls below 8 years" : "boys below 9 years",
            strength: "recommended (IGHG; the strength grade is not in the sources reached)",
            modality: "history and physical examination for central precocious puberty, height velocity against parental height and Tanner stage"
                + (testosterone ? "; morning testosterone (10 AM) every year (testicular volume may be unreliable after gonadotoxic therapy)" : "")
                + "; refer to a paediatric endocrinologist on signs of precocious puberty",
            frequency: "every 6 months until \(Int(limit)) years of age",
            startAgeYears: age(start), startDate: start.description,
            sources: ["PanCare follow-up recommendations: central precocious puberty (CPP) (IGHG: van Iersel L et al., Endocr Rev 43 (2022) 794-823)",
                      "PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 17.1 and 18.1 (radiotherapy to a volume exposing the HP region, including TBI), recommendations GUIDELINE_T17 (girls) and GUIDELINE_T18 (boys)"],
            doseSources: e.sources.map(\.rawValue))
    }

    /// Gonadotoxic therapy for the testes, as the CPP recommendation names it: alkylating agents (any
    /// dose) or radiotherapy exposing the testes (testes mean dose ≥ 1 Gy where organ doses exist, else
    /// a testicular, scrotal, inguinal, pelvic or TBI field; an operational reading).
    static func gonadotoxicForTestes(_ s: TreatmentSummary) -> Bool {
        if s.chemotherapy.contains(where: { AnthracyclineEquivalence.alkylatingAgents.contains($0.agent.lowercased()) && $0.cumulativeDoseMgPerM2 > 0 }) { return true }
        return s.radiotherapy.contains { c in
            if let d = c.organMeanDoseGy?[Organ.testes.rawValue] { return d >= 1 }
            return FieldExposure.matches(targetSite: c.targetSite, ["testis", "testes", "testicular", "scrotal", "scrotum", "inguinal", "pelvis", "pelvic", "tbi", "total_body"])
        }
    }
}
