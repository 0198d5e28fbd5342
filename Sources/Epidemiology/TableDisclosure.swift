import Foundation

/// The disclosure rules a site applies before its person-year table leaves it. Defaults follow
/// DataSHIELD's standard settings (dsBaseClient `ds.listDisclosureSettings`: nfilter.tab = 3,
/// the smallest non-zero count allowed in a table cell, also for a cell's mean of a quantitative
/// variable; nfilter.subset = 3, the smallest non-zero number of observations in a subset).
/// DataSHIELD has no person-time rule: `minPersonYears` is off (0) unless set.
public struct DisclosureRules: Sendable, Codable, Equatable {
    /// A cell with 1 to minCases − 1 cases is merged (0 cases is allowed). DataSHIELD nfilter.tab = 3.
    public var minCases: Int
    /// A cell with fewer person-years is merged.
    public var minPersonYears: Double
    /// A cell to which 1 to minPersons − 1 children contribute is merged: its mean dose would
    /// reveal one child's dose. DataSHIELD nfilter.subset = 3.
    public var minPersons: Int
    public init(minCases: Int = 3, minPersonYears: Double = 0, minPersons: Int = 3) {
        self.minCases = minCases; self.minPersonYears = minPersonYears; self.minPersons = minPersons
    }
}

/// What disclosure control did to a table.
public struct DisclosedTable: Sendable {
    public var table: PersonYearTable
    /// The cells of the original table each released cell sums.
    public var sourceCells: [[Int]]
    /// Released cells that merge several levels, by the outermost axis they span (e.g.
    /// "dose": several dose categories within one band of every other axis).
    public var mergedAlong: [String: Int]
    public var mergedAlongDose: Int { mergedAlong["dose"] ?? 0 }
    public var mergedAlongAttainedAge: Int { mergedAlong["attained_age"] ?? 0 }
    public var cellsBefore: Int
    /// Children contributing to each released cell.
    public var persons: [Int]
    public var merged: Bool { mergedAlong.values.contains { $0 > 0 } }
}

public struct DisclosureError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "disclosure control: \(message)" }
}

/// Merges cells that break `DisclosureRules` with a neighbour: along the dose axis first (the
/// next higher dose category, the next lower for the highest); when a whole attained-age band
/// cannot be made safe, with the next older band (the next younger for the oldest), whose cells
/// are then merged along dose again; and so on outwards along calendar period, then age at
/// exposure, then time since exposure (the band axes the table has, in `mergeAxes` order).
/// Cells are never dropped: every person-year and case of the input is in the output. When all
/// bands of one group (country, sex and covariates) together still break a rule, the export is
/// refused with the reason.
public enum TableDisclosure {
    /// Axes merged in this order, innermost first.
    public static let mergeAxes = ["dose", "attained_age", "calendar_period", "age_at_exposure", "time_since_exposure"]

