import Foundation
import HarmonicCore

/// Case-level data for a counting-process Cox fit, PECAN/coxph-style (Therneau & Grambsch 2000,
/// §3.7): one row per at-risk interval (start, stop] with an event indicator at stop and the
/// dose over the interval. Every other column is a covariate the model can name, read as in
/// `GroupedTable` (factors in order of first appearance; numeric columns also continuous).
public enum IntervalFile {
    public struct Columns: Sendable {
        public var start: String, stop: String, event: String, dose: String
        /// Column identifying the person (counts children in the report); nil: `id` when present.
        public var id: String?
        public init(start: String = "start", stop: String = "stop", event: String = "event", dose: String = "dose", id: String? = nil) {
            self.start = start; self.stop = stop; self.event = event; self.dose = dose; self.id = id
        }
    }

    /// The intervals of `url`; `table` has one row per interval (events 0/1, person-years
    /// stop − start, dose) and carries the covariate columns for `ModelDesign`.
    public struct Intervals: Sendable {
        public var table: PersonYearTable
        public var caseLevel: CaseLevelIntervals
    }

    public static func read(_ url: URL, columns k: Columns, model: ModelSpecification? = nil) throws -> Intervals {
        try intervals(DelimitedTable.read(url), columns: k, model: model)
    }

    public static func intervals(_ t: DelimitedTable, columns k: Columns, model: ModelSpecification? = nil) throws -> Intervals {
        let si = try t.column(k.start, role: "interval start, --start"), ti = try t.column(k.stop, role: "interval stop, --stop")
        let ei = try t.column(k.event, role: "event indicator 0/1, --event"), di = try t.column(k.dose, role: "dose over the interval in Gy, --dose")
        let start = try t.numbers(si, expected: "a finite number (interval start)")
        let stop = try t.numbers(ti, expected: "a finite number (interval stop)")
        let event = try t.numbers(ei, expected: "0 or 1 (event at the interval's stop)") { $0 == 0 || $0 == 1 }
        let dose = try t.numbers(di, expected: "a dose in Gy ≥ 0 (a finite number)") { $0.isFinite && $0 >= 0 }
        for r in 0..<t.rowCount where !(stop[r] > start[r]) {
            throw InputError(.row(file: t.file, line: t.lines[r]), field: k.stop, value: t.columns[ti][r],
                             expected: "a stop after the start \(t.columns[si][r]) (intervals are (start, stop])")
        }
        var reserved: Set<Int> = [si, ti, ei]
        var member = (0..<t.rowCount).map { Int32($0) }
        let idColumn = try k.id.map { try t.column($0, role: "person identifier, --id") } ?? t.header.firstIndex(of: "id")
        if let c = idColumn {
            reserved.insert(c)
            member = GroupedTable.factor(t.columns[c]).1.map { Int32($0) }
        }
        let table = GroupedTable.cells(t, reserved: reserved, events: event, personYears: zip(stop, start).map { $0 - $1 },
                                       dose: dose, doseCategoryColumn: nil)
        if let model { try GroupedTable.check(model, against: t, table: table) }
        let iv = CaseLevelIntervals(member: member, start: start, stop: stop, event: event.map { $0 == 1 }, dose: dose,
                                    exposuresCounted: [Int32](repeating: 0, count: t.rowCount))
        return Intervals(table: table, caseLevel: iv)
    }
}

extension CoxAnalysis {
    /// Counting-process Cox fit of case-level intervals read from a file: `spec`'s terms are the
    /// file's columns, `strata(...)` gives separate baseline hazards.
    public static func run(intervals d: IntervalFile.Intervals, model spec: ModelSpecification, level: Double = 0.95) throws -> CoxAnalysis {
        let design = ModelDesign(table: d.table), iv = d.caseLevel
        let strata: [Int32]? = spec.strata.isEmpty ? nil : try design.strata(spec.strata)
        let (fit, test) = try fit(spec: spec, level: level, start: iv.start, stop: iv.stop, event: iv.event, dose: iv.dose,
                                  columns: { try design.columns(for: $0) }, strata: strata)
        return CoxAnalysis(fit: fit, intervals: iv.count, events: iv.event.reduce(0) { $0 + ($1 ? 1 : 0) },
                           children: Set(iv.member).count, doseTest: test, caseLevel: iv)
    }
}
