import Foundation
import HarmonicCore

/// The CSV form shared by Harmonic's committed imaging organ-dose coefficient tables
/// (`CTCoefficientTable`, `KVImagingCoefficientTable`): `#` lines carry the provenance header
/// (how and when the table was simulated), then one line of column names, then one row per
/// table entry and quantity, the quantity being an organ name or `effective_dose_icrp103`.
/// One reader keeps the two tables' error messages (file, line, column, value) identical.
struct CoefficientTableCSV {
    /// What a row's quantity column names.
    enum Quantity { case organ(Organ), effectiveDose103 }

    /// One data row, with what it needs to name itself in an error.
    struct Row {
        let file: String
        /// 1-based line number in the file.
        let line: Int
        let columns: [String]
        let fields: [String]

        subscript(_ i: Int) -> String { fields[i] }

        /// An error naming file, line, column and value: `file line 12: kvp 'x', expected …`.
        func invalid(_ column: Int, expected: String) -> DoseModelError {
            DoseModelError("\(file) line \(line): \(columns[column]) '\(fields[column])', expected \(expected)")
        }

        /// The quantity named in `column`: an organ of `Organ` or the ICRP 103 effective dose.
        func quantity(_ column: Int) throws -> Quantity {
            if fields[column] == CTCoefficientTable.effectiveDoseQuantity { return .effectiveDose103 }
            if let organ = Organ(rawValue: fields[column]) { return .organ(organ) }
            throw invalid(column, expected: "an organ name (\(Organ.allCases.map(\.rawValue).joined(separator: ", "))) or \(CTCoefficientTable.effectiveDoseQuantity)")
        }
    }

    /// Reads `csv` row by row (the column line must equal `columns`, every row must have as many
    /// fields) and returns the `#` header lines.
    static func read(_ csv: String, file: String, columns: [String], row handle: (Row) throws -> Void) throws -> [String] {
        var header: [String] = [], sawColumns = false, rows = 0
        for (n, raw) in csv.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("#") { header.append(String(line.dropFirst().trimmingCharacters(in: .whitespaces))); continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if !sawColumns {
                guard fields == columns else {
                    throw DoseModelError("\(file) line \(n + 1): header '\(line)', expected '\(columns.joined(separator: ","))'")
                }
                sawColumns = true; continue
            }
            guard fields.count == columns.count else {
                throw DoseModelError("\(file) line \(n + 1): \(fields.count) fields, expected \(columns.count)")
            }
            try handle(Row(file: file, line: n + 1, columns: columns, fields: fields))
            rows += 1
        }
        guard sawColumns, rows > 0 else { throw DoseModelError("\(file): no coefficient rows") }
        return header
    }

    /// The text of a table committed in the Dosimetry bundle's `Resources` folder.
    static func bundled(_ fileName: String, what: String) throws -> String {
        let url = URL(fileURLWithPath: fileName)
        guard let found = Bundle.module.url(forResource: url.deletingPathExtension().lastPathComponent,
                                            withExtension: url.pathExtension, subdirectory: "Resources") else {
            throw DoseModelError("the \(what) Resources/\(fileName) is missing from the Dosimetry bundle")
        }
        return try String(contentsOf: found, encoding: .utf8)
    }
}
