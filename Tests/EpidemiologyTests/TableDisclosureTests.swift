import Testing
import Foundation
import HarmonicCore
@testable import Epidemiology

/// A hand-made table of one country and sex: rows (attained-age band, dose band, person-years,
/// cases, mean dose); each cell gets `persons` children of its own.
private func table(_ rows: [(age: Int, dose: Int, py: Double, cases: Double, dose_: Double)], persons: Int = 5) -> (PersonYearTable, [[Int32]]) {
    let t = PersonYearTable(factorNames: ["country", "sex", "attained_age", "dose"],
                            factorLevels: [["NO"], ["F"], ["<5", "5-10", "10-15", "15+"], ["<0.01", "0.01-0.05", "0.05-0.1", "0.1+"]],
                            levels: [rows.map { _ in 0 }, rows.map { _ in 0 }, rows.map(\.age), rows.map(\.dose)],
                            personYears: rows.map(\.py), events: rows.map(\.cases), meanDose: rows.map(\.dose_),
                            meanAttainedAge: rows.map { Double($0.age) * 5 + 2.5 }, meanAgeAtExposure: rows.map { _ in 2 },
                            meanTimeSinceExposure: rows.map { _ in 4 }, meanCalendarYear: rows.map { _ in 2000 })
    let p = rows.indices.map { c in (0..<Int32(persons)).map { Int32(c) * 100 + $0 } }
    return (t, p)
}

@Suite("Disclosure control merges unsafe cells along dose, then attained age, calendar period, age at exposure, and never drops one")
struct TableDisclosureTests {
    @Test("the default rules are DataSHIELD's: nfilter.tab = 3 cases, nfilter.subset = 3 children, no person-time rule")
    func defaults() {
        #expect(DisclosureRules() == DisclosureRules(minCases: 3, minPersonYears: 0, minPersons: 3))
    }

    @Test("a cell with 1 or 2 cases is merged with the next higher dose category; totals and the person-year-weighted mean dose are kept")
    func mergeAlongDose() throws {
        let (t, p) = table([(0, 0, 100, 5, 0.005), (0, 1, 50, 1, 0.03), (0, 2, 50, 4, 0.07), (0, 3, 20, 0, 0.3)])
        let d = try TableDisclosure.apply(t, persons: p, rules: DisclosureRules())
        #expect(d.table.count == 3)
        #expect(d.mergedAlongDose == 1 && d.mergedAlongAttainedAge == 0)
        let f = d.table.factorIndex("dose")!
        let labels = (0..<d.table.count).map { d.table.factorLevels[f][d.table.levels[f][$0]] }
        #expect(labels == ["<0.01", "0.01-0.1", "0.1+"])
        #expect(d.table.events == [5, 5, 0])
        #expect(abs(d.table.meanDose[1] - (50 * 0.03 + 50 * 0.07) / 100) < 1e-15)
        #expect(d.table.personYears.reduce(0, +) == t.personYears.reduce(0, +))
        #expect(d.persons[1] == 10)
    }

    @Test("zero cases is allowed: a cell with none is released as it is")
    func zeroCasesAllowed() throws {
        let (t, p) = table([(0, 0, 100, 0, 0.005), (0, 1, 50, 3, 0.03)])
        let d = try TableDisclosure.apply(t, persons: p, rules: DisclosureRules())
        #expect(d.table.count == 2 && !d.merged)
    }

    @Test("the highest dose category, when unsafe, is merged with the next lower")
    func highestMergesDown() throws {
        let (t, p) = table([(0, 0, 100, 5, 0.005), (0, 1, 50, 4, 0.03), (0, 3, 20, 2, 0.3)])
        let d = try TableDisclosure.apply(t, persons: p, rules: DisclosureRules())
        let f = d.table.factorIndex("dose")!
        #expect((0..<d.table.count).map { d.table.factorLevels[f][d.table.levels[f][$0]] } == ["<0.01", "0.01+"])
        #expect(d.table.events == [5, 6])
    }

