import Foundation

/// One rejected row: where, which field, what value, why.
public struct QuarantineEntry: Sendable, Hashable, Codable {
    public let site: String
    public let table: String
    /// Key of the rejected row (pseudonym for patients), so a corrected row can replace it.
    public let rowKey: String
    public let file: String
    public let line: Int
    public let field: String
    public let value: String
    public let reason: String

    public init(site: String, table: String, rowKey: String, file: String, line: Int, field: String, value: String, reason: String) {
        self.site = site; self.table = table; self.rowKey = rowKey; self.file = file; self.line = line
        self.field = field; self.value = value; self.reason = reason
    }
}

/// What loading one file did.
public struct FileLoadResult: Sendable, Codable {
    public var file: String
    public var table: String
    public var sha256: String = ""
    /// `loaded`, or `refused` (nothing of the file stored) with `message` saying why.
    public var status: String = "loaded"
    public var message: String = ""
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    public var rejected = 0
    /// Quarantined rows from earlier loads replaced by a corrected row in this file.
    public var replaced = 0
    /// Things worth a look that did not stop any row, e.g. header columns the data dictionary
    /// does not know (their values are not stored).
    public var warnings: [String] = []
    public var accepted: Int { inserted + updated + unchanged }
}

/// What one `ingest` did: per file results and the rows rejected.
public struct LoadReport: Sendable, Codable {
    public var loadID: Int64
    public var site: String
    public var files: [FileLoadResult] = []
    public var problems: [QuarantineEntry] = []

    public var accepted: Int { files.reduce(0) { $0 + $1.accepted } }
    public var rejected: Int { files.reduce(0) { $0 + $1.rejected } }
    public var refusedFiles: [FileLoadResult] { files.filter { $0.status != "loaded" } }

    /// Exit code for scripts: 0 clean, 3 finished with rejected rows, 1 a file refused.
    public var exitCode: Int32 { !refusedFiles.isEmpty ? 1 : rejected > 0 ? 3 : 0 }

    /// The rejected rows as CSV (file, line, table, field, value, reason).
    public func problemsCSV() -> String {
        func q(_ s: String) -> String { s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s }
        var out = "file,line,table,field,value,reason\n"
        for p in problems { out += [p.file, String(p.line), p.table, p.field, p.value, p.reason].map(q).joined(separator: ",") + "\n" }
        for f in refusedFiles { out += [f.file, "0", f.table, "", "", "file refused: " + f.message].map(q).joined(separator: ",") + "\n" }
        for f in files { for w in f.warnings { out += [f.file, "1", f.table, "", "", "warning: " + w].map(q).joined(separator: ",") + "\n" } }
        return out
    }

    /// A printable summary, one line per file.
    public func summary() -> String {
        var out = "load \(loadID), site \(site)\n"
        for f in files {
            out += f.status == "loaded"
                ? "  \(f.file): \(f.accepted) accepted (\(f.inserted) new, \(f.updated) updated, \(f.unchanged) unchanged), \(f.rejected) rejected, \(f.replaced) quarantined rows replaced\n"
                : "  \(f.file): REFUSED, nothing stored: \(f.message)\n"
            for w in f.warnings { out += "    warning: \(w)\n" }
        }
        out += "total: \(accepted) accepted, \(rejected) rejected, \(refusedFiles.count) files refused\n"
        return out
    }
}
