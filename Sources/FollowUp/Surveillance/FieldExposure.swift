import Foundation
import HarmonicCore

/// Which organs a radiotherapy field exposes when only its target site is known: the fallback
/// of the surveillance rules when the store holds no organ doses for a course. The lists follow
/// the "potentially impacted" radiation fields of the COG Long-Term Follow-Up Guidelines
/// (version 6.0, 2023: sections on breast cancer, cardiac toxicity and thyroid) and the PanCare
/// follow-up recommendations ("a volume exposing the heart / breasts / thyroid gland").
public enum FieldExposure {
    /// Target-site words (lower case, any of `_`, `-`, space as separators) whose field exposes each organ.
    public static let fieldsExposing: [Organ: Set<String>] = [
        .heart: ["chest", "thorax", "thoracic", "mediastinum", "mediastinal", "mantle", "lung", "whole_lung", "craniospinal",
                 "spine", "spinal", "tbi", "total_body", "upper_abdomen", "breast"],
        .breast: ["chest", "thorax", "thoracic", "mediastinum", "mediastinal", "mantle", "lung", "whole_lung", "axilla",
                  "axillary", "breast", "tbi", "total_body"],
        .thyroid: ["neck", "head_and_neck", "cervical", "nasopharynx", "supraclavicular", "mantle", "mediastinum", "mediastinal",
                   "craniospinal", "spine", "spinal", "tbi", "total_body"],
        .lungs: ["chest", "thorax", "thoracic", "mediastinum", "mediastinal", "mantle", "lung", "whole_lung", "craniospinal",
                 "spine", "spinal", "tbi", "total_body", "breast", "upper_abdomen"],
        // "Head or brain radiotherapy" of the IGHG ototoxicity guideline (fields that include the
        // cochleae: cranial, head and neck, craniospinal, TBI).
        .brain: ["brain", "cranial", "cranium", "craniospinal", "head", "head_and_neck", "nasopharynx", "orbit", "skull",
                 "posterior_fossa", "tbi", "total_body"],
        // "A volume exposing the ovaries" (IGHG POI guideline): abdominal and pelvic fields, the
        // lumbar and sacral spine (craniospinal), TBI: the ovarian fields of COG v6.0.
        .ovaries: ["abdomen", "abdominal", "whole_abdomen", "pelvis", "pelvic", "inguinal", "iliac", "lumbar", "sacral",
                   "spine", "spinal", "craniospinal", "tbi", "total_body"],
        // "Radiation to the abdomen, pelvis or spine" of the colorectal cancer screening recommendation
        // (COG LTFU, St. Jude LTFU 2017 summary): fields including the colon or rectum.
        .colon: ["abdomen", "abdominal", "whole_abdomen", "upper_abdomen", "flank", "para_aortic", "paraaortic", "pelvis", "pelvic",
                 "inguinal", "iliac", "lumbar", "sacral", "spine", "spinal", "craniospinal", "tbi", "total_body"],
    ]

    /// Fields exposing the hypothalamic-pituitary (HP) region, which is not an organ of the shared
    /// list (no organ dose exists for it): "radiotherapy to a volume exposing the HP region,
    /// including TBI" of the PanCare HP axis recommendations (IGHG: van Iersel et al., Endocr Rev 43
    /// (2022) 794) and the PanCare SurPass risk factors 15.1-18.1 (hl7-eu/pcsp): cranial and brain
    /// fields, craniospinal, head and nasopharynx fields, orbit, skull base, sellar region, TBI.
    public static let hypothalamicPituitaryFields: Set<String> = [
        "brain", "cranial", "cranium", "craniospinal", "head", "head_and_neck", "nasopharynx", "orbit", "skull", "posterior_fossa",
        "sellar", "suprasellar", "pituitary", "hypothalamus", "hypothalamic", "tbi", "total_body",
    ]

    /// Neck fields (the cervical arteries), for the COG carotid ultrasound recommendation after neck
    /// radiotherapy and, with the head and brain fields, the PanCare cerebrovascular recommendation
    /// ("RT to a volume exposing the head, brain or neck, including TBI"; PanCare SurPass risk
    /// factors 20.1-20.2). Craniospinal fields include the cervical spine.
    public static let neckFields: Set<String> = [
        "neck", "head_and_neck", "cervical", "nasopharynx", "supraclavicular", "mantle", "craniospinal", "tbi", "total_body",
    ]

    /// True when a field with this target site exposes `organ` (by the lists above).
    public static func exposes(targetSite: String, _ organ: Organ) -> Bool {
        guard let words = fieldsExposing[organ] else { return false }
        return matches(targetSite: targetSite, words)
    }

    /// True when the target site names one of `words` (a whole word, or a multi-word phrase
    /// joined by `_`; case and separators `_`, `-`, space ignored).
    public static func matches(targetSite: String, _ words: Set<String>) -> Bool {
        let normalised = targetSite.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let text = String(normalised)
        let tokens = Set(text.split(separator: "_").map(String.init))
        return words.contains { w in w.contains("_") ? text.contains(w) : tokens.contains(w) }
    }
}

/// Doxorubicin-isotoxic equivalents of anthracyclines (and the anthraquinone mitoxantrone) for
/// cardiomyopathy risk, as the IGHG 2023 cardiomyopathy update and the PanCare follow-up
/// recommendations apply them: doxorubicin × 1, daunorubicin × 0.6, epirubicin × 0.8,
/// mitoxantrone × 10 (Feijen et al., JAMA Oncol 5 (2019) 864), idarubicin × 5 (COG guideline).
public enum AnthracyclineEquivalence {
    public static let factors: [String: Double] = [
        "doxorubicin": 1, "adriamycin": 1, "daunorubicin": 0.6, "daunomycin": 0.6, "epirubicin": 0.8,
        "idarubicin": 5, "mitoxantrone": 10,
    ]

    /// The factor of an agent name (case-insensitive), or nil when it is not an anthracycline.
    public static func factor(_ agent: String) -> Double? {
        factors[agent.lowercased().trimmingCharacters(in: .whitespaces)]
    }

    /// Alkylating agents ("alkylating agents in general" of the IGHG premature ovarian
    /// insufficiency guideline): the agents of the cyclophosphamide equivalent dose (Green et al.,
    /// Pediatr Blood Cancer 61 (2014) 53) and the non-classical alkylators dacarbazine and temozolomide.
    public static let alkylatingAgents: Set<String> = [
        "cyclophosphamide", "ifosfamide", "busulfan", "carmustine", "lomustine", "melphalan", "procarbazine",
        "chlorambucil", "thiotepa", "mechlorethamine", "dacarbazine", "temozolomide",
    ]

    /// Cumulative doxorubicin-equivalent dose (mg/m²) of a child's chemotherapy.
    public static func doxorubicinEquivalent(_ chemotherapy: [TreatmentSummary.Chemotherapy]) -> Double {
        chemotherapy.reduce(0) { $0 + (factor($1.agent) ?? 0) * $1.cumulativeDoseMgPerM2 }
    }
}
