import Foundation

/// The cancer outcome groups of the dose-response analyses, defined on ICD-O-3 codes.
///
/// Haematological groups follow the morphology ranges of the International Classification of
/// Childhood Cancer, third edition (ICCC-3; Steliarova-Foucher et al., Cancer 2005;103:1457-67):
/// - `leukaemia`: morphology 9800-9989, any topography (ICCC-3 main group I, leukaemias,
///   myeloproliferative and myelodysplastic diseases; the whole range is taken, CLL 9823 included).
/// - `lymphoma`: morphology 9590-9729, any topography (ICCC-3 group II(a)-(c): Hodgkin 9650-9667,
///   non-Hodgkin and Burkitt 9591-9729).
///
/// Solid groups are topography groups as in IARC's Cancer Incidence in Five Continents and ICD-10,
/// excluding the morphologies ICD-10 codes elsewhere whatever the site (haematological 9590-9989
/// → C81-C96, mesothelioma 9050-9055 → C45, Kaposi sarcoma 9140 → C46; WHO ICD-O-3 to ICD-10
/// conversion rules):
/// - `cns`: C70-C72 and C75.1-C75.3 (meninges, brain, spinal cord, pituitary, craniopharyngeal
///   duct, pineal; ICCC-3 group III by site). `brain` is accepted as another name.
/// - `thyroid`: C73. `breast`: C50. `lung`: C33-C34 (trachea, bronchus and lung). `oesophagus`: C15.
///
/// Only malignant tumours (behaviour 3) count; benign and uncertain CNS tumours (behaviour 0/1,
/// part of ICCC-3 group III) are not outcomes here.
public enum OutcomeGroup: String, CaseIterable, Sendable, Codable {
    case leukaemia, lymphoma, cns, thyroid, breast, lung, oesophagus

    /// The group a user names (`--outcome`); `brain` and `central_nervous_system` mean `cns`,
    /// `leukemia`/`lymphoma` spellings and `_cancer` suffixes are accepted.
    public init?(name: String) {
        var n = name.lowercased().trimmingCharacters(in: .whitespaces)
        if n.hasSuffix("_cancer") { n = String(n.dropLast(7)) }
        switch n {
        case "brain", "central_nervous_system", "cns_tumour", "cns_tumor": self = .cns
        case "leukemia": self = .leukaemia
        case "esophagus": self = .oesophagus
        case "lungs": self = .lung
        default:
            guard let g = OutcomeGroup(rawValue: n) else { return nil }
            self = g
        }
    }

    /// The organ whose dose the group is analysed against by default, and its usual lag in
    /// years (2 for leukaemia and lymphoma, 5 for solid cancers; UNSCEAR 2006 Annex A).
    public var defaultOrganName: String {
        switch self {
        case .leukaemia, .lymphoma: "red_marrow"
        case .cns: "brain"
        case .thyroid: "thyroid"
        case .breast: "breast"
        case .lung: "lung"
        case .oesophagus: "oesophagus"
        }
    }
    public var defaultLagYears: Double { self == .leukaemia || self == .lymphoma ? 2 : 5 }

    /// The groups a diagnosis belongs to (at most one with these definitions), from ICD-O-3
    /// topography (`C42.1`, `C421`), morphology (`9836/3` or `9836`) and behaviour (`3`; when
    /// empty, the morphology's behaviour digit is used). Unreadable codes belong to no group.
    public static func classify(topography: String, morphology: String, behaviour: String) -> OutcomeGroup? {
        let digits = morphology.unicodeScalars.prefix { $0 != "/" }.filter { ("0"..."9").contains($0) }
        guard digits.count == 4, let m = Int(String(String.UnicodeScalarView(digits))) else { return nil }
        var b = behaviour.trimmingCharacters(in: .whitespaces)
        if b.isEmpty, let slash = morphology.firstIndex(of: "/") { b = String(morphology[morphology.index(after: slash)...]) }
        guard b == "3" else { return nil }
        if (9800...9989).contains(m) { return .leukaemia }
        if (9590...9729).contains(m) { return .lymphoma }
        if (9590...9989).contains(m) || (9050...9055).contains(m) || m == 9140 { return nil }
        let t = topography.uppercased().filter { $0 != "." }
        guard t.count == 4, t.first == "C", let site = Int(t.dropFirst()) else { return nil }
        let major = site / 10, minor = site % 10
        switch major {
        case 70, 71, 72: return .cns
        case 75 where (1...3).contains(minor): return .cns
        case 73: return .thyroid
        case 50: return .breast
        case 33, 34: return .lung
        case 15: return .oesophagus
        default: return nil
        }
    }
}
