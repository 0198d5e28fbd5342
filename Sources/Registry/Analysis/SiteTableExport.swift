import Foundation
import Crypto
import HarmonicCore
import Epidemiology

/// What a site sends the coordinator instead of its records: the disclosure-controlled
/// person-year table of one outcome and organ dose, optionally one table per dose realisation,
/// and a manifest of exactly what leaves the site (docs/grouped-tables-and-pooling.md).
public enum SiteTableExport {
    public struct Request: Sendable {
        public var outcome: String
        public var organ: Organ
        public var lagYears: Double
        public var exclusionYears: Double?
        public var endOfStudy: CalendarDate?
        public var attainedAgeCuts: [Double]
        public var calendarYearCuts: [Int]
        public var ageAtExposureCuts: [Double]
        public var doseCuts: [Double]
        /// Member covariates to classify by (e.g. predisposing_condition), when the model needs them.
        public var covariates: [String]
        public var rules: DisclosureRules
        public init(outcome: String, organ: Organ, lagYears: Double, exclusionYears: Double? = nil, endOfStudy: CalendarDate? = nil,
                    attainedAgeCuts: [Double] = [5, 10, 15, 20, 30, 40], calendarYearCuts: [Int] = [1990, 2000, 2010],
                    ageAtExposureCuts: [Double] = [1, 5, 10], doseCuts: [Double] = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5],
                    covariates: [String] = [], rules: DisclosureRules = DisclosureRules()) {
            self.outcome = outcome; self.organ = organ; self.lagYears = lagYears; self.exclusionYears = exclusionYears
            self.endOfStudy = endOfStudy; self.attainedAgeCuts = attainedAgeCuts; self.calendarYearCuts = calendarYearCuts
            self.ageAtExposureCuts = ageAtExposureCuts; self.doseCuts = doseCuts; self.covariates = covariates; self.rules = rules
        }
    }

    /// One file that leaves the site.
    public struct FileEntry: Codable, Sendable, Equatable {
        public var file: String
        public var sha256: String
        public var bytes: Int
        /// Dose realisation (1-based) whose cell doses the file holds; nil for the mean doses.
        public var realisation: Int?
    }

    /// The manifest written next to the table: columns, cells, the rules and what they did.
    public struct Manifest: Codable, Sendable {
        public var format = "harmonic site person-year table 1"
        public var outcome: String
        public var organ: String
        public var lagYears: Double
        public var exclusionYears: Double
        public var cuts: [String: [Double]]
        public var columns: [String]
        public var cells: Int
        public var cellsBeforeDisclosureControl: Int
        public var cases: Double
        public var personYears: Double
        public var children: Int
        public var rules: DisclosureRules
        public var rulesSource = "DataSHIELD standard disclosure settings (dsBaseClient ds.listDisclosureSettings): nfilter.tab = 3 (minimum non-zero cell count), nfilter.subset = 3 (minimum non-zero subset size); no person-time rule"
        /// Released cells merging several levels, by the outermost axis merged (dose, attained_age, calendar_period, ...).
        public var mergedCells: [String: Int]
        /// True when no cell was merged: the pooled fit then equals the individual-level fit.
        public var exact: Bool
        public var identifiers = "none: cells only (no child, procedure or site identifiers, no dates)"
        public var files: [FileEntry]
    }

    /// Splits `members`, applies disclosure control and writes the table (and realisation
    /// tables) at `out` (`NO.table.csv`; realisation r at `NO.table.r0001.csv`) with the
    /// manifest at `NO.table.manifest.json`. Nothing is written when the rules cannot be met.
    @discardableResult
    public static func run(members: [CohortMember], request q: Request, out: URL,
                           realisations: (any DoseRealisationSource)? = nil) throws -> Manifest {
        let opts = PersonYearOptions(outcome: q.outcome, organ: q.organ, lagYears: q.lagYears, exclusionYears: q.exclusionYears,
                                     endOfStudy: q.endOfStudy, attainedAgeCuts: q.attainedAgeCuts, calendarYearCuts: q.calendarYearCuts,
                                     ageAtExposureCuts: q.ageAtExposureCuts, doseCuts: q.doseCuts, byCountry: true, bySex: true,
                                     covariateKeys: q.covariates)
        let split = try PersonYearSplitter.split(members, options: opts)
        let released = try TableDisclosure.apply(split.table, persons: split.personsPerCell(), rules: q.rules)
        var texts: [(URL, String, Int?)] = [(out, released.table.exportCSV(), nil)]
        if let source = realisations {
            let m = try source.realisations(of: q.organ, for: members)
            let cellDoses = cellDoseRealisations(split, realisations: m)
            let n = split.table.count
            for r in 0..<m.realisationCount {
                let dose = released.sourceCells.map { cells -> Double in
                    let py = cells.reduce(0) { $0 + split.table.personYears[$1] }
                    return py > 0 ? cells.reduce(0) { $0 + split.table.personYears[$1] * Double(cellDoses[r * n + $1]) } / py : 0
                }
                texts.append((realisationURL(out, r + 1), released.table.exportCSV(dose: dose), r + 1))
            }
        }
        var files: [FileEntry] = []
        for (url, text, r) in texts {
            let data = Data(text.utf8)
            do { try data.write(to: url, options: .atomic) }
            catch { throw InputError(.file(url.path), expected: "a writable file for the exported table (\(error.localizedDescription))") }
            files.append(FileEntry(file: url.lastPathComponent, sha256: sha256(data), bytes: data.count, realisation: r))
        }
        let t = released.table
        let manifest = Manifest(outcome: q.outcome, organ: q.organ.rawValue, lagYears: q.lagYears, exclusionYears: opts.exclusionYears,
                                cuts: ["attained_age": q.attainedAgeCuts, "calendar_period": q.calendarYearCuts.map(Double.init),
                                       "age_at_exposure": q.ageAtExposureCuts, "dose": q.doseCuts],
                                columns: t.exportColumns, cells: t.count, cellsBeforeDisclosureControl: released.cellsBefore,
                                cases: t.events.reduce(0, +), personYears: t.personYears.reduce(0, +),
                                children: Set(split.segmentMember).count, rules: q.rules,
                                mergedCells: released.mergedAlong,
                                exact: !released.merged, files: files)
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = manifestURL(out)
        do { try enc.encode(manifest).write(to: url, options: .atomic) }
        catch { throw InputError(.file(url.path), expected: "a writable file for the manifest (\(error.localizedDescription))") }
        return manifest
    }

    /// `NO.table.csv` → `NO.table.manifest.json`.
    public static func manifestURL(_ out: URL) -> URL { out.deletingPathExtension().appendingPathExtension("manifest.json") }
    /// `NO.table.csv` → `NO.table.r0001.csv`.
    public static func realisationURL(_ out: URL, _ r: Int) -> URL {
        out.deletingPathExtension().appendingPathExtension(String(format: "r%04d", r)).appendingPathExtension("csv")
    }
    public static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}
