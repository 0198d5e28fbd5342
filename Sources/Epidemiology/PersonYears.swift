import Foundation
import HarmonicCore

/// What the person-year table is split and classified by.
public struct PersonYearOptions: Sendable {
    /// Outcome whose first occurrence is the event (and closes follow-up), e.g. "leukaemia".
    public var outcome: String
    /// Organ whose cumulative dose is tabulated, e.g. `.redMarrow`.
    public var organ: Organ
    /// Dose lag in years: a dose counts from `lag` years after the exposure date (2 y leukaemia,
    /// 5 y solid cancers; UNSCEAR 2013 Annex B; Pearce et al., Lancet 2012).
    public var lagYears: Double
    /// Years after first exposure before follow-up starts (exclusion period; often = lag).
    public var exclusionYears: Double
    /// Administrative end of study (follow-up stops at min(exit, endOfStudy)).
    public var endOfStudy: CalendarDate?
    /// Upper-open cut points (years) for attained age; empty = not a cell dimension.
    public var attainedAgeCuts: [Double]
    /// Calendar-year cut points (1 January of each year); empty = not a dimension.
    public var calendarYearCuts: [Int]
    /// Cut points (years) for age at first exposure.
    public var ageAtExposureCuts: [Double]
    /// Cut points (years) for time since first exposure.
    public var timeSinceExposureCuts: [Double]
    /// Cut points (Gy) of lagged cumulative dose: category k is [cuts[k-1], cuts[k]).
    public var doseCuts: [Double]
    public var byCountry: Bool
    public var bySex: Bool
    /// Categorical member covariates to classify by (keys of `CohortMember.covariates`).
    public var covariateKeys: [String]

    public init(outcome: String, organ: Organ, lagYears: Double, exclusionYears: Double? = nil,
                endOfStudy: CalendarDate? = nil, attainedAgeCuts: [Double] = [], calendarYearCuts: [Int] = [],
                ageAtExposureCuts: [Double] = [], timeSinceExposureCuts: [Double] = [], doseCuts: [Double] = [],
                byCountry: Bool = false, bySex: Bool = false, covariateKeys: [String] = []) {
        self.outcome = outcome; self.organ = organ; self.lagYears = lagYears
        self.exclusionYears = exclusionYears ?? lagYears; self.endOfStudy = endOfStudy
        self.attainedAgeCuts = attainedAgeCuts.sorted(); self.calendarYearCuts = calendarYearCuts.sorted()
        self.ageAtExposureCuts = ageAtExposureCuts.sorted(); self.timeSinceExposureCuts = timeSinceExposureCuts.sorted()
        self.doseCuts = doseCuts.sorted(); self.byCountry = byCountry; self.bySex = bySex; self.covariateKeys = covariateKeys
    }
}

/// Person-years, events and person-year-weighted means per cell of the classification.
/// Columns are contiguous arrays indexed by cell.
public struct PersonYearTable: Sendable {
    /// Names of the categorical dimensions, e.g. ["country", "sex", "attained_age", "dose"].
    public var factorNames: [String]
    /// Level labels per factor ("0-5", "5-10", ..., "BE", "F").
    public var factorLevels: [[String]]
    /// levels[f][cell]: level index of factor f for each cell.
    public var levels: [[Int]]
    public var personYears: [Double]
    public var events: [Double]
    /// Person-year-weighted mean lagged cumulative dose (Gy).
    public var meanDose: [Double]
    public var meanAttainedAge: [Double]
    public var meanAgeAtExposure: [Double]
    public var meanTimeSinceExposure: [Double]
    public var meanCalendarYear: [Double]
    /// Further continuous columns by name (a grouped table's numeric columns, read by
    /// `GroupedTable`); a model term of that name uses them.
    public var numericColumns: [String: [Double]] = [:]
    /// False for a table read from a file: the standard cell means (attained_age, ...) exist only
    /// as `numericColumns` the file gave, never as placeholder values.
    public var hasStandardMeans = true
    public var count: Int { personYears.count }

    /// Index of a factor by name.
    public func factorIndex(_ name: String) -> Int? { factorNames.firstIndex(of: name) }

