import Foundation
import HarmonicCore

/// One late-effect surveillance a child qualifies for.
public struct SurveillanceItem: Sendable, Codable, Hashable {
    /// Stable identifier of the rule (`breast_cancer`, `cardiomyopathy`, `thyroid_cancer`, `thyroid_function`,
    /// `hearing_loss`, `premature_ovarian_insufficiency`, `colorectal_cancer`, `hypothalamic_pituitary`,
    /// `central_precocious_puberty`, `cerebrovascular`, `carotid_artery_disease`, `pulmonary_dysfunction`).
    public var rule: String
    public var lateEffect: String
    /// The exposure that triggers it, with the dose, e.g. "breast 24.0 Gy (organ dose)".
    public var trigger: String
    /// Where the dose came from: organ doses of the RT reconstruction, or the fallback to the
    /// prescribed dose of fields that expose the organ.
    public var doseBasis: String
    /// Risk group where the guideline defines one (e.g. cardiomyopathy high / moderate).
    public var riskGroup: String?
    /// The guideline's strength of recommendation (`recommended`, `reasonable`, `may be reasonable`).
    public var strength: String
    public var modality: String
    public var frequency: String
    /// Age and date at which surveillance starts.
    public var startAgeYears: Double
    public var startDate: String
    public var sources: [String]
    /// The kinds of dose the rule read, for rules whose region is not an organ of the shared list
    /// (`DoseSource` raw values: organ dose from DVH, phantom estimate, prescribed-dose fallback);
    /// nil for the other rules, whose `doseBasis` names organ or prescribed doses.
    public var doseSources: [String]? = nil
}

/// A child's surveillance plan under the dose- and field-dependent IGHG / PanCare guidelines.
public struct SurveillancePlan: Sendable, Codable {
    public var child: String
    public var sex: String
    public var items: [SurveillanceItem]
    /// What was used and what was missing, e.g. "course 1 (mediastinum): no organ doses, prescribed dose used".
    public var notes: [String]
}

/// The rules. Each cites its guideline; thresholds are the guideline's (lower bound inclusive).
///
/// - Breast cancer (female): breast dose ≥ 20 Gy recommended, 10 to < 20 Gy reasonable, 1 to < 10 Gy
///   may be reasonable (IGHG: Mulder et al., Lancet Oncol 14 (2013) e621, updated J Clin Oncol 38
///   (2020) 4194); yearly mammography and breast MRI (and clinical breast examination, PanCare)
///   from age 25 or 8 years after radiotherapy, whichever is later.
/// - Cardiomyopathy: heart dose (mean heart dose preferred over the prescribed dose) and the
///   doxorubicin-equivalent anthracycline dose (IGHG 2023 update: Ehrhardt et al., Lancet Oncol 24
///   (2023) e108; PanCare cardiac problems): echocardiography every 2 years for radiotherapy ≥ 30 Gy,
///   anthracyclines ≥ 250 mg/m², or anthracyclines ≥ 100 mg/m² with radiotherapy ≥ 15 Gy (high risk);
///   every 5 years for radiotherapy 15 to < 30 Gy or anthracyclines 100 to < 250 mg/m² (moderate);
///   starting no later than 2 years after the cardiotoxic therapy.
/// - Thyroid cancer: radiotherapy to a volume exposing the thyroid, including TBI (IGHG: Clement et
///   al., Cancer Treat Rev 63 (2018) 28; PanCare): counselling at least every 5 years; where
///   surveillance is chosen, neck palpation every 1-2 years or thyroid ultrasound every 3-5 years,
///   starting 5 years after radiotherapy. "Exposing" is taken as a thyroid mean dose ≥ 1 Gy when
///   organ doses exist (beyond the scatter of distant fields), else a field that includes the thyroid.
/// - Thyroid function (hypothyroidism): the same exposure; TSH and free T4 every year (COG
///   Long-Term Follow-Up Guidelines v6.0, 2023, section 56; PanCare thyroid function problems).
/// - Hearing loss and tinnitus: cisplatin (any dose, with or without carboplatin > 1,500 mg/m²)
///   or head or brain radiotherapy ≥ 30 Gy (IGHG: Clemens et al., Lancet Oncol 20 (2019) e29;
///   PanCare ear problems): from the end of treatment, extensive testing by an audiologist every
///   year under 6 years of age, pure-tone audiometry 1-8 kHz (and > 8 kHz where available) every
///   other year from 6 to 12 years and every 5 years from 12 years. The radiotherapy threshold is on
///   the prescribed dose of head or brain fields (the guideline's own definition; the cochlea is
///   not an organ of the shared list).
/// - Premature ovarian insufficiency (female): alkylating agents or radiotherapy to a volume
///   exposing the ovaries, TBI included (IGHG: van Dorp et al., J Clin Oncol 34 (2016) 3440;
///   PanCare premature ovarian insufficiency): counselling at least every 5 years; growth and
///   pubertal stage every year before and during puberty; after puberty, history and examination
///   for amenorrhoea every 5 years; FSH and oestradiol when puberty fails (no signs at 13, primary
///   amenorrhoea at 16) or the cycle is disturbed. "Exposing" as for the thyroid: an ovarian mean
///   dose ≥ 1 Gy where organ doses exist, else a field that includes the ovaries.
/// - Colorectal cancer, hypothalamic-pituitary axis problems and central precocious puberty,
///   cerebrovascular problems and carotid artery disease, pulmonary dysfunction: each in its own file
///   (`colorectalItem` below, `HypothalamicPituitaryRules.swift`, `CerebrovascularRules.swift`,
///   `PulmonaryRules.swift`) with its sources.
public enum SurveillanceRules {
    /// Thyroid mean dose (Gy) from which the thyroid counts as exposed when organ doses are known.
    public static let thyroidExposedGy = 1.0

