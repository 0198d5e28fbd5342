import Testing
import Foundation
import HarmonicCore
import Phantoms
@testable import Transport

/// A test double where every interaction is photoelectric (μ/ρ = 0.2 cm²/g), so the fluence in
/// a slab is the uncollided fluence, known analytically; μen/ρ = 0.1 cm²/g for air and marrow.
struct AbsorbingPhysics: PhysicsModel {
    func massAttenuation(_ tissue: Tissue, keV: Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double) {
        (0.2, 0.2, 0, 0)
    }
    func muEnOverRho(_ absorber: Absorber, keV: Double) -> Double { 0.1 }
    func massEnergyAbsorption(_ tissue: Tissue, keV: Double) -> Double { 0.2 }
    func sampler(_ tissue: Tissue) -> ToyPhysics.Sampler { ToyPhysics.Sampler() }
}

@Suite("Skeletal scoring: spongiosa fluence by track length, folded with the response functions")
struct SkeletalFluenceTests {
    @Test("marrow dose in a bone slab equals the analytic mean fluence times E·μen/ρ: (1 − e^(−μT))/(μT) of the air kerma")
    func trackLengthFluence() throws {
        let phantom = StylisedPhantom.reference(age: .newborn, sex: .female)
        let thickness = 2.0
        let nx = 20, nz = 20, ny = 20, h = thickness / 20
        let geometry = VoxelPhantom(nx: nx, ny: ny, nz: nz, spacing: h, origin: Vec3(-1, -thickness / 2, -1),
                                    labels: [UInt8](repeating: 1, count: nx * ny * nz),
                                    regions: [VoxelRegion(name: "bone slab", role: .bone(.ribs), tissue: .skeleton, density: phantom.skeletonDensity)])
        let config = TransportConfiguration(phantom: phantom, beam: .wholeBodyParallel(.pa), spectrum: .monoenergetic(60.3),
                                            histories: 40_000, seed: 13, batches: 16)
        let r = try TransportSimulation.run(config, physics: AbsorbingPhysics(), voxels: geometry)
        let mu = 0.2 * phantom.skeletonDensity * thickness
        let expected = (1 - exp(-mu)) / mu
        let marrow = try #require(r.dose(.redMarrow))
        // Every site other than the slab's takes the slab's fluence (no voxels of its own), so
        // the marrow dose is the slab's. Statistical σ of the track-length estimate at 40,000
        // histories is ~0.3%; 4σ plus 0.5% for the 1 keV-bin fold.
        #expect(abs(marrow.perAirKerma / expected - 1) < 0.017, "\(marrow.perAirKerma) vs \(expected)")
        let surface = try #require(r.dose(.boneSurface))
        #expect(abs(surface.perAirKerma / expected - 1) < 0.017)
        let ribs = try #require(r.skeletalSites?.first { $0.site == .ribs })
        #expect(abs(ribs.boneVolume - 8.0) < 1e-9 && abs(ribs.marrowPerAirKerma / expected - 1) < 0.017)
    }

    @Test("the red-marrow dose is the marrow-weighted sum of the 22 site doses, and the mc table lists the sites that carry it")
    func siteBreakdown() throws {
        let phantom = StylisedPhantom.reference(age: .one, sex: .male)
        let config = TransportConfiguration(phantom: phantom, beam: .cArm(projection: .pa, fieldWidth: 7, fieldHeight: 7, distance: .focusToSkin(60), target: .heart),
                                            spectrum: .monoenergetic(50), histories: 20_000, seed: 3, batches: 8)
        let r = try TransportSimulation.run(config, physics: ToyPhysics())
        let sites = try #require(r.skeletalSites)
        #expect(sites.count == 22)
        let sum = sites.reduce(0) { $0 + $1.activeMarrowFraction * $1.marrowPerAirKerma }
        #expect(abs(sum / r.dose(.redMarrow)!.perAirKerma - 1) < 1e-9)
        // A chest field: the thoracic vertebrae get far more than the feet.
        #expect(sites[SkeletalSite.thoracicVertebrae.rawValue].marrowPerAirKerma > 20 * sites[SkeletalSite.anklesAndFeet.rawValue].marrowPerAirKerma)
        let table = OrganDoseTable.render(r, title: "t")
        #expect(table.contains("red marrow by skeletal site") && table.contains("thoracic vertebrae") && !table.contains("ankles and feet"))
    }

    @Test("the fold is exact for a response linear within each 1 keV bin")
    func foldExact() {
        // Tally: weight 2 at E = 30.25 keV and 1 at 30.75 keV (bin 30), response R(E) = 3E + 1.
        var t = [Double](repeating: 0, count: 2 * skeletalFluenceBins)
        t[60] = 3; t[61] = 2 * 0.25 + 1 * 0.75
        let r = (0...skeletalFluenceBins).map { 3 * Double($0) + 1 }
        let expected = 2 * (3 * 30.25 + 1) + 1 * (3 * 30.75 + 1)
        #expect(abs(SkeletalResponse.fold(t[...], start: 0, r) - expected) < 1e-9)
    }
}
