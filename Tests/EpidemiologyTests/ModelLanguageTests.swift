import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

@Suite("Model language and analysis extract")
struct ModelLanguageTests {
    @Test("the issue's example parses to ERR with modifiers and stratified background")
    func parsesExample() throws {
        let s = try ModelSpecification.parse("err: dose * exp(sex + age_at_exposure); background: strata(country, sex, attained_age)")
        #expect(s == ModelSpecification(form: .relative, shape: .linear, modifiers: ["sex", "age_at_exposure"], background: [], strata: ["country", "sex", "attained_age"]))
    }

    @Test("linear-quadratic EAR with a parametric background parses")
    func parsesLQ() throws {
        let s = try ModelSpecification.parse("ear: dose + dose^2; background: sex + log_attained_age + factor(country)")
        #expect(s.form == .absolute && s.shape == .linearQuadratic && s.background == ["sex", "log_attained_age", "factor(country)"])
    }

    @Test("a syntax error names the column of the problem")
    func errorColumn() {
        #expect { try ModelSpecification.parse("err: dose * exp(sex + ); background: sex") } throws: { e in
            (e as? ModelSpecification.ParseError)?.column == 23
        }
        #expect { try ModelSpecification.parse("err: dose; backgrund: sex") } throws: { e in
            (e as? ModelSpecification.ParseError)?.column == 12 && "\(e)".contains("unknown clause 'backgrund'")
        }
    }

    @Test("an unknown term is reported with the list of known terms")
    func unknownTerm() throws {
        let t = try PersonYearSplitter.split(CohortSimulator(children: 300).generate(seed: 1),
                                             options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, bySex: true)).table
        #expect { try ModelDesign(table: t).model(try ModelSpecification.parse("err: dose * exp(agge)")) } throws: { e in
            "\(e)".contains("unknown term 'agge'") && "\(e)".contains("attained_age")
        }
    }

    @Test("an extract written and read back gives the same person-years, and analyze runs end to end")
    func extractRoundTrip() throws {
        let members = CohortSimulator(children: 3000, errPerGy: 3, baselineRate: 3e-3).generate(seed: 4)
        let dir = try SharedData.temporaryDirectory("epi-extract")
        try AnalysisExtract.write(members, organs: [.redMarrow], to: dir)
        let back = try AnalysisExtract.load(directory: dir)
        let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, bySex: true)
        let a = try PersonYearSplitter.split(members, options: o).table, b = try PersonYearSplitter.split(back, options: o).table
        #expect(a.personYears == b.personYears && a.events == b.events)
        #expect(abs(a.meanDose.reduce(0, +) - b.meanDose.reduce(0, +)) < 1e-9) // doses written with full Double precision
        let r = try DoseResponseAnalysis.run(members: back, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
            model: try ModelSpecification.parse("err: dose; background: strata(sex, attained_age)")))
        #expect(r.fit.parameter("err_per_gy") != nil && !r.categories.isEmpty && r.curve.count == 51)
        #expect(r.textTable().contains("err_per_gy"))
        // A misspelt factor is an error, not a silently empty term.
        #expect { try DoseResponseAnalysis.run(members: back, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
            model: try ModelSpecification.parse("err: dose; background: sexx"))) } throws: { "\($0)".contains("unknown term 'sexx'") }
    }

    @Test("a bad dose value in exposures.csv names file, line, field and value")
    func badExtract() throws {
        let dir = try SharedData.temporaryDirectory("epi-bad")
        try "id,sex,country,birth,exit,exit_reason\nA,F,FR,2000-01-01,2010-01-01,end_of_study\n".write(to: dir.appendingPathComponent("children.csv"), atomically: true, encoding: .utf8)
        try "id,date,red_marrow\nA,2001-01-01,abc\n".write(to: dir.appendingPathComponent("exposures.csv"), atomically: true, encoding: .utf8)
        #expect { try AnalysisExtract.load(directory: dir) } throws: { e in
            "\(e)".contains("exposures.csv, line 2") && "\(e)".contains("red_marrow") && "\(e)".contains("'abc'")
        }
    }
}
