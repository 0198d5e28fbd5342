import Foundation
import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Spectrum fold")
struct SpectrumFoldTests {
    let fold = SpectrumFold(nodes: LibraryGrid.standard.energiesKeV, anodeAngleDegrees: 12)

    @Test("a monoenergetic spectrum at a node energy puts all weight on that node, so it reproduces that energy's coefficient")
    func lineAtNodeReproducesNode() {
        for (n, e) in fold.nodes.enumerated() {
            let w = fold.weights(energies: [e], fluence: [1])
            #expect(w[n] == 1)
            #expect(w.reduce(0, +) == 1)
        }
    }

    @Test("a line between two nodes splits its weight linearly between them")
    func lineBetweenNodesIsLinear() {
        let w = fold.weights(energies: [45], fluence: [3])
        let i40 = fold.nodes.firstIndex(of: 40)!, i50 = fold.nodes.firstIndex(of: 50)!
        #expect(abs(w[i40] - 0.5) < 1e-12 && abs(w[i50] - 0.5) < 1e-12)
    }

    @Test("tube spectrum weights sum to one and move to higher energies with more copper and higher kVp")
    func hardeningShiftsWeights() throws {
        func mean(_ w: [Double]) -> Double { zip(w, fold.nodes).reduce(0) { $0 + $1.0 * $1.1 } }
        let soft = try fold.weights(for: BeamQuality(kVp: KiloVolt(60), copperMillimetres: 0, aluminiumMillimetres: 3))
        let copper = try fold.weights(for: BeamQuality(kVp: KiloVolt(60), copperMillimetres: 0.6, aluminiumMillimetres: 3))
        let kv = try fold.weights(for: BeamQuality(kVp: KiloVolt(100), copperMillimetres: 0, aluminiumMillimetres: 3))
        for w in [soft, copper, kv] { #expect(abs(w.reduce(0, +) - 1) < 1e-12) }
        #expect(mean(copper) > mean(soft) + 3)
        #expect(mean(kv) > mean(soft) + 5)
    }

    @Test("a non-integer kVp lies between the neighbouring integer kVp folds")
    func fractionalKVpInterpolates() throws {
        let a = try fold.weights(for: BeamQuality(kVp: KiloVolt(70)))
        let b = try fold.weights(for: BeamQuality(kVp: KiloVolt(71)))
        let m = try fold.weights(for: BeamQuality(kVp: KiloVolt(70.5)))
        for n in a.indices { #expect(m[n] >= min(a[n], b[n]) - 1e-12 && m[n] <= max(a[n], b[n]) + 1e-12) }
    }

    @Test("tube voltages outside 40-150 kV and negative filtration are refused")
    func invalidQualityThrows() {
        #expect(throws: InputError.self) { try fold.weights(for: BeamQuality(kVp: KiloVolt(20))) }
        #expect(throws: InputError.self) { try fold.weights(for: BeamQuality(kVp: KiloVolt(70), copperMillimetres: -0.1)) }
    }
}
