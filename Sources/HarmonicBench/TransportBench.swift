import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench transport`: photon histories per second and the histories needed for 2%.
struct TransportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Photon transport speed: 5-year-old, PA chest field on the heart, 70 kVp + 0.1 mm Cu.")

    @Option(help: "Histories per timed run.") var histories: Int = 4_000_000
    @Option(help: "Worker threads (default: all cores).") var threads: Int?

    func run() throws {
        let phantom = StylisedPhantom.reference(age: .five, sex: .female)
        let voxels = phantom.voxelise()
        let spectrum = SourceSpectrum(XRaySpectrum(kVp: 70, anodeAngleDegrees: 12, filtration: try Filtration(parsing: "3.5mmAl+0.1mmCu")))
        let config = TransportConfiguration(
            phantom: phantom,
            beam: .cArm(projection: .pa, fieldWidth: 10, fieldHeight: 10, distance: .focusToSkin(60), target: .heart),
            spectrum: spectrum, histories: histories, seed: 1, threads: threads)
        _ = try TransportSimulation.run(TransportConfiguration(phantom: phantom, beam: config.beam, spectrum: spectrum,
                                                               histories: 100_000, threads: threads), voxels: voxels)  // warm-up
        let t0 = Date()
        let r = try TransportSimulation.run(config, voxels: voxels)
        let seconds = Date().timeIntervalSince(t0)
        let rate = Double(histories) / seconds
        print("5-year-old female, PA 10x10 cm at FSD 60 cm on the heart, 70 kVp 3.5 mm Al + 0.1 mm Cu (mean \(String(format: "%.1f", spectrum.meanEnergy)) keV)")
        print(String(format: "%d histories in %.3f s on %d threads: %.3g histories/s", histories, seconds,
                     threads ?? ProcessInfo.processInfo.activeProcessorCount, rate))
        for organ in [Organ.lungs, .heart, .redMarrow] {
            let d = r.dose(organ)!
            let needed = Double(histories) * pow(d.relativeUncertainty / 0.02, 2)
            print(String(format: "%-16@ %.4g mGy/(Gy·cm²) ±%.2f%%; 2%% (1σ) needs %.3g histories = %.3f s",
                         organ.displayName as NSString, d.perKAP!, 100 * d.relativeUncertainty, needed, needed / rate))
        }
        print(String(format: "effective dose ICRP 103: %.4g mSv/(Gy·cm²) ±%.2f%%; ICRP 60: %.4g",
                     r.effectiveDose103PerKAP!, 100 * r.effectiveDose103RelativeUncertainty, r.effectiveDose60PerKAP!))
    }
}
