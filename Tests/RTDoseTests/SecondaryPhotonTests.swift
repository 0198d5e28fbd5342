import Foundation
import Testing
@testable import RTDose

@Suite("Secondary photons of proton therapy: water coefficients, point kernel, neutron capture")
struct SecondaryPhotonTests {
    /// NIST XCOM / Hubbell & Seltzer (NISTIR 5632, table 4, "Water, Liquid") at 1 MeV:
    /// μ/ρ = 7.072e-2 and μen/ρ = 3.103e-2 cm²/g. At 1 MeV pair production is absent and the
    /// photoelectric and coherent parts are under 0.5%, so Klein–Nishina must agree within 0.5%.
    @Test("Klein–Nishina water coefficients at 1 MeV agree with NIST XCOM within 0.5%")
    func kleinNishinaVersusNIST() {
        let c = WaterKleinNishina.coefficients(energyMeV: 1)
        #expect(abs(c.mu / 0.07072 - 1) < 0.005, "mu/rho \(c.mu)")
        #expect(abs(c.muEn / 0.03103 - 1) < 0.005, "mu_en/rho \(c.muEn)")
    }

    @Test("the point kernel with build-up deposits all the emitted energy in an infinite water medium")
    func kernelConservesEnergy() {
        for e in [ProtonSecondaryPhotons.captureEnergyMeV, 4.4] {
            let k = PhotonPointKernel(energyMeV: e)
            // ∫ D(r) ρ 4πr² dr (ρ = 1 g/cm³), midpoint rule to 40 mean free paths.
            let step = 0.01 / k.mu, n = 4000
            var deposited = 0.0
            for i in 0..<n { let r = (Double(i) + 0.5) * step; deposited += k.dosePerPhoton(atCm: r) * 4 * Double.pi * r * r * step }
            #expect(abs(deposited / PhotonPointKernel.grayPerMeVPerGram / e - 1) < 0.001, "\(e) MeV: \(deposited / PhotonPointKernel.grayPerMeVPerGram) MeV")
        }
    }

    @Test("the build-up factor is 1 at the source and grows with depth")
    func buildUpGrows() {
        let k = PhotonPointKernel(energyMeV: 4.4)
        #expect(k.buildUp(0) == 1)
        #expect(k.buildUp(2) > k.buildUp(1) && k.buildUp(1) > 1)
    }

    @Test("a larger water body captures more of the neutrons, and nearly all when it is very large")
    func captureGrowsWithBody() {
        let p = { (box: [Double]) in ProtonSecondaryPhotons.captureProbability(boxCm: box, ageCm2: 27, diffusionLengthCm: 2.85) }
        #expect(p([15, 15, 15]) < p([25, 18, 50]))
        #expect(p([25, 18, 50]) < p([30, 30, 60]))
        #expect(p([1000, 1000, 1000]) > 0.99)
    }

    @Test("about one proton in six of a 15.8 cm range has a non-elastic interaction (Bortfeld 1997)")
    func nonElasticProbability() {
        let p = ProtonSecondaryPhotons.nonElasticProbability(rangeCm: 15.8, beta: 0.012)
        #expect(p > 0.15 && p < 0.17)
        #expect(ProtonSecondaryPhotons.nonElasticProbability(rangeCm: 5, beta: 0.012) < p)
    }

    @Test("secondary photons fall with distance from the target and are larger in a larger body (capture)")
    func photonsFallAndGrowWithBody() throws {
        let p = try ModelParameters.resource(ModelParameters.protonFile)
        let child = try ProtonSecondaryModel(parameters: p, targetVolumeCm3: 500, technique: .pencilBeamScanning, bodyCm: [15, 12, 30])
        let adult = try ProtonSecondaryModel(parameters: p, targetVolumeCm3: 500, technique: .pencilBeamScanning, bodyCm: [35, 22, 70])
        #expect(child.dose(distanceFromEdgeCm: 5).patientScatter > child.dose(distanceFromEdgeCm: 20).patientScatter)
        #expect(adult.dose(distanceFromEdgeCm: 10).patientScatter > child.dose(distanceFromEdgeCm: 10).patientScatter)
    }
}
