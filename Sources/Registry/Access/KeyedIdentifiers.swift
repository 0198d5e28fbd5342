import Foundation

/// The sites' own record ids (in files that stay at a site or with the synthetic cohort, such as
/// `harmonic synth`'s truth files) as the store holds them: the keyed hash under the site's key
/// (`Pseudonymiser.pseudonym(for:column:)`), prefixed with the site code, so a file's rows can be
/// matched with the store's rows (`site` U+001F `hash`).
public struct KeyedIdentifiers: Sendable {
    /// Site code (upper case) → its key.
    public let keys: [String: Pseudonymiser]

    public init(_ keys: [String: Pseudonymiser]) {
        self.keys = Dictionary(keys.map { ($0.key.uppercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// The store keys `rawID` of identifier column `column` may have. With `site` given: that site's
    /// only (none when its key is missing). Without: the site named by the id's prefix up to the
    /// first '-' when a key of that code is given (the registry's ids start with the country, e.g.
    /// `BE-R00001-RT1`), otherwise one key per site, since the id alone does not say its site.
    public func storeKeys(of rawID: String, column: String, site: String? = nil) -> [String] {
        if let site {
            let s = site.uppercased()
            return keys[s].map { [s + "\u{1F}" + $0.pseudonym(for: rawID, column: column)] } ?? []
        }
        if let dash = rawID.firstIndex(of: "-") {
            let prefix = rawID[..<dash].uppercased()
            if let key = keys[prefix] { return [prefix + "\u{1F}" + key.pseudonym(for: rawID, column: column)] }
        }
        return keys.map { $0.key + "\u{1F}" + $0.value.pseudonym(for: rawID, column: column) }
    }

    /// The store's key of a row: `site` U+001F the stored (hashed) id.
    public static func storeKey(site: String, id: String) -> String { site.uppercased() + "\u{1F}" + id }
}
