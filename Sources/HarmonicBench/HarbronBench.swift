import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Registry
import Synthesis

/// `harmonic-bench harbron`: the synthetic demo cohort's median organ doses per cardiac
/// procedure after `harmonic dose`, beside the UK cohort of Harbron et al. (2015).
struct HarbronBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harbron",
        abstract: "Median organ dose per procedure of a synthetic cohort after `harmonic dose`, vs Harbron et al. 2015.",
        discussion: """
        Synthesises a cardiac cohort (the demo's generator, seed 1), ingests it, runs the dose
        reconstruction with the committed coefficient library (Sources/Dosimetry/Resources/
        cardiac-coefficients.hlib, printed with its identity) and prints the median over procedures
        (non-flagged) of the red marrow, lungs, heart wall and breast doses, mGy (= mSv for photons),
        beside Harbron et al., Br J Radiol 88 (2015) 20140852 (10,257 procedures, 3 UK centres,
        1994-2013: marrow 3.2, lungs 20.5, heart 19.7, breasts 13.1 mSv median per procedure).
        The synthetic cohort's KAP, ages and eras are the generator's, not the UK cohort's, so the
        ratio mixes dose model and case mix; docs/red-marrow.md discusses it.
        Example: swift run -c release harmonic-bench harbron --children 3000
        """)

    @Option(help: "Children of the synthetic cardiac cohort.") var children = 3000
    @Option(help: "Realisations per procedure.") var realisations = 20
    @Option(help: "Working folder (extract, store).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-harbron-bench").path

    /// Harbron et al. 2015, median per procedure, mSv: (store column, label, value).
    static let harbron2015: [(column: String, label: String, value: Double)] = [
        ("red_marrow_mgy", "red bone marrow", 3.2), ("lung_mgy", "lungs", 20.5), ("heart_mgy", "heart wall", 19.7), ("breast_mgy", "breast", 13.1),
    ]

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let storePath = workDir + "/harmonic.sqlite"
        let extract = URL(fileURLWithPath: workDir + "/extract")
        let synth = try CohortSynthesizer.run(SynthesisConfiguration(seed: 1, cardiacChildren: children, corruptFraction: 0), to: extract)
        for folder in synth.siteFolders {
            let country = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let dir = extract.appendingPathComponent(folder)
            let files = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted().map { dir.appendingPathComponent($0).path }
            let key = try BenchSiteKeys.key(folder: folder)
            _ = try store.ingest(files: files, site: country, pseudonymiser: key, user: "bench")
        }
        let (source, identity) = try DefaultCoefficientSource.load()
        let store = try RegistryStore(path: storePath, role: .analyst)
        let summary = try DoseRun.run(store: store, storePath: storePath, source: source,
                                      settings: ReconstructionSettings(realisations: realisations, sourceIdentity: identity))
        print("synthetic cohort: \(children) children, \(summary.procedures) procedures; library: \(identity)")
        print("| organ | Harmonic median per procedure, mGy | p25-p75 | Harbron et al. 2015, mSv | ratio |\n|---|---|---|---|---|")
        for organ in Self.harbron2015 {
            var values: [Double] = try store.backend.read { db in
                try db.fetch("SELECT \(organ.column) FROM procedure_organ_dose WHERE tier != 'flagged' AND \(organ.column) IS NOT NULL")
                    .compactMap { $0.double(0) }
            }
            values.sort()
            guard !values.isEmpty else { print("| \(organ.label) | no doses | | \(organ.value) | |"); continue }
            func q(_ p: Double) -> Double { values[min(values.count - 1, Int(p * Double(values.count - 1) + 0.5))] }
            print(String(format: "| %@ | %.2f | %.2f-%.2f | %.1f | %.2f |", organ.label, q(0.5), q(0.25), q(0.75), organ.value, q(0.5) / organ.value))
        }
    }
}