    struct OrganExposure {
        var doseGy: Double
        var basis: [String]
        var firstEnd: CalendarDate?
        var lastEnd: CalendarDate?
    }

    /// Dose to `organ` summed over the courses: the organ mean dose where known, else the prescribed
    /// dose of a field exposing the organ; courses exposing it set the first and last end dates.
    static func exposure(_ s: TreatmentSummary, _ organ: Organ, minimumGy: Double = 0) -> OrganExposure {
        var e = OrganExposure(doseGy: 0, basis: [], firstEnd: nil, lastEnd: nil)
        for (i, c) in s.radiotherapy.enumerated() {
            let end = CalendarDate(iso: c.endDate)
            var dose = 0.0
            if let d = c.organMeanDoseGy?[organ.rawValue] {
                dose = d
                if d > 0 { e.basis.append("course \(i + 1) (\(c.targetSite)): \(organ.rawValue) mean dose \(format(d)) Gy from the RT organ doses") }
            } else if FieldExposure.exposes(targetSite: c.targetSite, organ) {
                dose = c.prescribedDoseGy
                e.basis.append("course \(i + 1) (\(c.targetSite)): no organ dose; prescribed dose \(format(dose)) Gy of a field exposing the \(organ.rawValue)")
            }
            if dose > minimumGy, let end {
                e.doseGy += dose
                e.firstEnd = min(e.firstEnd ?? end, end)
                e.lastEnd = max(e.lastEnd ?? end, end)
            }
        }
        return e
    }

    /// The courses (with their index) that expose `organ` in the guidelines' sense of "a volume
    /// exposing" it: an organ mean dose ≥ `fromGy` where the course has organ doses, else a
    /// field that includes the organ (`FieldExposure`).
    static func coursesExposing(_ s: TreatmentSummary, _ organ: Organ, fromGy: Double)
        -> [EnumeratedSequence<[TreatmentSummary.RadiotherapyCourse]>.Element] {
        s.radiotherapy.enumerated().filter { _, c in
            if let d = c.organMeanDoseGy?[organ.rawValue] { return d >= fromGy }
            return FieldExposure.exposes(targetSite: c.targetSite, organ)
        }
    }

