import ArgumentParser
import Dosimetry
import Foundation
import Registry
import RegistryPostgres
import Synthesis

/// `harmonic-bench store-dose-run [--kind cardiac|imaging|rt]`: a dose run (`DoseRun`,
/// `ImagingDoseRun`, `RTDoseRun`) on PostgreSQL against SQLite, with its write stage timed apart
/// (the organ-dose rows: batched on PostgreSQL, `SQLSession.prepareBatch`). docs/server.md has the figures.
struct StoreDoseRunBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-dose-run",
        abstract: "Cardiac, imaging or RT dose run on PostgreSQL vs SQLite: total and write-stage seconds (figures in docs/server.md).",
        discussion: """
        Synthesises the cohort (harmonic synth's engine, 1% bad rows), loads every site folder into a new SQLite file \
        and a new schema of the PostgreSQL database at --postgres (default $HARMONIC_TEST_POSTGRES_URL), then runs \
        the dose run of --kind twice on each: a first run (every record computed: upserts) and a second one (every \
        record unchanged: its realisation row re-set, the update batch). cardiac: DoseRun over the procedures \
        (harmonic dose run); imaging: ImagingDoseRun over the exams of diagnostic_imaging and rt_imaging (harmonic \
        dose imaging); rt: RTDoseRun over the courses (harmonic rt dose --store). --children is the cardiac \
        children for cardiac and imaging (the synthetic imaging is drawn for cardiac children), the radiotherapy \
        children for rt.

        Example: HARMONIC_TEST_POSTGRES_URL=… swift run harmonic-bench store-dose-run --kind rt --children 500 --realisations 50
        """)

    @Option(help: "The dose run: cardiac (procedures), imaging (exams) or rt (courses).") var kind = "cardiac"
    @Option(help: "Children to synthesise: cardiac children (cardiac, imaging), radiotherapy children (rt).") var children = 2000
    @Option(help: "Realisations per record.") var realisations = 50
    @Option(help: "PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE).")
    var postgres = ProcessInfo.processInfo.environment["HARMONIC_TEST_POSTGRES_URL"] ?? ""
    @Option(help: "Working folder.") var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-store-dose-bench").path

    func run() throws {
        guard ["cardiac", "imaging", "rt"].contains(kind) else { throw ValidationError("--kind \(kind) is not a dose run: give cardiac, imaging or rt") }
        guard !postgres.isEmpty else { throw ValidationError("--postgres URL missing (or set HARMONIC_TEST_POSTGRES_URL; `eval \"$(.ci/postgres)\"` starts a server)") }
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let root = workDir + "/extract"
        let config = kind == "rt" ? SynthesisConfiguration(seed: 1, cardiacChildren: 0, radiotherapyChildren: children, corruptFraction: 0.01)
            : SynthesisConfiguration(seed: 1, cardiacChildren: children, corruptFraction: 0.01)
        _ = try CohortSynthesizer.run(config, to: URL(fileURLWithPath: root), progress: { _ in })
        let sites = try IngestBench.siteFolders(root, singleSite: "NO")
        func load(_ open: (String) throws -> RegistryStore) throws {
            for s in sites {
                let key = try Pseudonymiser(keyBytes: Array((s.site + String(repeating: "k", count: 32)).utf8.prefix(32)))
                _ = try open(s.site).ingest(files: s.files, site: s.site, pseudonymiser: key, user: "bench")
            }
        }
        let run = try Self.runner(kind: kind, realisations: realisations)
        func runs(_ store: RegistryStore, _ path: String) throws -> [(Counts, Double)] {
            try (0..<2).map { _ in
                let t = Date()
                let s = try run(store, path)
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
        print("\(kind) run, \(sqlite[0].0.itemName): \(sqlite[0].0.items) (SQLite), \(pg[0].0.items) (PostgreSQL); \(realisations) realisations")
        print("| store | run | computed | unchanged | total s | write s |\n|---|---|---|---|---|---|")
        for (name, r) in [("SQLite", sqlite), ("PostgreSQL", pg)] {
            for (i, (s, seconds)) in r.enumerated() {
                print(String(format: "| %@ | %@ | %d | %d | %.1f | %.2f |", name, i == 0 ? "first" : "again", s.computed, s.reused, seconds, s.write))
            }
        }
        print(String(format: "load average at the end: %.2f %.2f %.2f (2 cores)", avg[0], avg[1], avg[2]))
        try? backend.write { try $0.executeScript("DROP SCHEMA \(schema) CASCADE") }
    }

    /// What the bench prints of one run.
    struct Counts { var itemName: String; var items, computed, reused: Int; var write: Double }

    /// The dose run of `kind` with the bench's settings (the seeds of `harmonic dose run`, `dose imaging`, `rt dose`).
    static func runner(kind: String, realisations: Int) throws -> (RegistryStore, String) throws -> Counts {
        switch kind {
        case "imaging":
            let settings = ImagingDoseRun.Settings(realisations: realisations)
            return { store, path in
                let s = try ImagingDoseRun.run(store: store, storePath: path, settings: settings, user: "bench")
                return Counts(itemName: "exams", items: s.exams, computed: s.computed, reused: s.reused, write: s.writeSeconds)
            }
        case "rt":
            let settings = RTDoseRun.Settings(realisations: realisations)
            return { store, path in
                let s = try RTDoseRun.run(store: store, storePath: path, settings: settings, user: "bench")
                return Counts(itemName: "courses", items: s.courses, computed: s.computed, reused: s.reused, write: s.writeSeconds)
            }
        default:
            let (source, identity) = try DefaultCoefficientSource.load()
            var settings = ReconstructionSettings(seed: 20_261_123, realisations: realisations, sourceIdentity: identity)
            settings.uncertainty = .standard
            return { [settings] store, path in
                let s = try DoseRun.run(store: store, storePath: path, source: source, settings: settings, user: "bench")
                return Counts(itemName: "procedures", items: s.procedures, computed: s.computed, reused: s.reused, write: s.writeSeconds)
            }
        }
    }
}