    @Test("an attained-age band that stays unsafe after merging all its doses is merged with the next older band, then split by dose again")
    func mergeAlongAttainedAge() throws {
        let (t, p) = table([(0, 0, 30, 1, 0.004), (0, 1, 10, 0, 0.02),
                            (1, 0, 80, 3, 0.005), (1, 1, 60, 4, 0.03),
                            (2, 0, 90, 6, 0.006), (2, 1, 70, 5, 0.04)])
        let d = try TableDisclosure.apply(t, persons: p, rules: DisclosureRules())
        let a = d.table.factorIndex("attained_age")!, f = d.table.factorIndex("dose")!
        let cells = (0..<d.table.count).map { "\(d.table.factorLevels[a][d.table.levels[a][$0]])/\(d.table.factorLevels[f][d.table.levels[f][$0]])" }
        #expect(cells == ["<10/<0.01", "<10/0.01-0.05", "10-15/<0.01", "10-15/0.01-0.05"])
        #expect(d.table.events == [4, 4, 6, 5])
        #expect(d.mergedAlong == ["attained_age": 2])
        #expect(d.table.events.reduce(0, +) == t.events.reduce(0, +))
    }

    @Test("a calendar period that stays unsafe after merging all its ages and doses is merged with the next period")
    func mergeAlongCalendarPeriod() throws {
        // (period, age, dose, cases): period 0 holds 2 cases in all; period 1 holds 3 and 4.
        let rows: [(Int, Int, Int, Double)] = [(0, 0, 0, 1), (0, 1, 1, 1), (1, 0, 0, 3), (1, 1, 1, 4)]
        let t = PersonYearTable(factorNames: ["country", "calendar_period", "attained_age", "dose"],
                                factorLevels: [["NO"], ["<2000", "2000+"], ["<5", "5+"], ["<0.01", "0.01+"]],
                                levels: [rows.map { _ in 0 }, rows.map(\.0), rows.map(\.1), rows.map(\.2)],
                                personYears: rows.map { _ in 100 }, events: rows.map(\.3), meanDose: [0.005, 0.02, 0.006, 0.03],
                                meanAttainedAge: rows.map { _ in 5 }, meanAgeAtExposure: rows.map { _ in 1 },
                                meanTimeSinceExposure: rows.map { _ in 3 }, meanCalendarYear: rows.map { _ in 2000 })
        let d = try TableDisclosure.apply(t, persons: rows.indices.map { c in (0..<5).map { Int32(c * 10 + $0) } }, rules: DisclosureRules())
        let p = d.table.factorIndex("calendar_period")!
        #expect((0..<d.table.count).map { d.table.factorLevels[p][d.table.levels[p][$0]] } == ["all", "all"])
        #expect(d.table.events == [4, 5])
        #expect(d.mergedAlong["calendar_period"] == 2)
    }

    @Test("too few person-years and too few children are merged too")
    func personYearsAndPersons() throws {
        let (t, p) = table([(0, 0, 100, 5, 0.005), (0, 1, 4, 0, 0.03), (0, 2, 60, 3, 0.07)])
        let d = try TableDisclosure.apply(t, persons: p, rules: DisclosureRules(minCases: 3, minPersonYears: 10, minPersons: 3))
        #expect(d.table.count == 2 && d.table.personYears == [100, 64])
        var q = p; q[2] = [7, 8]   // 2 children in the top cell
        let d2 = try TableDisclosure.apply(t, persons: q, rules: DisclosureRules(minCases: 3, minPersonYears: 0, minPersons: 3))
        #expect(d2.table.count == 2 && d2.persons[1] == 7)
    }

    @Test("when all bands of a group (country, sex) together break a rule, the export is refused and says which group and why")
    func refusal() throws {
        let (t, p) = table([(0, 0, 30, 1, 0.004), (1, 1, 10, 1, 0.02)])
        #expect { try TableDisclosure.apply(t, persons: p, rules: DisclosureRules()) } throws: { e in
            let s = "\(e)"; return s.contains("country=NO, sex=F") && s.contains("2 cases") && s.contains("cannot meet the rules")
        }
    }

    @Test("merged band labels read as bands")
    func labels() {
        #expect(TableDisclosure.mergedLabel("5-10", "10-15") == "5-15")
        #expect(TableDisclosure.mergedLabel("<5", "5-10") == "<10")
        #expect(TableDisclosure.mergedLabel("15-20", "20+") == "15+")
        #expect(TableDisclosure.mergedLabel("<5", "20+") == "all")
        #expect(TableDisclosure.mergedLabel("a", "b") == "a..b")
    }
}