    static func format(_ v: Double) -> String { String(format: "%.1f", v) }

    /// The plan of one child.
    public static func plan(for s: TreatmentSummary) -> SurveillancePlan {
        guard let birth = CalendarDate(iso: s.birthDate) else {
            return SurveillancePlan(child: s.child, sex: s.sex, items: [], notes: ["birth date '\(s.birthDate)' unreadable: no plan"])
        }
        func age(_ d: CalendarDate) -> Double { (birth.years(to: d) * 10).rounded() / 10 }
        var items: [SurveillanceItem] = []
        var notes: [String] = []
        for (i, c) in s.radiotherapy.enumerated() where c.organMeanDoseGy?.isEmpty ?? true {
            notes.append("course \(i + 1) (\(c.targetSite)): no organ doses in the store; rules use the prescribed dose of fields that expose each organ (FieldExposure)")
        }

        // Breast cancer (female).
        if s.sex.uppercased() == "F" {
            let b = exposure(s, .breast)
            if b.doseGy >= 1, let firstEnd = b.firstEnd {
                let strength = b.doseGy >= 20 ? "recommended" : b.doseGy >= 10 ? "reasonable" : "may be reasonable"
                let start = max(birth.adding(years: 25), firstEnd.adding(years: 8))
                items.append(SurveillanceItem(
                    rule: "breast_cancer", lateEffect: "Subsequent breast cancer",
                    trigger: "radiotherapy exposing the breasts: breast \(format(b.doseGy)) Gy", doseBasis: b.basis.joined(separator: "; "),
                    riskGroup: b.doseGy >= 20 ? "≥ 20 Gy" : b.doseGy >= 10 ? "10 to < 20 Gy" : "1 to < 10 Gy", strength: strength,
                    modality: "mammography and breast MRI, with clinical breast examination", frequency: "every year",
                    startAgeYears: age(start), startDate: start.description,
                    sources: ["IGHG breast cancer surveillance: Mulder RL et al., Lancet Oncol 14 (2013) e621-e629; update J Clin Oncol 38 (2020) 4194-4207",
                              "PanCare follow-up recommendations: subsequent breast cancer"]))
            }
        }

        // Cardiomyopathy.
        let h = exposure(s, .heart)
        let anthracycline = AnthracyclineEquivalence.doxorubicinEquivalent(s.chemotherapy)
        let rt = h.doseGy
        let high = rt >= 30 || anthracycline >= 250 || (anthracycline >= 100 && rt >= 15)
        let moderate = !high && (rt >= 15 || anthracycline >= 100)
        if high || moderate {
            var ends = [h.lastEnd].compactMap { $0 }
            for c in s.chemotherapy where AnthracyclineEquivalence.factor(c.agent) != nil {
                if let d = c.endDate.flatMap({ CalendarDate(iso: $0) }) { ends.append(d) }
            }
            if ends.isEmpty { notes.append("cardiomyopathy: no end date of the cardiotoxic therapy; start given from birth + 2 years of the first course") }
            let therapyEnd = ends.max() ?? (s.radiotherapy.compactMap { CalendarDate(iso: $0.endDate) }.max() ?? birth)
            let start = therapyEnd.adding(years: 2)
            var trigger: [String] = []
            if rt > 0 { trigger.append("heart \(format(rt)) Gy") }
            if anthracycline > 0 { trigger.append("anthracyclines \(format(anthracycline)) mg/m² doxorubicin-equivalent") }
            items.append(SurveillanceItem(
                rule: "cardiomyopathy", lateEffect: "Cardiomyopathy",
                trigger: trigger.joined(separator: " + "),
                doseBasis: (h.basis + (anthracycline > 0 ? ["anthracyclines: " + s.chemotherapy.filter { AnthracyclineEquivalence.factor($0.agent) != nil }
                    .map { "\($0.agent) \(format($0.cumulativeDoseMgPerM2)) mg/m² × \(AnthracyclineEquivalence.factor($0.agent)!)" }.joined(separator: ", ")] : []))
                    .joined(separator: "; "),
                riskGroup: high ? "high" : "moderate", strength: high ? "recommended" : "reasonable",
                modality: "echocardiography (2D or 3D) with left-ventricular systolic function; ECG once at entry into long-term follow-up",
                frequency: high ? "every 2 years" : "every 5 years",
                startAgeYears: age(start), startDate: start.description,
                sources: ["IGHG cardiomyopathy surveillance, 2023 update: Ehrhardt MJ et al., Lancet Oncol 24 (2023) e108-e120",
                          "PanCare follow-up recommendations: cardiac problems (mean heart dose preferred over prescribed dose; doxorubicin equivalents)"]))
        }

        // Thyroid: cancer and function.
        let t = exposure(s, .thyroid, minimumGy: 0)
        let exposedCourses = coursesExposing(s, .thyroid, fromGy: thyroidExposedGy)
        if let firstEnd = exposedCourses.compactMap({ CalendarDate(iso: $0.element.endDate) }).min() {
            let start = firstEnd.adding(years: 5)
            items.append(SurveillanceItem(
                rule: "thyroid_cancer", lateEffect: "Subsequent differentiated thyroid cancer",
                trigger: "radiotherapy to a volume exposing the thyroid: thyroid \(format(t.doseGy)) Gy", doseBasis: t.basis.joined(separator: "; "),
                riskGroup: nil, strength: "recommended (counselling); surveillance by shared decision",
                modality: "counselling at least every 5 years; if surveillance is chosen, neck palpation every 1-2 years or thyroid ultrasound every 3-5 years",
                frequency: "counselling every 5 years; palpation every 1-2 years or ultrasound every 3-5 years",
                startAgeYears: age(start), startDate: start.description,
                sources: ["IGHG thyroid cancer surveillance: Clement SC et al., Cancer Treat Rev 63 (2018) 28-39", "PanCare follow-up recommendations: subsequent thyroid cancer"]))
            let fnStart = exposedCourses.compactMap({ CalendarDate(iso: $0.element.endDate) }).min()!
            items.append(SurveillanceItem(
                rule: "thyroid_function", lateEffect: "Hypothyroidism (primary)",
                trigger: "radiotherapy to a volume exposing the thyroid: thyroid \(format(t.doseGy)) Gy", doseBasis: t.basis.joined(separator: "; "),
                riskGroup: nil, strength: "recommended",
                modality: "TSH and free T4", frequency: "every year",
                startAgeYears: age(fnStart), startDate: fnStart.description,
                sources: ["COG Long-Term Follow-Up Guidelines v6.0 (2023): thyroid (radiation to the neck, spine, TBI, mantle)", "PanCare follow-up recommendations: thyroid function problems"]))
        }
        if let hearing = hearingItem(s, age: age) { items.append(hearing) }
        if s.sex.uppercased() == "F", let poi = ovarianItem(s, age: age) { items.append(poi) }
        if let colorectal = colorectalItem(s, birth: birth, age: age) { items.append(colorectal) }
        if let hp = hypothalamicPituitaryItem(s, age: age) { items.append(hp) }
        if let cpp = precociousPubertyItem(s, birth: birth, age: age) { items.append(cpp) }
        if let cerebrovascular = cerebrovascularItem(s, age: age) { items.append(cerebrovascular) }
        if let carotid = carotidItem(s, age: age) { items.append(carotid) }
        if let pulmonary = pulmonaryItem(s, age: age) { items.append(pulmonary) }
        return SurveillancePlan(child: s.child, sex: s.sex, items: items, notes: notes)
    }

