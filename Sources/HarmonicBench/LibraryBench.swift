import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench library`: the coefficient library against direct Monte Carlo at random
/// off-grid exposures (interpolation + fold error), and lookup latency.
struct LibraryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Coefficient library vs direct Monte Carlo at random off-grid points (median, 95th percentile) and lookup latency.")

    @Option(help: "Random exposures per set (reference-size children; individual-size children).") var points: Int = 40
    @Option(help: "Histories per direct Monte Carlo run.") var histories: Int = 300_000
    @Option(help: "Library file (default: the committed library).") var library: String?
    @Option(help: "Random seed.") var seed: UInt64 = 6

    static let studyOrgans: [Organ] = [.redMarrow, .breast, .lungs, .heart, .thyroid, .oesophagus]

    func run() throws {
        let loadStart = Date()
        let lib = try library.map { try CoefficientLibrary(contentsOf: URL(fileURLWithPath: $0)) } ?? CoefficientLibrary.loadDefault()
        let loadSeconds = Date().timeIntervalSince(loadStart)
        let grid = lib.header.grid
        print("library \(lib.url.lastPathComponent): \(lib.fileBytes) bytes, \(lib.header.historiesPerPoint) histories per point; loaded in \(String(format: "%.3f", loadSeconds)) s")
        var rng = RandomStream(seed: seed, stream: 0)
        func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.uniform() }
        // Off-grid: angles, field and kVp/Cu continuous within the grid's range.
        func randomExposure(age: Double, sex: Sex, weight: Double?, height: Double?) -> CardiacExposure {
            CardiacExposure(patient: PatientSize(age: Years(age), sex: sex, weight: weight.map { Kilogram($0) }, height: height.map { Centimetre($0) }),
                            primaryDegrees: uniform(grid.primaryDegrees.first!, grid.primaryDegrees.last!),
                            secondaryDegrees: uniform(grid.secondaryDegrees.first!, grid.secondaryDegrees.last!),
                            quality: BeamQuality(kVp: KiloVolt(uniform(50, 120)), copperMillimetres: uniform(0, 0.9), aluminiumMillimetres: 3),
                            fieldAreaCm2: exp(uniform(log(grid.fieldAreasCm2.first!), log(grid.fieldAreasCm2.last!))))
        }
        let sexes = grid.sexes.compactMap { Sex(rawValue: $0) }
        let ages = grid.ages.compactMap { ReferenceAge(rawValue: $0) }

        for set in ["reference-size children (geometry + spectrum interpolation)", "individual children (+ size scaling)"] {
            let individual = set.hasPrefix("individual")
            var ratios: [String: [Double]] = [:]
            var sigmas: [String: [Double]] = [:]
            var seconds = 0.0
            for _ in 0..<points {
                let sex = sexes[Int(rng.uniform() * Double(sexes.count))]
                let age: ReferenceAge = ages[Int(rng.uniform() * Double(ages.count))]
                let phantom: StylisedPhantom
                let exposure: CardiacExposure
                if individual {
                    // A child between reference ages, ±15% mass and ±5% height about the ICRP 89
                    // reference for that age; the direct run uses PCXMC-style phantom scaling.
                    let years = uniform(0.3, 18)
                    let reference = SizeScaling.referenceBody(ageYears: years, sex: sex)
                    let mass = reference.massKg * uniform(0.85, 1.15), height = reference.heightCm * uniform(0.95, 1.05)
                    phantom = StylisedPhantom.individual(ageYears: years, sex: sex, heightCm: height, massKg: mass).withArms(grid.armPosture)
                    exposure = randomExposure(age: years, sex: sex, weight: mass, height: height)
                } else {
                    phantom = StylisedPhantom.reference(age: age, sex: sex).withArms(grid.armPosture)
                    exposure = randomExposure(age: Double(age.rawValue), sex: sex, weight: nil, height: nil)
                }
                let side = exposure.fieldAreaCm2.squareRoot()
                let filtration = Filtration([.init(material: .aluminium, thicknessMillimetres: exposure.quality.aluminiumMillimetres),
                                             .init(material: .copper, thicknessMillimetres: exposure.quality.copperMillimetres)])
                let config = TransportConfiguration(
                    phantom: phantom,
                    beam: .cArm(projection: Projection(primaryDegrees: exposure.primaryDegrees, secondaryDegrees: exposure.secondaryDegrees),
                                fieldWidth: side, fieldHeight: side, distance: .focusToSkin(grid.focusSkinCm), target: .heart),
                    spectrum: SourceSpectrum(XRaySpectrum(kVp: exposure.quality.kVp.value, anodeAngleDegrees: grid.anodeAngleDegrees, filtration: filtration)),
                    histories: histories, seed: seed &* 1_000_003 &+ UInt64(ratios["heart"]?.count ?? 0) &+ (individual ? 500 : 0))
                let direct = try TransportSimulation.run(config)
                seconds += direct.wallSeconds
                let looked = try lib.lookup(exposure)
                for organ in Self.studyOrgans {
                    guard let d = direct.dose(organ), let reference = d.perKAP, reference > 0 else { continue }
                    ratios[organ.rawValue, default: []].append(looked.coefficients[organ] / reference)
                    sigmas[organ.rawValue, default: []].append(d.relativeUncertainty)
                }
                // Effective dose: the lookup's phantom-sex value is not exposed; compare ICRP 60 of the
                // sex-averaged lookup with the sex-averaged direct pair only for reference-size points.
                if !individual, sexes.count == 2 {
                    var other = config
                    other.phantom = StylisedPhantom.reference(age: age, sex: sex == .male ? .female : .male).withArms(grid.armPosture)
                    let second = try TransportSimulation.run(other)
                    seconds += second.wallSeconds
                    if let e = OrganDoseResult.sexAveragedEffectiveDose103PerKAP(male: sex == .male ? direct : second, female: sex == .male ? second : direct) {
                        ratios["effective_dose_icrp103", default: []].append(looked.coefficients.effectiveDosePerKAP / e)
                        sigmas["effective_dose_icrp103", default: []].append(direct.effectiveDose103RelativeUncertainty)
                    }
                }
            }
            print("\n### \(set): \(points) random exposures, direct MC \(histories) histories each (\(String(format: "%.0f", seconds)) s)")
            print("| quantity | median abs error | 95th pct abs error | median signed (lib/MC − 1) | median MC 1σ of the direct run |")
            print("|---|---:|---:|---:|---:|")
            for key in (Self.studyOrgans.map(\.rawValue) + ["effective_dose_icrp103"]) {
                guard let r = ratios[key], !r.isEmpty else { continue }
                let abs = r.map { Swift.abs($0 - 1) }.sorted()
                let signed = r.map { $0 - 1 }.sorted()
                let s = sigmas[key]!.sorted()
                print(String(format: "| %@ | %.1f%% | %.1f%% | %+.1f%% | %.1f%% |", key as NSString, 100 * abs[abs.count / 2],
                             100 * abs[min(abs.count - 1, Int((0.95 * Double(abs.count)).rounded(.up)) - 1)],
                             100 * signed[signed.count / 2], 100 * s[s.count / 2]))
            }
        }

        // Latency: random exposures inside the grid.
        var exposures: [CardiacExposure] = []
        for _ in 0..<1000 {
            exposures.append(randomExposure(age: uniform(0, 20), sex: sexes[Int(rng.uniform() * Double(sexes.count))], weight: nil, height: nil))
        }
        for e in exposures.prefix(200) { _ = try lib.lookup(e) }   // fill the spectrum cache
        let n = 20_000
        func threadCPUSeconds() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
        }
        let start = Date(), cpuStart = threadCPUSeconds()
        var sink = 0.0
        for i in 0..<n { sink += try lib.lookup(exposures[i % exposures.count]).coefficients[.heart] }
        let perLookup = Date().timeIntervalSince(start) / Double(n)
        let perLookupCPU = (threadCPUSeconds() - cpuStart) / Double(n)
        print(String(format: "\nlookup latency: %.1f µs wall, %.1f µs CPU per exposure (%d lookups, one thread, spectra cached; checksum %.3g)",
                     perLookup * 1e6, perLookupCPU * 1e6, n, sink))
    }
}
