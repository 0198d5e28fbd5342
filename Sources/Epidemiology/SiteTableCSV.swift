import Foundation

extension PersonYearTable {
    /// Columns `exportCSV` writes after the factors, in order.
    public static let exportValueColumns = ["cases", "pyr", "mean_dose", "mean_attained_age", "mean_age_at_exposure",
                                            "mean_time_since_exposure", "mean_calendar_year"]

    /// The table as a site sends it (`harmonic export-tables`): one row per cell; the factors
    /// (the `dose` factor written as `dose_category`), then cases, person-years and the
    /// person-year-weighted means. Numbers are written in shortest round-trip form, so the
    /// coordinator reads back exactly the sums the site computed. `dose` replaces the mean dose
    /// column (a dose realisation's cell doses).
    public func exportCSV(dose: [Double]? = nil) -> String {
        let names = factorNames.map { $0 == "dose" ? "dose_category" : $0 }
        var s = (names.map(Self.field) + Self.exportValueColumns).joined(separator: ",") + "\n"
        s.reserveCapacity(count * 120)
        let d = dose ?? meanDose
        for c in 0..<count {
            var row = factorNames.indices.map { Self.field(factorLevels[$0][levels[$0][c]]) }
            row += [String(Int(events[c])), "\(personYears[c])", "\(d[c])", "\(meanAttainedAge[c])", "\(meanAgeAtExposure[c])",
                    "\(meanTimeSinceExposure[c])", "\(meanCalendarYear[c])"]
            s += row.joined(separator: ",") + "\n"
        }
        return s
    }

    /// The export's column names (`exportCSV`'s header).
    public var exportColumns: [String] { factorNames.map { $0 == "dose" ? "dose_category" : $0 } + Self.exportValueColumns }

    static func field(_ t: String) -> String {
        guard t.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return t }
        return "\"" + t.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension GroupedTable {
    /// The columns of a table written by `harmonic export-tables`.
    public static let exportColumns = Columns(cases: "cases", personYears: "pyr", dose: "mean_dose", doseCategory: "dose_category")
}
