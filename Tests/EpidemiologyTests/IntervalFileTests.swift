import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

/// 4,000 simulated children (ERR 3/Gy, male rate ×1.35), their case-level intervals written
/// as `analyze --case-level-csv` writes them.
private let members = CohortSimulator(children: 4_000, errPerGy: 3, baselineRate: 4e-3).generate(seed: 77)
private let split = try! PersonYearSplitter.split(members, options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
                                                                                          byCountry: true, bySex: true))
private func intervalFile() throws -> URL {
    let url = try SharedData.temporaryDirectory("intervals").appendingPathComponent("intervals.csv")
    try split.intervals.csv(members: members).write(to: url, atomically: true, encoding: .utf8)
    return url
}
private func numbers(_ s: String) -> [Double] { s.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) } }
private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

@Suite("Case-level intervals from a file are fitted by counting-process Cox, PECAN/coxph-style")
struct IntervalFileTests {
    @Test("log-linear dose and sex, stratified by country: estimates and SEs as R coxph (Breslow ties) to 5 digits")
    func logLinearMatchesCoxph() throws {
        let url = try intervalFile()
        let spec = try ModelSpecification.parse("loglinear: dose + sex; background: strata(country)")
        let cox = try CoxAnalysis.run(intervals: try IntervalFile.read(url, columns: IntervalFile.Columns(), model: spec), model: spec)
        let r = try PeerTool.r("""
        suppressMessages(library(survival)); options(digits=15); d <- read.csv("\(url.path)"); d$sex <- factor(d$sex, levels=unique(d$sex))
        f <- coxph(Surv(start, stop, event) ~ dose + sex + strata(country), data=d, ties="breslow", control=coxph.control(eps=1e-12, iter.max=100))
        cat(coef(f), sqrt(diag(vcov(f))), f$loglik[2], "\\n")
        """)
        let v = numbers(r)
        try #require(v.count == 5)
        #expect(cox.fit.parameters.map(\.name) == ["dose", cox.fit.parameters[1].name])
        for k in 0..<2 {
            #expect(agree(cox.fit.theta[k], v[k], digits: 5), "coef \(k): \(cox.fit.theta[k]) vs coxph \(v[k])") // same partial likelihood
            #expect(agree(cox.fit.parameters[k].standardError, v[2 + k], digits: 4), "SE \(k)") // numerical Hessian vs coxph's analytic: 4 digits
        }
        #expect(abs(cox.fit.logLikelihood - v[4]) < 1e-6)
    }

    @Test("linear ERR in dose, stratified by sex: estimate and profile limits as the partial likelihood written in R")
    func linearERRMatchesR() throws {
        let url = try intervalFile()
        let spec = try ModelSpecification.parse("err: dose; background: strata(sex)")
        let cox = try CoxAnalysis.run(intervals: try IntervalFile.read(url, columns: IntervalFile.Columns(), model: spec), model: spec)
        // Breslow partial likelihood: Σ_events [log r_i − log Σ_{j: start_j < t ≤ stop_j, same stratum} r_j], r = 1 + β·dose.
        let r = try PeerTool.r("""
        options(digits=15); d <- read.csv("\(url.path)"); ev <- which(d$event == 1)
        sets <- lapply(ev, function(i) which(d$sex == d$sex[i] & d$start < d$stop[i] & d$stop >= d$stop[i]))
        pl <- function(b){ r <- 1 + b*d$dose; if(any(r <= 0)) return(-1e10); sum(sapply(seq_along(ev), function(k) log(r[ev[k]]) - log(sum(r[sets[[k]]])))) }
        o <- optimize(function(b) -pl(b), c(-1/max(d$dose)*0.999, 100), tol=1e-12); b <- o$minimum; lmax <- -o$objective
        cut <- qchisq(0.95,1)/2
        lo <- uniroot(function(x) lmax - pl(x) - cut, c(-1/max(d$dose)*0.999999, b), tol=1e-12)$root
        hi <- uniroot(function(x) lmax - pl(x) - cut, c(b, b*20 + 5), tol=1e-12)$root
        cat(b, lo, hi, lmax, "\\n")
        """)
        let v = numbers(r)
        try #require(v.count == 4)
        let err = try #require(cox.fit.parameter("err_per_gy"))
        #expect(agree(err.estimate, v[0], digits: 5), "ERR \(err.estimate) vs R \(v[0])")               // optimize tol 1e-12: 5 digits
        #expect(agree(try #require(err.profileLower?.value), v[1], digits: 4), "profile lower vs R \(v[1])")
        #expect(agree(try #require(err.profileUpper?.value), v[2], digits: 4), "profile upper vs R \(v[2])")
        #expect(abs(cox.fit.logLikelihood - v[3]) < 1e-6)
    }

    @Test("the file path gives the store path's Cox fit of the same children exactly")
    func fileEqualsRecords() throws {
        let url = try intervalFile()
        let spec = try ModelSpecification.parse("err: dose * exp(age_at_exposure); background: strata(country, sex)")
        let fromFile = try CoxAnalysis.run(intervals: try IntervalFile.read(url, columns: IntervalFile.Columns(), model: spec), model: spec)
        let fromRecords = try CoxAnalysis.run(members: members, request: DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec))
        #expect(fromFile.events == fromRecords.events && fromFile.intervals == fromRecords.intervals && fromFile.children == fromRecords.children)
        for (a, b) in zip(fromFile.fit.parameters, fromRecords.fit.parameters) {
            #expect(abs(a.estimate - b.estimate) <= 1e-9 * max(1, abs(b.estimate)), "\(a.name)")
        }
        #expect(abs(fromFile.fit.logLikelihood - fromRecords.fit.logLikelihood) < 1e-9)
    }

    @Test("a stop not after its start, or an event other than 0/1, is an error naming line, column and value")
    func badIntervals() throws {
        let text = "id,start,stop,event,dose,sex\na,1,2,0,0.1,M\nb,3,3,0,0.2,F\n"
        let t = try DelimitedTable.parse(text, file: "iv.csv")
        #expect { try IntervalFile.intervals(t, columns: IntervalFile.Columns()) } throws: { e in
            "\(e)".contains("iv.csv, line 3") && "\(e)".contains("'stop'") && "\(e)".contains("stop after the start 3")
        }
        let t2 = try DelimitedTable.parse("id,start,stop,event,dose\na,1,2,2,0.1\n", file: "iv.csv")
        #expect { try IntervalFile.intervals(t2, columns: IntervalFile.Columns()) } throws: { e in
            "\(e)".contains("line 2") && "\(e)".contains("'event'") && "\(e)".contains("0 or 1")
        }
        let t3 = try DelimitedTable.parse("id,begin,stop,event,dose\na,1,2,1,0.1\n", file: "iv.csv")
        #expect { try IntervalFile.intervals(t3, columns: IntervalFile.Columns()) } throws: { e in
            "\(e)".contains("'start'") && "\(e)".contains("--start") && "\(e)".contains("begin")
        }
    }
}
