import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Organ dose coefficients")
struct OrganDoseCoefficientsTests {
    @Test("an organ's index is its position in Organ.allCases")
    func organIndexMatchesAllCases() {
        for (i, organ) in Organ.allCases.enumerated() { #expect(organ.index == i) }
    }

    @Test("subscripting by organ reads that organ's coefficient")
    func subscriptReadsOrgan() {
        var values = [Double](repeating: 0, count: Organ.allCases.count)
        values[Organ.heart.index] = 2.5
        let c = OrganDoseCoefficients(perKAP: values, effectiveDosePerKAP: 0.9)
        #expect(c[.heart] == 2.5)
        #expect(c[.lungs] == 0)
    }
}
