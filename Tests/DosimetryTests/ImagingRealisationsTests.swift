import Foundation
import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Imaging dose realisations: shared and unshared errors")
struct ImagingRealisationsTests {
    let model = ImagingRealisationModel(display: 1.10, model: 1.26, scanRange: 1.15, lengthFromDLP: 1.20)
    func exam(display: Int, model: Int, stream: UInt64, fromDLP: Bool = false) -> ImagingExamDraw {
        ImagingExamDraw(central: [1, 2, 3, 4, 5, 6, 7, 8], monteCarloSigma: [Double](repeating: 0, count: 8), displayGroup: display, modelGroup: model,
                        fromDLP: fromDLP, uncertain: true, stream: stream)
    }
    func draw(_ g: ImagingRealisations, _ e: ImagingExamDraw) -> [Double] {
        var out = [Float16](repeating: 0, count: DoseQuantity.count * g.realisations)
        out.withUnsafeMutableBufferPointer { g.fill(e, into: $0) }
        return (0..<g.realisations).map { Double(out[$0]) }
    }
    func sd(_ x: [Double]) -> Double {
        let m = x.reduce(0, +) / Double(x.count)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }

    @Test("two exams of one scanner, era and region share the display and model draws: their log ratio varies only by the unshared scan-range error")
    func sharedErrorsCancelInRatios() {
        let g = ImagingRealisations(displayKeys: ["NO|2005-2009|CT-A", "NO|2005-2009|CT-B"], modelKeys: ["chest"], realisations: 4000, model: model, seed: 7)
        let a = draw(g, exam(display: 0, model: 0, stream: 1)), b = draw(g, exam(display: 0, model: 0, stream: 2)), c = draw(g, exam(display: 1, model: 0, stream: 3))
        let same = sd(zip(a, b).map { log($0 / $1) }), other = sd(zip(a, c).map { log($0 / $1) })
        // Same group: sqrt(2)·ln 1.15 = 0.198; other scanner adds 2·ln²1.10: sqrt(2·(0.140² + 0.095²)) = 0.239. 4000 draws: SE ≈ 1.1%.
        #expect(abs(same - 0.198) < 0.012, "same scanner: \(same)")
        #expect(abs(other - 0.239) < 0.014, "other scanner: \(other)")
        // Each exam's total spread: sqrt(ln²1.10 + ln²1.26 + ln²1.15) = 0.287, and the mean stays the central value (mean-one factors).
        let logSD: Double = sd(a.map { log($0) })
        let mean: Double = a.reduce(0.0, +) / Double(a.count)
        #expect(abs(logSD - 0.287) < 0.02)
        #expect(abs(mean - 1) < 0.03)
    }

    @Test("the same exam stream and group names give bit-identical realisations whatever other groups exist (incremental runs)")
    func stableDraws() {
        let g1 = ImagingRealisations(displayKeys: ["A"], modelKeys: ["chest"], realisations: 100, model: model, seed: 7)
        let g2 = ImagingRealisations(displayKeys: ["Z", "A"], modelKeys: ["head", "chest"], realisations: 100, model: model, seed: 7)
        #expect(draw(g1, exam(display: 0, model: 0, stream: 9)) == draw(g2, exam(display: 1, model: 1, stream: 9)))
    }

    @Test("a recorded value drawn without error stays the value; a quantity without a value is NaN in every realisation")
    func recordedAndMissing() {
        let g = ImagingRealisations(displayKeys: ["A"], modelKeys: ["m"], realisations: 50, model: model, seed: 7)
        var e = exam(display: 0, model: 0, stream: 1)
        e.uncertain = false; e.central = [.nan, .nan, .nan, .nan, .nan, .nan, .nan, 0.5]
        var out = [Float16](repeating: 0, count: DoseQuantity.count * 50)
        out.withUnsafeMutableBufferPointer { g.fill(e, into: $0) }
        #expect(out[0..<50].allSatisfy { $0.isNaN })
        #expect(out[(7 * 50)..<(8 * 50)].allSatisfy { $0 == 0.5 })
    }
}
