import Foundation
import Registry

/// The sites' pseudonymisation keys on the server, one file per site (`NO.key`, `FR.key`: the
/// files `harmonic ingest --new-key` writes) in a folder given to `harmonic serve --site-keys DIR`.
/// Uploads are pseudonymised on the server with the key of the uploader's site; the keys never
/// enter the store.
public struct SiteKeys: Sendable {
    let keys: [String: Pseudonymiser]
    /// Where the keys were read from (named in errors).
    public let source: String

    /// No keys: uploads are refused with an error saying how to give them.
    public static let none = SiteKeys(keys: [:], source: "no --site-keys folder")

    public init(keys: [String: Pseudonymiser], source: String = "the server's site keys") {
        self.keys = Dictionary(uniqueKeysWithValues: keys.map { ($0.key.uppercased(), $0.value) }); self.source = source
    }

    /// Reads every `XX.key` file (two-letter site code) of `directory`.
    public init(directory: String) throws {
        self.init(keys: try Pseudonymiser.siteKeys(inFolder: directory), source: directory)
    }

    /// The pseudonymiser of `site`, or a 409 saying which key file the server lacks.
    func pseudonymiser(for site: String) throws -> Pseudonymiser {
        guard let p = keys[site.uppercased()] else {
            throw APIError(.conflict, "the server holds no pseudonymisation key for site \(site.uppercased()) (\(source))",
                           fix: "the server's operator puts the site key file \(site.uppercased()).key in the folder given to harmonic serve --site-keys and restarts it")
        }
        return p
    }
}
