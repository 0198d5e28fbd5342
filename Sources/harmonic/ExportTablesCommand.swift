import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology
import Registry

/// `harmonic export-tables`: the disclosure-controlled person-year table a site sends instead of its records.
struct ExportTablesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-tables",
        abstract: "Export a site's disclosure-controlled person-year table (what leaves the site instead of its records).",
        discussion: """
        Splits the store's follow-up into cells (country, sex, attained-age band, calendar period, age-at-exposure \
        band, dose category, and any --covariates), with person-years, cases and person-year-weighted mean lagged \
        dose (Gy), attained age, age at exposure, time since exposure and calendar year per cell. No identifiers, \
        no dates leave the site.

        Disclosure control (defaults: DataSHIELD's standard settings, nfilter.tab = 3 and nfilter.subset = 3): a \
        cell with 1 to (--min-cases − 1) cases, fewer than --min-person-years person-years, or 1 to \
        (--min-persons − 1) contributing children is merged with a neighbour, along the dose axis first (next \
        higher category), then along attained age, calendar period and age at exposure; no cell is dropped. If the rules cannot be met the export \
        refuses, writes nothing, and says which cells and why.

        Writes OUT (the table), OUT with .manifest.json (columns, cells, rules, merges, SHA-256 of every file) \
        and, with --realisations, one table per dose realisation (OUT with .r0001.csv, ...) for pooled Monte \
        Carlo maximum likelihood. The coordinator fits them with harmonic pool.

        Examples:
          harmonic export-tables --store NO.sqlite --outcome leukaemia --dose red_marrow --lag 2 \\
            --min-cases 3 --min-person-years 10 --out NO.table.csv
          harmonic export-tables --store demo/harmonic.sqlite --country NO --outcome leukaemia --dose red_marrow \\
            --out NO.table.csv --json
        """)

    @Option(name: .long, help: "Registry store (SQLite) with organ doses.")
    var store: String
    @Option(name: .long, help: "Export only this country's children (a store holding several sites), e.g. NO.")
    var country: String?
    @Option(name: .long, help: "Outcome group (leukaemia, lymphoma, cns, thyroid, breast, lung, oesophagus).")
    var outcome: String
    @Option(name: .long, help: "Organ whose lagged cumulative dose is tabulated, e.g. red_marrow.")
    var dose: String
    @Option(name: .long, help: "Dose lag in years.")
    var lag: Double = 2
    @Option(name: .long, help: "Exclusion period after first exposure in years (default: the lag).")
    var exclusion: Double?
    @Option(name: .long, help: "End of study date (YYYY-MM-DD).")
    var endOfStudy: String?
    @Option(name: .long, help: "Dose category cut points in Gy.")
    var doseCuts: String = "0.005,0.01,0.02,0.05,0.1,0.2,0.5"
    @Option(name: .long, help: "Attained-age band cut points in years.")
    var ageCuts: String = "5,10,15,20,30,40"
    @Option(name: .long, help: "Calendar period cut points (years).")
    var periodCuts: String = "1990,2000,2010"
    @Option(name: .long, help: "Age-at-exposure band cut points in years.")
    var exposureAgeCuts: String = "1,5,10"
    @Option(name: .long, help: "Member covariates to classify by, comma-separated (e.g. predisposing_condition).")
    var covariates: String = ""
    @Option(name: .long, help: "Smallest non-zero number of cases a released cell may hold (DataSHIELD nfilter.tab, default 3).")
    var minCases: Int = 3
    @Option(name: .long, help: "Smallest number of person-years a released cell may hold (DataSHIELD has none: default 0).")
    var minPersonYears: Double = 0
    @Option(name: .long, help: "Smallest non-zero number of children contributing to a released cell (DataSHIELD nfilter.subset, default 3).")
    var minPersons: Int = 3
    @Option(name: .long, help: "Dose realisations (STORE.realisations from harmonic dose): also export one table per realisation.")
    var realisations: String?
    @Option(name: .long, help: "The table file to write, e.g. NO.table.csv.")
    var out: String
    @Flag(name: .long, help: "Print the manifest as JSON.")
    var json = false

    func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("harmonic export-tables: \(message)\n".utf8))
        return ExitCode(2)
    }

    func list(_ s: String, _ name: String) throws -> [Double] {
        try s.split(separator: ",").map {
            guard let v = Double($0.trimmingWhitespace()) else { throw usage("--\(name): '\($0)' is not a number") }
            return v
        }
    }

    func run() throws {
        guard let organ = Organ(rawValue: dose) else { throw usage("--dose '\(dose)' is not an organ; use one of: \(Organ.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard let group = OutcomeGroup(name: outcome) else {
            throw usage("--outcome '\(outcome)' is not an outcome group; use one of: \(OutcomeGroup.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var end: CalendarDate? = nil
        if let e = endOfStudy { guard let d = CalendarDate(iso: e) else { throw usage("--end-of-study '\(e)' is not a date YYYY-MM-DD") }; end = d }
        var only: Country? = nil
        if let c = country {
            guard let k = Country(rawValue: c.uppercased()) else { throw usage("--country '\(c)': use one of \(Country.allCases.map(\.rawValue).joined(separator: ", "))") }
            only = k
        }
        guard minCases >= 1, minPersons >= 1, minPersonYears >= 0 else { throw usage("--min-cases and --min-persons must be ≥ 1 and --min-person-years ≥ 0") }
        let request = SiteTableExport.Request(
            outcome: group.rawValue, organ: organ, lagYears: lag, exclusionYears: exclusion, endOfStudy: end,
            attainedAgeCuts: try list(ageCuts, "age-cuts"), calendarYearCuts: try list(periodCuts, "period-cuts").map { Int($0) },
            ageAtExposureCuts: try list(exposureAgeCuts, "exposure-age-cuts"), doseCuts: try list(doseCuts, "dose-cuts"),
            covariates: covariates.split(separator: ",").map { $0.trimmingWhitespace() },
            rules: DisclosureRules(minCases: minCases, minPersonYears: minPersonYears, minPersons: minPersons))
        do {
            guard FileManager.default.fileExists(atPath: store) else { throw InputError(.file(store), expected: "an existing registry store") }
            var members = try RegistryStore(path: store, role: .analyst).analysisCohort(policy: .censor, storePath: store).members
            if let only { members = members.filter { $0.country == only } }
            guard !members.isEmpty else { throw InputError(.file(store), expected: "children\(only.map { " of \($0.rawValue)" } ?? "") with organ doses") }
            let source: (any DoseRealisationSource)? = try realisations.map { try StoreDoseRealisations(path: $0) }
            let m = try SiteTableExport.run(members: members, request: request, out: URL(fileURLWithPath: out), realisations: source)
            if json {
                print(try jsonString(m))
            } else {
                print("wrote \(out): \(m.cells) cells (\(m.cellsBeforeDisclosureControl) before disclosure control), \(Int(m.cases)) case\(m.cases == 1 ? "" : "s"), "
                      + String(format: "%.1f person-years, %d children", m.personYears, m.children))
                print("rules: min cases \(m.rules.minCases), min person-years \(m.rules.minPersonYears), min children \(m.rules.minPersons); "
                      + "merged cells by outermost axis: " + (m.mergedCells.isEmpty ? "none" : m.mergedCells.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
                      + (m.exact ? " (none: the pooled fit will equal the individual-level fit)" : ""))
                for f in m.files { print("  \(f.file)  sha256 \(f.sha256)  \(f.bytes) bytes") }
                print("manifest: \(SiteTableExport.manifestURL(URL(fileURLWithPath: out)).path)")
            }
        } catch let e as ExitCode { throw e } catch {
            FileHandle.standardError.write(Data("harmonic export-tables: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
