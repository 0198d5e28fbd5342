import ArgumentParser
import Foundation
import Registry
import RegistryPostgres
import Synthesis

/// `harmonic-bench store-ingest`: the validated ingest of the synthetic extract into PostgreSQL
/// against SQLite, the two implementations of the store interface, in one run (docs/server.md).
struct StoreIngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-ingest",
        abstract: "Ingest of the synthetic cohort into PostgreSQL vs SQLite (figures in docs/server.md).",
        discussion: """
        Synthesises the cohort (harmonic synth's engine) unless --input is given, then loads every site folder \
        with RegistryStore.ingest (validation, pseudonymisation, quarantine, audit, one transaction per file) \
        into (a) a new SQLite file and (b) a new schema of the PostgreSQL database at --postgres \
        (default: $HARMONIC_TEST_POSTGRES_URL; `eval "$(.ci/postgres)"` starts one on loopback).

        Example: swift run -c release harmonic-bench store-ingest --children 70000
        """)

    @Option(help: "Cardiac children to synthesise.") var children = 70_000
    @Option(help: "Seed of the synthetic cohort.") var seed: UInt64 = 1
    @Option(help: "Load this synth output folder instead of synthesising.") var input: String?
    @Option(help: "PostgreSQL URL (postgres://USER:PASSWORD@HOST:PORT/DATABASE).")
    var postgres = ProcessInfo.processInfo.environment["HARMONIC_TEST_POSTGRES_URL"] ?? ""
    @Option(help: "Working folder.") var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-store-bench").path

    func run() throws {
        guard !postgres.isEmpty else { throw ValidationError("--postgres URL missing (or set HARMONIC_TEST_POSTGRES_URL; `eval \"$(.ci/postgres)\"` starts a server)") }
        let fm = FileManager.default
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let root: String
        if let input { root = input } else {
            root = workDir + "/extract"
            try? fm.removeItem(atPath: root)
            let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: seed, cardiacChildren: children, corruptFraction: 0.01),
                                                    to: URL(fileURLWithPath: root), progress: { _ in })
            log("synthesised \(summary.rows.values.reduce(0, +)) rows into \(root)")
        }
        let sites = try IngestBench.siteFolders(root, singleSite: "NO")
        let sqlitePath = workDir + "/store.sqlite"
        for f in [sqlitePath, sqlitePath + "-wal", sqlitePath + "-shm"] { try? fm.removeItem(atPath: f) }
        let schema = "bench_\(Int(Date().timeIntervalSince1970))"

        func load(_ open: (String) throws -> RegistryStore) throws -> (seconds: Double, rows: Int, summary: [String]) {
            let t = Date()
            var rows = 0, summary: [String] = []
            for s in sites {
                let key = try Pseudonymiser(keyBytes: Array((s.site + String(repeating: "k", count: 32)).utf8.prefix(32)))
                let report = try open(s.site).ingest(files: s.files, site: s.site, pseudonymiser: key, user: "bench")
                rows += report.accepted + report.rejected
                summary.append("\(s.site) \(report.accepted)/\(report.rejected)")
            }
            return (Date().timeIntervalSince(t), rows, summary)
        }
        let sqlite = try load { try RegistryStore(path: sqlitePath, role: .dataManager(site: $0)) }
        log(String(format: "SQLite: %.1f s", sqlite.seconds))
        let backend = try PostgresBackend(url: postgres, schema: schema)
        let root0 = try RegistryStore(backend: backend, role: .admin)
        let pg = try load { try root0.opened(as: .dataManager(site: $0)) }
        log(String(format: "PostgreSQL: %.1f s", pg.seconds))
        var load = [Double](repeating: 0, count: 3)
        getloadavg(&load, 3)
        print("rows: \(sqlite.rows) in \(sites.count) site folders; accepted/rejected per site identical on both stores: \(sqlite.summary == pg.summary)")
        print(String(format: "load average at the end: %.2f %.2f %.2f (2 cores)", load[0], load[1], load[2]))
        print("| store | seconds | rows/s |\n|---|---|---|")
        print(String(format: "| SQLite (GRDB, WAL file) | %.1f | %.0f |", sqlite.seconds, Double(sqlite.rows) / sqlite.seconds))
        print(String(format: "| PostgreSQL (postgres-nio, loopback) | %.1f | %.0f |", pg.seconds, Double(pg.rows) / pg.seconds))
        print(String(format: "ratio PostgreSQL / SQLite time = %.2f", pg.seconds / sqlite.seconds))
        try? backend.write { try $0.executeScript("DROP SCHEMA \(schema) CASCADE") }
    }
}
