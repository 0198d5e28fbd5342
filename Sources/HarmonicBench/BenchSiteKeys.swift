import Registry

/// The benches' site keys: not secret (synthetic stores), one per site folder `XX-cardiac` or
/// `XX-radiotherapy` of a synthetic extract, derived from the folder name so that a bench can hash
/// a truth file's ids as its ingest did.
enum BenchSiteKeys {
    static func key(folder: String) throws -> Pseudonymiser {
        try Pseudonymiser(keyBytes: Array(repeating: UInt8(folder.utf8.first!), count: 32))
    }

    /// Site code → key, for the `XX-...` folders among `folders` (the first folder of a site wins;
    /// every folder of a site gives the same key, since the key depends on its first letter only).
    static func keys(folders: [String]) throws -> [String: Pseudonymiser] {
        var keys: [String: Pseudonymiser] = [:]
        for folder in folders.sorted() where folder.count > 3 && folder.dropFirst(2).first == "-" && keys[String(folder.prefix(2))] == nil {
            keys[String(folder.prefix(2))] = try key(folder: folder)
        }
        return keys
    }
}
