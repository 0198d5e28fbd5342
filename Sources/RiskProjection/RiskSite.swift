import HarmonicCore

/// The cancer sites of the BEIR VII lifetime-risk models (BEIR VII Phase 2, ch. 12): ten solid sites,
/// thyroid and leukaemia. Each takes its dose from one organ; "other" (all other solid cancers) takes
/// the mean dose of the ICRP 103 remainder tissues that were given, or an explicit `other` dose.
public enum RiskSite: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable, Hashable, Comparable {
    case stomach, colon, liver, lung, breast, prostate, uterus, ovary, bladder, other, thyroid, leukaemia

    /// Solid cancers get the DDREF; leukaemia is linear-quadratic and does not.
    public var isSolid: Bool { self != .leukaemia }

    /// The organ whose absorbed dose drives this site (nil for `other`, see `RiskSite` doc).
    public var organ: Organ? {
        switch self {
        case .stomach: .stomach
        case .colon: .colon
        case .liver: .liver
        case .lung: .lungs
        case .breast: .breast
        case .prostate: .prostate
        case .uterus: .uterus
        case .ovary: .ovaries
        case .bladder: .bladder
        case .thyroid: .thyroid
        case .leukaemia: .redMarrow
        case .other: nil
        }
    }

    /// Sites that exist in this sex (BEIR VII gives no male breast model).
    public func applies(to sex: Sex) -> Bool {
        switch self {
        case .breast, .uterus, .ovary: sex == .female
        case .prostate: sex == .male
        default: true
        }
    }

    public var displayName: String { self == .other ? "Other solid" : rawValue.prefix(1).uppercased() + rawValue.dropFirst() }

    public static func < (a: RiskSite, b: RiskSite) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