    /// Writes the table as CSV (one row per cell).
    public func csv() -> String {
        var s = (factorNames + ["pyr", "events", "mean_dose", "mean_attained_age", "mean_age_at_exposure", "mean_time_since_exposure", "mean_calendar_year"]).joined(separator: ",") + "\n"
        for c in 0..<count {
            var row: [String] = []
            for f in factorNames.indices { row.append(factorLevels[f][levels[f][c]]) }
            row += [personYears[c], events[c], meanDose[c], meanAttainedAge[c], meanAgeAtExposure[c],
                    meanTimeSinceExposure[c], meanCalendarYear[c]].map { String($0) }
            s += row.joined(separator: ",") + "\n"
        }
        return s
    }
}

/// One at-risk interval of one member for Cox models: (start, stop] in years since study
/// entry-scale `time` (attained age by default), event at stop, lagged cumulative dose over it.
public struct CaseLevelIntervals: Sendable {
    public var member: [Int32]
    /// Attained age (years) at interval start and stop (the time scale of the risk sets).
    public var start: [Double]
    public var stop: [Double]
    public var event: [Bool]
    public var dose: [Double]
    /// Number of lagged exposures counted in `dose` (for dose realisations).
    public var exposuresCounted: [Int32]
    public var count: Int { start.count }
}

/// The result of splitting follow-up: the cell table, and the segments that built it.
public struct PersonYearResult: Sendable {
    public var table: PersonYearTable
    /// Every follow-up segment with its cell, member, person-years and lagged exposure count:
    /// enough to recompute cell doses under any dose realisation (Monte Carlo ML).
    public var segmentCell: [Int32]
    public var segmentMember: [Int32]
    public var segmentPersonYears: [Double]
    public var segmentExposures: [Int32]
    public var intervals: CaseLevelIntervals
}

public enum PersonYearError: Error, CustomStringConvertible {
    case emptyCohort
    public var description: String { "person-years: no member contributes follow-up" }
}

/// Splits follow-up into person-years exactly to the day: at each lagged exposure date and at
/// every boundary of attained age, calendar period and time since exposure.
public enum PersonYearSplitter {
    static let daysPerYear = 365.25

    struct Segment { var key: Int; var member: Int32; var startDay: Int; var stopDay: Int; var event: Bool
        var dose: Double; var counted: Int32; var age: Double; var ageExp: Double; var tse: Double; var year: Double }

