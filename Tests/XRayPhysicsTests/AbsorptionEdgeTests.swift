import Foundation
import Testing
import HarmonicTestSupport
@testable import XRayPhysics

@Suite("Absorption edges in the element tables")
struct AbsorptionEdgeTests {
    /// Iodine (contrast medium) is not a built-in material; its density does not enter μ/ρ.
    static let iodine = Material(name: "iodine", density: 4.93, massFractions: [ElementFraction(z: 53, fraction: 1)])

    /// Our total μ/ρ and xraydb's (Elam, Ravel & Sieber 2002; mixture rule) at each energy.
    static func compare(_ material: Material, at energies: [Double]) throws -> [(energy: Double, ours: Double, xraydb: Double)] {
        let composition = material.massFractions.map { "(\($0.z), \($0.fraction))" }.joined(separator: ", ")
        let script = "import xraydb\nprint(' '.join(str(sum(w * xraydb.mu_elam(z, e * 1000, kind='total') for z, w in [\(composition)])) for e in \(energies)))"
        let reference = try PeerTool.python(script).split(whereSeparator: \.isWhitespace).map { Double($0)! }
        let xs = PhotonCrossSections(material: material)
        return zip(energies, reference).map { ($0, xs.muOverRho($0), $1) }
    }

    @Test("total μ/ρ of W, Cu, Pb and I 0.05 keV below and above their K edges is within 1% of xraydb")
    func kEdgesMatchXraydb() throws {
        // K-edge energies, keV (xraylib 4.3 EdgeEnergy, the energies the table's edge rows carry)
        let cases: [(Material, Double)] = [(.tungsten, 69.525), (.copper, 8.9789), (.lead, 88.0045), (Self.iodine, 33.1694)]
        for (material, edge) in cases {
            for row in try Self.compare(material, at: [edge - 0.05, edge + 0.05]) {
                print(String(format: "%@ %.4f keV: %.5g xraydb %.5g ratio %.4f", material.name, row.energy, row.ours, row.xraydb, row.ours / row.xraydb))
                // 1%: the totals-vs-xraydb criterion of CrossSectionTests (same Elam data underneath;
                // the two interpolations contribute ≤ 0.2%, see interpolationMatchesXraylib)
                #expect(abs(row.ours / row.xraydb - 1) <= 0.01, "\(material.name) at \(row.energy) keV: \(row.ours) vs xraydb \(row.xraydb)")
            }
        }
    }

    @Test("total μ/ρ of W and Pb 0.05 keV below and above their L1, L2 and L3 edges is within 1% of xraydb")
    func lEdgesMatchXraydb() throws {
        // L3, L2, L1 edge energies, keV (xraylib 4.3 EdgeEnergy)
        let cases: [(Material, [Double])] = [(.tungsten, [10.2068, 11.5440, 12.0998]), (.lead, [13.0352, 15.2000, 15.8608])]
        for (material, edges) in cases {
            for row in try Self.compare(material, at: edges.flatMap { [$0 - 0.05, $0 + 0.05] }) {
                // 1%, as for the K edges above
                #expect(abs(row.ours / row.xraydb - 1) <= 0.01, "\(material.name) at \(row.energy) keV: \(row.ours) vs xraydb \(row.xraydb)")
            }
        }
    }

    @Test("μ/ρ 0.01 keV either side of an edge inside one 0.05 keV lookup interval (Ca K in cortical bone, Cu K, W K, Pb L2 on a grid point) is within 1% of xraydb")
    func edgesInsideLookupIntervalMatchXraydb() throws {
        // edges (keV, xraylib 4.3 EdgeEnergy) and the lookup interval around them: Ca K 4.0381 in
        // [4.00, 4.05], Cu K 8.9789 in [8.95, 9.00], W K 69.525 in [69.50, 69.55], Pb L2 15.2 = grid point
        let cases: [(Material, Double)] = [(.corticalBone, 4.0381), (.copper, 8.9789), (.tungsten, 69.525), (.lead, 15.2)]
        for (material, edge) in cases {
            for row in try Self.compare(material, at: [edge - 0.01, edge + 0.01]) {
                // 1%, as for the K edges above
                #expect(abs(row.ours / row.xraydb - 1) <= 0.01, "\(material.name) at \(row.energy) keV: \(row.ours) vs xraydb \(row.xraydb)")
            }
        }
    }

    @Test("the tungsten K-edge jump ratio read from the element table is 5.10 within 2%")
    func tungstenKJumpRatio() throws {
        let ratio = try #require(ElementTables.shared.element(74).photoelectricJumpRatio(nearEdge: 69.525))
        // 5.099: xraylib 4.3 JumpFactor(74, K) = Elam, Ravel & Sieber, Radiat. Phys. Chem. 63 (2002) 121;
        // 2% covers the evaluation a few eV either side of xraylib's own discontinuity
        #expect(abs(ratio / 5.10 - 1) <= 0.02, "W K jump ratio \(ratio)")
    }

    @Test("a lookup exactly at an edge energy gets the value above the edge, one just below gets the value below")
    func lookupAtEdgeTakesUpperSide() throws {
        let tungsten = ElementTables.shared.element(74)
        let edge = try #require(tungsten.edges.first { abs($0.energy - 69.525) < 1e-6 })
        let at = ElementTables.interpolate(tungsten.photoelectric, tungsten.segment(at: edge.energy))
        let below = ElementTables.interpolate(tungsten.photoelectric, tungsten.segment(at: edge.energy * (1 - 1e-9)))
        // exact row values: only the log-log arithmetic's rounding (1e-12 relative) may differ
        #expect(abs(at / tungsten.photoelectric[edge.belowRow + 1] - 1) <= 1e-9)
        #expect(abs(below / tungsten.photoelectric[edge.belowRow] - 1) <= 1e-6)
    }
}
