import Foundation

/// Builds model columns from a person-year table by name. Names are the table's factors
/// (expanded to indicator columns against their first level with person-years) and the
/// continuous cell means: dose, attained_age, age_at_exposure, time_since_exposure,
/// calendar_year, and log_<continuous> for their logarithms.
public struct ModelDesign: Sendable {
    public let table: PersonYearTable

    public init(table: PersonYearTable) { self.table = table }

    public enum DesignError: Error, CustomStringConvertible, Equatable {
        case unknownTerm(String, known: [String])
        case strataNeedRelativeForm
        public var description: String {
            switch self {
            case .unknownTerm(let t, let known): "unknown term '\(t)'; known terms: \(known.joined(separator: ", "))"
            case .strataNeedRelativeForm: "strata(...) needs a multiplicative (err or log-linear) model; use a parametric background with ear"
            }
        }
    }

    public static let continuousNames = ["dose", "attained_age", "age_at_exposure", "time_since_exposure", "calendar_year"]
    public var knownTerms: [String] {
        let continuous = Array(Set(table.numericColumns.keys).union(table.hasStandardMeans ? Self.continuousNames : ["dose"])).sorted()
        return Array(Set(table.factorNames)).sorted() + continuous + continuous.map { "log_" + $0 }
    }

    func continuous(_ name: String) -> [Double]? {
        if let c = table.numericColumns[name] { return c }
        if name == "dose" { return table.meanDose }
        guard table.hasStandardMeans else { return nil }
        return switch name {
        case "attained_age": table.meanAttainedAge
        case "age_at_exposure": table.meanAgeAtExposure
        case "time_since_exposure": table.meanTimeSinceExposure
        case "calendar_year": table.meanCalendarYear
        default: nil
        }
    }

    /// Columns (and their names) for one term.
    /// `factor(name)` forces the categorical version of a banded variable (e.g. attained_age).
    public func columns(for term: String) throws -> [(String, [Double])] {
        if term.hasPrefix("factor("), term.hasSuffix(")") { return try factorColumns(String(term.dropFirst(7).dropLast())) }
        if let c = continuous(term) { return [(term, c)] }
        if term.hasPrefix("log_"), let c = continuous(String(term.dropFirst(4))) {
            return [(term, c.map { log(max($0, 1e-12)) })]
        }
        return try factorColumns(term)
    }

    func factorColumns(_ term: String) throws -> [(String, [Double])] {
        guard let f = table.factorIndex(term) else { throw DesignError.unknownTerm(term, known: knownTerms) }
        let used = Set(table.levels[f].enumerated().filter { table.personYears[$0.offset] > 0 }.map(\.element)).sorted()
        return used.dropFirst().map { lv in
            ("\(term)[\(table.factorLevels[f][lv])]", table.levels[f].map { $0 == lv ? 1.0 : 0.0 })
        }
    }

    /// Stratum index per cell for the cross-classification of `factors`.
    public func strata(_ factors: [String]) throws -> [Int32] {
        let idx = try factors.map { f -> Int in
            guard let i = table.factorIndex(f) else { throw DesignError.unknownTerm(f, known: table.factorNames) }
            return i
        }
        var map: [[Int]: Int32] = [:]
        return (0..<table.count).map { c in
            let key = idx.map { table.levels[$0][c] }
            if let s = map[key] { return s }
            let s = Int32(map.count); map[key] = s; return s
        }
    }

    /// The excess-risk model for these terms. Without strata an intercept is added.
    public func model(form: ExcessRiskForm, shape: DoseShape = .linear, background: [String], strata: [String] = [],
                      modifiers: [String] = [], dose: [Double]? = nil) throws -> ExcessRiskModel {
        if !strata.isEmpty && form == .absolute { throw DesignError.strataNeedRelativeForm }
        var bx: [[Double]] = [], bn: [String] = []
        if strata.isEmpty { bx.append([Double](repeating: 1, count: table.count)); bn.append("intercept") }
        for t in background { for (n, c) in try columns(for: t) { bn.append(n); bx.append(c) } }
        var mx: [[Double]] = [], mn: [String] = []
        for t in modifiers { for (n, c) in try columns(for: t) { mn.append(n); mx.append(c) } }
        return ExcessRiskModel(form: form, shape: shape, events: table.events, personYears: table.personYears,
                               dose: dose ?? table.meanDose, background: bx, backgroundNames: bn,
                               modifiers: mx, modifierNames: mn, strata: strata.isEmpty ? nil : try self.strata(strata))
    }
}
