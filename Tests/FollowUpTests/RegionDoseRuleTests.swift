import FollowUp
import Foundation
import HarmonicCore
import Testing

/// The hypothalamic-pituitary (HP), cerebrovascular and carotid rules at their thresholds for each
/// source of dose (`RegionDose`): the structure's mean dose from the DVH, the phantom estimate from the
/// course's organ doses, and the prescribed-dose fallback. Thresholds: PanCare HP axis problems (HP
/// region ≥ 30 Gy: referral; IGHG, van Iersel et al., Endocr Rev 43 (2022) 794) and COG carotid
/// ultrasound after neck radiotherapy ≥ 40 Gy (Bryce et al., Cancer 131 (2025) e35591).
@Suite("HP, cerebrovascular and carotid rules: organ dose from DVH, phantom estimate, prescribed-dose fallback")
struct RegionDoseRuleTests {
    /// A boy born 2000-01-01 with one course ending 2010-03-01.
    func child(target: String, prescribed: Double, organs: [String: Double]? = nil, structures: [String: Double]? = nil) -> TreatmentSummary {
        TreatmentSummary(child: "NO/x", sex: "M", birthDate: "2000-01-01",
                         radiotherapy: [.init(startDate: "2010-01-15", endDate: "2010-03-01", targetSite: target, prescribedDoseGy: prescribed,
                                              fractions: 30, modality: "photon", organMeanDoseGy: organs, structureMeanDoseGy: structures)])
    }

    func item(_ s: TreatmentSummary, _ rule: String) -> SurveillanceItem? {
        SurveillanceRules.plan(for: s).items.first { $0.rule == rule }
    }

    @Test("HP from the DVH: hypothalamus 29.9 Gy is standard risk, 30 Gy high risk, whatever the prescribed dose")
    func hypothalamicPituitaryFromDVH() throws {
        let standard = try #require(item(child(target: "posterior fossa", prescribed: 54, structures: ["hypothalamus": 29.9]), "hypothalamic_pituitary"))
        #expect(standard.riskGroup == "standard: < 30 Gy" && standard.doseSources == ["organ dose from DVH"])
        #expect(standard.trigger.hasSuffix("29.9 Gy (organ dose from DVH)"))
        #expect(item(child(target: "brain", prescribed: 20, structures: ["hypothalamus": 30]), "hypothalamic_pituitary")?.riskGroup == "high: ≥ 30 Gy")
    }

