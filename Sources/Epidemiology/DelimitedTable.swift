import Foundation
import HarmonicCore

/// A CSV file read as text columns (RFC 4180: quoted fields may hold commas, quotes and line
/// breaks). Blank lines are skipped; every row must have as many fields as the header.
/// `lines[r]` is the 1-based line of data row r in the file, for error messages.
public struct DelimitedTable: Sendable {
    public var file: String
    public var header: [String]
    /// columns[c][r]: the text of column c in data row r (trimmed of surrounding blanks).
    public var columns: [[String]]
    public var lines: [Int]
    public var rowCount: Int { lines.count }

    /// Reads `url`; errors name the file and line.
    public static func read(_ url: URL) throws -> DelimitedTable {
        guard let data = try? Data(contentsOf: url) else { throw InputError(.file(url.path), expected: "a readable CSV file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputError(.file(url.path), expected: "a UTF-8 CSV file") }
        return try parse(text, file: url.path)
    }

    /// Parses CSV text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> DelimitedTable {
        var header: [String]? = nil
        var columns: [[String]] = [], lines: [Int] = []
        var fields: [String] = [], field: [UInt8] = []
        var line = 1, rowLine = 1, inQuotes = false, quotedField = false
        func endField() {
            var s = String(decoding: field, as: UTF8.self)
            if !quotedField { s = s.trimmingWhitespace() }
            fields.append(s); field.removeAll(keepingCapacity: true); quotedField = false
        }
        func endRow() throws {
            endField()
            defer { fields.removeAll(keepingCapacity: true) }
            if fields.count == 1 && fields[0].isEmpty { return }   // blank line
            guard let h = header else {
                header = fields; columns = [[String]](repeating: [], count: fields.count); return
            }
            guard fields.count == h.count else {
                throw InputError(.row(file: file, line: rowLine), value: fields.joined(separator: ","),
                                 expected: "\(h.count) fields as in the header (\(h.joined(separator: ","))), found \(fields.count)")
            }
            for c in fields.indices { columns[c].append(fields[c]) }
            lines.append(rowLine)
        }
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if inQuotes {
                if b == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\"") { field.append(b); i += 2; continue }
                    inQuotes = false
                } else {
                    if b == UInt8(ascii: "\n") { line += 1 }
                    field.append(b)
                }
                i += 1; continue
            }
            switch b {
            case UInt8(ascii: "\""):
                if field.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { field.removeAll(); inQuotes = true; quotedField = true }
                else { field.append(b) }
            case UInt8(ascii: ","): endField()
            case UInt8(ascii: "\r"): break
            case UInt8(ascii: "\n"):
                try endRow(); line += 1; rowLine = line
            default: field.append(b)
            }
            i += 1
        }
        if inQuotes { throw InputError(.row(file: file, line: rowLine), expected: "a closing quote (\") before the end of the file") }
        if !field.isEmpty || !fields.isEmpty { try endRow() }
        guard let h = header else { throw InputError(.file(file), expected: "a header line naming the columns") }
        for (c, name) in h.enumerated() {
            if name.isEmpty { throw InputError(.row(file: file, line: 1), field: "column \(c + 1)", expected: "a column name in the header") }
            if h[..<c].contains(name) { throw InputError(.row(file: file, line: 1), field: name, expected: "each column name once in the header") }
        }
        return DelimitedTable(file: file, header: h, columns: columns, lines: lines)
    }

    /// Index of column `name`; the error lists the header. `role` says what the column is for.
    public func column(_ name: String, role: String) throws -> Int {
        guard let i = header.firstIndex(of: name) else {
            throw InputError(.row(file: file, line: 1), field: name,
                             expected: "a column '\(name)' (\(role)); the header has: \(header.joined(separator: ", "))")
        }
        return i
    }

    /// Column `c` as numbers; `check` says what a value must be and returns false when it is not.
    public func numbers(_ c: Int, expected: String, check: (Double) -> Bool = { $0.isFinite }) throws -> [Double] {
        var out = [Double](repeating: 0, count: rowCount)
        for r in 0..<rowCount {
            let t = columns[c][r]
            guard let v = Double(t), check(v) else {
                throw InputError(.row(file: file, line: lines[r]), field: header[c], value: t, expected: expected)
            }
            out[r] = v
        }
        return out
    }
}
