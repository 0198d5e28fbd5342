import Dosimetry
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing
@testable import Reports

/// TEST FIXTURE, not product code: organ dose per KAP falling with weight as weight^(-2/3)
/// (0.9 mSv/(Gy·cm²) effective at 14 kg), standing in for the coefficient library.
private struct ScaledCoefficients: OrganDoseCoefficientSource {
    func coefficients(for e: CardiacExposure) throws -> OrganDoseCoefficients {
        let w = e.patient.weight?.value ?? ReferenceGrowth.medianWeight(age: e.patient.age.value)
        let size = pow(w / 14, -2.0 / 3.0)
        return OrganDoseCoefficients(perKAP: [Double](repeating: 1.5 * size, count: Organ.allCases.count), effectiveDosePerKAP: 0.9 * size)
    }
}

@Suite("Main job: organ dose stage and report")
struct OrganDoseReportTests {
    @Test("the demo doses every procedure and reports organ doses by tier with the Ubeda 2017 comparison and the truth check")
    func reportHasOrganDoseSections() throws {
        let dir = try SharedData.temporaryDirectory("demo-dose")
        var pipeline = DemoPipeline(children: 120, seed: 6, corruptFraction: 0, outputDirectory: dir)
        pipeline.doseRealisations = 20
        pipeline.coefficientSource = (ScaledCoefficients(), "test fixture")
        let result = try pipeline.run()
        let dose = try #require(result.dose)
        #expect(dose.procedures > 0 && dose.computed == dose.procedures)
        #expect((dose.byTier[.flagged] ?? 0) == 0)  // no bad rows injected, so nothing impossible reaches the store
        let html = try String(contentsOf: result.reportURL, encoding: .utf8)
        for heading in ["Organ doses: reconstruction tiers", "Organ dose distributions", "Comparison with published paediatric cardiac doses",
                        "Reconstructed against true doses (synthetic cohort)"] {
            #expect(html.contains(">\(heading)</h2>"), "missing section \(heading)")
        }
        #expect(html.contains("Ubeda et al. 2017"))
        #expect(html.contains(">1.7</td>") && html.contains(">0.89</td>"))
        #expect(html.contains("by country") && html.contains("by procedure type") && html.contains(">imputed</td>"))
    }
}
