import Testing
import Foundation
import HarmonicCore
import Phantoms
@testable import Transport

/// Organ doses come from the track-length kerma estimator (Σ E·μen/μ_max over every tentative
/// collision in a region); the analog deposit at real interactions is kept for the energy
/// bookkeeping. Both estimate the same kerma, so they must agree within statistics, and the
/// track-length one must be the less noisy for small organs.
@Suite("Track-length kerma estimator against the analog deposit")
struct TrackLengthKermaTests {
    /// Per batch, the analog deposit and the track-length kerma (keV) summed over an organ's labels.
    static func paired(_ organ: Organ, beam: BeamSetup, spectrum: SourceSpectrum, histories: Int, batches: Int = 32)
        throws -> (analog: [Double], trackLength: [Double]) {
        let phantom = StylisedPhantom.reference(age: .five, sex: .female)
        let config = TransportConfiguration(phantom: phantom, beam: beam, spectrum: spectrum, histories: histories, seed: 29, batches: batches)
        let voxels = phantom.voxelise()
        let prepared = try TransportSimulation.makeProblem(config, voxels: voxels, physics: XRayPhysicsModel.shared)
        let p = prepared.problem
        let raw = TransportSimulation.runBatches(p, histories: histories, batches: batches, seed: 29, threads: nil)
        let labels = voxels.regions.indices.filter { voxels.regions[$0].role == .organ(organ) }.map { $0 + 1 }
        let per = p.talliesPerBatch, k = p.trackKermaOffset
        let analog = (0..<batches).map { b in labels.reduce(0.0) { $0 + raw[b * per + $1] } }
        let track = (0..<batches).map { b in labels.reduce(0.0) { $0 + raw[b * per + k + $1] } }
        return (analog, track)
    }

    static func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(x.count) }
    static func variance(_ x: [Double]) -> Double {
        let m = mean(x)
        return x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count - 1)
    }

    @Test("lungs, heart wall and liver in a cardiac PA field: the two estimators agree within 4 standard errors of their paired difference",
          arguments: [Organ.lungs, .heart, .liver])
    func unbiased(organ: Organ) throws {
        let beam = BeamSetup.cArm(projection: .pa, fieldWidth: 10, fieldHeight: 10, distance: .focusToSkin(60), target: .heart)
        let (a, t) = try Self.paired(organ, beam: beam, spectrum: .monoenergetic(50), histories: 160_000)
        let d = zip(t, a).map { $0 - $1 }
        let se = (Self.variance(d) / Double(d.count)).squareRoot()
        #expect(Self.mean(a) > 0)
        #expect(abs(Self.mean(d)) < 4 * se, "\(organ): track length \(Self.mean(t)), analog \(Self.mean(a)), paired SE \(se)")
    }

    @Test("the thyroid outside a cardiac field: the track-length estimate agrees with the analog one and its batch variance is at least 4 times smaller")
    func smallOrganVarianceFalls() throws {
        let beam = BeamSetup.cArm(projection: .pa, fieldWidth: 10, fieldHeight: 10, distance: .focusToSkin(60), target: .heart)
        let (a, t) = try Self.paired(.thyroid, beam: beam, spectrum: .monoenergetic(50), histories: 160_000)
        let d = zip(t, a).map { $0 - $1 }
        #expect(abs(Self.mean(d)) < 4 * (Self.variance(d) / Double(d.count)).squareRoot())
        #expect(Self.variance(t) * 4 < Self.variance(a), "variance per batch: track length \(Self.variance(t)), analog \(Self.variance(a))")
    }
}
