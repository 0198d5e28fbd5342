import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

/// Coronary heart disease deaths and person-years of British male doctors by age and smoking
/// (Doll & Hill 1966), as tabulated in Dobson & Barnett, An Introduction to Generalized Linear
/// Models, 3rd ed. (2008), §9.2.1 (also Breslow & Day 1987, vol. II). agecat = 1..5 for
/// 35-44..75-84, agesq = agecat², smkage = smoke·agecat (Dobson & Barnett's model terms).
private let britishDoctors = """
age,agecat,agesq,smoke,smkage,deaths,pyr
35-44,1,1,1,1,32,52407
45-54,2,4,1,2,104,43248
55-64,3,9,1,3,206,28612
65-74,4,16,1,4,186,12663
75-84,5,25,1,5,102,5317
35-44,1,1,0,0,2,18790
45-54,2,4,0,0,12,10673
55-64,3,9,0,0,28,5710
65-74,4,16,0,0,28,2585
75-84,5,25,0,0,31,1462
"""

private func write(_ text: String, _ name: String) throws -> URL {
    let url = try SharedData.temporaryDirectory("grouped").appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
}

private func numbers(_ s: String) -> [Double] {
    s.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Double($0) }
}

/// |a − b| ≤ 0.5·10^(1−digits)·|b|.
private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

/// 20,000 simulated children (ERR 3/Gy), cells by country, sex, attained age and dose category.
private let recordTable: PersonYearTable = {
    let members = CohortSimulator(children: 20_000, errPerGy: 3, baselineRate: 2e-3).generate(seed: 2024)
    let o = PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, attainedAgeCuts: [5, 10, 15, 20],
                              doseCuts: [0.02, 0.05, 0.1, 0.2], byCountry: true, bySex: true)
    return try! PersonYearSplitter.split(members, options: o).table
}()

private let exportColumns = GroupedTable.Columns(cases: "events", personYears: "pyr", dose: "mean_dose", doseCategory: "dose")

@Suite("Grouped person-year tables are fitted AMFIT-style by the same code as the store path")
struct GroupedTableTests {
    @Test("British doctors' table: the log-linear model reproduces Dobson & Barnett's published estimates and R glm")
    func publishedTable() throws {
        let url = try write(britishDoctors, "doctors.csv")
        let spec = try ModelSpecification.parse("loglinear: agecat + agesq + smoke + smkage")
        let table = try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke"), model: spec)
        let a = try DoseResponseAnalysis.run(table: table, model: spec)
        // Published (Dobson & Barnett 2008, §9.2.1): −10.79, 2.376, −0.198, 1.441, −0.308; deviance 1.635 on 5 df.
        let published: [(String, Double)] = [("intercept", -10.79), ("agecat", 2.376), ("agesq", -0.198), ("smoke", 1.441), ("smkage", -0.308)]
        for (name, v) in published {
            let e = try #require(a.fit.parameter(name)).estimate
            #expect(abs(e - v) <= 0.0015 * max(1, abs(v)), "\(name): \(e) vs published \(v)") // published to 3-4 digits
        }
        #expect(abs(a.fit.deviance - 1.635) < 0.001)
        let r = try PeerTool.r("""
        options(digits=15); d <- read.csv("\(url.path)")
        f <- glm(deaths ~ agecat + agesq + smoke + smkage + offset(log(pyr)), family=poisson, data=d, control=glm.control(epsilon=1e-14, maxit=100))
        cat(coef(f), sqrt(diag(vcov(f))), deviance(f), "\\n")
        """)
        let v = numbers(r)
        try #require(v.count == 11)
        for k in 0..<5 {
            #expect(agree(a.fit.theta[k], v[k], digits: 6), "estimate \(k) vs R glm") // same MLE: 6 digits
            #expect(agree(a.fit.parameters[k].standardError, v[5 + k], digits: 4), "SE \(k) vs R glm") // numerical Hessian: 4 digits
        }
        #expect(agree(a.fit.deviance, v[10], digits: 6))
    }

    @Test("British doctors' table: ERR of smoking with age strata matches the Poisson likelihood written in R, with profile limits")
    func errOfSmokingMatchesR() throws {
        let url = try write(britishDoctors, "doctors.csv")
        let spec = try ModelSpecification.parse("err: dose; background: strata(age)")
        let table = try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke"), model: spec)
        let fit = try DoseResponseAnalysis.run(table: table, model: spec).fit
        let r = try PeerTool.r("""
        options(digits=15); d <- read.csv("\(url.path)"); a <- factor(d$age, levels=unique(d$age))
        nll <- function(p){ r <- 1 + p[6]*d$smoke; if(any(r<=0)) return(1e10); -sum(dpois(d$deaths, d$pyr*exp(p[1:5][as.integer(a)])*r, log=TRUE)) }
        o <- optim(c(rep(log(sum(d$deaths)/sum(d$pyr)),5), 0.5), nll, method="BFGS", control=list(reltol=1e-15, maxit=10000))
        o <- optim(o$par, nll, method="Nelder-Mead", control=list(reltol=1e-15, maxit=20000)); o <- optim(o$par, nll, method="BFGS", control=list(reltol=1e-15, maxit=10000))
        prof <- function(b) optim(o$par[1:5], function(q) nll(c(q,b)), method="BFGS", control=list(reltol=1e-15, maxit=10000))$value
        cut <- qchisq(0.95,1)/2
        lo <- uniroot(function(b) prof(b)-o$value-cut, c(o$par[6]*0.05, o$par[6]), tol=1e-10)$root
        hi <- uniroot(function(b) prof(b)-o$value-cut, c(o$par[6], o$par[6]*5), tol=1e-10)$root
        cat(o$par[6], lo, hi, -o$value, "\\n")
        """)
        let v = numbers(r)
        try #require(v.count == 4)
        let err = try #require(fit.parameter("err_per_gy"))
        #expect(agree(err.estimate, v[0], digits: 4), "ERR \(err.estimate) vs R \(v[0])")           // optim to ~1e-8: 4 digits
        #expect(agree(try #require(err.profileLower?.value), v[1], digits: 3), "profile lower vs R")  // profile bounds: 3 digits
        #expect(agree(try #require(err.profileUpper?.value), v[2], digits: 3), "profile upper vs R")
        #expect(abs(fit.logLikelihood - v[3]) < 1e-5)
    }

