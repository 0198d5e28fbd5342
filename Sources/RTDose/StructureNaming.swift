import Foundation
import HarmonicCore

/// What a structure of an RT Structure Set is, once its name has been read.
public enum StructureRole: Sendable, Hashable {
    /// An organ of the shared `Organ` list.
    case organ(Organ)
    /// The external outline (BODY, EXTERNAL): registers the phantom, bounds organs.
    case body
    /// A target volume (GTV, CTV, ITV, PTV): not an organ.
    case target
    /// An optimisation or planning helper (TG-263 names starting with "z", rings, couch).
    case helper
    /// An anatomical structure with no `Organ` of its own (spinal cord, brainstem, cochlea...).
    case noOrgan
    /// A name the synonym table does not know.
    case unknown
}

/// Maps structure names to organs with the committed synonym table
/// (`Resources/structure_synonyms.tsv`: AAPM TG-263 primary names, Mayo et al. 2018, plus
/// common English, French, German and Nordic variants). Names are normalised (lower case,
/// letters and digits only, laterality dropped) before the look-up, so `Lung_L`, `LUNG-R` and
/// `lung left` all give `lung`; nothing is silently dropped: every structure gets a role and
/// the caller lists those that are not organs.
public struct StructureNaming: Sendable {
    public let table: [String: StructureRole]

    /// The committed table, loaded once.
    public static let standard: StructureNaming = {
        do { return try StructureNaming(contentsOf: RTDoseResources.url("structure_synonyms.tsv")) } catch {
            fatalError("RTDose resource structure_synonyms.tsv unreadable: \(error)")   // packaging defect, not input
        }
    }()

    public init(table: [String: StructureRole]) { self.table = table }

    /// Reads a synonym table: `name<TAB>role<TAB>organ`, `#` comments.
    public init(contentsOf url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var t: [String: StructureRole] = [:]
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.hasPrefix("#") || line.allSatisfy(\.isWhitespace) { continue }
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let row = InputLocation.row(file: url.lastPathComponent, line: i + 1)
            guard f.count >= 2 else { throw InputError(row, value: String(line), expected: "name, role and organ separated by tabs") }
            let role: StructureRole
            switch f[1] {
            case "organ":
                guard f.count >= 3, let o = Organ(rawValue: f[2]) else {
                    throw InputError(row, field: "organ", value: f.count >= 3 ? f[2] : "", expected: "an Organ raw value (lung, heart, ...)")
                }
                role = .organ(o)
            case "body": role = .body
            case "target": role = .target
            case "helper": role = .helper
            case "noorgan": role = .noOrgan
            default: throw InputError(row, field: "role", value: f[1], expected: "organ, body, target, helper or noorgan")
            }
            t[Self.normalise(f[0])] = role
        }
        table = t
    }

    static let laterality: Set<String> = ["l", "r", "left", "right", "lt", "rt", "g", "d", "li", "re", "gauche", "droite",
                                          "droit", "links", "rechts", "sin", "dx", "sx", "bilat", "both"]

    /// Lower case, letters and digits only.
    static func normalise(_ s: String) -> String {
        String(s.lowercased().folding(options: .diacriticInsensitive, locale: nil).filter { $0.isLetter || $0.isNumber })
    }

    /// The role of a structure name.
    public func role(of name: String) -> StructureRole {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased().hasPrefix("z_") || trimmed.lowercased().hasPrefix("z-") { return .helper }
        let whole = Self.normalise(trimmed)
        if whole.isEmpty { return .unknown }
        for prefix in ["ptv", "ctv", "gtv", "itv"] where whole.hasPrefix(prefix) { return .target }
        for prefix in ["opt", "ring", "avoid", "dummy", "couch"] where whole.hasPrefix(prefix) { return .helper }
        // Planning organ-at-risk volumes (Heart_PRV5) are margins, not the organ.
        if whole.contains("prv") { return .helper }
        if let r = table[whole] { return r }
        // Tokens split on separators and lower/upper case changes; laterality tokens dropped.
        var tokens: [String] = [], current = ""
        var previousLower = false
        for ch in trimmed {
            if !(ch.isLetter || ch.isNumber) { if !current.isEmpty { tokens.append(current) }; current = ""; previousLower = false; continue }
            if ch.isUppercase && previousLower { tokens.append(current); current = "" }
            current.append(ch); previousLower = ch.isLowercase
        }
        if !current.isEmpty { tokens.append(current) }
        let kept = tokens.map(Self.normalise).filter { !Self.laterality.contains($0) }
        let joined = kept.joined()
        if !joined.isEmpty, let r = table[joined] { return r }
        // Laterality glued on without a separator: "lungl", "lungr".
        for suffix in ["left", "right", "l", "r"] where whole.hasSuffix(suffix) {
            if let r = table[String(whole.dropLast(suffix.count))] { return r }
        }
        // Trailing digits or qualifiers (Heart_PRV, Lung_1): first token alone.
        if let first = kept.first, let r = table[first] { return r }
        return .unknown
    }
}

/// Files committed under Sources/RTDose/Resources.
enum RTDoseResources {
    static func url(_ name: String) -> URL {
        let parts = name.split(separator: ".")
        if let u = Bundle.module.url(forResource: String(parts[0]), withExtension: String(parts[1]), subdirectory: "Resources") { return u }
        return Bundle.module.bundleURL.appendingPathComponent("Resources/\(name)")
    }
}
