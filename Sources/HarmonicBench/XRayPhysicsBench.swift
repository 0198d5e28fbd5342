import ArgumentParser
import Foundation
import HarmonicCore
import XRayPhysics

/// `harmonic-bench xray-physics`: single-thread rates of the photon-physics primitives the
/// transport hot loop calls (μ lookup, Compton and Rayleigh sampling, spectrum sampling).
struct XRayPhysicsBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xray-physics",
        abstract: "Rates per second (one thread) of μ lookups and scatter/spectrum sampling.")

    @Option(help: "Calls per timed primitive.") var calls = 20_000_000

    func run() throws {
        let water = PhotonCrossSections(material: .water)
        let bone = PhotonCrossSections(material: .corticalBone)
        let spectrum = XRaySpectrum(kVp: 70, filtration: try Filtration(parsing: "3.5mmAl+0.1mmCu"))
        let sampler = spectrum.sampler()
        var rng = RandomStream(seed: 1)
        func time(_ name: String, _ body: (inout RandomStream) -> Double) {
            var sink = 0.0
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { sink += body(&rng) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "%-44@ %8.1f M/s   (checksum %.3g)", name, Double(calls) / seconds / 1e6, sink))
        }
        time("spectrum sample (alias, 70 kVp)") { sampler.sample(&$0) }
        time("mu(E) water, 4 coefficients") { water.mu(20 + 100 * $0.uniform()).total }
        time("muTotal(E) water") { water.muTotal(20 + 100 * $0.uniform()) }
        time("sampleIncoherent water, E in 20-120 keV") { water.sampleIncoherent(20 + 100 * $0.uniform(), &$0).cosTheta }
        time("sampleCoherent water, E in 20-120 keV") { water.sampleCoherent(20 + 100 * $0.uniform(), &$0) }
        time("sampleCoherent bone, E in 20-120 keV") { bone.sampleCoherent(20 + 100 * $0.uniform(), &$0) }
        time("baseline: rng.uniform()") { $0.uniform() }
    }
}
