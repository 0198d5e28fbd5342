import Foundation
import HarmonicCore

/// A small CSV table with a header row: lines starting with `#` are comments (provenance), blank
/// lines are skipped, every data row must have the header's column count. Values are looked up by
/// column name so that a reordered file still reads; every failure names file, line and field.
struct CSVTable {
    let file: String
    let columns: [String]
    /// Data rows with their 1-based line numbers in the file.
    let rows: [(line: Int, fields: [String])]

    init(text: String, file: String) throws {
        self.file = file
        var header: [String]?
        var rows: [(Int, [String])] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            if header == nil { header = fields; continue }
            guard fields.count == header!.count else {
                throw InputError(.row(file: file, line: i + 1), value: line,
                                 expected: "\(header!.count) comma-separated fields (\(header!.joined(separator: ","))), found \(fields.count)")
            }
            rows.append((i + 1, fields))
        }
        guard let header else { throw InputError(.file(file), expected: "a header line and data rows; the file has none") }
        self.columns = header
        self.rows = rows
    }

    init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(.file(url.path), expected: "a readable UTF-8 CSV file (\(error.localizedDescription))")
        }
        try self.init(text: text, file: url.path)
    }

    /// Index of a required column.
    func column(_ name: String) throws -> Int {
        guard let i = columns.firstIndex(of: name) else {
            throw InputError(.file(file), field: name, expected: "a column named '\(name)' in the header (found \(columns.joined(separator: ",")))")
        }
        return i
    }

    func string(_ row: (line: Int, fields: [String]), _ column: Int) -> String { row.fields[column] }

    func double(_ row: (line: Int, fields: [String]), _ column: Int, allowEmpty: Bool = false) throws -> Double? {
        let s = row.fields[column]
        if s.isEmpty {
            if allowEmpty { return nil }
            throw InputError(.row(file: file, line: row.line), field: columns[column], value: s, expected: "a number")
        }
        guard let v = Double(s), v.isFinite else {
            throw InputError(.row(file: file, line: row.line), field: columns[column], value: s, expected: "a finite number")
        }
        return v
    }

    func sex(_ row: (line: Int, fields: [String]), _ column: Int) throws -> Sex {
        guard let s = Sex(code: row.fields[column]) else {
            throw InputError(.row(file: file, line: row.line), field: columns[column], value: row.fields[column], expected: "M or F")
        }
        return s
    }
}

/// URL of a file shipped in this module's Resources folder.
func resourceURL(_ path: String) throws -> URL {
    let parts = path.split(separator: "/").map(String.init)
    let name = parts.last!
    let dot = name.lastIndex(of: ".")!
    let base = String(name[..<dot]), ext = String(name[name.index(after: dot)...])
    let sub = (["Resources"] + parts.dropLast()).joined(separator: "/")
    if let url = Bundle.module.url(forResource: base, withExtension: ext, subdirectory: sub) { return url }
    throw InputError(.file(path), expected: "a data file shipped with Harmonic (RiskProjection/Resources/\(path)); the installation is incomplete")
}
