/// Organs and tissues for which Harmonic computes absorbed dose, one list shared by the
/// dosimetry and the epidemiology layers. Raw values are the snake_case names used in the
/// data dictionary, the CLI (`--dose red_marrow`) and exported tables.
///
/// The list covers the tissues of ICRP Publication 103 (2007), Table 3, including the 13
/// remainder tissues of each sex, plus the eye lens (ICRP 118).
public enum Organ: String, CaseIterable, Codable, Sendable, Hashable, CustomStringConvertible {
    case redMarrow = "red_marrow"            // active (red) bone marrow
    case boneSurface = "bone_surface"        // endosteum, 50 µm layer (ICRP 110 "TM50")
    case colon
    case lungs = "lung"
    case stomach                             // stomach wall
    case breast
    case ovaries
    case testes
    case bladder                             // urinary bladder wall
    case oesophagus
    case liver
    case thyroid
    case brain
    case salivaryGlands = "salivary_glands"
    case skin
    case adrenals
    case extrathoracic                       // extrathoracic airways (ET region)
    case gallbladder                         // gall bladder wall
    case heart                               // heart wall
    case kidneys
    case lymphNodes = "lymph_nodes"
    case muscle
    case oralMucosa = "oral_mucosa"
    case pancreas
    case prostate
    case smallIntestine = "small_intestine"  // small intestine wall
    case spleen
    case thymus
    case uterus
    case eyeLens = "eye_lens"

    public var description: String { rawValue }

    /// Human-readable name for tables and plots.
    public var displayName: String {
        switch self {
        case .redMarrow: "Red bone marrow"
        case .boneSurface: "Bone surface"
        case .lungs: "Lungs"
        case .stomach: "Stomach wall"
        case .bladder: "Urinary bladder wall"
        case .oesophagus: "Oesophagus"
        case .salivaryGlands: "Salivary glands"
        case .extrathoracic: "Extrathoracic airways"
        case .gallbladder: "Gall bladder wall"
        case .heart: "Heart wall"
        case .lymphNodes: "Lymph nodes"
        case .oralMucosa: "Oral mucosa"
        case .smallIntestine: "Small intestine wall"
        case .eyeLens: "Eye lens"
        default: rawValue.prefix(1).uppercased() + rawValue.dropFirst()
        }
    }

    /// True for organs that exist in only one sex.
    public func exists(in sex: Sex) -> Bool {
        switch self {
        case .ovaries, .uterus: sex == .female
        case .testes, .prostate: sex == .male
        default: true
        }
    }
}

/// Tissue weighting factors for effective dose.
public enum TissueWeights {
    /// ICRP Publication 103 (2007), Table 3. The gonad weight applies to the dose to the
    /// ovaries or testes of the phantom's sex; the remainder weight applies to the arithmetic
    /// mean dose of `icrp103Remainder` for that sex (13 tissues each). Effective dose is the
    /// mean of the male and female values (ICRP 103 §(128), eq. 4.5 of ICRP 110).
    public static let icrp103: [(tissue: WeightedTissue, weight: Double)] = [
        (.organ(.redMarrow), 0.12), (.organ(.colon), 0.12), (.organ(.lungs), 0.12),
        (.organ(.stomach), 0.12), (.organ(.breast), 0.12), (.remainder, 0.12),
        (.gonads, 0.08),
        (.organ(.bladder), 0.04), (.organ(.oesophagus), 0.04), (.organ(.liver), 0.04), (.organ(.thyroid), 0.04),
        (.organ(.boneSurface), 0.01), (.organ(.brain), 0.01), (.organ(.salivaryGlands), 0.01), (.organ(.skin), 0.01),
    ]

    /// ICRP 103 remainder tissues (Table 3, footnote): 13 for each sex.
    public static func icrp103Remainder(for sex: Sex) -> [Organ] {
        let common: [Organ] = [.adrenals, .extrathoracic, .gallbladder, .heart, .kidneys, .lymphNodes,
                               .muscle, .oralMucosa, .pancreas, .smallIntestine, .spleen, .thymus]
        return common + (sex == .male ? [.prostate] : [.uterus])
    }

    /// ICRP Publication 60 (1991), Table 2, as used by PCXMC 1.5/2.0 and by the published
    /// paediatric cardiac values of Karambatsakidou et al. (Br J Radiol 2009).
    public static let icrp60: [(tissue: WeightedTissue, weight: Double)] = [
        (.gonads, 0.20),
        (.organ(.redMarrow), 0.12), (.organ(.colon), 0.12), (.organ(.lungs), 0.12), (.organ(.stomach), 0.12),
        (.organ(.bladder), 0.05), (.organ(.breast), 0.05), (.organ(.liver), 0.05),
        (.organ(.oesophagus), 0.05), (.organ(.thyroid), 0.05), (.remainder, 0.05),
        (.organ(.skin), 0.01), (.organ(.boneSurface), 0.01),
    ]

    /// ICRP 60 remainder tissues (Table 2, note 2; upper large intestine is folded into colon
    /// here). The mass-weighted mean is the ICRP 60 definition; the arithmetic mean is what
    /// PCXMC reports. The "splitting rule" is not applied.
    public static func icrp60Remainder(for sex: Sex) -> [Organ] {
        [.adrenals, .brain, .smallIntestine, .kidneys, .muscle, .pancreas, .spleen, .thymus]
            + (sex == .female ? [.uterus] : [])
    }
}

extension TissueWeights {
    /// The weighted sum Σ w_T H_T of one phantom sex (`weights`: `icrp103` or `icrp60`): the gonad
    /// term takes the ovaries or testes of `sex`, the remainder term the arithmetic mean of the
    /// `remainder` tissues that have a dose; a tissue without a dose counts zero. ICRP 103 defines
    /// effective dose as the mean of the male and female sums (§(128)); a single-sex phantom's sum
    /// is what the organ-dose tables of this project call "phantom sex".
    public static func weightedSum(_ weights: [(tissue: WeightedTissue, weight: Double)], remainder: [Organ], sex: Sex,
                                   doses: [Organ: Double]) -> Double {
        var e = 0.0
        for (tissue, w) in weights {
            switch tissue {
            case .organ(let o): e += w * (doses[o] ?? 0)
            case .gonads: e += w * (doses[sex == .female ? .ovaries : .testes] ?? 0)
            case .remainder:
                let present = remainder.filter { doses[$0] != nil }
                e += w * present.reduce(0) { $0 + doses[$1]! } / Double(max(1, present.count))
            }
        }
        return e
    }
}

/// A term of the effective-dose sum.
public enum WeightedTissue: Hashable, Sendable {
    case organ(Organ)
    /// Ovaries for a female phantom, testes for a male one.
    case gonads
    /// The mean dose of the remainder tissues.
    case remainder
}