    /// Prescribed dose (Gy) of head or brain fields from which hearing surveillance applies.
    public static let headRadiotherapyOtotoxicGy = 30.0

    static func hearingItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let headCourses = s.radiotherapy.filter { FieldExposure.exposes(targetSite: $0.targetSite, .brain) }
        let headDose = headCourses.reduce(0) { $0 + $1.prescribedDoseGy }
        let cisplatin = s.chemotherapy.filter { $0.agent.lowercased() == "cisplatin" && $0.cumulativeDoseMgPerM2 > 0 }
        let byRadiotherapy = headDose >= headRadiotherapyOtotoxicGy
        guard byRadiotherapy || !cisplatin.isEmpty else { return nil }
        var trigger: [String] = [], basis: [String] = []
        var ends: [CalendarDate] = []
        if !cisplatin.isEmpty {
            let total = cisplatin.reduce(0) { $0 + $1.cumulativeDoseMgPerM2 }
            trigger.append("cisplatin \(format(total)) mg/m²")
            ends += cisplatin.compactMap { $0.endDate.flatMap(CalendarDate.init(iso:)) }
            let carboplatin = s.chemotherapy.filter { $0.agent.lowercased() == "carboplatin" }.reduce(0) { $0 + $1.cumulativeDoseMgPerM2 }
            if carboplatin > 1500 { trigger.append("carboplatin \(format(carboplatin)) mg/m² (> 1,500)") }
        }
        if byRadiotherapy {
            trigger.append("head or brain radiotherapy \(format(headDose)) Gy")
            basis.append(contentsOf: headCourses.map { "\($0.targetSite): prescribed \(format($0.prescribedDoseGy)) Gy (the guideline's threshold is on the head or brain field dose)" })
            ends += headCourses.compactMap { CalendarDate(iso: $0.endDate) }
        }
        let start = ends.max() ?? (s.radiotherapy.compactMap { CalendarDate(iso: $0.endDate) }.max() ?? CalendarDate(iso: s.birthDate)!)
        return SurveillanceItem(
            rule: "hearing_loss", lateEffect: "Hearing loss and tinnitus (ototoxicity)",
            trigger: trigger.joined(separator: " + "), doseBasis: basis.joined(separator: "; "),
            riskGroup: nil, strength: "recommended",
            modality: "under 6 years: extensive testing by an audiologist; from 6 years: pure-tone audiometry 1-8 kHz, and > 8 kHz where available",
            frequency: "every year under 6 years of age; every 2 years from 6 to 12 years; every 5 years from 12 years",
            startAgeYears: age(start), startDate: start.description,
            sources: ["IGHG ototoxicity surveillance: Clemens E et al., Lancet Oncol 20 (2019) e29-e41", "PanCare follow-up recommendations: ear problems"])
    }

    /// Ovarian mean dose (Gy) from which the ovaries count as exposed when organ doses are known.
    public static let ovariesExposedGy = 1.0

    static func ovarianItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let alkylators = s.chemotherapy.filter { AnthracyclineEquivalence.alkylatingAgents.contains($0.agent.lowercased()) && $0.cumulativeDoseMgPerM2 > 0 }
        let exposed = coursesExposing(s, .ovaries, fromGy: ovariesExposedGy)
        guard !alkylators.isEmpty || !exposed.isEmpty else { return nil }
        var trigger: [String] = [], basis: [String] = []
        if !alkylators.isEmpty { trigger.append("alkylating agents (" + alkylators.map { "\($0.agent) \(format($0.cumulativeDoseMgPerM2)) mg/m²" }.joined(separator: ", ") + ")") }
        if !exposed.isEmpty {
            let o = exposure(s, .ovaries)
            trigger.append("radiotherapy to a volume exposing the ovaries: ovaries \(format(o.doseGy)) Gy")
            basis = o.basis
        }
        let ends = alkylators.compactMap { $0.endDate.flatMap(CalendarDate.init(iso:)) } + exposed.compactMap { CalendarDate(iso: $0.element.endDate) }
        let start = ends.max() ?? CalendarDate(iso: s.birthDate)!
        return SurveillanceItem(
            rule: "premature_ovarian_insufficiency", lateEffect: "Premature ovarian insufficiency",
            trigger: trigger.joined(separator: " + "), doseBasis: basis.joined(separator: "; "),
            riskGroup: nil, strength: "recommended",
            modality: "counselling on the risk and future fertility; before and during puberty, height and Tanner stage; after puberty, history and examination for amenorrhoea and irregular cycles; FSH and oestradiol if puberty fails (no signs at 13 years, primary amenorrhoea at 16) or the cycle is disturbed; AMH not as the primary test",
            frequency: "counselling at least every 5 years; growth and puberty every year until puberty is complete; after puberty every 5 years",
            startAgeYears: age(start), startDate: start.description,
            sources: ["IGHG premature ovarian insufficiency surveillance: van Dorp W et al., J Clin Oncol 34 (2016) 3440-3450", "PanCare follow-up recommendations: premature ovarian insufficiency"])
    }

    /// Prescribed dose (Gy) of abdominal, pelvic or spinal fields from which colorectal cancer
    /// screening applies (COG LTFU guidelines as summarised by St. Jude LTFU 2017 and the CCSS,
    /// below).
    public static let abdominalPelvicSpinalColorectalGy = 30.0

    /// Colorectal cancer after radiotherapy to the abdomen, pelvis or spine: colonoscopy at least every
    /// 5 years from age 35 or 10 years after the radiotherapy, whichever is later, for ≥ 30 Gy. The
    /// threshold is on the field's dose (the guideline's own definition, like hearing), so the rule
    /// reads the prescribed dose of the fields exposing the colon and rectum, summed over courses;
    /// a craniospinal course records one prescribed dose although its spinal fields get less (the
    /// boost goes to the brain), so it is flagged in the basis.
    static func colorectalItem(_ s: TreatmentSummary, birth: CalendarDate, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let courses = s.radiotherapy.filter { FieldExposure.exposes(targetSite: $0.targetSite, .colon) }
        let dose = courses.reduce(0) { $0 + $1.prescribedDoseGy }
        guard dose >= abdominalPelvicSpinalColorectalGy, let lastEnd = courses.compactMap({ CalendarDate(iso: $0.endDate) }).max() else { return nil }
        let start = max(birth.adding(years: 35), lastEnd.adding(years: 10))
        let basis = courses.map { c in
            "\(c.targetSite): prescribed \(format(c.prescribedDoseGy)) Gy (the guideline's threshold is on the abdominal, pelvic or spinal field dose)"
                + (c.targetSite.lowercased().contains("craniospinal") ? "; craniospinal: the prescribed dose includes the brain boost, the spinal field dose is lower" : "")
        }
        return SurveillanceItem(
            rule: "colorectal_cancer", lateEffect: "Subsequent colorectal cancer",
            trigger: "radiotherapy to the abdomen, pelvis or spine: \(format(dose)) Gy", doseBasis: basis.joined(separator: "; "),
            riskGroup: "≥ 30 Gy", strength: "recommended (COG; strength score not given in the sources used)",
            modality: "colonoscopy", frequency: "at least every 5 years",
            startAgeYears: age(start), startDate: start.description,
            sources: ["Children's Oncology Group (COG) Long-Term Follow-Up Guidelines, as summarised by St. Jude LTFU: 'Importance of colorectal cancer screening based on individual treatment exposures' (2017): ≥ 30 Gy to the abdomen, pelvis or spine; colonoscopy at least every 5 years from age 35 or 10 years after radiation, whichever occurs last",
                      "Childhood Cancer Survivor Study report on predictors of colorectal cancer surveillance (survivors with ≥ 30 Gy abdominal, pelvic or spinal radiotherapy; COG colonoscopy every 5 years from age 35)"])
    }
}
