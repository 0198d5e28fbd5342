import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Reports
@testable import Epidemiology

/// 30,000 simulated children in seven countries (ERR 3/Gy), leukaemia with a 2-year lag.
private let members = CohortSimulator(children: 30_000, errPerGy: 3, baselineRate: 3e-3).generate(seed: 18)
private let exportRequest = SiteTableExport.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
                                                    attainedAgeCuts: [5, 10, 15, 20, 30], calendarYearCuts: [1990, 2000, 2010],
                                                    ageAtExposureCuts: [1, 5], doseCuts: [0.01, 0.02, 0.05, 0.1, 0.2])

/// Each country's children exported with the given rules to a fresh folder; (site, file) in country order.
private func exportSites(rules: DisclosureRules) throws -> [(String, URL, SiteTableExport.Manifest)] {
    let dir = try SharedData.temporaryDirectory("pool")
    var q = exportRequest; q.rules = rules
    return try Country.cardiac.map { c in
        let url = dir.appendingPathComponent("\(c.rawValue).table.csv")
        let m = try SiteTableExport.run(members: members.filter { $0.country == c }, request: q, out: url)
        return (c.rawValue, url, m)
    }
}

private func siteTables(_ files: [(String, URL, SiteTableExport.Manifest)]) throws -> [SiteTable] {
    try files.map { SiteTable(site: $0.0, table: try GroupedTable.read($0.1, columns: GroupedTable.exportColumns)) }
}

@Suite("Site exports and the coordinator's pooled fit")
struct PooledAnalysisTests {
    @Test("where no cell needed merging, the pooled fit of seven site tables equals the fit on the union of the records to 1e-6")
    func pooledEqualsIndividual() throws {
        let files = try exportSites(rules: DisclosureRules(minCases: 1, minPersonYears: 0, minPersons: 1))
        #expect(files.allSatisfy { $0.2.exact })
        let text = "err: dose; background: strata(country, sex, attained_age, calendar_period, age_at_exposure)"
        let spec = try ModelSpecification.parse(text)
        let pooled = try PooledAnalysis.run(sites: try siteTables(files), model: spec)
        let individual = try DoseResponseAnalysis.run(members: members, request: DoseResponseAnalysis.Request(
            outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec, doseCuts: exportRequest.doseCuts,
            attainedAgeCuts: exportRequest.attainedAgeCuts, calendarYearCuts: exportRequest.calendarYearCuts,
            ageAtExposureCuts: exportRequest.ageAtExposureCuts))
        let a = try #require(pooled.pooled.fit.parameter("err_per_gy")), b = try #require(individual.fit.parameter("err_per_gy"))
        #expect(abs(a.estimate - b.estimate) <= 1e-6 * abs(b.estimate), "pooled \(a.estimate) vs individual \(b.estimate)")
        #expect(abs(a.standardError - b.standardError) <= 1e-6 * b.standardError)
        #expect(abs(try #require(a.profileLower?.value) - (try #require(b.profileLower?.value))) <= 1e-6 * abs(b.estimate))
        #expect(abs(try #require(a.profileUpper?.value) - (try #require(b.profileUpper?.value))) <= 1e-6 * abs(b.estimate))
        #expect(abs(pooled.pooled.fit.logLikelihood - individual.fit.logLikelihood) <= 1e-6 * abs(individual.fit.logLikelihood))
        #expect(pooled.pooled.table.events.reduce(0, +) == individual.table.events.reduce(0, +))
    }

    @Test("heterogeneity: with strata only, the LR statistic is 2(Σ ℓ_site − ℓ_pooled) on sites − 1 df")
    func heterogeneity() throws {
        let files = try exportSites(rules: DisclosureRules())
        let spec = try ModelSpecification.parse("err: dose; background: strata(sex, attained_age)")
        let a = try PooledAnalysis.run(sites: try siteTables(files), model: spec)
        let h = try #require(a.heterogeneity)
        #expect(h.df == 6)
        let sum = a.sites.reduce(0) { $0 + $1.logLikelihood! }
        #expect(abs(h.statistic - 2 * (sum - a.pooled.fit.logLikelihood)) < 1e-9)
        #expect(h.description.contains("tests the ERR alone"))
        #expect(a.sites.count == 7 && a.sites.allSatisfy { $0.estimate != nil })
        #expect(a.model.strata == ["sex", "attained_age", "site"])
    }

    @Test("the HTML report carries a forest plot with one row per site and the pooled row")
    func forestPlot() throws {
        let files = try exportSites(rules: DisclosureRules())
        let a = try PooledAnalysis.run(sites: try siteTables(files), model: try ModelSpecification.parse("err: dose; background: strata(sex, attained_age)"))
        let html = PooledReport.html(a, modelText: "err: dose; background: strata(sex, attained_age)", files: files.map(\.1.lastPathComponent))
        #expect(html.components(separatedBy: "class=\"forest-row\"").count - 1 == a.sites.filter { $0.estimate?.unboundedAbove == nil && $0.estimate != nil }.count)
        #expect(html.contains("class=\"forest-row pooled\""))
        #expect(html.contains("Heterogeneity"))
    }

