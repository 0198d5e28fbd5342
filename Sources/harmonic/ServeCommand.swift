import ArgumentParser
import Foundation
import HarmonicServer
import Hummingbird
import Registry
import RegistryPostgres

/// `harmonic serve`: the consortium's web API over a registry store (docs/server.md).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the registry as a multi-user web API (SQLite file or PostgreSQL).",
        discussion: """
        Routes (GET /openapi.yaml describes them): GET /api/health; POST /api/session {"user","password"} \
        (sets the session cookie, returns the CSRF token); GET /api/dose/estimate?age=&kap=&weight=&procedure= \
        (the JSON of harmonic dose estimate --json); GET /api/sites/SITE/patients; POST /api/sites/SITE/uploads \
        (a CSV file or a zipped extract folder, ingested as a background job: GET /api/jobs/ID); \
        GET /api/sites/SITE/quarantine; GET /api/audit; POST /api/dose-runs (analysts, kind cardiac, imaging or rt, a background job); \
        POST /api/analyses (analysts: the options of harmonic analyze --store with exposures, realisations from the dose runs' files and SIRs with --rates, a background job), GET /api/analyses/ID \
        (the JSON of harmonic analyze --json), GET /api/reports/ID (its HTML report); GET /api/sites/SITE/qa (data quality); \
        GET /api/drl (the JSON of harmonic drl --json); POST /api/rt/plan-doses?age=&sex= (a zip of RP, RD, RS: the JSON of \
        harmonic rt dose --json, computed as a job: GET /api/rt/plan-doses/ID); GET /api/jobs (your jobs, kept in the \
        store: a restarted server lists them and serves their results; jobs it finds running are marked interrupted). \
        Pages: /analyses, /sites/SITE/qa, /drl, /rt/plan, /dose-runs, and those of the routes above.
        Accounts: harmonic users add. Listens on 127.0.0.1 by default: put a TLS proxy in front (the session \
        cookie is Secure, so browsers send it over HTTPS or to localhost only).

        Examples:
          harmonic serve --store harmonic-out/harmonic.sqlite --port 8080
          harmonic serve --postgres postgres://harmonic:PASSWORD@127.0.0.1:5432/harmonic
          harmonic serve --postgres 'postgres://harmonic:PASSWORD@127.0.0.1:5432/harmonic?sslmode=disable' --pg-pool-size 8
          harmonic serve --store harmonic.sqlite --site-keys /etc/harmonic/keys   # NO.key, FR.key, … for uploads
          curl http://127.0.0.1:8080/api/health
        """
    )

    @Option(help: "SQLite registry store (created if missing).") var store: String?
    @Option(help: "PostgreSQL registry: postgres://USER:PASSWORD@HOST:PORT/DATABASE[?sslmode=disable|allow|prefer]. sslmode=require, verify-ca and verify-full are refused: this build has no TLS to the database (connect over loopback or a tunnel).") var postgres: String?
    @Option(help: "With --postgres: most database connections open at once, 1-64 (default 4): one writes, the others serve reads meanwhile.")
    var pgPoolSize: Int?
    @Option(help: "TCP port.") var port: Int = 8080
    @Option(help: "Address to listen on (0.0.0.0 for every interface).") var host: String = "127.0.0.1"
    @Option(help: "Folder of site key files (NO.key, FR.key: harmonic ingest --new-key) for pseudonymising uploads on the server.")
    var siteKeys: String?
    @Option(help: "Folder where uploads are written and extracted while their ingest runs (default: a new temporary folder).")
    var uploadDir: String?
    @Option(help: "Largest upload accepted, MiB.") var maxUploadMib: Int = 2048
    @Option(help: "With --postgres: the path dose runs (POST /api/dose-runs) name their realisation file after (PATH.realisations). With --store, the store's path is used.")
    var doseFiles: String?
    @Option(help: "Reference rates CSV (docs/reference-rates.md) for the SIRs of POST /api/analyses {\"sir\": true}, as harmonic analyze --rates FILE. Without it such requests get 409.")
    var rates: String?

    func validate() throws {
        guard (store == nil) != (postgres == nil) else { throw ValidationError("give exactly one of --store FILE or --postgres URL") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1-65535, got \(port)") }
        if let pgPoolSize {
            guard postgres != nil else { throw ValidationError("--pg-pool-size goes with --postgres (an SQLite store has no connection pool)") }
            guard (1...PostgresBackend.maxConnections).contains(pgPoolSize) else {
                throw ValidationError("--pg-pool-size must be 1-\(PostgresBackend.maxConnections), got \(pgPoolSize)")
            }
        }
        guard maxUploadMib >= 1 else { throw ValidationError("--max-upload-mib must be at least 1, got \(maxUploadMib)") }
        if let rates, !FileManager.default.isReadableFile(atPath: rates) { throw ValidationError("--rates \(rates): no readable file there (a reference rates CSV, docs/reference-rates.md)") }
    }

    func run() async throws {
        let registry = try postgres.map { try RegistryStore.postgres(url: $0, role: .admin, connections: pgPoolSize ?? 4) } ?? RegistryStore(path: store!, role: .admin)
        let keys = try siteKeys.map { try SiteKeys(directory: $0) } ?? .none
        let server = try HarmonicServer(store: registry, siteKeys: keys, uploadDirectory: uploadDir.map { URL(fileURLWithPath: $0) },
                                        maxUploadBytes: Int64(maxUploadMib) << 20, doseFilesPath: doseFiles ?? store, ratesPath: rates)
        note("harmonic serve: \(registry.backend.dialect.rawValue) store, http://\(host):\(port)/api/health")
        try await server.application(host: host, port: port).runService()
        // Stopped (SIGINT/SIGTERM): the jobs' last progress goes to the store before the process ends.
        server.jobs.flush()
    }
}
