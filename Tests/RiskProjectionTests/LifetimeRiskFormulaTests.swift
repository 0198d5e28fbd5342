import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

@Suite("LAR formulas against an independent computation")
struct LifetimeRiskFormulaTests {
    static let models = try! Beir7Models.beir7()
    static func model(_ baseline: String) throws -> LifetimeRiskModel {
        LifetimeRiskModel(models: models, baseline: try Baseline.load(baseline),
                          draws: ParameterDraws(models: models, count: 50, seed: 3, latency: .beir7Step), latency: .beir7Step)
    }

    @Test("breast (EAR only, Preston 2002 form): 10 per 10^4 PY Gy, exp(-0.5 (e-25)/10), (a/50)^3.5 then ^1.0, DDREF 1.5")
    func breast() throws {
        let ind = try IndependentLAR(baselineDir: "us-1999", sex: "F", site: "breast")
        let e = 10
        let expected = ind.sum(e: e, lag: 5) { a, _, _ in
            10e-4 * exp(-0.5 * Double(e - 25) / 10) * pow(a / 50, a < 50 ? 3.5 : 1.0)
        } / 1.5
        let got = try Self.model("us-1999").centralCoefficient(site: .breast, sex: .female, outcome: .incidence, ageAtExposure: Double(e))!
        #expect(abs(got / expected - 1) < 1e-9)
    }

    @Test("thyroid (ERR only): beta 0.53 M, exp(-0.83 e*), no attained-age term, times baseline incidence")
    func thyroid() throws {
        let ind = try IndependentLAR(baselineDir: "who-region1", sex: "M", site: "thyroid")
        let e = 4
        let expected = ind.sum(e: e, lag: 5) { _, _, a in 0.53 * exp(-0.83 * Double(e - 30) / 10) * ind.inc[a]! } / 1.5
        let got = try Self.model("who-region1").centralCoefficient(site: .thyroid, sex: .male, outcome: .incidence, ageAtExposure: Double(e))!
        #expect(abs(got / expected - 1) < 1e-9)
    }

    @Test("lung: weighted geometric mean ERR^0.3 EAR^0.7 (BEIR VII lung weights), EAR attained-age power 5.2")
    func lungWeights() throws {
        let ind = try IndependentLAR(baselineDir: "who-region1", sex: "F", site: "lung")
        let e = 12
        let estar = Double(e - 30) / 10
        let err = ind.sum(e: e, lag: 5) { a, _, y in 1.4 * exp(-0.30 * estar) * pow(a / 60, -1.4) * ind.inc[y]! }
        let ear = ind.sum(e: e, lag: 5) { a, _, _ in 3.4e-4 * exp(-0.41 * estar) * pow(a / 60, 5.2) }
        let expected = pow(err, 0.3) * pow(ear, 0.7) / 1.5
        let got = try Self.model("who-region1").centralCoefficient(site: .lung, sex: .female, outcome: .incidence, ageAtExposure: Double(e))!
        #expect(abs(got / expected - 1) < 1e-9)
    }

    @Test("colon mortality: ERR times baseline mortality, EAR times mortality/incidence, weights 0.7/0.3")
    func colonMortality() throws {
        let ind = try IndependentLAR(baselineDir: "who-region1", sex: "M", site: "colon")
        let e = 7
        let estar = Double(e - 30) / 10
        let err = ind.sum(e: e, lag: 5) { a, _, y in 0.63 * exp(-0.30 * estar) * pow(a / 60, -1.4) * ind.mort[y]! }
        let ear = ind.sum(e: e, lag: 5) { a, _, y in
            ind.inc[y]! > 0 ? 3.2e-4 * exp(-0.41 * estar) * pow(a / 60, 2.8) * ind.mort[y]! / ind.inc[y]! : 0
        }
        let expected = pow(err, 0.7) * pow(ear, 0.3) / 1.5
        let got = try Self.model("who-region1").centralCoefficient(site: .colon, sex: .male, outcome: .mortality, ageAtExposure: Double(e))!
        #expect(abs(got / expected - 1) < 1e-9)
    }

    @Test("leukaemia: linear-quadratic, time-since-exposure terms, 2-year latency, no DDREF")
    func leukaemia() throws {
        let ind = try IndependentLAR(baselineDir: "who-region1", sex: "F", site: "leukaemia")
        let e = 3, dose = 0.2
        let estar = Double(e - 30) / 10
        let err = ind.sum(e: e, lag: 2) { _, t, y in
            1.2 * dose * (1 + 0.87 * dose) * exp(-0.40 * estar - 0.48 * log(t / 25) + 0.42 * estar * log(t / 25)) * ind.inc[y]!
        }
        let ear = ind.sum(e: e, lag: 2) { _, t, _ in
            0.93e-4 * dose * (1 + 0.88 * dose) * exp(0.29 * estar + 0.56 * estar * log(t / 25))
        }
        let expected = pow(err, 0.7) * pow(ear, 0.3)
        let m = try Self.model("who-region1")
        let got = m.risk(sex: .female, exposures: [Exposure(ageYears: Double(e), doses: [.leukaemia: Gray(dose)])])
        let lar = got.sites.first { $0.site == .leukaemia }!.incidence!.estimate
        #expect(abs(lar / expected - 1) < 1e-9)
    }

    @Test("LAR is linear in dose for solid sites and additive over exposures at different ages")
    func additivity() throws {
        let m = try Self.model("who-region1")
        let one = m.risk(sex: .male, exposures: [Exposure(ageYears: 2, doses: [.stomach: Gray(0.01)])]).total[.incidence]!.estimate
        let two = m.risk(sex: .male, exposures: [Exposure(ageYears: 2, doses: [.stomach: Gray(0.02)])]).total[.incidence]!.estimate
        let split = m.risk(sex: .male, exposures: [Exposure(ageYears: 2, doses: [.stomach: Gray(0.01)]),
                                                   Exposure(ageYears: 2, doses: [.stomach: Gray(0.01)])]).total[.incidence]!.estimate
        #expect(abs(two / one - 2) < 1e-12)
        #expect(abs(split / two - 1) < 1e-12)
    }

    @Test("a fractional age at exposure interpolates linearly between whole years")
    func interpolation() throws {
        let m = try Self.model("who-region1")
        let c4 = m.centralCoefficient(site: .colon, sex: .female, outcome: .incidence, ageAtExposure: 4)!
        let c5 = m.centralCoefficient(site: .colon, sex: .female, outcome: .incidence, ageAtExposure: 5)!
        let c45 = m.centralCoefficient(site: .colon, sex: .female, outcome: .incidence, ageAtExposure: 4.25)!
        #expect(abs(c45 - (0.75 * c4 + 0.25 * c5)) < 1e-15)
    }
}