    /// `persons[c]`: sorted distinct member indices contributing to cell c.
    public static func apply(_ t: PersonYearTable, persons: [[Int32]], rules: DisclosureRules) throws -> DisclosedTable {
        guard t.factorIndex("dose") != nil else { throw DisclosureError(message: "the table has no dose categories to merge along") }
        let axes = mergeAxes.compactMap { t.factorIndex($0) }
        let restFactors = t.factorNames.indices.filter { !axes.contains($0) }
        // Groups of cells that differ only along the merge axes, in order of first appearance.
        var groupOf: [[Int]: Int] = [:], groups: [[Int]] = []
        for c in 0..<t.count {
            let key = restFactors.map { t.levels[$0][c] }
            if let g = groupOf[key] { groups[g].append(c) } else { groupOf[key] = groups.count; groups.append([c]) }
        }
        struct Block { var cells: [Int]; var ranges: [ClosedRange<Int>]; var persons: [Int32] }
        func safe(_ b: Block) -> (Bool, String) {
            let cases = b.cells.reduce(0) { $0 + t.events[$1] }, py = b.cells.reduce(0) { $0 + t.personYears[$1] }
            if cases > 0 && cases < Double(rules.minCases) { return (false, "\(Int(cases)) case\(cases == 1 ? "" : "s") (1 to \(rules.minCases - 1) are not released)") }
            if py < rules.minPersonYears { return (false, String(format: "%.2f person-years (at least %g required)", py, rules.minPersonYears)) }
            if !b.persons.isEmpty && b.persons.count < rules.minPersons { return (false, "\(b.persons.count) children (1 to \(rules.minPersons - 1) are not released)") }
            return (true, "")
        }
        func union(_ a: [Int32], _ b: [Int32]) -> [Int32] {
            var out: [Int32] = []; out.reserveCapacity(a.count + b.count)
            var i = 0, j = 0
            while i < a.count || j < b.count {
                if j == b.count || (i < a.count && a[i] < b[j]) { out.append(a[i]); i += 1 }
                else if i == a.count || b[j] < a[i] { out.append(b[j]); j += 1 }
                else { out.append(a[i]); i += 1; j += 1 }
            }
            return out
        }
        func merge(_ a: Block, _ b: Block) -> Block {
            Block(cells: a.cells + b.cells,
                  ranges: zip(a.ranges, b.ranges).map { min($0.lowerBound, $1.lowerBound)...max($0.upperBound, $1.upperBound) },
                  persons: union(a.persons, b.persons))
        }
        /// Cells sharing every axis beyond `k` (their ranges there are `outer`): ranges along axis k,
        /// each solved along the inner axes, merged with a neighbour while one stays unsafe.
        func solve(_ cells: [Int], _ k: Int, _ outer: [ClosedRange<Int>]) -> (blocks: [Block], ok: Bool) {
            let f = axes[k]
            if k == 0 {
                var byLevel: [Int: Block] = [:]
                for c in cells {
                    let l = t.levels[f][c]
                    let b = Block(cells: [c], ranges: [l...l] + outer, persons: persons[c])
                    byLevel[l] = byLevel[l].map { merge($0, b) } ?? b
                }
                var blocks = byLevel.keys.sorted().map { byLevel[$0]! }
                while blocks.count > 1, let i = blocks.firstIndex(where: { !safe($0).0 }) {
                    let j = i + 1 < blocks.count ? i + 1 : i - 1
                    blocks.replaceSubrange(min(i, j)...max(i, j), with: [merge(blocks[min(i, j)], blocks[max(i, j)])])
                }
                return (blocks, blocks.allSatisfy { safe($0).0 })
            }
            var ranges = Set(cells.map { t.levels[f][$0] }).sorted().map { $0...$0 }
            while true {
                let parts = ranges.map { r in solve(cells.filter { r.contains(t.levels[f][$0]) }, k - 1, [r] + outer) }
                guard let bad = parts.firstIndex(where: { !$0.ok }), ranges.count > 1 else {
                    return (parts.flatMap(\.blocks), parts.allSatisfy(\.ok))
                }
                let j = bad + 1 < ranges.count ? bad + 1 : bad - 1
                let m = min(ranges[bad].lowerBound, ranges[j].lowerBound)...max(ranges[bad].upperBound, ranges[j].upperBound)
                ranges.replaceSubrange(min(bad, j)...max(bad, j), with: [m])
            }
        }
        var out: [Block] = []
        for g in groups {
            let (blocks, ok) = solve(g, axes.count - 1, [])
            guard ok else {
                let b = blocks.first { !safe($0).0 }!
                let what = restFactors.map { "\(t.factorNames[$0])=\(t.factorLevels[$0][t.levels[$0][g[0]]])" }.joined(separator: ", ")
                throw DisclosureError(message: "the cells of \(what.isEmpty ? "the table" : what), merged along \(axes.map { t.factorNames[$0] }.joined(separator: ", ")), "
                    + "still hold \(safe(b).1): merging cannot meet the rules. Export fewer dimensions (coarser cuts, fewer covariates) or, "
                    + "if the site's rules allow, lower the thresholds")
            }
            out += blocks
        }
        // The released table.
        var r = PersonYearTable(factorNames: t.factorNames, factorLevels: t.factorLevels, levels: t.factorNames.map { _ in [] },
                                personYears: [], events: [], meanDose: [], meanAttainedAge: [], meanAgeAtExposure: [],
                                meanTimeSinceExposure: [], meanCalendarYear: [])
        var labelIndex: [Int: [String: Int]] = [:]
        func level(_ f: Int, _ range: ClosedRange<Int>) -> Int {
            if range.count == 1 { return range.lowerBound }
            let label = mergedLabel(t.factorLevels[f][range.lowerBound], t.factorLevels[f][range.upperBound])
            if let i = labelIndex[f]?[label] { return i }
            r.factorLevels[f].append(label); labelIndex[f, default: [:]][label] = r.factorLevels[f].count - 1
            return r.factorLevels[f].count - 1
        }
        var mergedAlong: [String: Int] = [:]
        for b in out {
            let c0 = b.cells[0]
            for f in t.factorNames.indices {
                if let k = axes.firstIndex(of: f) { r.levels[f].append(level(f, b.ranges[k])) } else { r.levels[f].append(t.levels[f][c0]) }
            }
            let py = b.cells.reduce(0) { $0 + t.personYears[$1] }
            func mean(_ v: [Double]) -> Double { py > 0 ? b.cells.reduce(0) { $0 + t.personYears[$1] * v[$1] } / py : 0 }
            r.personYears.append(py); r.events.append(b.cells.reduce(0) { $0 + t.events[$1] })
            r.meanDose.append(mean(t.meanDose)); r.meanAttainedAge.append(mean(t.meanAttainedAge))
            r.meanAgeAtExposure.append(mean(t.meanAgeAtExposure)); r.meanTimeSinceExposure.append(mean(t.meanTimeSinceExposure))
            r.meanCalendarYear.append(mean(t.meanCalendarYear))
            if let k = b.ranges.lastIndex(where: { $0.count > 1 }) { mergedAlong[t.factorNames[axes[k]], default: 0] += 1 }
            else if b.cells.count > 1 { mergedAlong["dose", default: 0] += 1 }
        }
        return DisclosedTable(table: r, sourceCells: out.map(\.cells), mergedAlong: mergedAlong, cellsBefore: t.count, persons: out.map(\.persons.count))
    }

