import Foundation
import Testing
import HarmonicTestSupport
@testable import XRayPhysics

/// The tungsten-anode data behind `XRaySpectrum`: committed tables, their reading and interpolation.
@Suite("Tungsten target tables")
struct TungstenTargetTests {
    let target = TungstenTarget.shared

    @Test("the committed tables are what scripts/generate_tungsten_target_tables.py writes from SpekPy's data files")
    func tablesMatchTheirGenerator() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tungsten-tables-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = SharedData.repositoryRoot.appendingPathComponent("scripts/generate_tungsten_target_tables.py").path
        try PeerTool.run("python3", [script, "--out", folder.path])
        for name in ["tungsten_electrons", "tungsten_csda_range", "tungsten_bremsstrahlung"] {
            // data rows only: the comment line names the SpekPy version, which may move on without the data changing
            func data(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("#") } }
            let regenerated = try String(contentsOf: folder.appendingPathComponent(name + ".csv"), encoding: .utf8)
            #expect(data(regenerated) == data(try ElementTables.resource(name)), "\(name).csv differs from its generator's output: rerun the script and commit")
        }
    }

    @Test("the Seltzer-Berger cross section of tungsten at the tip is the published 5.590 mb at 50 keV and 5.307 mb at 100 keV")
    func seltzerBergerTipValues() {
        // Seltzer & Berger, ADNDT 35 (1986) 345, Z = 74, κ = 1 (the values the previous model transcribed).
        #expect(abs(target.scaledCrossSection(kineticEnergyKeV: 50, kappa: 1) - 5.590) < 0.001)
        #expect(abs(target.scaledCrossSection(kineticEnergyKeV: 100, kappa: 1) - 5.307) < 0.001)
    }

    @Test("the bremsstrahlung cross section falls with photon energy at fixed electron energy, as k·dσ/dk = Z²χ/β² varies slowly")
    func crossSectionFallsWithPhotonEnergy() {
        let values = stride(from: 10.0, through: 100, by: 10).map { target.bremsstrahlungCrossSection(kineticEnergyKeV: 100, photonEnergyKeV: $0) }
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 > $1 })
    }

    @Test("electron tables: at a tabulated incident energy the interpolation returns the table, midway it returns the mean")
    func electronInterpolation() throws {
        let e0s = target.incidentEnergies
        #expect(e0s == [20, 25, 30, 40, 50, 75, 100, 125, 150, 200])
        let block = target.depthFractions.count * target.energyShares.count
        let at100 = target.electrons(incidentEnergy: 100), at125 = target.electrons(incidentEnergy: 125)
        let i100 = try #require(e0s.firstIndex(of: 100))
        #expect(at100.density == Array(target.frequencyDensity[(i100 * block)..<((i100 + 1) * block)]))
        let mid = target.electrons(incidentEnergy: 112.5)
        for n in stride(from: 0, to: block, by: 97) {
            #expect(abs(mid.density[n] - 0.5 * (at100.density[n] + at125.density[n])) <= 1e-12 * max(1, at100.density[n]))
        }
        #expect(at100.kineticEnergies.first == 1 && at100.kineticEnergies.last == 100)
    }

    @Test("electrons reach at most half the CSDA range, which grows with energy")
    func depthsScaleWithRange() {
        let r50 = target.csdaRange(50), r100 = target.csdaRange(100)
        #expect(r100 > r50 * 2.5)   // R ∝ E^~1.7 in this range (ESTAR)
        let depths = target.electrons(incidentEnergy: 100).depthsCm
        #expect(abs(depths.last! - 0.5 * r100 / Material.tungsten.density) <= 1e-12)
    }

    @Test("K-shell ionisation by electron impact is zero below the tungsten K edge and grows above it")
    func kShellIonisationThreshold() {
        #expect(XRaySpectrum.kShellIonisationCrossSection(69) == 0)
        let values = [75.0, 90, 110, 125].map(XRaySpectrum.kShellIonisationCrossSection)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        // Bethe with b_K = 0.35 and Casnati's factor at 100 keV: ~2.7 b (cm² × 10²⁴)
        #expect((2e-24...4e-24).contains(XRaySpectrum.kShellIonisationCrossSection(100)))
    }
}
