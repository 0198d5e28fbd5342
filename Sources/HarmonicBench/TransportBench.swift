import ArgumentParser
import FollowUp
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench transport`: photon histories per second and the histories needed for 2%.
struct TransportBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transport",
        abstract: "Photon transport speed: 5-year-old, PA chest field on the heart, 70 kVp + 0.1 mm Cu.",
        discussion: """
            One warm-up run of 10⁵ histories (it builds the cross sections and the tracking grid), then \
            --repeats timed runs of --histories each in the same process; the figure is the median rate. \
            The organ doses and their uncertainties are those of the first timed run (every run uses seed 1, \
            so all timed runs give the same doses). Rates on a shared machine vary by ±15% from hour to hour: \
            compare builds alternated in the same minutes (farm-bench), not against a figure from another day.
            """)

    @Option(help: "Histories per timed run.") var histories: Int = 4_000_000
    @Option(help: "Worker threads (default: all cores).") var threads: Int?
    @Option(help: "Timed runs; the median rate is the figure.") var repeats: Int = 5
    @Flag(help: "Print the result as JSON.") var json = false

    func validate() throws {
        guard histories > 0 else { throw ValidationError("--histories must be positive (got \(histories))") }
        guard repeats > 0 else { throw ValidationError("--repeats must be positive (got \(repeats))") }
        if let t = threads, t <= 0 { throw ValidationError("--threads must be positive (got \(t))") }
    }

    struct Organ: Codable {
        let organ: String
        let doseMilligrayPerGrayCm2: Double, relativeUncertainty: Double
        let historiesFor2Percent: Double, secondsFor2Percent: Double
    }
    struct Report: Codable {
        let geometry: String, meanEnergyKeV: Double
        let histories: Int, threads: Int
        /// Histories per second of each timed run, in order.
        let rates: [Double]
        let medianRate: Double, minimumRate: Double, maximumRate: Double
        let organs: [Organ]
        let effectiveDose103PerKAP: Double, effectiveDose103RelativeUncertainty: Double, effectiveDose60PerKAP: Double
    }

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
        var rates: [Double] = [], first: OrganDoseResult? = nil
        for _ in 0..<repeats {
            let t0 = Date()
            let r = try TransportSimulation.run(config, voxels: voxels)
            rates.append(Double(histories) / Date().timeIntervalSince(t0))
            if first == nil { first = r }
        }
        let r = first!
        let median = Percentile.median(rates)!
        let organs = [HarmonicCore.Organ.lungs, .heart, .redMarrow].map { organ -> Organ in
            let d = r.dose(organ)!
            let needed = Double(histories) * pow(d.relativeUncertainty / 0.02, 2)
            return Organ(organ: organ.displayName, doseMilligrayPerGrayCm2: d.perKAP!, relativeUncertainty: d.relativeUncertainty,
                         historiesFor2Percent: needed, secondsFor2Percent: needed / median)
        }
        let report = Report(geometry: "5-year-old female, PA 10x10 cm at FSD 60 cm on the heart, 70 kVp 3.5 mm Al + 0.1 mm Cu",
                            meanEnergyKeV: spectrum.meanEnergy, histories: histories,
                            threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
                            rates: rates, medianRate: median, minimumRate: rates.min()!, maximumRate: rates.max()!, organs: organs,
                            effectiveDose103PerKAP: r.effectiveDose103PerKAP!,
                            effectiveDose103RelativeUncertainty: r.effectiveDose103RelativeUncertainty,
                            effectiveDose60PerKAP: r.effectiveDose60PerKAP!)
        if json { print(try prettyJSON(report)); return }
        print("\(report.geometry) (mean \(String(format: "%.1f", report.meanEnergyKeV)) keV)")
        print("\(histories) histories per run on \(report.threads) threads, \(repeats) timed runs: "
              + rates.map { String(format: "%.3g", $0) }.joined(separator: ", ") + " histories/s")
        print(String(format: "median %.3g histories/s (%.3g-%.3g)", median, report.minimumRate, report.maximumRate))
        for o in organs {
            print(String(format: "%-16@ %.4g mGy/(Gy·cm²) ±%.2f%%; 2%% (1σ) needs %.3g histories = %.3f s",
                         o.organ as NSString, o.doseMilligrayPerGrayCm2, 100 * o.relativeUncertainty, o.historiesFor2Percent, o.secondsFor2Percent))
        }
        print(String(format: "effective dose ICRP 103: %.4g mSv/(Gy·cm²) ±%.2f%%; ICRP 60: %.4g",
                     r.effectiveDose103PerKAP!, 100 * r.effectiveDose103RelativeUncertainty, r.effectiveDose60PerKAP!))
    }
}
