import FollowUp
import Foundation
import HarmonicCore
import Testing

/// Boundaries of the hypothalamic-pituitary, central precocious puberty, cerebrovascular, carotid and
/// pulmonary rules. Thresholds and intervals: PanCare follow-up recommendations (HP axis problems,
/// pulmonary problems), the PanCare SurPass algorithm (hl7-eu/pcsp risk factors 15-20 and 32), COG
/// carotid ultrasound (Bryce et al., Cancer 131 (2025) e35591); docs/follow-up.md lists where.
@Suite("Hypothalamic-pituitary, cerebrovascular and pulmonary rules at the guidelines' boundaries")
struct LateRuleFamilyTests {
    /// A child born 2000-01-01 with one course ending 2010-03-01 (age 10.2).
    func child(sex: String = "F", target: String, prescribed: Double = 20, organs: [String: Double]? = nil,
               chemo: [TreatmentSummary.Chemotherapy] = [], start: String = "2010-01-15", end: String = "2010-03-01") -> TreatmentSummary {
        TreatmentSummary(child: "NO/x", sex: sex, birthDate: "2000-01-01",
                         radiotherapy: [.init(startDate: start, endDate: end, targetSite: target, prescribedDoseGy: prescribed,
                                              fractions: 15, modality: "photon", organMeanDoseGy: organs)],
                         chemotherapy: chemo)
    }

    func chemoOnly(_ chemo: [TreatmentSummary.Chemotherapy]) -> TreatmentSummary {
        TreatmentSummary(child: "NO/x", sex: "M", birthDate: "2000-01-01", chemotherapy: chemo)
    }

    func item(_ s: TreatmentSummary, _ rule: String) -> SurveillanceItem? {
        SurveillanceRules.plan(for: s).items.first { $0.rule == rule }
    }

    // MARK: hypothalamic-pituitary axis

    @Test("HP axis: a field exposing the HP region < 30 Gy is standard risk, ≥ 30 Gy high risk (referral); fields away from the head none")
    func hypothalamicPituitaryBands() throws {
        #expect(item(child(target: "brain", prescribed: 29.99), "hypothalamic_pituitary")?.riskGroup == "standard: < 30 Gy")
        let high = try #require(item(child(target: "brain", prescribed: 30), "hypothalamic_pituitary"))
        #expect(high.riskGroup == "high: ≥ 30 Gy" && high.modality.contains("endocrinologist"))
        #expect(item(child(target: "TBI", prescribed: 12), "hypothalamic_pituitary")?.riskGroup == "standard: < 30 Gy", "TBI is included")
        for away in ["neck", "mediastinum", "pelvis", "abdomen"] {
            #expect(item(child(target: away, prescribed: 45), "hypothalamic_pituitary") == nil, "\(away)")
        }
        #expect(item(child(target: "brain", prescribed: 0), "hypothalamic_pituitary") == nil, "a 0 Gy course exposes nothing")
    }