    @Test("HP from the DVH: the larger of the hypothalamus and pituitary counts; a combined HP structure is used first")
    func hypothalamicPituitaryStructures() throws {
        let i = try #require(item(child(target: "brain", prescribed: 54, structures: ["hypothalamus": 12, "pituitary": 30]), "hypothalamic_pituitary"))
        #expect(i.riskGroup == "high: ≥ 30 Gy" && i.doseBasis.contains("hypothalamus mean dose 12.0 Gy, pituitary mean dose 30.0 Gy"))
        let combined = try #require(item(child(target: "brain", prescribed: 54, structures: ["hypothalamic_pituitary": 29.9, "pituitary": 40]),
                                         "hypothalamic_pituitary"))
        #expect(combined.riskGroup == "standard: < 30 Gy")
    }

    @Test("HP phantom estimate: the brain mean of a whole-brain field, 29.9 Gy standard, 30 Gy high, below a higher prescribed dose")
    func hypothalamicPituitaryPhantomEstimate() throws {
        let standard = try #require(item(child(target: "craniospinal", prescribed: 54, organs: ["brain": 29.9]), "hypothalamic_pituitary"))
        #expect(standard.riskGroup == "standard: < 30 Gy" && standard.doseSources == ["phantom estimate"])
        #expect(standard.doseBasis.contains("brain mean dose 29.9 Gy of a whole-brain field"))
        for target in ["cranial", "whole brain", "TBI"] {
            #expect(item(child(target: target, prescribed: 36, organs: ["brain": 30]), "hypothalamic_pituitary")?.riskGroup == "high: ≥ 30 Gy", "\(target)")
        }
    }

    @Test("HP fallback: a focal brain field falls back to its prescribed dose (29.9 standard, 30 high) even with a brain mean dose")
    func hypothalamicPituitaryFallback() throws {
        let low = try #require(item(child(target: "posterior fossa", prescribed: 29.9, organs: ["brain": 8]), "hypothalamic_pituitary"))
        #expect(low.riskGroup == "standard: < 30 Gy" && low.doseSources == ["prescribed-dose fallback"])
        #expect(low.doseBasis.contains("the brain mean dose does not stand for the HP region of a focal field"))
        let high = try #require(item(child(target: "posterior fossa", prescribed: 30, organs: ["brain": 8]), "hypothalamic_pituitary"))
        #expect(high.riskGroup == "high: ≥ 30 Gy" && high.doseBasis.contains("an upper bound of the HP dose for a focal field"))
        #expect(item(child(target: "cranial", prescribed: 30), "hypothalamic_pituitary")?.doseSources == ["prescribed-dose fallback"],
                "a whole-brain field without organ doses")
    }

    @Test("precocious puberty reports the HP dose and its source")
    func precociousPubertySource() throws {
        var s = child(target: "cranial", prescribed: 24, organs: ["brain": 23.5])
        s.radiotherapy[0].startDate = "2005-01-15"; s.radiotherapy[0].endDate = "2005-03-01"   // a boy of 5
        let i = try #require(item(s, "central_precocious_puberty"))
        #expect(i.trigger.contains("23.5 Gy (phantom estimate)") && i.doseSources == ["phantom estimate"])
    }

    @Test("carotid from the DVH: carotid arteries 39.9 Gy none, 40 Gy ultrasound, whatever the prescribed dose")
    func carotidFromDVH() throws {
        #expect(item(child(target: "neck", prescribed: 50, structures: ["carotid_arteries": 39.9]), "carotid_artery_disease") == nil)
        let i = try #require(item(child(target: "neck", prescribed: 36, structures: ["carotid_arteries": 40]), "carotid_artery_disease"))
        #expect(i.trigger == "neck radiotherapy: 40.0 Gy (organ dose from DVH)" && i.doseSources == ["organ dose from DVH"])
    }

    @Test("carotid phantom estimate: the larger of the thyroid and salivary-gland means, 39.9 Gy none, 40 Gy ultrasound")
    func carotidPhantomEstimate() throws {
        #expect(item(child(target: "neck", prescribed: 50, organs: ["thyroid": 39.9, "salivary_glands": 20]), "carotid_artery_disease") == nil)
        let byThyroid = try #require(item(child(target: "neck", prescribed: 50, organs: ["thyroid": 40, "salivary_glands": 20]), "carotid_artery_disease"))
        #expect(byThyroid.doseSources == ["phantom estimate"] && byThyroid.doseBasis.contains("thyroid mean dose 40.0 Gy"))
        #expect(item(child(target: "nasopharynx", prescribed: 50, organs: ["thyroid": 5, "salivary_glands": 40]), "carotid_artery_disease") != nil,
                "an upper-neck field sparing the thyroid")
    }

    @Test("carotid fallback: without carotid, thyroid or salivary doses the neck field's prescribed dose, 39.9 Gy none, 40 Gy ultrasound")
    func carotidFallback() throws {
        #expect(item(child(target: "neck", prescribed: 39.9, organs: ["brain": 1]), "carotid_artery_disease") == nil)
        let i = try #require(item(child(target: "neck", prescribed: 40, organs: ["brain": 1]), "carotid_artery_disease"))
        #expect(i.doseSources == ["prescribed-dose fallback"] && i.doseBasis.contains("no carotid, thyroid or salivary-gland dose"))
    }

    @Test("cerebrovascular: any dose qualifies; the item says whether it read the brain or carotid dose or the prescribed dose")
    func cerebrovascularSources() throws {
        let brain = try #require(item(child(target: "brain", prescribed: 54, organs: ["brain": 0.5]), "cerebrovascular"))
        #expect(brain.doseSources == ["phantom estimate"] && brain.doseBasis.contains("brain mean dose 0.5 Gy"))
        #expect(item(child(target: "neck", prescribed: 2, structures: ["carotid_arteries": 1.2]), "cerebrovascular")?.doseSources == ["organ dose from DVH"])
        #expect(item(child(target: "head", prescribed: 2), "cerebrovascular")?.doseSources == ["prescribed-dose fallback"])
    }

    @Test("a treatment summary with an unknown contoured structure or an impossible dose is refused, naming the field")
    func structureValidation() throws {
        let bad = child(target: "brain", prescribed: 54, structures: ["hypothalamos": 20])
        #expect(throws: InputError.self) { try bad.validate(file: "child.json") }
        do { try bad.validate(file: "child.json") } catch let e as InputError {
            #expect("\(e)".contains("radiotherapy[0].structureMeanDoseGy.hypothalamos") && "\(e)".contains("child.json"))
        }
        #expect(throws: InputError.self) { try child(target: "brain", prescribed: 54, structures: ["pituitary": 130]).validate(file: "child.json") }
    }
}
