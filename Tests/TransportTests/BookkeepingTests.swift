import Testing
import Foundation
import HarmonicCore
import Phantoms
@testable import Transport

@Suite("Transport bookkeeping with test-double physics")
struct BookkeepingTests {
    static let phantom = StylisedPhantom.reference(age: .newborn, sex: .female)
    static let cardiac = BeamSetup.cArm(projection: .pa, fieldWidth: 6, fieldHeight: 6, distance: .focusToSkin(50), target: .heart)

    @Test("energy is conserved: deposited + escaped = emitted")
    func energyConservation() throws {
        let config = TransportConfiguration(phantom: Self.phantom, beam: Self.cardiac, spectrum: .monoenergetic(60),
                                            histories: 5_000, seed: 7, batches: 8)
        let r = try TransportSimulation.run(config, physics: ToyPhysics())
        // Analog scoring: every keV ends deposited or escaped; 1e-9 allows only rounding.
        #expect(abs(r.depositedEnergy + r.escapedEnergy - r.emittedEnergy) / r.emittedEnergy < 1e-9)
        #expect(r.depositedEnergy > 0)
    }

    @Test("the same seed gives the same doses with 1 or 2 threads")
    func threadIndependence() throws {
        var config = TransportConfiguration(phantom: Self.phantom, beam: Self.cardiac, spectrum: .monoenergetic(50),
                                            histories: 4_000, seed: 11, batches: 8, threads: 1)
        let one = try TransportSimulation.run(config, physics: ToyPhysics())
        config.threads = 2
        let two = try TransportSimulation.run(config, physics: ToyPhysics())
        #expect(one.organs == two.organs)
    }

    @Test("uncollided transmission through a slab equals exp(-μx) within statistics")
    func slabTransmission() throws {
        let geometry = slab(.water, thickness: 5)
        let config = TransportConfiguration(phantom: Self.phantom, beam: .wholeBodyParallel(.pa), spectrum: .monoenergetic(40),
                                            histories: 20_000, seed: 3, batches: 8)
        let r = try TransportSimulation.run(config, physics: ToyPhysics(), voxels: geometry)
        let expected = exp(-0.2 * 1.0 * 5)
        // 4σ of the binomial fraction with 20,000 photons.
        let sigma = (expected * (1 - expected) / 20_000).squareRoot()
        #expect(abs(r.uncollidedFraction - expected) < 4 * sigma)
    }

    @Test("the organ-dose uncertainty falls as 1/√N")
    func uncertaintyScaling() throws {
        var config = TransportConfiguration(phantom: Self.phantom, beam: Self.cardiac, spectrum: .monoenergetic(50),
                                            histories: 4_000, seed: 5, batches: 32)
        let small = try TransportSimulation.run(config, physics: ToyPhysics())
        config.histories = 16_000
        let large = try TransportSimulation.run(config, physics: ToyPhysics())
        let ratio = try #require(large.dose(.lungs)).relativeUncertainty / (try #require(small.dose(.lungs))).relativeUncertainty
        // Expected 0.5; the batch estimate of σ with 32 batches is itself uncertain by ~1/√(2·31) ≈ 13%, twice that per ratio.
        #expect(ratio > 0.35 && ratio < 0.7)
    }

    @Test("a field beyond the body deposits nothing and the directly irradiated organ gets most")
    func fieldCentredOnHeart() throws {
        let config = TransportConfiguration(phantom: Self.phantom, beam: Self.cardiac, spectrum: .monoenergetic(60),
                                            histories: 8_000, seed: 9, batches: 8)
        let r = try TransportSimulation.run(config, physics: ToyPhysics())
        let heart = try #require(r.dose(.heart)).perAirKerma, brain = try #require(r.dose(.brain)).perAirKerma
        #expect(heart > 10 * brain)
    }
}

@Suite("C-arm projection convention (DICOM positioner angles)")
struct ProjectionTests {
    @Test("PA travels posterior to anterior; AP the reverse")
    func frontal() {
        #expect(Projection.pa.direction.y < -0.999)   // towards -y = anterior
        #expect(Projection.ap.direction.y > 0.999)
    }

    @Test("LAO 90 puts the detector at the patient's left, so the beam travels right to left (+x)")
    func lao() throws {
        #expect(try Projection(parsing: "LAO90").direction.x > 0.999)
        #expect(try Projection(parsing: "LAT").direction.x > 0.999)
        #expect(try Projection(parsing: "LLAT").direction.x < -0.999)   // beam enters the left side
    }

    @Test("cranial tilt sends the beam towards the head")
    func cranial() throws {
        let p = try Projection(parsing: "LAO30/CRA20")
        #expect(p.primaryDegrees == 30 && p.secondaryDegrees == 20)
        #expect(p.direction.z > 0)
        #expect(p.description == "LAO30/CRA20")
    }

    @Test("a malformed projection names the field, the value and what was expected")
    func badInput() {
        #expect(throws: TransportInputError.self) { try Projection(parsing: "LAX30") }
        do { _ = try Projection(parsing: "RAO200"); Issue.record("accepted RAO200") } catch {
            #expect("\(error)".contains("RAO200"))
        }
    }
}
