import Foundation
import HarmonicCore

/// Reads a grouped person-year table (one row per cell, the AMFIT/Epicure way: Preston, Lubin,
/// Pierce & McConney, Epicure User's Guide 1993) into the same `PersonYearTable` the store path
/// builds, so both are fitted by the same code.
///
/// Columns: cases, person-years and the cell's mean dose (named by the caller); every other
/// column is a factor the model can name (levels in order of first appearance, the first level
/// with person-years is the reference). A column whose values are all numbers is also a
/// continuous covariate: a plain term uses the numbers (as in R), `factor(col)` and
/// `strata(col)` use the categories. A numeric column `mean_<name>` (as `harmonic
/// export-tables` writes) also answers to `<name>`, so the same model text fits the store and
/// its exported tables alike. The dose-category column (default `dose_category`), when
/// present, gives the categorical dose estimates.
public enum GroupedTable {
    /// Which columns hold what.
    public struct Columns: Sendable {
        public var cases: String
        public var personYears: String
        public var dose: String
        /// Column of dose categories for the categorical estimates; nil: `dose_category` if present.
        public var doseCategory: String?
        public init(cases: String = "cases", personYears: String = "pyr", dose: String = "mean_dose", doseCategory: String? = nil) {
            self.cases = cases; self.personYears = personYears; self.dose = dose; self.doseCategory = doseCategory
        }
    }

    /// Reads the table in `url`, checking that every name in `model` is a column.
    public static func read(_ url: URL, columns: Columns, model: ModelSpecification? = nil) throws -> PersonYearTable {
        try table(DelimitedTable.read(url), columns: columns, model: model)
    }

    /// Builds the cell table from parsed CSV. Errors name file, line, column and value.
    /// The dose column stays a covariate under its own name too (e.g. a 0/1 exposure `smoke`).
    public static func table(_ t: DelimitedTable, columns k: Columns, model: ModelSpecification? = nil) throws -> PersonYearTable {
        let ci = try t.column(k.cases, role: "cases per cell, --cases")
        let pi = try t.column(k.personYears, role: "person-years per cell, --person-years")
        let di = try t.column(k.dose, role: "mean dose per cell in Gy, --dose")
        let cases = try t.numbers(ci, expected: "a whole number of cases ≥ 0") { $0.isFinite && $0 >= 0 && $0 == $0.rounded() }
        let pyr = try t.numbers(pi, expected: "person-years ≥ 0 (a finite number)") { $0.isFinite && $0 >= 0 }
        let dose = try t.numbers(di, expected: "a dose in Gy ≥ 0 (a finite number)") { $0.isFinite && $0 >= 0 }
        for r in 0..<t.rowCount where pyr[r] == 0 && cases[r] > 0 {
            throw InputError(.row(file: t.file, line: t.lines[r]), field: k.personYears, value: t.columns[pi][r],
                             expected: "person-years > 0 in a cell with \(Int(cases[r])) cases")
        }
        var categoryColumn: Int? = nil
        if let c = k.doseCategory { categoryColumn = try t.column(c, role: "dose categories, --dose-category") }
        else { categoryColumn = t.header.firstIndex(of: "dose_category") }
        let table = cells(t, reserved: [ci, pi], events: cases, personYears: pyr, dose: dose, doseCategoryColumn: categoryColumn)
        if let model { try check(model, against: t, table: table) }
        return table
    }

    /// The cell table of `t`: every column not in `reserved` becomes a factor (and a continuous
    /// covariate when all its values are numbers).
    static func cells(_ t: DelimitedTable, reserved: Set<Int>, events: [Double], personYears pyr: [Double], dose: [Double],
                      doseCategoryColumn: Int?) -> PersonYearTable {
        var table = PersonYearTable(factorNames: [], factorLevels: [], levels: [], personYears: pyr, events: events, meanDose: dose,
                                    meanAttainedAge: [], meanAgeAtExposure: [], meanTimeSinceExposure: [], meanCalendarYear: [])
        table.hasStandardMeans = false
        var numeric: [String: [Double]] = [:]
        // A column named `dose` is not a covariate: the term `dose` always means the mean dose.
        for (c, name) in t.header.enumerated() where !reserved.contains(c) && name != "dose" {
            let (labels, lv) = factor(t.columns[c])
            table.factorNames.append(name); table.factorLevels.append(labels); table.levels.append(lv)
            if let v = numbersIfAll(t.columns[c]) { numeric[name] = v }
        }
        for (name, v) in numeric where name.hasPrefix("mean_") {
            let base = String(name.dropFirst(5))
            if !base.isEmpty && numeric[base] == nil { numeric[base] = v }
        }
        numeric.removeValue(forKey: "dose")   // `dose` is always the --dose column
        table.numericColumns = numeric
        if let c = doseCategoryColumn {
            let (labels, lv) = factor(t.columns[c])
            table.factorNames.append("dose"); table.factorLevels.append(labels); table.levels.append(lv)
        }
        return table
    }

