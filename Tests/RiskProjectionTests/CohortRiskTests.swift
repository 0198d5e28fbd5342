import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

@Suite("Cohort risk")
struct CohortRiskTests {
    static let models = try! Beir7Models.beir7()

    @Test("the vectorised cohort path gives each child the same LAR and interval as the one-person path")
    func matchesPerson() throws {
        let m = LifetimeRiskModel(models: Self.models, baseline: try Baseline.load("who-region1"), draws: ParameterDraws(models: Self.models, count: 300, seed: 4))
        var kids: [CohortRisk.Child] = []
        for i in 0..<7 {
            let age = Double(i) * 2.3
            let first: [RiskSite: Gray] = [.lung: Gray(0.01 * Double(i + 1)), .leukaemia: Gray(0.003), .breast: Gray(0.004), .other: Gray(0.008)]
            let second: [RiskSite: Gray] = [.thyroid: Gray(0.002)]
            let sex: Sex = i % 2 == 0 ? .female : .male
            kids.append(CohortRisk.Child(id: "k\(i)", sex: sex, exposures: [Exposure(ageYears: age, doses: first), Exposure(ageYears: age + 1.5, doses: second)]))
        }
        let cohort = CohortRisk(model: m).risks(kids)
        for (k, r) in zip(kids, cohort) {
            let p = m.risk(sex: k.sex, exposures: k.exposures).total[.incidence]!
            #expect(abs(r.estimate / p.estimate - 1) < 1e-12)
            #expect(abs(r.mean / p.mean - 1) < 1e-9)
            #expect(abs(r.lower95 / p.lower95 - 1) < 1e-9)
            #expect(abs(r.upper95 / p.upper95 - 1) < 1e-9)
        }
    }

    @Test("children are counted in the risk band of their central LAR")
    func bands() {
        let risks = [5e-5, 2e-4, 9e-4, 3e-3, 0.02].enumerated().map { CohortRisk.ChildRisk(id: "\($0.offset)", estimate: $0.element, mean: 0, lower95: 0, upper95: 0) }
        #expect(CohortRisk.bandCounts(risks).map(\.children) == [1, 2, 1, 1])
    }
}
