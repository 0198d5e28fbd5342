import Foundation
import HarmonicCore
import Phantoms
import Testing
@testable import Transport

@Suite("Cone-beam CT and planar kV sources of radiotherapy imaging")
struct CBCTSimulationTests {
    @Test("the half-fan body protocol's fan runs from 1.5 cm past the rotation axis to 22.5 cm from it (a 45 cm field of view over a rotation); the full fan is symmetric")
    func fanCoverage() {
        let g = CBCTProtocol.body.geometry(centreZ: 0)
        let from = g.focusToAxis * sin(g.fanOffset - g.halfFan), to = g.focusToAxis * sin(g.fanOffset + g.halfFan)
        #expect(abs(from + 1.5) < 1e-9 && abs(to - 22.5) < 1e-9, "\(from) to \(to) cm")
        #expect(g.isAxial && g.beamWidth == 16 && g.focusToAxis == 100)
        let h = CBCTProtocol.head.geometry(centreZ: 3)
        #expect(h.fanOffset == 0 && abs(h.focusToAxis * sin(h.halfFan) - 12.5) < 1e-9 && h.zStart == 3)
    }

    @Test("a CT geometry keeps a symmetric fan and a full rotation unless told otherwise (the committed CT table's source)")
    func ctDefaultsUnchanged() {
        let g = CTGeometry(zStart: 0, zEnd: 10, bowtie: .body)
        #expect(g.fanOffset == 0 && g.arc == 2 * Double.pi)
    }

    @Test("photons per mAs follow the tube's output: they scale with the inverse square of the focus-axis distance times the area the source spreads over")
    func photonsPerMAsScaling() {
        var near = CBCTProtocol.head
        near.focusToAxis = 50
        let x = CBCTProtocol.head.spectrum
        // At half the distance the fluence at the axis is 4 times higher and the spread area R·Δγ·W (Δγ ≈ 2·asin(12.5/R)) about twice as wide in angle, half the radius.
        let ratio = near.photonsPerMAs(x) / CBCTProtocol.head.photonsPerMAs(x)
        let expected = 4 * (50 * 2 * asin(12.5 / 50)) / (100 * 2 * asin(12.5 / 100))
        #expect(abs(ratio / expected - 1) < 0.05, "ratio \(ratio), expected about \(expected) (bowtie transmission differs slightly)")
    }

    @Test("a head CBCT rotation gives the brain of a 10-year-old about its CTDIw in the 16 cm phantom (the head is about that phantom's size)")
    func headBrainPerCTDIw() throws {
        let r = try CBCTSimulation.scan(region: .head, age: .ten, sex: .female, protocol: .head, histories: 6000,
                                        ctdi: try CBCTSimulation.ctdi(.head, histories: 20_000))
        let brain = try #require(r.organs.first { $0.organ == .brain })
        #expect(brain.perCTDIvol > 0.6 && brain.perCTDIvol < 1.5, "brain \(brain.perCTDIvol) ± \(brain.relativeUncertainty)")
        #expect(r.indexPerMAs > 0.001 && r.indexPerMAs < 0.5, "CTDIw per mAs \(r.indexPerMAs) mGy")
    }

    @Test("a planar kV pair at the chest gives the lungs a fraction of the two images' entrance air kerma, more than far organs")
    func planarChest() throws {
        let r = try PlanarKVSimulation.pair(region: .chest, age: .five, sex: .female, histories: 6000)
        let lung = try #require(r.organs.first { $0.organ == .lungs }), bladder = try #require(r.organs.first { $0.organ == .bladder })
        #expect(lung.perCTDIvol > 0.1 && lung.perCTDIvol < 2, "lungs \(lung.perCTDIvol) per mGy entrance air kerma of each image")
        #expect(lung.perCTDIvol > 10 * bladder.perCTDIvol)
    }
}
