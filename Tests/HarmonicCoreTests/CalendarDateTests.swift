import Testing
@testable import HarmonicCore

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("ISO dates parse and print back unchanged")
    func isoRoundTrip() throws {
        for s in ["1976-01-01", "2000-02-29", "2020-12-31", "1988-07"] {
            let d = try #require(CalendarDate(iso: s))
            #expect(d.description == s)
        }
    }

    @Test("Impossible dates are rejected")
    func impossibleDates() {
        for s in ["2001-02-29", "1990-13-01", "1990-00-10", "1990-04-31", "19x0-01-01", "", "1990/01/01"] {
            #expect(CalendarDate(iso: s) == nil, "\(s) should not parse")
        }
    }

    @Test("Day numbers count from 1970-01-01 and invert exactly over two centuries")
    func dayNumbersInvert() throws {
        #expect(CalendarDate(iso: "1970-01-01")!.dayNumber == 0)
        #expect(CalendarDate(iso: "2000-03-01")!.dayNumber == 11_017)
        for n in stride(from: -60_000, through: 80_000, by: 17) {
            #expect(CalendarDate(dayNumber: n).dayNumber == n)
        }
    }

    @Test("Month-precision dates sit mid-month")
    func monthPrecision() throws {
        let d = try #require(CalendarDate(iso: "1981-06"))
        #expect(d.day == 15 && d.precision == .month)
    }

    @Test("Elapsed years use 365.25-day years")
    func elapsedYears() throws {
        let a = CalendarDate(iso: "2000-01-01")!, b = CalendarDate(iso: "2004-01-01")!
        #expect(a.years(to: b) == 1461.0 / 365.25)
        #expect(CalendarDate(iso: "2000-02-29")!.adding(years: 1).description == "2001-02-28")
    }
}

@Suite("Units and organs")
struct UnitsAndOrgansTests {
    @Test("Kerma-area product converts between Gy·m² and Gy·cm²")
    func kapConversion() {
        #expect(GrayCm2(grayM2: 1.6e-5).value == 0.16)
        #expect(abs(GrayCm2(decigrayCm2: 126.596).value - 12.6596) < 1e-12)
    }

    @Test("ICRP 103 and ICRP 60 tissue weights each sum to one")
    func weightsSumToOne() {
        #expect(abs(TissueWeights.icrp103.map(\.weight).reduce(0, +) - 1) < 1e-12)
        #expect(abs(TissueWeights.icrp60.map(\.weight).reduce(0, +) - 1) < 1e-12)
    }

    @Test("ICRP 103 remainder has 13 tissues for each sex")
    func remainderSize() {
        #expect(TissueWeights.icrp103Remainder(for: .male).count == 13)
        #expect(TissueWeights.icrp103Remainder(for: .female).count == 13)
    }

    @Test("Input errors read as one actionable sentence")
    func inputErrorDescription() {
        let e = InputError(.row(file: "procedures.csv", line: 12), field: "kap_gycm2", value: "-3", expected: "a kerma-area product ≥ 0 Gy·cm²")
        #expect(e.description == "procedures.csv, line 12: field 'kap_gycm2' value '-3': a kerma-area product ≥ 0 Gy·cm²")
    }
}
