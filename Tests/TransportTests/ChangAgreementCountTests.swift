import Testing
import HarmonicCore
@testable import Transport

/// The Chang 2017 report's counts: how many cells agree, and how sure that count is given
/// Harmonic's own statistical uncertainty.
@Suite("Chang 2017 agreement counts with their statistical uncertainty")
struct ChangAgreementCountTests {
    static func row(_ ratio: Double, sigma: Double, organ: Organ = .lungs, geometry: String = "AP", keV: Double = 50) -> Chang2017Comparison.Row {
        Chang2017Comparison.Row(age: 5, sex: .female, geometry: geometry, keV: keV, organ: organ,
                                harmonic: ratio, relativeUncertainty: sigma / ratio, reference: 1)
    }

    @Test("a cell far inside the range counts as within with probability 1, one far outside with 0")
    func farFromTheBounds() {
        let c = Chang2017Comparison.agreement([Self.row(1.0, sigma: 0.01), Self.row(2.0, sigma: 0.01)], within: 0.75...1.333)
        #expect(c.within == 1 && c.cells == 2)
        #expect(abs(c.expected - 1) < 1e-9 && c.standardDeviation < 1e-9)
        #expect(c.withinOneSigmaOfBound == 0)
    }

    @Test("a cell on a bound is within with probability one half and lies within 1σ of it")
    func onTheBound() {
        let c = Chang2017Comparison.agreement([Self.row(1.333, sigma: 0.05)], within: 0.75...1.333)
        #expect(abs(c.expected - 0.5) < 1e-6)
        #expect(abs(c.standardDeviation - 0.5) < 1e-6)
        #expect(c.withinOneSigmaOfBound == 1)
    }

    @Test("a cell 1σ above the upper bound is within on a rerun with probability Φ(−1/√2) = 0.240: the rerun's ratio differs from this one by √2 σ")
    func oneSigmaOutside() {
        let c = Chang2017Comparison.agreement([Self.row(1.40, sigma: 0.067)], within: 0.75...1.333)
        #expect(c.within == 0)
        #expect(abs(c.expected - 0.2398) < 0.002)
    }

    @Test("each case runs on its own seed: male and female, geometries and energies differ, and the same case keeps its seed")
    func casesHaveTheirOwnSeeds() {
        let s = Chang2017Comparison.caseSeed
        let base = s(2017, 5, .male, "PA", 50)
        #expect(base == s(2017, 5, .male, "PA", 50))
        #expect(Set([base, s(2017, 5, .female, "PA", 50), s(2017, 5, .male, "AP", 50), s(2017, 5, .male, "PA", 70),
                     s(2017, 15, .male, "PA", 50), s(2, 5, .male, "PA", 50)]).count == 6)
    }

    @Test("the thoracic criterion takes thoracic organs in AP and PA at 30-100 keV; the marrow criterion AP, PA and LLAT at 50-100 keV")
    func criteriaSelectTheirCells() {
        let rows = [Self.row(1, sigma: 0.01, organ: .lungs, geometry: "AP", keV: 30),
                    Self.row(1, sigma: 0.01, organ: .lungs, geometry: "LLAT", keV: 30),
                    Self.row(1, sigma: 0.01, organ: .liver, geometry: "AP", keV: 50),
                    Self.row(1, sigma: 0.01, organ: .redMarrow, geometry: "LLAT", keV: 70),
                    Self.row(1, sigma: 0.01, organ: .redMarrow, geometry: "PA", keV: 30),
                    Self.row(1, sigma: 0.01, organ: .thyroid, geometry: "PA", keV: 150)]
        #expect(Chang2017Comparison.thoracicCells(rows).count == 2)   // lungs AP 30, marrow PA 30
        #expect(Chang2017Comparison.marrowCells(rows).count == 1)     // marrow LLAT 70
    }
}
