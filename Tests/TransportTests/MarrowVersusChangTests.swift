import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Phantoms
@testable import Transport

@Suite("Red marrow against Chang et al. 2017 (reduced; full table: harmonic-bench chang2017)")
struct MarrowVersusChangTests {
    /// 5-year-old female, 70 keV, AP, PA and LLAT whole-body beams, 80,000 histories each.
    /// Full run (300,000 histories, docs/validation-chang2017.md): AP 0.82, PA 0.95, LLAT 1.11.
    /// The target is 15%; AP is 18% low (the stylised spine sits too far back and the
    /// fitted rib cage is clipped at the anterior midline, docs/red-marrow.md), so this test
    /// holds the current agreement: within 20%, plus 3σ of the run (σ ≈ 1% at 80,000 histories
    /// for the marrow, from the batch spread).
    @Test("5-year-old female, 70 keV: active marrow within 20% of Chang in AP, PA and LLAT", arguments: ["AP", "PA", "LLAT"])
    func marrowFiveYears(geometry: String) throws {
        let ref = try Chang2017Reference(contentsOf: SharedData.url("reference/chang2017_icrp_paediatric_photon_dcc.csv"))
        let rows = try Chang2017Comparison.compare(age: 5, sex: .female, geometry: geometry, keV: 70, histories: 80_000,
                                                   reference: ref, physics: XRayPhysicsModel.shared)
        let marrow = try #require(rows.first { $0.organ == .redMarrow })
        #expect(abs(marrow.ratio - 1) < 0.20 + 3 * marrow.relativeUncertainty, "\(geometry): \(marrow.ratio) ±\(marrow.relativeUncertainty)")
    }

    @Test("an age the stylised family does not hold is an error, not another phantom")
    func unknownAge() throws {
        #expect(throws: TransportInputError.self) { try Chang2017Comparison.phantomAge(3) }
        #expect(try Chang2017Comparison.phantomAge(1) == .one && Chang2017Comparison.phantomAge(10) == .ten)
    }
}
