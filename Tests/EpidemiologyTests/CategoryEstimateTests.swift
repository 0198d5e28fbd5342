import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
@testable import Epidemiology

private func agree(_ a: Double, _ b: Double, digits: Int) -> Bool { abs(a - b) <= 0.5 * pow(10, Double(1 - digits)) * abs(b) }

@Suite("Categorical dose estimates for the dose-response plot agree with R glm")
struct CategoryEstimateTests {
    /// Poisson glm with log(PY) offset, one parameter per stratum (sex × attained age) and per dose
    /// category (reference: the engine's first category); profile-likelihood limits by uniroot on the
    /// deviance with the category coefficient fixed through the offset (the others refitted).
    /// Prints one line per non-reference category: label, RR, lower, upper.
    static let rScript = """
    options(digits=15)
    a <- commandArgs(TRUE); d <- read.csv(a[1], colClasses=c(sex="character", attained_age="character", dose="character"))
    d <- d[d$pyr > 0, ]; lev <- a[-1]
    s <- factor(paste(d$sex, d$attained_age)); X <- sapply(lev[-1], function(l) as.numeric(d$dose == l))
    ctl <- glm.control(epsilon=1e-14, maxit=200)
    m <- suppressWarnings(glm(d$events ~ s + X + offset(log(d$pyr)), family=poisson, control=ctl))
    b <- coef(m)[paste0("X", lev[-1])]; se <- sqrt(diag(vcov(m)))[paste0("X", lev[-1])]
    for (k in seq_along(lev[-1])) {
      dev <- function(v) suppressWarnings(glm(d$events ~ s + X[, -k] + offset(log(d$pyr) + v*X[, k]), family=poisson, control=ctl))$deviance - m$deviance - qchisq(0.95, 1)
      side <- function(dir){ w <- se[k]; lim <- b[k] + dir*w; while (dev(lim) < 0) { w <- 2*w; lim <- b[k] + dir*w }
        uniroot(dev, sort(c(b[k], lim)), tol=1e-12)$root }
      cat(lev[k+1], exp(b[k]), exp(side(-1)), exp(side(1)), "\\n")
    }
    """

    @Test("each category's relative risk and profile limits equal R glm(Poisson, offset log PY) with the same strata")
    func categoriesMatchGlm() throws {
        let members = CohortSimulator(children: 20_000, errPerGy: 3, baselineRate: 2e-3).generate(seed: 31)
        let request = DoseResponseAnalysis.Request(outcome: "leukaemia", organ: .redMarrow, lagYears: 2,
                                                   model: try ModelSpecification.parse("err: dose; background: strata(sex, attained_age)"),
                                                   doseCuts: [0.02, 0.05, 0.1, 0.2, 0.5])
        let result = try DoseResponseAnalysis.run(members: members, request: request)
        try #require(result.categories.count == 6)
        for c in result.categories { try #require(c.events > 0, "category \(c.label) has no cases: its lower limit would be 0") }
        #expect(result.categories[0].excessRelativeRisk == 0) // the reference category
        let url = try SharedData.temporaryDirectory("epi-categories").appendingPathComponent("cells.csv")
        try result.table.csv().write(to: url, atomically: true, encoding: .utf8)
        let out = try PeerTool.r(Self.rScript, arguments: [url.path] + result.categories.map(\.label))
        var r: [String: [Double]] = [:]
        for line in out.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 4 { r[String(f[0])] = f.dropFirst().compactMap { Double($0) } }
        }
        try #require(r.count == 5, "R output: \(out)")
        for c in result.categories.dropFirst() {
            let v = try #require(r[c.label], "no R estimate for \(c.label)")
            try #require(v.count == 3)
            // issue 5: estimates to 4 significant digits, profile-likelihood bounds to 3 (compared as RR = 1 + ERR).
            #expect(agree(1 + c.excessRelativeRisk, v[0], digits: 4), "\(c.label): RR \(1 + c.excessRelativeRisk) vs R \(v[0])")
            #expect(agree(1 + (try #require(c.lower)), v[1], digits: 3), "\(c.label): lower \(String(describing: c.lower)) vs R \(v[1] - 1)")
            #expect(agree(1 + (try #require(c.upper)), v[2], digits: 3), "\(c.label): upper \(String(describing: c.upper)) vs R \(v[2] - 1)")
        }
    }
}
