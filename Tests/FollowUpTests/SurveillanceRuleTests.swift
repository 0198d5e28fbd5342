import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

@Suite("Surveillance rules at the guidelines' boundaries")
struct SurveillanceRuleTests {
    /// A girl born 2000-01-01 treated in 2010 (age 10) with one course; organ doses given.
    func child(sex: String = "F", target: String = "mediastinum", prescribed: Double = 20, organs: [String: Double]?,
               chemo: [TreatmentSummary.Chemotherapy] = [], end: String = "2010-03-01") -> TreatmentSummary {
        TreatmentSummary(child: "NO/x", sex: sex, birthDate: "2000-01-01",
                         radiotherapy: [.init(startDate: "2010-01-15", endDate: end, targetSite: target, prescribedDoseGy: prescribed,
                                              fractions: 15, modality: "photon", organMeanDoseGy: organs)],
                         chemotherapy: chemo)
    }

    func item(_ s: TreatmentSummary, _ rule: String) -> SurveillanceItem? {
        SurveillanceRules.plan(for: s).items.first { $0.rule == rule }
    }

    @Test("breast: < 1 Gy none; 1 to < 10 may be reasonable; 10 to < 20 reasonable; ≥ 20 recommended (IGHG)")
    func breastBands() {
        let cases: [(Double, String?)] = [(0.99, nil), (1.0, "may be reasonable"), (9.99, "may be reasonable"), (10.0, "reasonable"),
                                          (19.99, "reasonable"), (20.0, "recommended"), (36, "recommended")]
        for (dose, expected) in cases {
            #expect(item(child(organs: ["breast": dose]), "breast_cancer")?.strength == expected, "breast \(dose) Gy")
        }
    }

    @Test("breast screening is yearly mammography and MRI from age 25 or 8 years after radiotherapy, whichever is later")
    func breastStart() throws {
        let young = try #require(item(child(organs: ["breast": 25]), "breast_cancer"))          // RT at 10: age 25 is later
        #expect(young.startDate == "2025-01-01" && young.frequency == "every year" && young.modality.contains("MRI"))
        let older = try #require(item(child(organs: ["breast": 25], end: "2018-06-30"), "breast_cancer"))   // RT at 18.5: +8 y is later
        #expect(older.startDate == "2026-06-30")
    }

    @Test("breast surveillance is for female survivors only")
    func breastFemaleOnly() {
        #expect(item(child(sex: "M", organs: ["breast": 30]), "breast_cancer") == nil)
    }

    @Test("without organ doses the prescribed dose of a field exposing the organ is used, and the plan says so")
    func fallbackToPrescribedDose() throws {
        let s = child(target: "mediastinum", prescribed: 21, organs: nil)
        let plan = SurveillanceRules.plan(for: s)
        let breast = try #require(plan.items.first { $0.rule == "breast_cancer" })
        #expect(breast.strength == "recommended" && breast.doseBasis.contains("prescribed dose 21.0 Gy"))
        #expect(plan.notes.contains { $0.contains("no organ doses") })
        #expect(item(child(target: "pelvis", prescribed: 45, organs: nil), "breast_cancer") == nil)
        #expect(item(child(target: "Whole-lung", prescribed: 12, organs: nil), "breast_cancer")?.strength == "reasonable")
    }

    @Test("cardiomyopathy by heart dose: < 15 Gy none; 15 to < 30 every 5 years; ≥ 30 every 2 years (IGHG 2023)")
    func cardiacRadiotherapyBands() {
        let cases: [(Double, String?)] = [(14.99, nil), (15, "every 5 years"), (29.99, "every 5 years"), (30, "every 2 years")]
        for (dose, expected) in cases {
            #expect(item(child(organs: ["heart": dose]), "cardiomyopathy")?.frequency == expected, "heart \(dose) Gy")
        }
    }

