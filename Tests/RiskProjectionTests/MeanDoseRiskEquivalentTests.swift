import Foundation
import HarmonicCore
import RiskProjection
import Testing

/// The dose an RT course's organ mean dose contributes to the BEIR VII LAR (`MeanDoseRiskEquivalent`).
@Suite("Risk-equivalent dose of an organ known by its mean dose")
struct MeanDoseRiskEquivalentTests {
    let parameters = OEDParameters(entries: ["lung/linear_exponential/alpha": .init(value: 0.129, source: "Schneider 2005 Table 1")])

    @Test("an organ with a cell-killing alpha takes D exp(-alpha D) of its mean dose: lung 10 Gy, alpha 0.129 gives 2.75 Gy")
    func linearExponentialOfTheMean() {
        let r = MeanDoseRiskEquivalent.dose(organ: .lungs, meanGy: 10, parameters: parameters)
        // Independent: 10 * e^(-1.29) = 10 * 0.275271... (e^-1.29 = 0.2752708)
        #expect(abs(r.doseGy! - 2.752708) < 1e-5)
        #expect(r.rule.contains("linear-exponential"))
    }

    @Test("an organ without an alpha keeps its mean dose up to 2 Gy (the linear low-dose path), boundary included")
    func linearUpToTheLimit() {
        #expect(MeanDoseRiskEquivalent.dose(organ: .heart, meanGy: 0.35, parameters: parameters).doseGy == 0.35)
        #expect(MeanDoseRiskEquivalent.dose(organ: .heart, meanGy: 2.0, parameters: parameters).doseGy == 2.0)
    }

    @Test("an organ without an alpha above 2 Gy is left out with the reason, never extrapolated linearly")
    func leftOutAboveTheLimit() {
        let r = MeanDoseRiskEquivalent.dose(organ: .heart, meanGy: 2.01, parameters: parameters)
        #expect(r.doseGy == nil)
        #expect(r.rule.contains("no cell-killing alpha for heart"))
    }

    @Test("a mean dose that is not a dose (negative, NaN) is left out, not zeroed")
    func notADose() {
        #expect(MeanDoseRiskEquivalent.dose(organ: .lungs, meanGy: -1, parameters: parameters).doseGy == nil)
        #expect(MeanDoseRiskEquivalent.dose(organ: .lungs, meanGy: .nan, parameters: parameters).doseGy == nil)
    }
}
