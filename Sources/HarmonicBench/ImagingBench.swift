import ArgumentParser
import Foundation
import HarmonicCore
import Registry
import Synthesis
import Dosimetry

/// `harmonic-bench imaging`: organ doses of every imaging exam of the synthetic registry
/// (`diagnostic_imaging` and `rt_imaging`, the imaging part of `harmonic dose --store`) with R
/// realisations: time and peak memory (issue 19). The registry is synthesised and ingested into a
/// fresh SQLite store first (not timed).
struct ImagingBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imaging",
        abstract: "Imaging organ doses and realisations of every exam of the synthetic registry: time and peak memory.",
        discussion: """
        Prints the exams by tier, the time of a first run (all computed) and of a second (incremental, nothing \
        changed), the realisation file's size and the peak resident memory before and after the runs (the peak \
        is monotonic: if synthesis and ingest peaked higher, the runs' own peak is hidden under it; the line says so).
        Then, for the cardiac children's diagnostic imaging (CT and radiography, synthesised with true organ doses), \
        the reconstructed/true ratio per exam type, tier and dose quantity: median and 2.5th-97.5th percentile range.
        Example: swift run -c release harmonic-bench imaging --children 0 --rt-children 2300 --realisations 1000
        Example: swift run harmonic-bench imaging --children 5000 --rt-children 0 --realisations 100   (truth check)
        """)
    @Option(help: "Children of the cardiac cohort (their diagnostic imaging is checked against truth).") var children = 2000
    @Option(help: "Children of the radiotherapy registry.") var rtChildren = 2300
    @Option(help: "Realisations per exam and quantity.") var realisations = 1000
    @Option(help: "Synthesis seed.") var seed: UInt64 = 19
    @Option(help: "Working folder (extract, store).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-imaging-bench").path

    static func peakMiB() -> Double {
        var me = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
        return Double(me.ru_maxrss) / 1024
    }

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let storePath = workDir + "/harmonic.sqlite"
        let extract = URL(fileURLWithPath: workDir + "/extract")
        let t = Date()
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: seed, cardiacChildren: children, radiotherapyChildren: rtChildren, corruptFraction: 0), to: extract)
        let truthExams = children > 0 ? try SyntheticImagingTruth.write(extract: extract) : 0
        let truthRT = rtChildren > 0 ? try SyntheticImagingTruth.writeRT(extract: extract, seed: seed) : 0
        var pseudonymisers: [String: Pseudonymiser] = [:]
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let dir = extract.appendingPathComponent(folder)
            let files = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted().map { dir.appendingPathComponent($0).path }
            let pseudonymiser = try BenchSiteKeys.key(folder: folder)
            pseudonymisers[country] = pseudonymiser
            _ = try store.ingest(files: files, site: country, pseudonymiser: pseudonymiser, user: "bench")
        }
        let before = Self.peakMiB()
        print(String(format: "synth + ingest of %d cardiac and %d RT children: %.1f s (not timed below); peak RSS so far %.0f MiB",
                     children, rtChildren, Date().timeIntervalSince(t), before))
        let store = try RegistryStore(path: storePath, role: .analyst)
        for label in ["first run (all computed)", "second run (incremental, nothing changed)"] {
            let r = try ImagingDoseRun.run(store: store, storePath: storePath, settings: .init(realisations: realisations))
            let bytes = (try? fm.attributesOfItem(atPath: r.realisationFile)[.size] as? Int) ?? 0
            print(String(format: "%@: %d exams (%@), %d realisations: %.2f s; realisation file %.1f MiB; peak RSS %.0f MiB%@", label, r.exams,
                         r.byTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "), realisations, r.seconds,
                         Double(bytes) / 1_048_576, Self.peakMiB(), Self.peakMiB() <= before ? " (not above the ingest's peak: the run's own peak is lower)" : ""))
        }
        if truthExams > 0 {
            let truth = try ImagingDoseTruthComparison.compute(store: store, truthCSV: extract.appendingPathComponent("truth/\(SyntheticImagingTruth.fileName)"),
                                                              pseudonymisers: pseudonymisers)
            print("\ndiagnostic imaging of the cardiac children, reconstructed / true (synth): \(truth.matched) exams matched, \(truth.unmatched) truth rows not in the store")
            print("exams by type and tier: " + truth.examsByTypeAndTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            print(truth.table())
        }
        if truthRT > 0 {
            let truth = try ImagingDoseTruthComparison.compute(store: store, truthCSV: extract.appendingPathComponent("truth/\(SyntheticImagingTruth.rtFileName)"),
                                                              pseudonymisers: pseudonymisers, source: .radiotherapy)
            print("\nRT planning CTs, reconstructed / true (synth): \(truth.matched) matched, \(truth.unmatched) truth rows not in the store")
            print(truth.table())
        }
        print("cores \(ProcessInfo.processInfo.activeProcessorCount)")
    }
}