    @Test("cardiomyopathy by anthracyclines: < 100 none; 100 to < 250 every 5 years; ≥ 250 every 2 years; ≥ 100 with heart ≥ 15 Gy every 2 years")
    func cardiacAnthracyclineBands() {
        func dox(_ d: Double, heart: Double = 0) -> String? {
            item(child(organs: ["heart": heart], chemo: [.init(agent: "Doxorubicin", cumulativeDoseMgPerM2: d, endDate: "2010-06-01")]),
                 "cardiomyopathy")?.frequency
        }
        #expect(dox(99.9) == nil)
        #expect(dox(100) == "every 5 years")
        #expect(dox(249.9) == "every 5 years")
        #expect(dox(250) == "every 2 years")
        #expect(dox(100, heart: 15) == "every 2 years")
        #expect(dox(99, heart: 15) == "every 5 years")
        #expect(dox(100, heart: 14.9) == "every 5 years")
    }

    @Test("anthracyclines count as doxorubicin equivalents: daunorubicin 0.6, epirubicin 0.8, idarubicin 5, mitoxantrone 10")
    func doxorubicinEquivalents() {
        #expect(AnthracyclineEquivalence.doxorubicinEquivalent([.init(agent: "daunorubicin", cumulativeDoseMgPerM2: 200),
                                                                .init(agent: "epirubicin", cumulativeDoseMgPerM2: 125),
                                                                .init(agent: "idarubicin", cumulativeDoseMgPerM2: 10),
                                                                .init(agent: "mitoxantrone", cumulativeDoseMgPerM2: 5),
                                                                .init(agent: "vincristine", cumulativeDoseMgPerM2: 12)]) == 120 + 100 + 50 + 50)
        let m = item(child(organs: [:], chemo: [.init(agent: "mitoxantrone", cumulativeDoseMgPerM2: 25)]), "cardiomyopathy")
        #expect(m?.riskGroup == "high")
    }

    @Test("echocardiography starts no later than 2 years after the last cardiotoxic therapy")
    func cardiacStart() throws {
        let s = child(organs: ["heart": 20], chemo: [.init(agent: "doxorubicin", cumulativeDoseMgPerM2: 150, endDate: "2011-05-10")])
        #expect(try #require(item(s, "cardiomyopathy")).startDate == "2013-05-10")
    }

    @Test("thyroid: a mean dose ≥ 1 Gy (or a neck field without organ doses) triggers cancer counselling from +5 years and yearly TSH/FT4")
    func thyroidRules() throws {
        #expect(item(child(organs: ["thyroid": 0.99]), "thyroid_cancer") == nil)
        let cancer = try #require(item(child(organs: ["thyroid": 1.0]), "thyroid_cancer"))
        #expect(cancer.startDate == "2015-03-01" && cancer.modality.contains("ultrasound every 3-5 years"))
        #expect(item(child(organs: ["thyroid": 1.0]), "thyroid_function")?.frequency == "every year")
        #expect(item(child(target: "neck", organs: nil), "thyroid_cancer") != nil)
        #expect(item(child(target: "brain", organs: nil), "thyroid_cancer") == nil)
        #expect(item(child(target: "craniospinal", organs: nil), "thyroid_function") != nil)
    }

    @Test("hearing: head or brain radiotherapy < 30 Gy none, ≥ 30 Gy recommended; any cisplatin recommended; carboplatin alone none (IGHG 2019)")
    func hearingBoundaries() throws {
        #expect(item(child(target: "brain", prescribed: 29.9, organs: nil), "hearing_loss") == nil)
        let rt = try #require(item(child(target: "brain", prescribed: 30, organs: nil), "hearing_loss"))
        #expect(rt.trigger == "head or brain radiotherapy 30.0 Gy" && rt.strength == "recommended")
        #expect(item(child(target: "abdomen", prescribed: 45, organs: nil), "hearing_loss") == nil, "a field away from the head")
        let cis = try #require(item(child(target: "abdomen", prescribed: 14.4, organs: nil,
                                          chemo: [.init(agent: "Cisplatin", cumulativeDoseMgPerM2: 80, endDate: "2010-06-30")]), "hearing_loss"))
        #expect(cis.trigger == "cisplatin 80.0 mg/m²")
        #expect(item(child(target: "abdomen", prescribed: 14.4, organs: nil,
                           chemo: [.init(agent: "carboplatin", cumulativeDoseMgPerM2: 2000)]), "hearing_loss") == nil)
    }

    @Test("hearing checks start at the end of the ototoxic treatment, yearly under 6, every 2 years to 12, every 5 years after")
    func hearingSchedule() throws {
        let h = try #require(item(child(target: "posterior fossa", prescribed: 54, organs: ["brain": 20],
                                        chemo: [.init(agent: "cisplatin", cumulativeDoseMgPerM2: 420, endDate: "2010-09-30")]), "hearing_loss"))
        #expect(h.startDate == "2010-09-30" && h.startAgeYears == 10.7)
        #expect(h.frequency == "every year under 6 years of age; every 2 years from 6 to 12 years; every 5 years from 12 years")
        #expect(h.doseBasis.contains("prescribed 54.0 Gy"), "the threshold is on the field's prescribed dose, not the brain mean dose")
    }

    @Test("ovarian insufficiency (girls): any alkylating agent, or ovaries ≥ 1 Gy (a pelvic field without organ doses); not boys, not vincristine (IGHG 2016)")
    func ovarianBoundaries() throws {
        #expect(item(child(target: "brain", organs: ["ovaries": 0.99]), "premature_ovarian_insufficiency") == nil)
        let rt = try #require(item(child(target: "pelvis", organs: ["ovaries": 1.0]), "premature_ovarian_insufficiency"))
        #expect(rt.frequency.contains("every 5 years") && rt.startDate == "2010-03-01")
        #expect(item(child(target: "pelvis", organs: nil), "premature_ovarian_insufficiency") != nil)
        #expect(item(child(target: "brain", organs: nil), "premature_ovarian_insufficiency") == nil)
        let alk = try #require(item(child(target: "brain", organs: nil, chemo: [.init(agent: "ifosfamide", cumulativeDoseMgPerM2: 54000, endDate: "2010-08-01")]),
                                    "premature_ovarian_insufficiency"))
        #expect(alk.trigger == "alkylating agents (ifosfamide 54000.0 mg/m²)" && alk.startDate == "2010-08-01")
        #expect(item(child(target: "brain", organs: nil, chemo: [.init(agent: "vincristine", cumulativeDoseMgPerM2: 27)]), "premature_ovarian_insufficiency") == nil)
        #expect(item(child(sex: "M", target: "pelvis", organs: nil, chemo: [.init(agent: "cyclophosphamide", cumulativeDoseMgPerM2: 6000)]),
                     "premature_ovarian_insufficiency") == nil)
    }

    @Test("every item names its source guideline")
    func itemsCiteSources() {
        let plan = SurveillanceRules.plan(for: child(target: "mantle", prescribed: 36, organs: nil,
                                                     chemo: [.init(agent: "doxorubicin", cumulativeDoseMgPerM2: 300)]))
        #expect(Set(plan.items.map(\.rule)) == ["breast_cancer", "cardiomyopathy", "thyroid_cancer", "thyroid_function", "cerebrovascular", "pulmonary_dysfunction"])
        let more = SurveillanceRules.plan(for: child(target: "craniospinal", prescribed: 36, organs: nil,
                                                     chemo: [.init(agent: "cisplatin", cumulativeDoseMgPerM2: 420), .init(agent: "lomustine", cumulativeDoseMgPerM2: 600)]))
        #expect(Set(more.items.map(\.rule)).isSuperset(of: ["hearing_loss", "premature_ovarian_insufficiency"]))
        #expect(more.items.allSatisfy { !$0.sources.isEmpty && $0.sources.allSatisfy { $0.contains("IGHG") || $0.contains("PanCare") || $0.contains("COG") } })
        #expect(plan.items.allSatisfy { !$0.sources.isEmpty && $0.sources.allSatisfy { $0.contains("IGHG") || $0.contains("PanCare") || $0.contains("COG") } })
    }

    @Test("a treatment summary file with a bad sex, date, organ name or dose is refused naming the field")
    func badTreatmentSummary() throws {
        let dir = try SharedData.temporaryDirectory("followup-summary")
        let good = #"{"child":"NO/x","sex":"F","birthDate":"2000-01-01","radiotherapy":[{"startDate":"2010-01-15","endDate":"2010-03-01","targetSite":"neck","prescribedDoseGy":20,"organMeanDoseGy":{"thyroid":18}}],"chemotherapy":[]}"#
        let url = dir.appendingPathComponent("good.json"); try good.write(to: url, atomically: true, encoding: .utf8)
        #expect(try TreatmentSummary.load(path: url.path).radiotherapy[0].organMeanDoseGy?["thyroid"] == 18)
        for (name, from, to, field) in [("sex", #""sex":"F""#, #""sex":"X""#, "sex"),
                                        ("date", #""endDate":"2010-03-01""#, #""endDate":"2010-13-01""#, "radiotherapy[0].endDate"),
                                        ("organ", #""thyroid":18"#, #""thyroide":18"#, "organMeanDoseGy.thyroide"),
                                        ("dose", #""prescribedDoseGy":20"#, #""prescribedDoseGy":200"#, "prescribedDoseGy"),
                                        ("missing", #""birthDate":"2000-01-01","#, "", "birthDate")] {
            let bad = dir.appendingPathComponent("\(name).json")
            try good.replacingOccurrences(of: from, with: to).write(to: bad, atomically: true, encoding: .utf8)
            #expect { _ = try TreatmentSummary.load(path: bad.path) } throws: { e in "\(e)".contains("\(name).json") && "\(e)".contains(field) }
        }
    }

    @Test("colorectal: abdominal, pelvic or spinal fields < 30 Gy none, ≥ 30 Gy colonoscopy every 5 years (COG); chest fields none")
    func colorectalBoundaries() throws {
        #expect(item(child(sex: "M", target: "pelvis", prescribed: 29.9, organs: nil), "colorectal_cancer") == nil)
        let c = try #require(item(child(sex: "M", target: "pelvis", prescribed: 30, organs: nil), "colorectal_cancer"))
        #expect(c.modality == "colonoscopy" && c.frequency == "at least every 5 years")
        #expect(c.doseBasis.contains("prescribed 30.0 Gy"))
        #expect(item(child(sex: "M", target: "mediastinum", prescribed: 36, organs: nil), "colorectal_cancer") == nil)
        #expect(item(child(target: "whole abdomen", prescribed: 30.6, organs: ["colon": 28]), "colorectal_cancer") != nil,
                "the threshold is on the field dose even when the colon's mean dose is known")
    }

    @Test("colorectal screening starts at 35 years of age or 10 years after the radiotherapy, whichever is later")
    func colorectalStart() throws {
        // Born 2000-01-01, RT ended 2010-03-01 (age 10): age 35 is later than 10 years after RT.
        #expect(item(child(target: "abdomen", prescribed: 30, organs: nil), "colorectal_cancer")?.startDate == "2035-01-01")
        // RT ended at 30 years of age: 10 years after RT (2040) is later than age 35.
        #expect(item(child(target: "abdomen", prescribed: 30, organs: nil, end: "2030-06-15"), "colorectal_cancer")?.startDate == "2040-06-15")
    }

    @Test("colorectal: courses add up, and a craniospinal course is flagged as overstating the spinal dose")
    func colorectalCourses() throws {
        var s = child(target: "pelvis", prescribed: 20, organs: nil)
        s.radiotherapy.append(.init(startDate: "2011-01-10", endDate: "2011-02-20", targetSite: "lumbar spine", prescribedDoseGy: 10, fractions: 5))
        #expect(item(s, "colorectal_cancer")?.trigger == "radiotherapy to the abdomen, pelvis or spine: 30.0 Gy")
        let csi = try #require(item(child(target: "craniospinal", prescribed: 54, organs: nil), "colorectal_cancer"))
        #expect(csi.doseBasis.contains("spinal field dose is lower"))
    }
}
