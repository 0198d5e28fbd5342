import ArgumentParser
import Dosimetry
import Foundation
import Registry
import RegistryPostgres
import Synthesis

/// `harmonic-bench store-dose-run`: the cardiac dose run (`DoseRun`) on PostgreSQL against SQLite,
/// with its write stage timed apart (the rows of `procedure_organ_dose`: batched on PostgreSQL,
/// `SQLSession.prepareBatch`). docs/server.md has the figures.
struct StoreDoseRunBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-dose-run",
        abstract: "Cardiac dose run on PostgreSQL vs SQLite: total and write-stage seconds (figures in docs/server.md).",
        discussion: """
        Synthesises the cohort (harmonic synth's engine, 1% bad rows), loads every site folder into a new SQLite file \
        and a new schema of the PostgreSQL database at --postgres (default $HARMONIC_TEST_POSTGRES_URL), then runs \
        DoseRun twice on each: a first run (every procedure computed: upserts) and a second one (every procedure \
        unchanged: its realisation row re-set, the update batch).

        Example: HARMONIC_TEST_POSTGRES_URL=… swift run harmonic-bench store-dose-run --children 2000 --realisations 50
        """)

    @Option(help: "Cardiac children to synthesise.") var children = 2000
    @Option(help: "Realisations per procedure.") var realisations = 50
    @Option(help: "PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE).")
    var postgres = ProcessInfo.processInfo.environment["HARMONIC_TEST_POSTGRES_URL"] ?? ""
    @Option(help: "Working folder.") var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-store-dose-bench").path

    func run() throws {
        guard !postgres.isEmpty else { throw ValidationError("--postgres URL missing (or set HARMONIC_TEST_POSTGRES_URL; `eval \"$(.ci/postgres)\"` starts a server)") }
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let root = workDir + "/extract"
        _ = try CohortSynthesizer.run(SynthesisConfiguration(seed: 1, cardiacChildren: children, corruptFraction: 0.01), to: URL(fileURLWithPath: root), progress: { _ in })
        let sites = try IngestBench.siteFolders(root, singleSite: "NO")
        func load(_ open: (String) throws -> RegistryStore) throws {
            for s in sites {
                let key = try Pseudonymiser(keyBytes: Array((s.site + String(repeating: "k", count: 32)).utf8.prefix(32)))
                _ = try open(s.site).ingest(files: s.files, site: s.site, pseudonymiser: key, user: "bench")
            }
        }
        let (source, identity) = try DefaultCoefficientSource.load()
        var settings = ReconstructionSettings(seed: 20_261_123, realisations: realisations, sourceIdentity: identity)
        settings.uncertainty = .standard
        func runs(_ store: RegistryStore, _ path: String) throws -> [(DoseRun.Summary, Double)] {
            try (0..<2).map { _ in
                let t = Date()
                let s = try DoseRun.run(store: store, storePath: path, source: source, settings: settings, user: "bench")
                return (s, Date().timeIntervalSince(t))
            }
        }
        let sqlitePath = workDir + "/store.sqlite"
        try load { try RegistryStore(path: sqlitePath, role: .dataManager(site: $0)) }
        let sqlite = try runs(try RegistryStore(path: sqlitePath, role: .analyst), sqlitePath)
        let schema = "bench_dose_\(Int(Date().timeIntervalSince1970))"
        let backend = try PostgresBackend(url: postgres, schema: schema)
        let admin = try RegistryStore(backend: backend, role: .admin)
        try load { try admin.opened(as: .dataManager(site: $0)) }
        let pg = try runs(try admin.opened(as: .analyst), workDir + "/pg")
        var avg = [Double](repeating: 0, count: 3)
        getloadavg(&avg, 3)
        print("procedures: \(sqlite[0].0.procedures) (SQLite), \(pg[0].0.procedures) (PostgreSQL); \(realisations) realisations")
        print("| store | run | computed | unchanged | total s | write s |\n|---|---|---|---|---|---|")
        for (name, r) in [("SQLite", sqlite), ("PostgreSQL", pg)] {
            for (i, (s, seconds)) in r.enumerated() {
                print(String(format: "| %@ | %@ | %d | %d | %.1f | %.2f |", name, i == 0 ? "first" : "again", s.computed, s.reused, seconds, s.writeSeconds))
            }
        }
        print(String(format: "load average at the end: %.2f %.2f %.2f (2 cores)", avg[0], avg[1], avg[2]))
        try? backend.write { try $0.executeScript("DROP SCHEMA \(schema) CASCADE") }
    }
}
