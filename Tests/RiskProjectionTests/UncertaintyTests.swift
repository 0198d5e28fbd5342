import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

@Suite("Monte Carlo parameter uncertainty")
struct UncertaintyTests {
    static let models = try! Beir7Models.beir7()

    @Test("a positive 95% interval is sampled lognormal: median at the estimate, z = 1.96 at the upper limit")
    func lognormal() {
        let c = UncertainCoefficient(estimate: 0.21, lower95: 0.11, upper95: 0.40)
        #expect(abs(c.sample(z: 0) - 0.21) < 1e-15)
        // sigma = ln(0.40/0.11)/3.92; the upper limit of a lognormal centred at 0.21 is 0.21*exp(1.96 sigma)
        #expect(abs(c.sample(z: 1.959964) - 0.21 * (0.40 / 0.11).squareRoot()) < 1e-12)
    }

    @Test("an interval reaching below zero is sampled normal with sd (upper - estimate)/1.96")
    func normal() {
        let c = UncertainCoefficient(estimate: 0.055, lower95: nil, upper95: 0.22)
        #expect(abs(c.sample(z: 1.959964) - 0.22) < 1e-12)
        #expect(c.sample(z: -3) < 0)
    }

    @Test("DDREF draws have median 1.5 and geometric sd 1.35 (RadRAT)")
    func ddref() {
        let d = ParameterDraws(models: Self.models, count: 20_000, seed: 11)
        let logs = d.ddref.map { log($0) }
        let mean = logs.reduce(0, +) / Double(logs.count)
        let sd = (logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count - 1)).squareRoot()
        #expect(abs(exp(mean) - 1.5) < 0.01)
        #expect(abs(exp(sd) - 1.35) < 0.01)
    }

    @Test("the 95% interval of a child's total LAR contains the central estimate and is reproducible with the seed")
    func interval() throws {
        let b = try Baseline.load("who-region1")
        func run(_ seed: UInt64) -> PersonRisk {
            LifetimeRiskModel(models: Self.models, baseline: b, draws: ParameterDraws(models: Self.models, count: 400, seed: seed))
                .risk(sex: .female, exposures: [Exposure(ageYears: 5, doses: [.breast: Gray(0.12), .lung: Gray(0.15), .leukaemia: Gray(0.02), .thyroid: Gray(0.01)])])
        }
        let a = run(5), b2 = run(5), c = run(6)
        let t = a.total[.incidence]!
        #expect(t.lower95 < t.estimate && t.estimate < t.upper95)
        #expect(t.upper95 / t.lower95 > 1.5)
        #expect(a.total[.incidence]! == b2.total[.incidence]!)
        #expect(a.total[.incidence]!.mean != c.total[.incidence]!.mean)
    }

    @Test("with DDREF off solid-cancer LAR is 1.5 times larger in the central estimate")
    func ddrefOff() throws {
        let b = try Baseline.load("who-region1")
        let on = LifetimeRiskModel(models: Self.models, baseline: b, draws: ParameterDraws(models: Self.models, count: 10, seed: 1))
        let off = LifetimeRiskModel(models: Self.models, baseline: b, draws: ParameterDraws(models: Self.models, count: 10, seed: 1, ddref: false), ddref: false)
        let x = on.centralCoefficient(site: .colon, sex: .male, outcome: .incidence, ageAtExposure: 3)!
        let y = off.centralCoefficient(site: .colon, sex: .male, outcome: .incidence, ageAtExposure: 3)!
        #expect(abs(y / x - 1.5) < 1e-12)
    }
}
