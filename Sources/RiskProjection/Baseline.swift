import Foundation
import HarmonicCore

/// Baseline rates of a population: all-cause survival and site-specific cancer incidence and
/// mortality by sex and single year of age, 0 to `Baseline.maxAge` - 1. Loaded from a directory of
/// three CSV files (format in docs/risk-projection.md): `life_table.csv` (`sex,age,death_probability`),
/// `incidence.csv` and `mortality.csv` (`sex,age_from,age_to,site,rate_per_100000`, bands `[from, to)`).
/// A site with no rows has no baseline: its LAR is reported as not computable, never as zero.
public struct Baseline: Sendable {
    /// Lifetime risk is integrated up to this attained age (RadRAT and LARisk use 100).
    public static let maxAge = 100

    public var name: String
    /// The provenance comment lines of the files.
    public var source: [String]
    /// Probability of dying in year of age [a, a+1), by sex.
    public var deathProbability: [Sex: [Double]]
    /// Cases (deaths) per person-year by sex, site, single year of age.
    public var incidence: [Sex: [RiskSite: [Double]]]
    public var mortality: [Sex: [RiskSite: [Double]]]

    /// Baselines shipped with Harmonic.
    public static let shipped = ["who-region1", "us-1999"]

    /// A shipped baseline by name, or a directory path.
    public static func load(_ nameOrPath: String) throws -> Baseline {
        if shipped.contains(nameOrPath) {
            let dir = try resourceURL("baselines/\(nameOrPath)/life_table.csv").deletingLastPathComponent()
            return try Baseline(directory: dir, name: nameOrPath)
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDir), isDir.boolValue else {
            throw InputError(.file(nameOrPath), expected: "a directory with life_table.csv, incidence.csv and mortality.csv, or a shipped baseline (\(shipped.joined(separator: ", ")))")
        }
        return try Baseline(directory: URL(fileURLWithPath: nameOrPath), name: nameOrPath)
    }

    /// The baseline for a study country. No national rates are shipped yet (docs/risk-projection.md):
    /// this names the alternatives instead of substituting another population silently.
    public static func forCountry(_ country: Country) throws -> Baseline {
        throw InputError(.file("baselines/\(country.rawValue)"), field: "country", value: country.rawValue,
                         expected: "national baseline rates for \(country.rawValue), which are not shipped; give --baseline DIR with your national rates (format: docs/risk-projection.md) or --baseline who-region1 (WHO region Europe/Northern America/Australia-NZ)")
    }

    public init(directory: URL, name: String) throws {
        self.name = name
        let lifeURL = directory.appendingPathComponent("life_table.csv")
        guard FileManager.default.fileExists(atPath: lifeURL.path) else {
            throw InputError(.file(lifeURL.path), expected: "life_table.csv with columns sex,age,death_probability (all-cause, single years 0-\(Baseline.maxAge - 1))")
        }
        let lifeText = try String(contentsOf: lifeURL, encoding: .utf8)
        source = lifeText.split(separator: "\n").filter { $0.hasPrefix("#") }.map { String($0.dropFirst()).trimmingWhitespace() }
        let life = try CSVTable(text: lifeText, file: lifeURL.path)
        let cSex = try life.column("sex"), cAge = try life.column("age"), cQ = try life.column("death_probability")
        var q: [Sex: [Double?]] = [.male: Array(repeating: nil, count: Baseline.maxAge), .female: Array(repeating: nil, count: Baseline.maxAge)]
        for row in life.rows {
            let sex = try life.sex(row, cSex)
            let age = try life.double(row, cAge)!
            let p = try life.double(row, cQ)!
            guard age >= 0, age == age.rounded() else {
                throw InputError(.row(file: life.file, line: row.line), field: "age", value: life.string(row, cAge), expected: "a whole number of years >= 0")
            }
            guard (0...1).contains(p) else {
                throw InputError(.row(file: life.file, line: row.line), field: "death_probability", value: life.string(row, cQ), expected: "a probability between 0 and 1")
            }
            if Int(age) < Baseline.maxAge { q[sex]![Int(age)] = p }
        }
        var dp: [Sex: [Double]] = [:]
        for sex in Sex.allCases {
            if let missing = q[sex]!.firstIndex(where: { $0 == nil }) {
                throw InputError(.file(life.file), field: "age", value: "\(sex.rawValue) \(missing)",
                                 expected: "a death probability for every age 0-\(Baseline.maxAge - 1) and both sexes")
            }
            dp[sex] = q[sex]!.map { $0! }
        }
        deathProbability = dp
        incidence = try Baseline.rates(directory.appendingPathComponent("incidence.csv"))
        mortality = try Baseline.rates(directory.appendingPathComponent("mortality.csv"))
    }

    /// Site rates expanded to single years; a missing file means no site has rates.
    static func rates(_ url: URL) throws -> [Sex: [RiskSite: [Double]]] {
        guard FileManager.default.fileExists(atPath: url.path) else { return [.male: [:], .female: [:]] }
        let t = try CSVTable(contentsOf: url)
        let cSex = try t.column("sex"), cFrom = try t.column("age_from"), cTo = try t.column("age_to")
        let cSite = try t.column("site"), cRate = try t.column("rate_per_100000")
        var filled: [Sex: [RiskSite: [Double?]]] = [.male: [:], .female: [:]]
        for row in t.rows {
            let sex = try t.sex(row, cSex)
            guard let site = RiskSite(rawValue: t.string(row, cSite)) else {
                throw InputError(.row(file: t.file, line: row.line), field: "site", value: t.string(row, cSite),
                                 expected: "one of " + RiskSite.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let from = try t.double(row, cFrom)!, to = try t.double(row, cTo)!, rate = try t.double(row, cRate)!
            guard from >= 0, to > from, from == from.rounded(), to == to.rounded() else {
                throw InputError(.row(file: t.file, line: row.line), field: "age_from,age_to", value: "\(t.string(row, cFrom)),\(t.string(row, cTo))",
                                 expected: "whole years with 0 <= age_from < age_to")
            }
            guard rate >= 0 else {
                throw InputError(.row(file: t.file, line: row.line), field: "rate_per_100000", value: t.string(row, cRate), expected: "a rate >= 0")
            }
            var a = filled[sex]![site] ?? Array(repeating: nil, count: Baseline.maxAge)
            for age in Int(from)..<min(Int(to), Baseline.maxAge) {
                if a[age] != nil {
                    throw InputError(.row(file: t.file, line: row.line), field: "age_from", value: "\(age)",
                                     expected: "one rate per sex, site and age; age \(age) of \(site.rawValue) (\(sex.rawValue)) is already covered")
                }
                a[age] = rate / 100_000
            }
            filled[sex]![site] = a
        }
        var out: [Sex: [RiskSite: [Double]]] = [.male: [:], .female: [:]]
        for (sex, sites) in filled {
            for (site, a) in sites {
                if let gap = a.firstIndex(where: { $0 == nil }) {
                    throw InputError(.file(t.file), field: "age", value: "\(sex.rawValue) \(site.rawValue) \(gap)",
                                     expected: "rates covering every age 0-\(Baseline.maxAge - 1) for each sex and site present")
                }
                out[sex]![site] = a.map { $0! }
            }
        }
        return out
    }

    /// Survival from birth to exact age a, for a = 0...maxAge.
    public func survival(_ sex: Sex) -> [Double] {
        var s = [1.0]
        for q in deathProbability[sex]! { s.append(s.last! * (1 - q)) }
        return s
    }
}
