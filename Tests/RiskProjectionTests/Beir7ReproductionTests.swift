import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

/// BEIR VII Phase 2 (NAP 11340) Table 12D-1, breast cancer incidence: LAR per 100,000 females exposed
/// to 0.1 Gy at ages 0, 5, 10, 15, 20, 30, 40, 50, 60, 70, 80. Breast uses the EAR model only, so its
/// LAR needs only the all-cause life table, which Harmonic ships for the US 1999 population BEIR VII used.
let beir7Table12D1BreastIncidence: [(age: Double, lar: Double)] = [
    (0, 1171), (5, 914), (10, 712), (15, 553), (20, 429), (30, 253), (40, 141), (50, 70), (60, 31), (70, 12), (80, 4),
]

@Suite("BEIR VII reproduction")
struct Beir7ReproductionTests {
    static let models = try! Beir7Models.beir7()

    static func model(_ baseline: String, draws: Int = 200, latency: Latency = .beir7Step) throws -> LifetimeRiskModel {
        let b = try Baseline.load(baseline)
        return LifetimeRiskModel(models: models, baseline: b, draws: ParameterDraws(models: models, count: draws, seed: 7, latency: latency),
                                 latency: latency)
    }

    /// Tolerance 5% (BEIR VII's own life table and integration details are not published exactly); cells
    /// below 10 per 100,000 are rounded to whole numbers in the table, so they must agree within +-0.5.
    /// Measured (docs/risk-projection.md): ratios 1.028-1.037 at ages 0-70; age 80: 3.56 vs 4.
    @Test("breast incidence LAR per 100,000 at 0.1 Gy matches BEIR VII Table 12D-1 within 5% (within rounding below 10)")
    func breastTable() throws {
        let m = try Self.model("us-1999")
        for (age, published) in beir7Table12D1BreastIncidence {
            let lar = m.centralCoefficient(site: .breast, sex: .female, outcome: .incidence, ageAtExposure: age)! * 0.1 * 1e5
            if published >= 10 {
                #expect(abs(lar / published - 1) < 0.05, "age \(age): \(lar) vs \(published)")
            } else {
                #expect(abs(lar - published) <= 0.5, "age \(age): \(lar) vs \(published)")
            }
        }
    }

    @Test("mortality and the other sites cannot be checked with us-1999 and say so instead of returning zero")
    func otherSitesNeedRates() throws {
        let m = try Self.model("us-1999")
        #expect(m.centralCoefficient(site: .colon, sex: .female, outcome: .incidence, ageAtExposure: 0) == nil)
        #expect(m.centralCoefficient(site: .breast, sex: .female, outcome: .mortality, ageAtExposure: 0) == nil)
        #expect(m.unavailable[.incidence]?[.female]?[.colon]?.contains("no colon incidence") == true)
    }
}
