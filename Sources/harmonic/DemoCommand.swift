import ArgumentParser
import Foundation
import HarmonicCore
import Registry
import Reports
import Synthesis

/// `harmonic demo`: the main job end to end on the embedded SQLite store.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Main job: synthesise a cohort, load it with validation into SQLite, write an HTML report.",
        discussion: """
        Stages (progress on stderr):
          1. synth   — a seeded synthetic cohort with 1% bad rows (OUT/extract, truth in OUT/extract/truth)
          2. ingest  — every site folder loaded into OUT/harmonic.sqlite with validation, quarantine and
                       pseudonyms made with per-country keys written to OUT/keys (outside the store)
          3. report  — OUT/report.html: counts by country, era, procedure type and dose-record completeness,
                       KAP by age and era, validation results with quarantine reasons
        The path of the report is printed on stdout. A previous store in OUT is replaced.

        Example:
          swift run -c release harmonic demo --children 70000 --out harmonic-out --seed 1
        """
    )

    @Option(help: "Children in the cardiac cohorts (the radiotherapy registry scales with it).")
    var children: Int = 70_000

    @Option(help: "Output folder for the extract, keys, store and report.")
    var out: String = "harmonic-out"

    @Option(help: "Random seed of the synthetic cohort.")
    var seed: UInt64 = 1

    @Option(help: "Share of rows made bad on purpose, to exercise validation (e.g. 1%).")
    var corrupt: String = "1%"

    func validate() throws {
        guard children > 0 else { throw ValidationError("--children must be > 0, got \(children)") }
        guard SynthCommand.parseShare(corrupt) != nil else { throw ValidationError("--corrupt must be a share such as 1%, got '\(corrupt)'") }
    }

    func run() throws {
        let started = Date()
        let fm = FileManager.default
        let outURL = URL(fileURLWithPath: out)
        let extract = outURL.appendingPathComponent("extract"), keys = outURL.appendingPathComponent("keys")
        let storePath = outURL.appendingPathComponent("harmonic.sqlite").path
        try? fm.removeItem(at: extract)
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: storePath + suffix) }
        try fm.createDirectory(at: keys, withIntermediateDirectories: true)

        note("[1/3] synth: \(children) cardiac children, seed \(seed), \(corrupt) bad rows -> \(extract.path)")
        let config = SynthesisConfiguration(seed: seed, cardiacChildren: children, corruptFraction: SynthCommand.parseShare(corrupt) ?? 0)
        let t0 = Date()
        let summary = try CohortSynthesizer.run(config, to: extract, progress: ProgressBar("synth").update)
        let synthSeconds = Date().timeIntervalSince(t0)

        note("[2/3] ingest: \(summary.siteFolders.count) site folders -> \(storePath)")
        let t1 = Date()
        var loads: [(folder: String, report: LoadReport)] = []
        let bar = ProgressBar("ingest")
        for (k, folder) in summary.siteFolders.enumerated() {
            let country = String(folder.prefix(2))
            let keyFile = keys.appendingPathComponent("\(country).key").path
            if !fm.fileExists(atPath: keyFile) { try Pseudonymiser.writeNewKey(to: keyFile) }
            let pseudonymiser = try Pseudonymiser(keyFile: keyFile)
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let dir = extract.appendingPathComponent(folder)
            let files = try fm.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".csv") }.sorted()
                .map { dir.appendingPathComponent($0).path }
            let report = try store.ingest(files: files, site: country, pseudonymiser: pseudonymiser, user: "harmonic-demo")
            loads.append((folder, report))
            bar.update(Double(k + 1) / Double(summary.siteFolders.count))
        }
        let ingestSeconds = Date().timeIntervalSince(t1)

        note("[3/3] report")
        let t2 = Date()
        let analyst = try RegistryStore(path: storePath, role: .analyst)
        let overview = try CohortOverview.read(from: analyst)
        let rows = loads.reduce(0) { $0 + $1.report.accepted + $1.report.rejected }
        let notes = [
            "Synthetic cohort: seed \(seed), \(formatNumber(Double(summary.cardiacChildren))) cardiac children in 7 countries and \(formatNumber(Double(summary.radiotherapyChildren))) children of the radiotherapy registry; \(formatNumber(Double(summary.rows[.procedures] ?? 0))) procedures, \(formatNumber(Double(summary.rows[.irradiationEvents] ?? 0))) irradiation events; truth files in \(extract.path)/truth.",
            String(format: "Timings: synth %.1f s, ingest %.1f s (%@ rows, %.0f rows/s).", synthSeconds, ingestSeconds,
                   formatNumber(Double(rows)), Double(rows) / max(ingestSeconds, 1e-9)),
            "Store: \(storePath). Site keys (outside the store): \(keys.path).",
        ]
        let report = CohortReport.build(overview: overview, loads: loads, notes: notes, injectedCorruptions: summary.corruptedRows)
        let reportURL = outURL.appendingPathComponent("report.html")
        try report.write(to: reportURL)
        note(String(format: "report written in %.1f s; total %.1f s", Date().timeIntervalSince(t2), Date().timeIntervalSince(started)))
        print(reportURL.path)
    }
}
