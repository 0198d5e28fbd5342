import Foundation
import HarmonicCore

/// Reference (general-population) incidence or mortality rates by country, sex, age band and
/// calendar period, read from the CSV format of docs/reference-rates.md.
public struct ReferenceRates: Sendable {
    public struct Row: Sendable { public var country: Country; public var sex: Sex; public var ageFrom: Double; public var ageTo: Double
        public var yearFrom: Int; public var yearTo: Int; public var ratePerPersonYear: Double }
    public var outcome: String
    public var rows: [Row]

    public init(outcome: String, rows: [Row]) { self.outcome = outcome; self.rows = rows }

    /// Parses `country,sex,age_from,age_to,year_from,year_to,outcome,rate_per_100000` rows
    /// (age_to and year_to exclusive), keeping the rows of `outcome`.
    public static func parse(csv: String, file: String, outcome: String) throws -> ReferenceRates {
        var lines = csv.split(whereSeparator: \.isNewline).map(String.init)
        guard !lines.isEmpty else { throw InputError(.file(file), expected: "a header line and rate rows (docs/reference-rates.md)") }
        let header = lines.removeFirst().split(separator: ",").map { $0.trimmingWhitespace() }
        let need = ["country", "sex", "age_from", "age_to", "year_from", "year_to", "outcome", "rate_per_100000"]
        var col: [String: Int] = [:]
        for n in need {
            guard let i = header.firstIndex(of: n) else {
                throw InputError(.row(file: file, line: 1), field: n, expected: "missing column '\(n)'; expected header \(need.joined(separator: ","))")
            }
            col[n] = i
        }
        var rows: [Row] = []
        for (k, line) in lines.enumerated() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingWhitespace() }
            let rowNo = k + 2
            func field(_ n: String) throws -> String {
                guard col[n]! < f.count else { throw InputError(.row(file: file, line: rowNo), field: n, expected: "row has \(f.count) fields; expected \(header.count)") }
                return f[col[n]!]
            }
            func number(_ n: String) throws -> Double {
                let v = try field(n)
                guard let d = Double(v), d.isFinite, d >= 0 else { throw InputError(.row(file: file, line: rowNo), field: n, value: v, expected: "expected a non-negative number") }
                return d
            }
            guard try field("outcome") == outcome else { continue }
            let cv = try field("country"), sv = try field("sex")
            guard let c = Country(code: cv) else { throw InputError(.row(file: file, line: rowNo), field: "country", value: cv, expected: "expected a country code (BE, DE, DK, ES, FR, IT, NO, UK)") }
            guard let s = Sex(code: sv) else { throw InputError(.row(file: file, line: rowNo), field: "sex", value: sv, expected: "expected M or F") }
            let a0 = try number("age_from"), a1 = try number("age_to"), y0 = try number("year_from"), y1 = try number("year_to")
            guard a1 > a0, y1 > y0 else { throw InputError(.row(file: file, line: rowNo), field: "age_to", expected: "bands must have upper > lower") }
            rows.append(Row(country: c, sex: s, ageFrom: a0, ageTo: a1, yearFrom: Int(y0), yearTo: Int(y1), ratePerPersonYear: try number("rate_per_100000") / 100_000))
        }
        return ReferenceRates(outcome: outcome, rows: rows)
    }

    /// Age and calendar cut points the person-year table must be split at.
    public var ageCuts: [Double] { Array(Set(rows.flatMap { [$0.ageFrom, $0.ageTo] })).sorted() }
    public var yearCuts: [Int] { Array(Set(rows.flatMap { [$0.yearFrom, $0.yearTo] })).sorted() }

    public func rate(country: Country, sex: Sex, age: Double, year: Double) -> Double? {
        rows.first { $0.country == country && $0.sex == sex && age >= $0.ageFrom && age < $0.ageTo
            && year >= Double($0.yearFrom) && year < Double($0.yearTo) }?.ratePerPersonYear
    }
}

/// Observed over expected with an exact Poisson (Garwood 1936) confidence interval.
public struct StandardisedRatio: Sendable, Codable {
    public var label: String
    public var observed: Double
    public var expected: Double
    public var ratio: Double { expected > 0 ? observed / expected : .nan }
    public var lower: Double
    public var upper: Double

    /// Garwood (1936) exact limits: [χ²_{α/2}(2O)/2, χ²_{1−α/2}(2O+2)/2] / E, i.e. gamma quantiles
    /// with shape O and O+1 (the interval of R's poisson.test).
    public init(label: String, observed: Double, expected: Double, level: Double = 0.95) {
        self.label = label; self.observed = observed; self.expected = expected
        let a = (1 - level) / 2
        lower = observed > 0 ? Distributions.gammaQuantile(a, shape: observed) / expected : 0
        upper = Distributions.gammaQuantile(1 - a, shape: observed + 1) / expected
    }
}

public enum StandardisedIncidenceError: Error, CustomStringConvertible {
    case missingFactor(String), noRate(country: String, sex: String, age: Double, year: Double)
    public var description: String {
        switch self {
        case .missingFactor(let f): "SIR needs the person-year table classified by \(f)"
        case .noRate(let c, let s, let a, let y): String(format: "no reference rate for country %@, sex %@, age %.2f, year %.2f", c, s, a, y)
        }
    }
}

/// SIR / SMR: expected cases from reference rates applied to the person-years of each cell.
public enum StandardisedIncidence {
    /// Person-year options for an SIR against `rates`: by country and sex, split at the rates' bands.
    public static func options(for rates: ReferenceRates, organ: Organ, lagYears: Double, doseCuts: [Double] = []) -> PersonYearOptions {
        PersonYearOptions(outcome: rates.outcome, organ: organ, lagYears: lagYears, attainedAgeCuts: rates.ageCuts,
                          calendarYearCuts: rates.yearCuts, doseCuts: doseCuts, byCountry: true, bySex: true)
    }

    /// Overall SIR and, when the table has a dose factor, one per dose category.
    public static func compute(_ t: PersonYearTable, rates: ReferenceRates, level: Double = 0.95) throws -> [StandardisedRatio] {
        guard let cf = t.factorIndex("country") else { throw StandardisedIncidenceError.missingFactor("country") }
        guard let sf = t.factorIndex("sex") else { throw StandardisedIncidenceError.missingFactor("sex") }
        let df = t.factorIndex("dose")
        var expected = [Double](repeating: 0, count: t.count)
        for c in 0..<t.count where t.personYears[c] > 0 {
            let country = Country(rawValue: t.factorLevels[cf][t.levels[cf][c]])!, sex = Sex(rawValue: t.factorLevels[sf][t.levels[sf][c]])!
            guard let r = rates.rate(country: country, sex: sex, age: t.meanAttainedAge[c], year: t.meanCalendarYear[c]) else {
                throw StandardisedIncidenceError.noRate(country: country.rawValue, sex: sex.rawValue, age: t.meanAttainedAge[c], year: t.meanCalendarYear[c])
            }
            expected[c] = r * t.personYears[c]
        }
        var out = [StandardisedRatio(label: "all", observed: t.events.reduce(0, +), expected: expected.reduce(0, +), level: level)]
        if let df {
            for (lv, label) in t.factorLevels[df].enumerated() {
                let cells = (0..<t.count).filter { t.levels[df][$0] == lv }
                guard !cells.isEmpty else { continue }
                out.append(StandardisedRatio(label: "dose " + label, observed: cells.reduce(0) { $0 + t.events[$1] },
                                             expected: cells.reduce(0) { $0 + expected[$1] }, level: level))
            }
        }
        return out
    }
}
