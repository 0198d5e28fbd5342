import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import XRayPhysics

@Suite("Photon cross sections")
struct CrossSectionTests {
    static let energies: [Double] = [10, 15, 20, 30, 40, 50, 60, 80, 100, 150]

    @Test("total mass attenuation of water, soft tissue, cortical bone, Al and Cu is within 1% of xraydb over 10-150 keV")
    func totalsMatchXraydb() throws {
        let materials: [Material] = [.water, .softTissue, .corticalBone, .aluminium, .copper]
        var script = "import xraydb\nE = \(Self.energies)\n"
        for m in materials {
            let comp = m.massFractions.map { "(\($0.z), \($0.fraction))" }.joined(separator: ", ")
            script += "print(' '.join(str(sum(w * xraydb.mu_elam(z, e * 1000, kind='total') for z, w in [\(comp)])) for e in E))\n"
        }
        let lines = try PeerTool.python(script).split(separator: "\n")
        for (m, line) in zip(materials, lines) {
            let xs = PhotonCrossSections(material: m)
            for (e, ref) in zip(Self.energies, line.split(separator: " ").map { Double($0)! }) {
                let ours = xs.muOverRho(e)
                // issue 4 item 1: totals within 1% of xraydb (Elam et al. 2002 tables)
                #expect(abs(ours / ref - 1) <= 0.01, "\(m.name) at \(e) keV: \(ours) vs xraydb \(ref)")
            }
        }
    }

    @Test("linear interpolation at off-grid energies reproduces xraylib's exact values within 0.2%")
    func interpolationMatchesXraylib() throws {
        let energies: [Double] = [3.333, 7.77, 12.345, 23.456, 31.01, 47.123, 66.6, 91.919, 123.456, 149.9]
        let xs = PhotonCrossSections(material: .softTissue)
        let comp = Material.softTissue.massFractions.map { "(\($0.z), \($0.fraction))" }.joined(separator: ", ")
        let script = """
        import xraylib as xl
        for e in \(energies):
            c = [\(comp)]
            print(sum(w*xl.CS_Photo(z,e) for z,w in c), sum(w*xl.CS_Compt(z,e) for z,w in c), sum(w*xl.CS_Rayl(z,e) for z,w in c))
        """
        let rows = try PeerTool.python(script).split(separator: "\n").map { $0.split(separator: " ").map { Double($0)! } }
        for (e, ref) in zip(energies, rows) {
            let mu = xs.mu(e), rho = Material.softTissue.density
            // two interpolations (log-log on the 0.53% file grid, linear on the 0.05 keV lookup grid):
            // the linear step's relative error is ≤ (0.05 keV)²/8 · |μ''/μ| ≈ 0.12%/E² ... 0.2% bound at 3.3 keV
            #expect(abs(mu.photoelectric / rho / ref[0] - 1) <= 0.002, "photo \(e) keV")
            #expect(abs(mu.incoherent / rho / ref[1] - 1) <= 0.002, "incoherent \(e) keV")
            #expect(abs(mu.coherent / rho / ref[2] - 1) <= 0.002, "coherent \(e) keV")
            #expect(abs(mu.total - mu.photoelectric - mu.incoherent - mu.coherent) <= 1e-12 * mu.total)
        }
    }

    /// NIST X-ray mass energy-absorption coefficients (Hubbell & Seltzer, NISTIR 5632, 1995/2004), cm²/g.
    static let nistWater: [Double] = [4.944, 1.374, 0.5503, 0.1557, 0.06947, 0.04223, 0.03190, 0.02597, 0.02546, 0.02764]
    static let nistAir: [Double] = [4.742, 1.334, 0.5389, 0.1537, 0.06833, 0.04098, 0.03041, 0.02407, 0.02325, 0.02496]

    @Test("mass energy-absorption coefficients of water and air agree with NIST (Hubbell & Seltzer) within 0.3%")
    func muEnMatchesNIST() {
        for (material, nist) in [(Material.water, Self.nistWater), (Material.air, Self.nistAir)] {
            let xs = PhotonCrossSections(material: material)
            for (e, ref) in zip(Self.energies, nist) {
                let ours = xs.muEnOverRho(e)
                print(String(format: "mu_en %@ %5.0f keV %.5g NIST %.5g ratio %.4f", material.name, e, ours, ref, ours / ref))
                // Measured residual ≤ 0.07% (10-150 keV); NIST gives 4 significant figures (±0.05%
                // rounding), so 0.3% leaves room for rounding while catching any real error
                // (xraylib's CS_Energy is off by several % below 60 keV).
                #expect(abs(ours / ref - 1) <= 0.003, "\(material.name) \(e) keV: \(ours) vs NIST \(ref)")
            }
        }
    }
}