    @Test("the export writes no identifiers, and its manifest gives columns, cells, rules and the SHA-256 of each file")
    func manifest() throws {
        let files = try exportSites(rules: DisclosureRules(minCases: 3, minPersonYears: 10, minPersons: 3))
        let (_, url, m) = files[0]
        let text = try String(contentsOf: url, encoding: .utf8)
        let header = text.split(separator: "\n")[0].split(separator: ",").map(String.init)
        #expect(header == m.columns)
        #expect(header == ["country", "sex", "attained_age", "calendar_period", "age_at_exposure", "dose_category", "cases", "pyr",
                           "mean_dose", "mean_attained_age", "mean_age_at_exposure", "mean_time_since_exposure", "mean_calendar_year"])
        #expect(text.split(separator: "\n").count - 1 == m.cells)
        #expect(m.rules == DisclosureRules(minCases: 3, minPersonYears: 10, minPersons: 3))
        let sha = try PeerTool.python("import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())", arguments: [url.path])
        #expect(m.files.first?.sha256 == sha.trimmingCharacters(in: .whitespacesAndNewlines))
        let json = try String(contentsOf: SiteTableExport.manifestURL(url), encoding: .utf8)
        #expect(json.contains("\"sha256\"") && json.contains("nfilter.tab = 3"))
        // Released cells obey the rules.
        let t = try GroupedTable.read(url, columns: GroupedTable.exportColumns)
        for c in 0..<t.count { #expect(t.events[c] == 0 || t.events[c] >= 3); #expect(t.personYears[c] >= 10) }
        #expect(m.cells < m.cellsBeforeDisclosureControl && !m.exact)
        let all = members.filter { $0.country == Country.cardiac[0] }
        let total = try PersonYearSplitter.split(all, options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2)).table
        #expect(abs(t.personYears.reduce(0, +) - total.personYears.reduce(0, +)) < 1e-6, "no person-year is dropped")
        #expect(t.events.reduce(0, +) == total.events.reduce(0, +), "no case is dropped")
    }

    @Test("with dose realisations, one table per realisation holds the same cells with that realisation's mean doses")
    func realisations() throws {
        let site = members.filter { $0.country == Country.cardiac[1] }
        let dir = try SharedData.temporaryDirectory("pool-mc")
        let url = dir.appendingPathComponent("S.table.csv")
        let source = LogNormalDoseRealisations(count: 3, sharedSigma: 0.3, unsharedSigma: 0.5, seed: 5)
        let m = try SiteTableExport.run(members: site, request: exportRequest, out: url, realisations: source)
        #expect(m.files.count == 4 && m.files.map(\.realisation) == [nil, 1, 2, 3])
        let main = try GroupedTable.read(url, columns: GroupedTable.exportColumns)
        let r2 = try GroupedTable.read(SiteTableExport.realisationURL(url, 2), columns: GroupedTable.exportColumns)
        #expect(main.count == r2.count && main.personYears == r2.personYears && main.events == r2.events)
        #expect(main.meanDose != r2.meanDose)
    }

    @Test("pooled MCML over realisation tables that all equal the mean doses gives the mean-dose pooled fit")
    func pooledMonteCarloReducesToMeanDose() throws {
        let files = try exportSites(rules: DisclosureRules())
        let sites = try siteTables(files)
        let spec = try ModelSpecification.parse("err: dose; background: strata(sex, attained_age)")
        let a = try PooledAnalysis.run(sites: sites, model: spec)
        let mc = try PooledAnalysis.monteCarlo(sites: sites, doses: sites.map { s in [s.table.meanDose, s.table.meanDose, s.table.meanDose] }, model: spec)
        let k = a.pooled.model.doseParameterIndex!
        // Cell doses pass through Float in MCML: agreement to Float precision.
        #expect(abs(mc.theta[k] - a.pooled.fit.theta[k]) <= 1e-5 * abs(a.pooled.fit.theta[k]))
        #expect(abs((mc.parameters[k].profileUpper?.value ?? 0) - (a.pooled.fit.parameters[k].profileUpper?.value ?? 1)) <= 1e-4 * abs(a.pooled.fit.theta[k]))
    }

    @Test("tables with different columns are refused, naming the file and the columns")
    func mismatchedColumns() throws {
        let a = try DelimitedTable.parse("country,sex,cases,pyr,mean_dose\nNO,F,1,10,0.1\n", file: "NO.table.csv")
        let b = try DelimitedTable.parse("country,cases,pyr,mean_dose,region\nFR,1,10,0.1,x\n", file: "FR.table.csv")
        #expect { try PooledAnalysis.checkColumns([a, b]) } throws: { e in
            let s = "\(e)"; return s.contains("FR.table.csv, line 1") && s.contains("missing: sex") && s.contains("not in NO.table.csv: region")
        }
    }

    @Test("a stratum present in one site's table only is kept and reported")
    func stratumInOneSiteOnly() throws {
        let no = try GroupedTable.table(try DelimitedTable.parse("""
        sex,period,cases,pyr,mean_dose
        F,early,10,1000,0
        F,early,8,500,0.2
        F,late,6,800,0
        F,late,9,400,0.3
        """, file: "NO.csv"), columns: GroupedTable.Columns())
        let fr = try GroupedTable.table(try DelimitedTable.parse("""
        sex,period,cases,pyr,mean_dose
        F,early,12,1100,0
        F,early,7,450,0.25
        """, file: "FR.csv"), columns: GroupedTable.Columns())
        let a = try PooledAnalysis.run(sites: [SiteTable(site: "NO", table: no), SiteTable(site: "FR", table: fr)],
                                       model: try ModelSpecification.parse("err: dose; background: strata(period)"))
        #expect(a.notes.count == 1 && a.notes[0].contains("period=late appears in NO's table only"))
        #expect(a.pooled.fit.converged)
    }
}