    /// Splits `members` with doses of `options.organ` (mean doses), on all cores.
    public static func split(_ members: [CohortMember], options o: PersonYearOptions) throws -> PersonYearResult {
        // Covariate levels (sorted for reproducibility).
        let covLevels: [[String]] = o.covariateKeys.map { k in
            Array(Set(members.map { $0.covariates[k] ?? "" })).sorted() }
        var names: [String] = [], labels: [[String]] = []
        if o.byCountry { names.append("country"); labels.append(Country.allCases.map(\.rawValue)) }
        if o.bySex { names.append("sex"); labels.append(Sex.allCases.map(\.rawValue)) }
        func bands(_ c: [Double]) -> [String] {
            let f: (Double) -> String = { $0 == $0.rounded() ? String(Int($0)) : String($0) }
            var l = ["<" + f(c[0])]
            for i in 1..<c.count { l.append(f(c[i - 1]) + "-" + f(c[i])) }
            l.append(f(c[c.count - 1]) + "+"); return l
        }
        if !o.attainedAgeCuts.isEmpty { names.append("attained_age"); labels.append(bands(o.attainedAgeCuts)) }
        if !o.calendarYearCuts.isEmpty { names.append("calendar_period"); labels.append(bands(o.calendarYearCuts.map(Double.init))) }
        if !o.ageAtExposureCuts.isEmpty { names.append("age_at_exposure"); labels.append(bands(o.ageAtExposureCuts)) }
        if !o.timeSinceExposureCuts.isEmpty { names.append("time_since_exposure"); labels.append(bands(o.timeSinceExposureCuts)) }
        if !o.doseCuts.isEmpty { names.append("dose"); labels.append(bands(o.doseCuts)) }
        for (i, k) in o.covariateKeys.enumerated() { names.append(k); labels.append(covLevels[i]) }
        let radices = labels.map(\.count)
        let covIndex: [[String: Int]] = covLevels.map { Dictionary(uniqueKeysWithValues: $0.enumerated().map { ($1, $0) }) }

        let lagDays = Int((o.lagYears * daysPerYear).rounded())
        let exclusionDays = Int((o.exclusionYears * daysPerYear).rounded())
        let chunkCount = 64   // fixed: sums are reproducible whatever the number of cores
        let n = members.count
        let chunkSegments: [[Segment]] = ParallelSlots.map(chunkCount, initial: []) { c in
                let lo = n * c / chunkCount, hi = n * (c + 1) / chunkCount
                var segs: [Segment] = []; segs.reserveCapacity((hi - lo) * 16)
                var cuts: [Int] = []
                for i in lo..<hi {
                    let m = members[i]
                    let start = m.entry.dayNumber + exclusionDays
                    var stop = m.exit.dayNumber
                    if let e = o.endOfStudy { stop = min(stop, e.dayNumber) }
                    var event = false
                    if let first = m.events.filter({ $0.outcome == o.outcome }).map(\.date.dayNumber).min(), first <= stop {
                        stop = first; event = true
                    }
                    guard stop > start else { continue }
                    cuts.removeAll(keepingCapacity: true)
                    cuts.append(start); cuts.append(stop)
                    let lagged = m.exposures.map { $0.date.dayNumber + lagDays }
                    for d in lagged where d > start && d < stop { cuts.append(d) }
                    for a in o.attainedAgeCuts { let d = dayAfter(m.birth, years: a); if d > start && d < stop { cuts.append(d) } }
                    for y in o.calendarYearCuts { if let d = CalendarDate(year: y, month: 1, day: 1)?.dayNumber, d > start, d < stop { cuts.append(d) } }
                    for t in o.timeSinceExposureCuts { let d = dayAfter(m.entry, years: t); if d > start && d < stop { cuts.append(d) } }
                    cuts.sort()
                    let ageExp = Double(m.entry.dayNumber - m.birth.dayNumber) / daysPerYear
                    var keyBase = 0
                    func push(_ level: Int, _ radix: Int) { keyBase = keyBase * radix + level }
                    var fi = 0
                    if o.byCountry { push(Country.allCases.firstIndex(of: m.country)!, radices[fi]); fi += 1 }
                    if o.bySex { push(m.sex == .male ? 0 : 1, radices[fi]); fi += 1 }
                    let doses = m.exposures.map { $0.organDoses[o.organ]?.value ?? 0 }
                    for s in 0..<(cuts.count - 1) where cuts[s + 1] > cuts[s] {
                        let a = cuts[s], b = cuts[s + 1]
                        var dose = 0.0; var counted: Int32 = 0
                        for (j, d) in lagged.enumerated() where d <= a { dose += doses[j]; counted += 1 }
                        let mid = Double(a + b) / 2
                        let age = (mid - Double(m.birth.dayNumber)) / daysPerYear
                        let tse = (mid - Double(m.entry.dayNumber)) / daysPerYear
                        let year = CalendarDate(dayNumber: a).decimalYear + Double(b - a) / 2 / daysPerYear
                        var key = keyBase; var f = fi
                        if !o.attainedAgeCuts.isEmpty { key = key * radices[f] + band(Double(a - m.birth.dayNumber) / daysPerYear + 1e-9, o.attainedAgeCuts, exactBirthday: m.birth, day: a); f += 1 }
                        if !o.calendarYearCuts.isEmpty { key = key * radices[f] + bandInt(CalendarDate(dayNumber: a).year, o.calendarYearCuts); f += 1 }
                        if !o.ageAtExposureCuts.isEmpty { key = key * radices[f] + bandBirthday(m.birth, m.entry.dayNumber, o.ageAtExposureCuts); f += 1 }
                        if !o.timeSinceExposureCuts.isEmpty { key = key * radices[f] + bandBirthday(m.entry, a, o.timeSinceExposureCuts); f += 1 }
                        if !o.doseCuts.isEmpty { key = key * radices[f] + bandValue(dose, o.doseCuts); f += 1 }
                        for (ci, k) in o.covariateKeys.enumerated() { key = key * radices[f] + covIndex[ci][m.covariates[k] ?? ""]!; f += 1 }
                        segs.append(Segment(key: key, member: Int32(i), startDay: a, stopDay: b,
                                            event: event && b == stop, dose: dose, counted: counted,
                                            age: age, ageExp: ageExp, tse: tse, year: year))
                    }
                }
                return segs
        }
        // Merge in chunk order: cell numbering follows first appearance, so it is reproducible.
        var cellOf: [Int: Int] = [:]
        var keys: [Int] = []
        var py: [Double] = [], ev: [Double] = [], sd: [Double] = [], sa: [Double] = [], se: [Double] = [], st: [Double] = [], sy: [Double] = []
        let total = chunkSegments.reduce(0) { $0 + $1.count }
        guard total > 0 else { throw PersonYearError.emptyCohort }
        var segCell = [Int32](), segMember = [Int32](), segPY = [Double](), segExp = [Int32]()
        segCell.reserveCapacity(total); segMember.reserveCapacity(total); segPY.reserveCapacity(total); segExp.reserveCapacity(total)
        var iv = CaseLevelIntervals(member: [], start: [], stop: [], event: [], dose: [], exposuresCounted: [])
        for segs in chunkSegments {
            for s in segs {
                let c: Int
                if let k = cellOf[s.key] { c = k } else {
                    c = keys.count; cellOf[s.key] = c; keys.append(s.key)
                    py.append(0); ev.append(0); sd.append(0); sa.append(0); se.append(0); st.append(0); sy.append(0)
                }
                let t = Double(s.stopDay - s.startDay) / daysPerYear
                py[c] += t; if s.event { ev[c] += 1 }
                sd[c] += t * s.dose; sa[c] += t * s.age; se[c] += t * s.ageExp; st[c] += t * s.tse; sy[c] += t * s.year
                segCell.append(Int32(c)); segMember.append(s.member); segPY.append(t); segExp.append(s.counted)
                let birth = Double(members[Int(s.member)].birth.dayNumber)
                iv.member.append(s.member); iv.start.append((Double(s.startDay) - birth) / daysPerYear)
                iv.stop.append((Double(s.stopDay) - birth) / daysPerYear); iv.event.append(s.event)
                iv.dose.append(s.dose); iv.exposuresCounted.append(s.counted)
            }
        }
        // Decode keys to levels.
        var lv = [[Int]](repeating: [Int](repeating: 0, count: keys.count), count: radices.count)
        for (c, k0) in keys.enumerated() {
            var k = k0
            for f in stride(from: radices.count - 1, through: 0, by: -1) { lv[f][c] = k % radices[f]; k /= radices[f] }
        }
        func mean(_ s: [Double]) -> [Double] { zip(s, py).map { $1 > 0 ? $0 / $1 : 0 } }
        let table = PersonYearTable(factorNames: names, factorLevels: labels, levels: lv, personYears: py, events: ev,
                                    meanDose: mean(sd), meanAttainedAge: mean(sa), meanAgeAtExposure: mean(se),
                                    meanTimeSinceExposure: mean(st), meanCalendarYear: mean(sy))
        return PersonYearResult(table: table, segmentCell: segCell, segmentMember: segMember,
                                segmentPersonYears: segPY, segmentExposures: segExp, intervals: iv)
    }

    /// Day number of the anniversary `years` after `date` (exact birthday for whole years).
    static func dayAfter(_ date: CalendarDate, years: Double) -> Int {
        if years == years.rounded() { return date.adding(years: Int(years)).dayNumber }
        return date.dayNumber + Int((years * daysPerYear).rounded())
    }
    /// Band of the time from `origin` to `day` by anniversaries, so a band starts on the exact day.
    static func bandBirthday(_ origin: CalendarDate, _ day: Int, _ cuts: [Double]) -> Int {
        var k = 0
        while k < cuts.count && dayAfter(origin, years: cuts[k]) <= day { k += 1 }
        return k
    }
    static func band(_ value: Double, _ cuts: [Double], exactBirthday: CalendarDate, day: Int) -> Int {
        bandBirthday(exactBirthday, day, cuts)
    }
    static func bandInt(_ year: Int, _ cuts: [Int]) -> Int {
        var k = 0; while k < cuts.count && cuts[k] <= year { k += 1 }; return k
    }
    static func bandValue(_ v: Double, _ cuts: [Double]) -> Int {
        var k = 0; while k < cuts.count && cuts[k] <= v { k += 1 }; return k
    }
}
