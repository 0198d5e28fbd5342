import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Phantoms
import XRayPhysics
@testable import Transport

@Suite("Photoelectron enhancement of the active marrow: the chord model of the spongiosa")
struct PhotoelectronEnhancementTests {
    /// The factor at photon energy `e` keV (an integer node).
    func factor(_ p: PhotoelectronEnhancement, _ site: SkeletalSite, _ e: Int) -> Double { p.activeMarrow[site.rawValue][e] }

    @Test("a site without trabecular surface keeps the marrow kerma: factor 1 at every energy")
    func noStructureNoEnhancement() {
        let p = PhotoelectronEnhancement(structure: SkeletalSite.allCases.map { _ in
            SpongiosaMicrostructure(trabecularChord: 0, marrowChord: 0, boneToMarrowMass: 0) }, cellularity: SkeletalSite.allCases.map { _ in 1 })
        #expect(p.activeMarrow.allSatisfy { $0.allSatisfy { $0 == 1 } })
    }

    @Test("marrow cavities far wider than the electrons' range: the factor tends to 1 (the kerma limit)")
    func coarseStructureIsKerma() {
        // 10-cm marrow chords, 0.2-mm trabeculae, the bone mass fraction of a 15-y lumbar vertebra.
        let coarse = SpongiosaMicrostructure(trabecularChord: 0.02, marrowChord: 10, boneToMarrowMass: 0.004)
        let p = PhotoelectronEnhancement(structure: SkeletalSite.allCases.map { _ in coarse }, cellularity: SkeletalSite.allCases.map { _ in 0.7 })
        for e in [30, 50, 100, 150] { #expect(abs(factor(p, .ribs, e) - 1) < 0.005, "\(e) keV: \(factor(p, .ribs, e))") }
    }

    @Test("structure far finer than the electrons' range: the marrow gets the spongiosa's dose over the stopping-power ratio (Bragg-Gray)")
    func fineStructureIsBraggGray() {
        let r = 3.0   // bone mass over marrow mass
        let fine = SpongiosaMicrostructure(trabecularChord: 1e-7, marrowChord: 1e-7 * 1.92 / 1.03 / r, boneToMarrowMass: r)
        let p = PhotoelectronEnhancement(structure: SkeletalSite.allCases.map { _ in fine }, cellularity: SkeletalSite.allCases.map { _ in 1 })
        let marrow = PhotoelectronEnhancement.marrow(cellularity: 1), bone = Material.corticalBone
        let k = PhotoelectronEnhancement.collisionStoppingPower(bone, keV: 30) / PhotoelectronEnhancement.collisionStoppingPower(marrow, keV: 30)
        for e in [30, 50, 70, 100, 150] {
            let km = Double(e) * marrow.massEnergyAbsorption(atKeV: Double(e)), kb = Double(e) * bone.massEnergyAbsorption(atKeV: Double(e))
            let braggGray = (km + r * kb) / (1 + k * r) / km
            let ratio = factor(p, .ribs, e) / braggGray
            // The model keeps each binding energy (Auger electrons and fluorescence of a few keV)
            // where it is released, while Bragg-Gray spreads all the kerma: below Bragg-Gray by
            // about the binding energies' share of the bone kerma, Ca's 4 keV of a 30-keV
            // photoelectric absorption at most; within 2% at 100-150 keV.
            if e >= 100 { #expect(abs(ratio - 1) < 0.02, "\(e) keV: \(factor(p, .ribs, e)) vs \(braggGray)") }
            else { #expect(ratio > 0.85 && ratio < 1, "\(e) keV: \(factor(p, .ribs, e)) vs \(braggGray)") }
        }
    }

    @Test("the enhancement is largest at 50-70 keV, where bone absorbs photoelectrically, and falls with age as the marrow cavities widen")
    func enhancementByEnergyAndAge() {
        let weighted = [0.0, 5, 15].map { age -> [Double] in
            let p = PhotoelectronEnhancement.reference(ageYears: age, sex: .male)
            let am = SkeletonComposition.reference(ageYears: age, sex: .male).activeMarrowFraction
            return [30, 50, 70, 150].map { e in zip(am, p.activeMarrow).reduce(0) { $0 + $1.0 * $1.1[e] } }
        }
        for w in weighted { #expect(w[1] > w[0] && w[1] > w[3] && w[2] > w[3] && w[3] >= 1, "\(w)") }
        #expect(weighted[0][1] > weighted[1][1] && weighted[1][1] > weighted[2][1], "\(weighted.map { $0[1] })")
    }

    @Test("multiple scattering keeps an electron nearer its start than a straight track: g exceeds the straight-ahead value")
    func scatteringShortensEscape() {
        let t = ElectronEscapeTable.self
        for row in t.energies.indices where t.energies[row] >= 10 {
            for j in [5, 15, 20] { #expect(t.g[row][j] > t.gStraight[row][j], "T0 \(t.energies[row]) keV, column \(j)") }
            #expect(t.g[row][0] > 0.99 && t.g[row][t.kappaCount - 1] < 0.05)
            #expect(zip(t.g[row], t.g[row].dropFirst()).allSatisfy { $0 >= $1 })
        }
    }

    @Test("Bethe stopping power of the ICRU 44 marrow within 2% of ESTAR's water at 10-100 keV")
    func stoppingPower() {
        // ESTAR (NIST) collision stopping power of liquid water, MeV cm²/g: 10 keV 22.56, 50 keV 6.603, 100 keV 4.115.
        let marrow = PhotoelectronEnhancement.marrow(cellularity: 1)
        for (t, estar) in [(10.0, 22.56), (50.0, 6.603), (100.0, 4.115)] {
            #expect(abs(PhotoelectronEnhancement.collisionStoppingPower(marrow, keV: t) / (estar * 1000) - 1) < 0.02)
        }
    }

    @Test("Chang et al. 2017 give the endosteum (TM50) the active marrow's dose in every cell: no photoelectron transport in their skeletal doses")
    func changEndosteumEqualsActiveMarrow() throws {
        let text = try String(contentsOf: SharedData.url("reference/chang2017_icrp_paediatric_photon_dcc.csv"), encoding: .utf8)
        var marrow: [String: Double] = [:], endosteum: [String: Double] = [:]
        for line in text.split(whereSeparator: \.isNewline).dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 6, let v = Double(f[5]) else { continue }
            let key = [f[0], f[1], f[3], f[4]].joined(separator: ",")
            if f[2] == "Active Marrow" { marrow[key] = v } else if f[2] == "TM50" { endosteum[key] = v }
        }
        #expect(marrow.count == 396 && marrow.count == endosteum.count)
        #expect(marrow.allSatisfy { endosteum[$0.key] == $0.value })
    }

    @Test("in transport, the enhanced response raises the red marrow by its factor and leaves every other organ unchanged")
    func transportAppliesTheFactor() throws {
        let phantom = StylisedPhantom.reference(age: .newborn, sex: .female)
        var config = TransportConfiguration(phantom: phantom, beam: .wholeBodyParallel(.ap), spectrum: .monoenergetic(50),
                                            histories: 20_000, seed: 5, batches: 8)
        let kerma = try TransportSimulation.run(config)
        config.marrowResponse = .photoelectronEnhanced
        let enhanced = try TransportSimulation.run(config)
        let ratio = enhanced.dose(.redMarrow)!.perAirKerma / kerma.dose(.redMarrow)!.perAirKerma
        let p = PhotoelectronEnhancement.reference(ageYears: 0, sex: .female)
        let range = p.activeMarrow.map { $0[50] }
        #expect(ratio > range.min()! && ratio < range.max()!, "\(ratio) outside the sites' factors \(range.min()!)-\(range.max()!)")
        #expect(enhanced.dose(.lungs)!.perAirKerma == kerma.dose(.lungs)!.perAirKerma)
        #expect(enhanced.dose(.boneSurface)!.perAirKerma == kerma.dose(.boneSurface)!.perAirKerma)
        #expect(kerma.marrowResponse == "kerma" && enhanced.marrowResponse == "enhanced")
    }
}