    /// Level labels and each row's level index. Bands ("<5", "5-10", "10+") and numbers are
    /// ordered by value, so the reference is the lowest band as in the store path; other labels
    /// keep their order of first appearance.
    static func factor(_ values: [String]) -> ([String], [Int]) {
        var index: [String: Int] = [:], labels: [String] = []
        var lv = values.map { v -> Int in
            if let i = index[v] { return i }
            index[v] = labels.count; labels.append(v); return labels.count - 1
        }
        let keys = labels.map(bandKey)
        if keys.allSatisfy({ $0 != nil }) {
            let order = labels.indices.sorted { (keys[$0]!, labels[$0]) < (keys[$1]!, labels[$1]) }
            var newIndex = [Int](repeating: 0, count: labels.count)
            for (n, old) in order.enumerated() { newIndex[old] = n }
            labels = order.map { labels[$0] }
            for r in lv.indices { lv[r] = newIndex[lv[r]] }
        }
        return (labels, lv)
    }

    /// Sort key of a band label or number: "<5" → −∞, "5-10" and "5+" → 5, "2.5" → 2.5; nil otherwise.
    static func bandKey(_ s: String) -> Double? {
        if let v = Double(s) { return v }
        if s.hasPrefix("<"), Double(s.dropFirst()) != nil { return -.infinity }
        if s.hasSuffix("+"), let v = Double(s.dropLast()) { return v }
        let parts = s.split(separator: "-", maxSplits: 1)
        if parts.count == 2, let a = Double(parts[0]), Double(parts[1]) != nil { return a }
        return nil
    }

    static func numbersIfAll(_ values: [String]) -> [Double]? {
        var out = [Double](); out.reserveCapacity(values.count)
        for s in values { guard let v = Double(s), v.isFinite else { return nil }; out.append(v) }
        return values.isEmpty ? nil : out
    }

    /// Every term of the model must name a column; a plain term on a column of numbers with a
    /// stray non-number is reported at that row rather than silently turned into categories.
    static func check(_ m: ModelSpecification, against t: DelimitedTable, table: PersonYearTable) throws {
        let design = ModelDesign(table: table)
        func unknown(_ name: String, _ how: String) -> InputError {
            InputError(.row(file: t.file, line: 1), field: name,
                       expected: "a column of the table for the model term \(how) (columns: \(t.header.joined(separator: ", ")))")
        }
        for s in m.strata where table.factorIndex(s) == nil { throw unknown(s, "strata(\(s))") }
        for term in m.background + m.modifiers {
            if term.hasPrefix("factor(") {
                let inner = String(term.dropFirst(7).dropLast())
                if table.factorIndex(inner) == nil { throw unknown(inner, term) }
                continue
            }
            var name = term
            if name.hasPrefix("log_"), design.continuous(name) == nil, design.continuous(String(name.dropFirst(4))) != nil { name = String(name.dropFirst(4)) }
            if design.continuous(name) != nil { continue }
            guard let c = t.header.firstIndex(of: name) else {
                if term.hasPrefix("log_"), let c = t.header.firstIndex(of: String(term.dropFirst(4))) {
                    let r = t.columns[c].firstIndex { Double($0) == nil } ?? 0
                    throw InputError(.row(file: t.file, line: t.lines.isEmpty ? 1 : t.lines[r]), field: t.header[c], value: t.columns[c].isEmpty ? "" : t.columns[c][r],
                                     expected: "a number in every row for the model term \(term)")
                }
                throw unknown(term, term)
            }
            // A mostly numeric column used as a plain term: the non-number is most likely a typo.
            let values = t.columns[c]
            if values.contains(where: { Double($0) != nil }), let r = values.firstIndex(where: { Double($0) == nil }) {
                throw InputError(.row(file: t.file, line: t.lines[r]), field: name, value: values[r],
                                 expected: "a number (other rows of '\(name)' are numbers; write factor(\(name)) to use it as categories)")
            }
        }
    }
}
