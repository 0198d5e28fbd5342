import ArgumentParser
import Foundation
import HarmonicCore
import RTDose
import Registry
import Synthesis

/// `harmonic-bench rt-registry`: organ doses of every radiotherapy course of a store
/// (`harmonic rt dose --store`) with R realisations (issue 14 target: 2,300 children x 1,000
/// realisations in under 30 s), then reconstructed against true organ doses by tier.
/// The synthetic registry (`harmonic synth --children 0 --rt-children N`, with its truth file
/// `truth/rt_organ_doses.csv`) is ingested into a fresh SQLite store first (not timed).
struct RTRegistryBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rt-registry",
        abstract: "RT organ doses and realisations of every course of a store (target < 30 s), and reconstructed vs true.",
        discussion: """
        Prints the time of the first run (everything computed), of a second run (nothing changed: \
        incremental), and, per tier and organ, the median and 2.5-97.5 percentile range of \
        reconstructed/true organ dose over the courses.
        A share of the courses (--rt-dicom-fraction) gets synthetic DICOM-RT, loaded with ingest-dicom \
        and reconstructed in the dicom_rt tier (its plans are computed in the timed first run).
        Example: swift run -c release harmonic-bench rt-registry --children 2300 --realisations 1000
        """)
    @Option(help: "Children of the radiotherapy registry (one course each).") var children = 2300
    @Option(help: "Realisations per course and organ.") var realisations = 1000
    @Option(help: "Synthesis seed.") var seed: UInt64 = 14
    @Option(name: .customLong("rt-dicom-fraction"), help: "Share of courses given synthetic DICOM-RT (ingest-dicom, dicom_rt tier).")
    var rtDicomFraction = SyntheticRTDICOM.defaultFraction
    @Option(help: "Working folder (extract, store).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-rt-registry-bench").path

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let storePath = workDir + "/harmonic.sqlite"
        let extract = URL(fileURLWithPath: workDir + "/extract")
        var t = Date()
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: seed, cardiacChildren: 0, radiotherapyChildren: children, corruptFraction: 0), to: extract)
        let truthCourses = try SyntheticRTTruth.write(extract: extract, seed: seed)
        let dicomCourses = try SyntheticRTDICOM.write(extract: extract, seed: seed, fraction: rtDicomFraction)
        let synthSeconds = Date().timeIntervalSince(t); t = Date()
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let key = try BenchSiteKeys.key(folder: folder)
            _ = try SyntheticSiteFolderIngest.load(extract.appendingPathComponent(folder), store: store, site: country, pseudonymiser: key, user: "bench")
        }
        print(String(format: "synth %d RT children + truth of %d courses + DICOM-RT of %d courses %.1f s, ingest %.1f s (not timed below)",
                     children, truthCourses, dicomCourses, synthSeconds, Date().timeIntervalSince(t)))
        let store = try RegistryStore(path: storePath, role: .analyst)
        let keys = try BenchSiteKeys.keys(folders: summary.siteFolders)
        let settings = RTDoseRun.Settings(realisations: realisations, dicomFolder: dicomCourses > 0 ? extract.path : nil, dicomKeys: keys)
        for label in ["first run (all computed)", "second run (incremental, nothing changed)"] {
            let r = try RTDoseRun.run(store: store, storePath: storePath, settings: settings)
            print(String(format: "%@: %d courses (%@), %d realisations: %.2f s", label, r.courses,
                         r.byTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "), realisations, r.seconds))
        }
        let truth = try RTDoseTruthComparison.compute(store: store, truthCSV: extract.appendingPathComponent("truth/\(SyntheticRTTruth.fileName)"), pseudonymisers: keys)
        print("\nReconstructed / true organ dose per course, \(truth.matched) courses matched:")
        print("| tier | organ | n | median | 95% range |\n|---|---|---|---|---|")
        for r in truth.ratios { print(String(format: "| %@ | %@ | %d | %.2f | %.2f-%.2f |", r.tier, r.organ, r.n, r.median, r.low95, r.high95)) }
    }
}