    @Test("a cell table written as CSV and read back as a grouped table gives the store path's fit to 1e-9")
    func roundTripEqualsStorePath() throws {
        let url = try write(recordTable.csv(), "cells.csv")
        let spec = try ModelSpecification.parse("err: dose * exp(sex + attained_age); background: strata(country, sex, attained_age)")
        let fromFile = try GroupedTable.read(url, columns: exportColumns, model: spec)
        let a = try DoseResponseAnalysis.run(table: recordTable, model: spec), b = try DoseResponseAnalysis.run(table: fromFile, model: spec)
        #expect(a.fit.parameters.map(\.name) == b.fit.parameters.map(\.name))
        for (p, q) in zip(a.fit.parameters, b.fit.parameters) {
            #expect(abs(p.estimate - q.estimate) <= 1e-9 * max(1, abs(p.estimate)), "\(p.name)")
            #expect(abs(p.standardError - q.standardError) <= 1e-6 * p.standardError, "\(p.name) SE")
            if let l1 = p.profileLower?.value, let l2 = q.profileLower?.value { #expect(abs(l1 - l2) <= 1e-7 * max(1, abs(l1))) }
        }
        #expect(abs(a.fit.deviance - b.fit.deviance) < 1e-8)
        #expect(a.categories.map(\.label) == b.categories.map(\.label))
        for (x, y) in zip(a.categories, b.categories) { #expect(abs(x.excessRelativeRisk - y.excessRelativeRisk) < 1e-8) }
        #expect(abs((a.doseTest?.statistic ?? 0) - (b.doseTest?.statistic ?? 1)) < 1e-7)
    }

    @Test("negative person-years are an error naming file, line, column and value")
    func negativePersonYears() throws {
        let url = try write(britishDoctors.replacingOccurrences(of: "32,52407", with: "32,-52407"), "bad.csv")
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")) } throws: { e in
            let s = "\(e)"; return s.contains("bad.csv, line 2") && s.contains("'pyr'") && s.contains("-52407") && s.contains("person-years ≥ 0")
        }
    }

    @Test("non-integer cases are an error naming the line and value")
    func nonIntegerCases() throws {
        let url = try write(britishDoctors.replacingOccurrences(of: ",104,", with: ",104.5,"), "bad.csv")
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")) } throws: { e in
            let s = "\(e)"; return s.contains("line 3") && s.contains("'deaths'") && s.contains("104.5") && s.contains("whole number")
        }
    }

    @Test("cases in a cell without person-years are an error")
    func casesWithoutPersonYears() throws {
        let url = try write(britishDoctors.replacingOccurrences(of: "31,1462", with: "31,0"), "bad.csv")
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")) } throws: { e in
            "\(e)".contains("line 11") && "\(e)".contains("person-years > 0 in a cell with 31 cases")
        }
    }

    @Test("a missing cases, person-years or dose column is an error listing the header")
    func missingColumn() throws {
        let url = try write(britishDoctors, "doctors.csv")
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "cases", personYears: "pyr", dose: "smoke")) } throws: { e in
            "\(e)".contains("'cases'") && "\(e)".contains("--cases") && "\(e)".contains("age, agecat")
        }
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "dose")) } throws: { e in
            "\(e)".contains("'dose'") && "\(e)".contains("--dose")
        }
    }

    @Test("a model naming a column the table lacks is an error naming the term and the columns")
    func unknownModelColumn() throws {
        let url = try write(britishDoctors, "doctors.csv")
        let cols = GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")
        for text in ["err: dose; background: strata(country)", "err: dose * exp(sex); background: strata(age)", "loglinear: factor(region)"] {
            #expect { try GroupedTable.read(url, columns: cols, model: try ModelSpecification.parse(text)) } throws: { e in
                "\(e)".contains("a column of the table for the model term") && "\(e)".contains("columns: age, agecat")
            }
        }
    }

    @Test("a stray non-number in a numeric column used as a plain term is reported at its row, not turned into categories")
    func strayTextInNumericColumn() throws {
        let url = try write(britishDoctors.replacingOccurrences(of: "55-64,3,9,0,0", with: "55-64,3,9,0,O"), "bad.csv")
        let cols = GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")
        #expect { try GroupedTable.read(url, columns: cols, model: try ModelSpecification.parse("loglinear: agecat + smkage")) } throws: { e in
            "\(e)".contains("line 9") && "\(e)".contains("'smkage'") && "\(e)".contains("value 'O'") && "\(e)".contains("factor(smkage)")
        }
    }

    @Test("a row with a field too few is an error naming its line")
    func raggedRow() throws {
        let url = try write(britishDoctors.replacingOccurrences(of: "65-74,4,16,0,0,28,2585", with: "65-74,4,16,0,28,2585"), "bad.csv")
        #expect { try GroupedTable.read(url, columns: GroupedTable.Columns(cases: "deaths", personYears: "pyr", dose: "smoke")) } throws: { e in
            "\(e)".contains("line 10") && "\(e)".contains("7 fields")
        }
    }
}