    @Test("HP axis: standard-risk surveillance is growth and Tanner every 6 months and yearly blood tests, from 6 months after radiotherapy, for at least 15 years")
    func hypothalamicPituitarySchedule() throws {
        let i = try #require(item(child(target: "cranial", prescribed: 18), "hypothalamic_pituitary"))
        #expect(i.startDate == "2010-09-01" && i.startAgeYears == 10.7)
        #expect(i.modality.contains("Tanner stage every 6 months") && i.modality.contains("fT4, TSH and morning cortisol every year")
                && i.modality.contains("IGF-1"))
        #expect(i.frequency.contains("at least 15 years"))
    }

    @Test("HP axis: doses of courses add up, each from its best source, and craniospinal courses are flagged")
    func hypothalamicPituitaryBasis() throws {
        var s = child(target: "craniospinal", prescribed: 23.4, organs: ["brain": 25])
        s.radiotherapy.append(.init(startDate: "2011-01-10", endDate: "2011-01-31", targetSite: "whole brain", prescribedDoseGy: 12, fractions: 8))
        let i = try #require(item(s, "hypothalamic_pituitary"))
        #expect(i.trigger.contains("37.0 Gy (phantom estimate + prescribed-dose fallback)") && i.riskGroup == "high: ≥ 30 Gy")
        #expect(i.startDate == "2011-07-31", "6 months after the last course exposing the HP region")
        #expect(i.doseBasis.contains("craniospinal: the brain mean includes the brain's share of any boost"))
        #expect(i.doseSources == ["phantom estimate", "prescribed-dose fallback"])
        let fallback = try #require(item(child(target: "craniospinal", prescribed: 54), "hypothalamic_pituitary"))
        #expect(fallback.doseBasis.contains("craniospinal: the prescribed dose includes the boost"))
    }

    /// A child born 2000-01-01 with operations only.
    func operated(_ surgeries: [TreatmentSummary.Surgery]) -> TreatmentSummary {
        TreatmentSummary(child: "NO/x", sex: "M", birthDate: "2000-01-01", surgeries: surgeries)
    }

    @Test("HP axis: surgery in the HP region alone is high risk (refer directly) from the day of the operation; brain or other surgery is not")
    func hypothalamicPituitarySurgery() throws {
        let i = try #require(item(operated([.init(date: "2008-05-10", region: "hypothalamic_pituitary")]), "hypothalamic_pituitary"))
        #expect(i.riskGroup == "high: surgery near or within the HP region" && i.modality.contains("endocrinologist"))
        #expect(i.startDate == "2008-05-10" && i.doseSources == nil && i.trigger.contains("surgery near or within"))
        #expect(i.sources.contains { $0.contains("risk factor 15.2") })
        for elsewhere in ["brain", "other", "spine"] {
            #expect(item(operated([.init(date: "2008-05-10", region: elsewhere)]), "hypothalamic_pituitary") == nil, "\(elsewhere)")
        }
        #expect(item(operated([.init(date: "2003-05-10", region: "hypothalamic_pituitary")]), "central_precocious_puberty") == nil,
                "surgery is no CPP risk factor of the sources (PanCare SurPass 17.1 and 17.5)")
    }

    @Test("HP axis: with radiotherapy < 30 Gy, HP surgery makes the item high risk, and the earlier of the operation and 6 months after RT starts it")
    func hypothalamicPituitarySurgeryWithRadiotherapy() throws {
        func withSurgery(_ date: String, prescribed: Double = 18) -> TreatmentSummary {
            var s = child(target: "brain", prescribed: prescribed)           // RT ends 2010-03-01: surveillance from 2010-09-01
            s.surgeries = [.init(date: date, region: "hypothalamic_pituitary")]
            return s
        }
        let before = try #require(item(withSurgery("2009-12-01"), "hypothalamic_pituitary"))
        #expect(before.riskGroup == "high: surgery near or within the HP region" && before.startDate == "2009-12-01")
        #expect(before.doseSources == ["prescribed-dose fallback"])
        #expect(item(withSurgery("2010-09-01"), "hypothalamic_pituitary")?.startDate == "2010-09-01")
        #expect(item(withSurgery("2010-09-02"), "hypothalamic_pituitary")?.startDate == "2010-09-01")
        #expect(item(withSurgery("2011-01-01", prescribed: 30), "hypothalamic_pituitary")?.riskGroup == "high: ≥ 30 Gy and surgery near or within the HP region")
    }

    // MARK: central precocious puberty

    @Test("precocious puberty: girls when surveillance (6 months after the start of RT) begins before 8 years, boys before 9; not at or after")
    func precociousPubertyAges() throws {
        // Born 2000-01-01.
        let girl = try #require(item(child(sex: "F", target: "brain", start: "2007-06-30", end: "2007-08-10"), "central_precocious_puberty"))
        #expect(girl.startDate == "2007-12-30" && girl.frequency == "every 6 months until 8 years of age", "starts at 7.99 years")
        #expect(item(child(sex: "F", target: "brain", start: "2007-07-01", end: "2007-08-10"), "central_precocious_puberty") == nil, "starts at 8.0")
        #expect(item(child(sex: "M", target: "brain", start: "2008-06-30", end: "2008-08-10"), "central_precocious_puberty")?.frequency
                == "every 6 months until 9 years of age")
        #expect(item(child(sex: "M", target: "brain", start: "2008-07-01", end: "2008-08-10"), "central_precocious_puberty") == nil, "starts at 9.0")
        #expect(item(child(sex: "F", target: "pelvis", start: "2003-01-01", end: "2003-02-01"), "central_precocious_puberty") == nil, "no HP exposure")
    }

    @Test("precocious puberty: boys get a yearly morning testosterone only after gonadotoxic therapy (alkylating agents or RT exposing the testes)")
    func precociousPubertyTestosterone() throws {
        let plain = try #require(item(child(sex: "M", target: "brain", start: "2005-01-01", end: "2005-02-01"), "central_precocious_puberty"))
        #expect(!plain.modality.contains("testosterone"))
        let alkylator = try #require(item(child(sex: "M", target: "brain", chemo: [.init(agent: "cyclophosphamide", cumulativeDoseMgPerM2: 4000)],
                                                start: "2005-01-01", end: "2005-02-01"), "central_precocious_puberty"))
        #expect(alkylator.modality.contains("morning testosterone (10 AM) every year"))
        #expect(item(child(sex: "M", target: "TBI", prescribed: 12, start: "2005-01-01", end: "2005-01-05"), "central_precocious_puberty")?
            .modality.contains("testosterone") == true, "TBI exposes the testes")
        #expect(item(child(sex: "M", target: "brain", organs: ["testes": 0.99], start: "2005-01-01", end: "2005-02-01"), "central_precocious_puberty")?
            .modality.contains("testosterone") == false, "testes below 1 Gy")
    }

    // MARK: cerebrovascular and carotid

    @Test("cerebrovascular: any radiotherapy to the head, brain or neck (TBI included) qualifies; chest, abdomen and pelvis do not")
    func cerebrovascularExposure() throws {
        for target in ["brain", "neck", "nasopharynx", "TBI", "mantle", "craniospinal"] {
            #expect(item(child(target: target, prescribed: 1.8), "cerebrovascular") != nil, "\(target)")
        }
        for target in ["pelvis", "abdomen", "mediastinum", "whole lung"] {
            #expect(item(child(target: target, prescribed: 45), "cerebrovascular") == nil, "\(target)")
        }
        let i = try #require(item(child(target: "brain", prescribed: 54), "cerebrovascular"))
        #expect(i.modality.contains("stroke risk factors") && i.startDate == "2010-03-01")
    }

    @Test("carotid ultrasound: neck radiotherapy < 40 Gy none, ≥ 40 Gy once 10 years after (COG); brain fields alone none")
    func carotidBoundaries() throws {
        #expect(item(child(target: "neck", prescribed: 39.99), "carotid_artery_disease") == nil)
        let i = try #require(item(child(target: "neck", prescribed: 40), "carotid_artery_disease"))
        #expect(i.modality == "carotid ultrasound" && i.startDate == "2020-03-01" && i.riskGroup == "≥ 40 Gy")
        #expect(item(child(target: "brain", prescribed: 54), "carotid_artery_disease") == nil)
        var s = child(target: "mantle", prescribed: 25)
        s.radiotherapy.append(.init(startDate: "2011-02-01", endDate: "2011-03-01", targetSite: "supraclavicular", prescribedDoseGy: 15))
        #expect(item(s, "carotid_artery_disease")?.trigger == "neck radiotherapy: 40.0 Gy (prescribed-dose fallback)", "neck courses add up")
        #expect(item(child(target: "craniospinal", prescribed: 54), "carotid_artery_disease")?.doseBasis.contains("the neck gets less") == true)
    }

    // MARK: pulmonary

    @Test("pulmonary: lung mean dose < 1 Gy none, ≥ 1 Gy history and examination at least every 5 years without routine PFT (IGHG 2024)")
    func pulmonaryRadiotherapy() throws {
        #expect(item(child(target: "mediastinum", organs: ["lung": 0.99]), "pulmonary_dysfunction") == nil)
        let i = try #require(item(child(target: "mediastinum", organs: ["lung": 1.0]), "pulmonary_dysfunction"))
        #expect(i.frequency == "at least every 5 years" && i.modality.contains("no routine pulmonary function tests") && i.riskGroup == "radiotherapy exposing the lungs (IGHG 2024)")
        #expect(i.trigger == "radiotherapy to a volume exposing the lungs: lungs 1.0 Gy")
        #expect(item(child(target: "whole lung", prescribed: 12), "pulmonary_dysfunction")?.doseBasis.contains("prescribed dose 12.0 Gy") == true,
                "without organ doses a field including the lungs counts, at its prescribed dose")
        #expect(item(child(target: "pelvis", prescribed: 45), "pulmonary_dysfunction") == nil)
    }

    @Test("pulmonary: bleomycin, busulfan, carmustine or lomustine alone give the PanCare SurPass group with one PFT at entry; other agents none")
    func pulmonaryChemotherapy() throws {
        for agent in ["Bleomycin", "busulfan", "carmustine", "lomustine"] {
            let i = try #require(item(chemoOnly([.init(agent: agent, cumulativeDoseMgPerM2: 60, endDate: "2010-06-30")]), "pulmonary_dysfunction"), "\(agent)")
            #expect(i.riskGroup?.contains("PanCare SurPass") == true && i.modality.contains("spirometry and DLCO") && i.startDate == "2010-06-30")
        }
        #expect(item(chemoOnly([.init(agent: "vincristine", cumulativeDoseMgPerM2: 12)]), "pulmonary_dysfunction") == nil)
        #expect(item(chemoOnly([.init(agent: "bleomycin", cumulativeDoseMgPerM2: 0)]), "pulmonary_dysfunction") == nil, "a zero dose is no exposure")
    }

    @Test("pulmonary: lung radiotherapy with bleomycin keeps the IGHG group, adds the bleomycin advice and starts after the later therapy")
    func pulmonaryBoth() throws {
        let i = try #require(item(child(target: "mantle", prescribed: 21, chemo: [.init(agent: "bleomycin", cumulativeDoseMgPerM2: 60, endDate: "2010-08-15")]),
                                  "pulmonary_dysfunction"))
        #expect(i.riskGroup == "radiotherapy exposing the lungs (IGHG 2024)" && i.modality.contains("anaesthesia") && i.startDate == "2010-08-15")
        #expect(i.trigger.contains("bleomycin 60.0 mg/m²"))
    }

    @Test("pulmonary: an allogeneic transplant or thoracic surgery gives the IGHG 2024 group; an autologous transplant without TBI or other surgery none")
    func pulmonaryTransplantAndSurgery() throws {
        func summary(_ transplants: [TreatmentSummary.Transplant] = [], _ surgeries: [TreatmentSummary.Surgery] = []) -> TreatmentSummary {
            TreatmentSummary(child: "NO/x", sex: "F", birthDate: "2000-01-01", transplants: transplants, surgeries: surgeries)
        }
        let allo = try #require(item(summary([.init(date: "2011-04-01", type: "allogeneic", tbiConditioning: false)]), "pulmonary_dysfunction"))
        #expect(allo.riskGroup == "allogeneic HSCT (IGHG 2024)" && allo.startDate == "2011-04-01" && allo.modality.contains("no routine pulmonary function tests"))
        #expect(allo.sources.contains { $0.contains("GUIDELINE_T32_7") })
        #expect(item(summary([.init(date: "2011-04-01", type: "autologous", tbiConditioning: false)]), "pulmonary_dysfunction") == nil)
        for region in ["lung", "chest_wall", "mediastinum"] {
            #expect(item(summary([], [.init(date: "2009-05-01", region: region)]), "pulmonary_dysfunction")?.riskGroup == "thoracic surgery (IGHG 2024)", "\(region)")
        }
        for region in ["kidney", "brain", "abdomen", "other"] {
            #expect(item(summary([], [.init(date: "2009-05-01", region: region)]), "pulmonary_dysfunction") == nil, "\(region)")
        }
    }

    @Test("pulmonary: TBI conditioning of a transplant counts as lung radiotherapy unless the TBI course itself is recorded")
    func pulmonaryTBIConditioning() throws {
        let auto = TreatmentSummary.Transplant(date: "2010-06-01", type: "autologous", tbiConditioning: true)
        let flagged = try #require(item(TreatmentSummary(child: "NO/x", sex: "M", birthDate: "2000-01-01", transplants: [auto]), "pulmonary_dysfunction"))
        #expect(flagged.riskGroup == "radiotherapy exposing the lungs (IGHG 2024)" && flagged.doseBasis.contains("no TBI course"))
        var s = child(target: "TBI", prescribed: 12, start: "2010-05-20", end: "2010-05-25")
        s.transplants = [auto]
        let withCourse = try #require(item(s, "pulmonary_dysfunction"))
        #expect(!withCourse.doseBasis.contains("no TBI course") && withCourse.trigger.contains("lungs 12.0 Gy") && withCourse.startDate == "2010-05-25",
                "the course counts once; the start is its end (an autologous transplant is no risk factor of its own)")
    }

    @Test("a treatment summary with an unknown transplant type or surgery region is refused, naming the field and value")
    func transplantAndSurgeryValidation() throws {
        let badType = TreatmentSummary(child: "NO/x", sex: "F", birthDate: "2000-01-01", transplants: [.init(date: "2010-01-01", type: "syngeneic", tbiConditioning: false)])
        #expect(throws: InputError.self) { try badType.validate(file: "c.json") }
        do { try badType.validate(file: "c.json") } catch { #expect("\(error)".contains("transplants[0].type") && "\(error)".contains("syngeneic")) }
        let badRegion = TreatmentSummary(child: "NO/x", sex: "F", birthDate: "2000-01-01", surgeries: [.init(date: "2010-01-01", region: "thorax")])
        do { try badRegion.validate(file: "c.json"); Issue.record("thorax is not a region") } catch { #expect("\(error)".contains("surgeries[0].region")) }
        let older = try JSONDecoder().decode(TreatmentSummary.self, from: Data(#"{"child":"NO/x","sex":"F","birthDate":"2000-01-01","radiotherapy":[],"chemotherapy":[]}"#.utf8))
        #expect(older.transplants == nil && older.surgeries == nil, "summaries written before transplants and surgery still read")
    }

    @Test("every new item cites PanCare, IGHG or COG")
    func newItemsCiteSources() {
        let plan = SurveillanceRules.plan(for: child(sex: "M", target: "mantle", prescribed: 44, start: "2005-11-01", end: "2006-01-01"))
        var s = child(target: "craniospinal", prescribed: 36, start: "2003-11-01", end: "2004-01-01")
        s.chemotherapy = [.init(agent: "lomustine", cumulativeDoseMgPerM2: 600)]
        let more = SurveillanceRules.plan(for: s)
        let rules = Set((plan.items + more.items).map(\.rule))
        #expect(rules.isSuperset(of: ["hypothalamic_pituitary", "central_precocious_puberty", "cerebrovascular", "carotid_artery_disease", "pulmonary_dysfunction"]))
        #expect((plan.items + more.items).allSatisfy { !$0.sources.isEmpty && $0.sources.allSatisfy { $0.contains("IGHG") || $0.contains("PanCare") || $0.contains("COG") } })
    }
}
