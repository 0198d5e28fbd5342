/// Biological sex as recorded by the registries (ICD and cancer-registry convention).
public enum Sex: String, CaseIterable, Codable, Sendable, Hashable {
    case male = "M"
    case female = "F"

    /// Accepts M/F, male/female, 1/2 (ISO/IEC 5218), case-insensitive.
    public init?(code: String) {
        switch code.trimmingWhitespace().lowercased() {
        case "m", "male", "1": self = .male
        case "f", "female", "2": self = .female
        default: return nil
        }
    }
}

/// Countries of the study: the seven cardiac cohorts (BE, DE, ES, FR, IT, NO, UK) and the
/// radiotherapy registry (BE, DK, FR, DE). ISO 3166-1 alpha-2, with UK for GB as the
/// consortium writes it.
public enum Country: String, CaseIterable, Codable, Sendable, Hashable {
    case belgium = "BE", germany = "DE", denmark = "DK", spain = "ES", france = "FR"
    case italy = "IT", norway = "NO", unitedKingdom = "UK"

    public init?(code: String) {
        let c = code.trimmingWhitespace().uppercased()
        if c == "GB" { self = .unitedKingdom; return }
        self.init(rawValue: c)
    }

    /// The seven countries of the cardiac catheterisation cohort.
    public static let cardiac: [Country] = [.belgium, .germany, .spain, .france, .italy, .norway, .unitedKingdom]
    /// The four countries of the paediatric radiotherapy registry.
    public static let radiotherapy: [Country] = [.belgium, .denmark, .france, .germany]
}

/// Which study a child belongs to.
public enum StudyCohort: String, CaseIterable, Codable, Sendable, Hashable {
    case cardiac
    case radiotherapy
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs, CR and LF (no Foundation needed).
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\n" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
