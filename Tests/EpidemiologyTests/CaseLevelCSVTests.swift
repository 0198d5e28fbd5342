import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

private func numbers(_ s: String) -> [Double] { s.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) } }
private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

@Suite("Case-level intervals written as CSV (harmonic analyze --case-level-csv)")
struct CaseLevelCSVTests {
    static let members: [CohortMember] = {
        var m = CohortSimulator(children: 2000, errPerGy: 3, baselineRate: 4e-3).generate(seed: 41)
        for i in m.indices { m[i].covariates["predisposing_condition"] = i % 7 == 0 ? "down_syndrome" : "none" }
        return m
    }()

    @Test("R coxph on the written CSV, Surv(start, stop, event) ~ dose + sex + strata(country), equals our Cox fit")
    func coxphOnWrittenCSVMatches() throws {
        let spec = try ModelSpecification.parse("loglinear: dose + sex; background: strata(country)")
        let cox = try CoxAnalysis.run(members: Self.members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec))
        let url = try SharedData.temporaryDirectory("epi-case-level").appendingPathComponent("intervals.csv")
        try cox.caseLevel.csv(members: Self.members).write(to: url, atomically: true, encoding: .utf8)
        let r = try PeerTool.r("""
        options(digits=15); suppressMessages(library(survival))
        d <- read.csv(commandArgs(TRUE)[1], colClasses=c(sex="character", country="character")); d$sex <- relevel(factor(d$sex), "M")
        f <- coxph(Surv(start, stop, event) ~ dose + sex + strata(country), data=d, ties="breslow", control=coxph.control(eps=1e-12, iter.max=100))
        cat(coef(f), sqrt(diag(vcov(f))), f$loglik[2], nrow(d), sum(d$event), sum(d$stop - d$start), "\\n")
        """, arguments: [url.path])
        let v = numbers(r)
        try #require(v.count == 8)
        let dose = try #require(cox.fit.parameter("dose")), female = try #require(cox.fit.parameter("sex[F]"))
        #expect(agree(dose.estimate, v[0], digits: 4), "\(dose.estimate) vs R \(v[0])") // issue 5: 4 significant digits
        #expect(agree(female.estimate, v[1], digits: 4), "\(female.estimate) vs R \(v[1])")
        #expect(agree(dose.standardError, v[2], digits: 4))
        #expect(agree(female.standardError, v[3], digits: 4))
        #expect(agree(cox.fit.logLikelihood, v[4], digits: 8)) // the same partial likelihood: times round-trip exactly
        #expect(Int(v[5]) == cox.intervals && Int(v[6]) == cox.events)
        let years = (0..<cox.caseLevel.count).reduce(0.0) { $0 + cox.caseLevel.stop[$1] - cox.caseLevel.start[$1] }
        #expect(abs(v[7] - years) <= 1e-9 * years) // summation order only
    }

    @Test("the CSV has the documented header, one row per interval, and the members' covariates")
    func headerAndRows() throws {
        let split = try PersonYearSplitter.split(Self.members, options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2))
        let lines = split.intervals.csv(members: Self.members).split(separator: "\n")
        #expect(lines[0] == "id,start,stop,event,dose,sex,country,age_at_exposure,predisposing_condition")
        #expect(lines.count == split.intervals.count + 1)
        let first = lines[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let m = Self.members[Int(split.intervals.member[0])]
        #expect(first[0] == m.id && Double(first[1]) == split.intervals.start[0] && Double(first[4]) == split.intervals.dose[0])
        #expect(first[5] == m.sex.rawValue && first[6] == m.country.rawValue && first[8] == m.covariates["predisposing_condition"])
    }

    @Test("an identifier with a comma or a quote is quoted as CSV")
    func quoting() {
        #expect(CaseLevelIntervals.field("BE/a,b") == "\"BE/a,b\"")
        #expect(CaseLevelIntervals.field("x\"y") == "\"x\"\"y\"")
        #expect(CaseLevelIntervals.field("BE/C001") == "BE/C001")
    }
}