    /// Label of a merged band from its first and last labels: "5-10" + "10-15" → "5-15",
    /// "<5" + "5-10" → "<10", "15-20" + "20+" → "15+", "<5" + "20+" → "all"; otherwise "a..b".
    public static func mergedLabel(_ a: String, _ b: String) -> String {
        let lower: String? = a.hasPrefix("<") ? "<" : a.split(separator: "-", maxSplits: 1).count == 2 ? String(a.split(separator: "-", maxSplits: 1)[0]) : nil
        let upper: String? = b.hasSuffix("+") ? "+" : b.hasPrefix("<") ? String(b.dropFirst()) : b.split(separator: "-", maxSplits: 1).count == 2 ? String(b.split(separator: "-", maxSplits: 1)[1]) : nil
        guard let lo = lower, let hi = upper else { return a + ".." + b }
        switch (lo, hi) {
        case ("<", "+"): return "all"
        case ("<", _): return "<" + hi
        case (_, "+"): return lo + "+"
        default: return lo + "-" + hi
        }
    }
}

extension PersonYearResult {
    /// Sorted distinct members contributing person-years to each cell.
    public func personsPerCell() -> [[Int32]] {
        var sets = [[Int32]](repeating: [], count: table.count)
        for s in segmentCell.indices { sets[Int(segmentCell[s])].append(segmentMember[s]) }
        return sets.map { Array(Set($0)).sorted() }
    }
}
