import Testing
import Foundation
import HarmonicCore
@testable import Epidemiology

private func date(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }

@Suite("Person-years with lagged cumulative organ dose")
struct PersonYearTests {
    /// A child born 2000-03-01, exposed 2001-03-01 (0.1 Gy) and 2002-03-01 (0.2 Gy), followed to 2010-03-01.
    let child = CohortMember(id: "A", sex: .female, country: .france, birth: date("2000-03-01"), entry: date("2001-03-01"),
                             exit: date("2010-03-01"), exitReason: .endOfStudy,
                             exposures: [Exposure(date: date("2001-03-01"), organDoses: [.redMarrow: Gray(0.1)]),
                                         Exposure(date: date("2002-03-01"), organDoses: [.redMarrow: Gray(0.2)])])

    @Test("follow-up starts after the exclusion period and person-years are exact to the day")
    func exactDays() throws {
        let r = try PersonYearSplitter.split([child], options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2))
        // Start = 2001-03-01 + round(2×365.25) = 731 days; stop 2010-03-01.
        let days = date("2001-03-01").days(to: date("2010-03-01")) - 731
        #expect(abs(r.table.personYears.reduce(0, +) - Double(days) / 365.25) < 1e-12) // exact arithmetic on days
    }

    @Test("dose categories change on the lagged exposure date, not the exposure date")
    func lagSplit() throws {
        let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, exclusionYears: 0, doseCuts: [0.05, 0.15])
        let r = try PersonYearSplitter.split([child], options: o)
        let t = r.table, f = t.factorIndex("dose")!
        // Category 0 (<0.05 Gy) lasts 731 days (lag), category 1 (0.1 Gy) from first lagged date to second lagged date.
        let pyBy = Dictionary(grouping: 0..<t.count, by: { t.levels[f][$0] }).mapValues { $0.reduce(0) { $0 + t.personYears[$1] } }
        #expect(abs(pyBy[0]! - 731 / 365.25) < 1e-12)  // exact day count
        let second = Double(date("2002-03-01").days(to: date("2003-03-01"))) / 365.25 // days 2001-03-01+731 → 2002-03-01+731
        #expect(abs(pyBy[1]! - second) < 1e-12)
        let cellDose = (0..<t.count).first { t.levels[f][$0] == 2 }.map { t.meanDose[$0] }
        #expect(abs((cellDose ?? 0) - 0.3) < 1e-12)  // cumulative 0.1 + 0.2 Gy
    }

    @Test("attained-age bands split on the exact birthday")
    func birthdaySplit() throws {
        let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 0, exclusionYears: 0, attainedAgeCuts: [5])
        let t = try PersonYearSplitter.split([child], options: o).table
        let f = t.factorIndex("attained_age")!
        let young = (0..<t.count).filter { t.levels[f][$0] == 0 }.reduce(0) { $0 + t.personYears[$1] }
        #expect(abs(young - Double(date("2001-03-01").days(to: date("2005-03-01"))) / 365.25) < 1e-12) // 5th birthday 2005-03-01
    }

    @Test("an event closes follow-up and is counted once, in the cell where it occurs")
    func eventCounting() throws {
        var c = child
        c.events = [OutcomeEvent(date: date("2006-06-01"), outcome: "leukaemia"), OutcomeEvent(date: date("2008-01-01"), outcome: "leukaemia")]
        let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: [5, 10])
        let r = try PersonYearSplitter.split([c], options: o)
        #expect(r.table.events.reduce(0, +) == 1)
        let ageBand = r.table.factorIndex("attained_age")!
        let eventCell = r.table.events.firstIndex(of: 1)!
        #expect(r.table.levels[ageBand][eventCell] == 1) // aged 6 at diagnosis: band 5-10
        #expect(r.intervals.event.filter { $0 }.count == 1)
        #expect(abs(r.intervals.stop.max()! - Double(date("2000-03-01").days(to: date("2006-06-01"))) / 365.25) < 1e-12)
    }

    @Test("a child whose follow-up ends inside the exclusion period contributes nothing")
    func exclusion() throws {
        var c = child; c.exit = date("2002-01-01")
        #expect(throws: PersonYearError.self) { try PersonYearSplitter.split([c], options: PersonYearOptions(outcome: "x", organ: .redMarrow, lagYears: 2)) }
    }

    @Test("tables are identical however the work is divided (reproducible sums)")
    func reproducible() throws {
        let members = CohortSimulator(children: 3000).generate(seed: 7)
        let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: [5, 10, 15], doseCuts: [0.05, 0.1], bySex: true)
        let a = try PersonYearSplitter.split(members, options: o).table, b = try PersonYearSplitter.split(members, options: o).table
        #expect(a.personYears == b.personYears && a.meanDose == b.meanDose)
        // Total person-years equal the sum over members of their follow-up (no time lost or double counted).
        let exclusion = Int((2 * 365.25).rounded())
        let expected = members.reduce(0.0) { s, m in
            let start = m.entry.dayNumber + exclusion
            return s + Double(max(0, m.exit.dayNumber - start)) / 365.25
        }
        #expect(abs(a.personYears.reduce(0, +) - expected) < 1e-6 * expected) // summation rounding only
    }
}
