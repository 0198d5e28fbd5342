import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

@Suite("SIR by dose category")
struct SIRByDoseTests {
    /// Reference rates for the seven cardiac countries: 5 age bands × 4 calendar periods × sex,
    /// 150-330 per 100,000 (near the simulator's 200 per 100,000 background), all different.
    static func ratesCSV() -> String {
        let ages: [(Int, Int)] = [(0, 5), (5, 10), (10, 15), (15, 20), (20, 100)]
        let years: [(Int, Int)] = [(1976, 1990), (1990, 2000), (2000, 2010), (2010, 2030)]
        var s = "country,sex,age_from,age_to,year_from,year_to,outcome,rate_per_100000\n"
        for (ci, c) in Country.cardiac.enumerated() { for sex in ["M", "F"] { for (ai, a) in ages.enumerated() { for (yi, y) in years.enumerated() {
            let rate = 150 + 30 * Double(ai) + 10 * Double(yi) + (sex == "M" ? 25 : 0) + 3 * Double(ci)
            s += "\(c.rawValue),\(sex),\(a.0),\(a.1),\(y.0),\(y.1),leukaemia,\(rate)\n"
        } } } }
        return s
    }

    /// R recomputes the expected cases from the cell table and the rate file itself (the rate of
    /// the band holding each cell's mean attained age and calendar year, times its person-years),
    /// sums observed and expected per dose category and takes poisson.test's exact interval.
    static let rScript = """
    options(digits=15)
    a <- commandArgs(TRUE); d <- read.csv(a[1], colClasses=c(country="character", sex="character", dose="character"))
    rt <- read.csv(a[2], colClasses=c(country="character", sex="character")); d <- d[d$pyr > 0, ]
    d$rate <- sapply(seq_len(nrow(d)), function(i) { j <- which(rt$country == d$country[i] & rt$sex == d$sex[i] &
      d$mean_attained_age[i] >= rt$age_from & d$mean_attained_age[i] < rt$age_to &
      d$mean_calendar_year[i] >= rt$year_from & d$mean_calendar_year[i] < rt$year_to); stopifnot(length(j) == 1); rt$rate_per_100000[j] / 1e5 })
    d$expected <- d$rate * d$pyr
    for (l in unique(d$dose)) { s <- d$dose == l; o <- sum(d$events[s]); e <- sum(d$expected[s])
      cat(l, o, e, o/e, poisson.test(o, e)$conf.int, "\\n") }
    """

    @Test("each dose category's observed, expected, SIR and Garwood interval equal R's sum over the cells and poisson.test")
    func byDoseMatchesR() throws {
        let csv = Self.ratesCSV()
        let rates = try ReferenceRates.parse(csv: csv, file: "rates.csv", outcome: "leukaemia")
        let members = CohortSimulator(children: 8000, errPerGy: 3, baselineRate: 2e-3).generate(seed: 5)
        let table = try PersonYearSplitter.split(members, options: StandardisedIncidence.options(
            for: rates, organ: .redMarrow, lagYears: 2, doseCuts: [0.05, 0.1, 0.2])).table
        let sirs = try StandardisedIncidence.compute(table, rates: rates)
        let byDose = sirs.filter { $0.label.hasPrefix("dose ") }
        try #require(byDose.count == 4)
        // The categories partition the cohort: their observed and expected add up to the overall SIR's.
        #expect(byDose.reduce(0) { $0 + $1.observed } == sirs[0].observed)
        #expect(abs(byDose.reduce(0) { $0 + $1.expected } - sirs[0].expected) <= 1e-9 * sirs[0].expected) // summation order only
        let dir = try SharedData.temporaryDirectory("epi-sir-dose")
        let cells = dir.appendingPathComponent("cells.csv"), ratesFile = dir.appendingPathComponent("rates.csv")
        try table.csv().write(to: cells, atomically: true, encoding: .utf8)
        try csv.write(to: ratesFile, atomically: true, encoding: .utf8)
        let out = try PeerTool.r(Self.rScript, arguments: [cells.path, ratesFile.path])
        var r: [String: [Double]] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 6 { r["dose " + f[0]] = f.dropFirst().compactMap { Double($0) } }
        }
        try #require(r.count == 4, "R output: \(out)")
        for s in byDose {
            let v = try #require(r[s.label], "no R line for \(s.label)")
            try #require(v.count == 5)
            #expect(s.observed == v[0], "\(s.label) observed")
            #expect(agree(s.expected, v[1], digits: 10), "\(s.label): E \(s.expected) vs R \(v[1])") // same sums in another order: ~1e-12
            #expect(agree(s.ratio, v[2], digits: 10))
            // Garwood limits: gamma quantiles here, R's qchisq/qgamma in poisson.test; agreement to 9 digits
            // as in SIRTests.garwoodMatchesR.
            #expect(agree(s.lower, v[3], digits: 9), "\(s.label): lower \(s.lower) vs R \(v[3])")
            #expect(agree(s.upper, v[4], digits: 9), "\(s.label): upper \(s.upper) vs R \(v[4])")
        }
    }
}
