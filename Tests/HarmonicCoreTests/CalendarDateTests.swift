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

@Suite("Random streams")
struct RandomStreamTests {
    @Test("The same seed and stream give the same sequence")
    func reproducible() {
        var a = RandomStream(seed: 42, stream: 7), b = RandomStream(seed: 42, stream: 7)
        for _ in 0..<1000 { #expect(a.next() == b.next()) }
    }

    @Test("Different streams of one seed are uncorrelated")
    func streamsDiffer() {
        var a = RandomStream(seed: 42, stream: 0), b = RandomStream(seed: 42, stream: 1)
        let n = 100_000
        var sab = 0.0, sa = 0.0, sb = 0.0
        for _ in 0..<n { let x = a.uniform(), y = b.uniform(); sab += x * y; sa += x; sb += y }
        let cov = sab / Double(n) - (sa / Double(n)) * (sb / Double(n))
        #expect(abs(cov / (1.0 / 12.0)) < 0.02)   // correlation; its SE is 1/sqrt(n) ≈ 0.003
    }

    @Test("Uniform deviates have mean 1/2 and normal deviates unit variance")
    func moments() {
        var r = RandomStream(seed: 1)
        let n = 200_000
        var su = 0.0, sn = 0.0, sn2 = 0.0
        for _ in 0..<n { su += r.uniform(); let z = r.normal(); sn += z; sn2 += z * z }
        #expect(abs(su / Double(n) - 0.5) < 0.005)       // SE 0.00065
        #expect(abs(sn / Double(n)) < 0.01)              // SE 0.0022
        #expect(abs(sn2 / Double(n) - 1) < 0.015)        // SE 0.0032
    }
}
