import Crypto
import Foundation
import GRDB
import HarmonicCore

/// The registry store, on either implementation of the store interface (`SQLBackend`): an
/// SQLite database (WAL mode on disk; the embedded default) or a PostgreSQL database
/// (`RegistryPostgres`). The schema comes from the data dictionary. Every method checks the
/// caller's `role`. Patients are keyed by pseudonym.
public final class RegistryStore: @unchecked Sendable {
    /// The caller's role; every method checks it.
    public let role: Role
    /// The database behind the store (SQLite or PostgreSQL).
    public let backend: any SQLBackend
    /// Where an SQLite store lives (nil on PostgreSQL).
    let location: StoreLocation?
    /// The guarded read-only connection behind `read` (analysts on SQLite only).
    let analystReader: DatabaseQueue?

    /// How errors name this store: its file, or the server store.
    var storeDescription: String {
        switch location { case .file(let p): p; case .memory: "the in-memory store"; case nil: "the PostgreSQL store" }
    }

    /// Opens (creating and migrating if needed) the SQLite store at `path`.
    public init(path: String, role: Role) throws {
        self.role = role
        var config = Configuration()
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        // Another process (a second site's load, an analyst opening the store) may hold the write
        // lock for the length of one file's transaction: wait for it instead of failing at once.
        config.busyMode = .timeout(120)
        let writer: DatabasePool
        do { writer = try DatabasePool(path: path, configuration: config) } catch {
            throw InputError(.file(path), expected: "an SQLite registry store that can be opened (\(error))")
        }
        backend = SQLiteBackend(writer: writer)
        try backend.migrate(RegistrySchema.migrations)
        location = .file(path)
        analystReader = role == .analyst ? try AnalystReader.open(.file(path)) : nil
    }

    /// Opens a store on any backend (PostgreSQL: `RegistryStore.postgres` in `RegistryPostgres`),
    /// creating and migrating its schema if needed.
    public init(backend: any SQLBackend, role: Role) throws {
        self.role = role; self.backend = backend; self.location = nil; self.analystReader = nil
        try backend.migrate(RegistrySchema.migrations)
    }

    init(writer: any DatabaseWriter, role: Role, location: StoreLocation) throws {
        self.role = role; self.backend = SQLiteBackend(writer: writer); self.location = location
        try backend.migrate(RegistrySchema.migrations)
        analystReader = role == .analyst ? try AnalystReader.open(location) : nil
    }

    /// A store in memory (tests, demo): a shared-cache in-memory database, so that the
    /// analyst's guarded read-only connection can be opened on it too.
    public static func inMemory(role: Role) throws -> RegistryStore {
        let name = "harmonic-registry-\(UUID().uuidString)"
        return try RegistryStore(writer: DatabaseQueue(named: name), role: role, location: .memory(name))
    }

    /// The same database seen with another role (tests of role enforcement; tools that switch hats).
    /// The schema is already migrated, so this is cheap (the server opens one per request).
    public func opened(as role: Role) throws -> RegistryStore { try RegistryStore(sharing: self, role: role) }

    private init(sharing other: RegistryStore, role: Role) throws {
        self.role = role; backend = other.backend; location = other.location
        analystReader = role == .analyst ? try other.analystReader ?? location.map { try AnalystReader.open($0) } : nil
    }

    func require(_ allowed: Bool, _ action: String) throws {
        if !allowed { throw AccessDenied(role: role, action: action) }
    }

    // MARK: Loading

    /// Loads CSV files (named `<table>.csv`) for `site`, in dependency order, each file in one
    /// transaction. Only a data manager of `site` may load. Files that cannot be read, lack a
    /// required column or carry a direct identifier are refused whole (nothing of them stored).
    /// `progress` hears "loading FILE" as each file starts; `byteProgress` hears the bytes read
    /// (per file and overall) after each chunk read and as each file ends (see `IngestProgress`).
    public func ingest(files: [String], site: String, pseudonymiser: Pseudonymiser, user: String,
                       progress: ((String) -> Void)? = nil, byteProgress: ((IngestProgress) -> Void)? = nil,
                       failAfterRows: Int? = nil) throws -> LoadReport {
        var sources: [(TableSpec?, () throws -> RowSource, String)] = []
        for f in files {
            let base = URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent.lowercased()
            sources.append((DataDictionary.table(named: base), { try CSVReader(path: f) }, f))
        }
        let counter = byteProgress.map { IngestProgressCounter(files: files, report: $0) }
        return try load(sources: sources, site: site, pseudonymiser: pseudonymiser, user: user, progress: progress,
                        counter: counter, failAfterRows: failAfterRows)
    }

    /// Loads rows built in memory into `table` (e.g. irradiation events read from an RDSR by the
    /// DICOM layer), through the same checks, quarantine and audit as CSV files.
    public func load(rows: [[String: String]], into table: String, source: String, site: String,
                     pseudonymiser: Pseudonymiser, user: String) throws -> LoadReport {
        try load(sources: [(DataDictionary.table(named: table), { DictionaryRowSource(name: source, rows: rows) }, source)],
                 site: site, pseudonymiser: pseudonymiser, user: user, progress: nil, counter: nil, failAfterRows: nil)
    }

    func load(sources: [(TableSpec?, () throws -> RowSource, String)], site: String, pseudonymiser: Pseudonymiser,
              user: String, progress: ((String) -> Void)?, counter: IngestProgressCounter?, failAfterRows: Int?) throws -> LoadReport {
        let site = site.uppercased()
        try require(role == .dataManager(site: site), "load data for site \(site)")
        let started = UTCTimestamp.string(from: Date())
        let loadID: Int64 = try backend.write { db in
            try RegistrySchema.requireKeyedRecordIdentifiers(db, store: storeDescription)
            // A load of this site still marked running was killed before it could finish (its
            // open file transaction was rolled back by the database): record it as interrupted.
            // Loads of one site are expected to run one at a time.
            try db.execute("UPDATE audit_loads SET status = 'interrupted' WHERE site = ? AND status = 'running'", [site.databaseValue])
            return try db.insertReturningID("INSERT INTO audit_loads (\"user\", role, site, started_at, schema_version, status) VALUES (?,?,?,?,?, 'running')",
                                            [user, role.description, site, started, DataDictionary.schemaVersion].map(\.databaseValue), idColumn: "load_id")
        }
        var report = LoadReport(loadID: loadID, site: site)
        var cache = LoadCache()
        // Referenced tables first; ties by table and file name, so a load's audit reads the same
        // whatever order the files were given in.
        let ordered = sources.sorted {
            ($0.0?.loadOrder ?? -1, $0.0?.name ?? "", $0.2) < ($1.0?.loadOrder ?? -1, $1.0?.name ?? "", $1.2)
        }
        for (spec, open, name) in ordered {
            var result = FileLoadResult(file: name, table: spec?.name ?? "?")
            var problems: [QuarantineEntry] = []
            progress?("loading \(name)")
            counter?.start(name)
            defer { counter?.finish() }
            do {
                guard let spec else {
                    throw InputError(.file(name), expected: "a file named after a dictionary table (\(DataDictionary.tables.map { $0.name + ".csv" }.joined(separator: ", ")))")
                }
                let saved = cache
                do {
                    try backend.write { db in
                        var hasher = SHA256()
                        let source = try open()
                        (source as? CSVReader)?.onBytesOverride = { hasher.update(data: $0); counter?.read($0.count) }
                        let loader = TableLoader(db: db, table: spec, site: site, loadID: loadID, pseudonymiser: pseudonymiser, failAfterRows: failAfterRows)
                        try loader.load(source, cache: &cache, result: &result, problems: &problems)
                        result.sha256 = Pseudonymiser.hex(Array(hasher.finalize()))
                        try Self.recordFile(db, loadID, result)
                    }
                } catch { cache = saved; throw error }
            } catch {
                result = FileLoadResult(file: name, table: spec?.name ?? "?")
                result.status = "refused"
                result.message = (error as? InputError)?.description ?? (error is InjectedFailure ? "load interrupted" : "\(error)")
                problems = []
                result.sha256 = (try? Self.sha256(of: name)) ?? ""
                try? backend.write { db in try Self.recordFile(db, loadID, result) }
                if error is InjectedFailure { report.files.append(result); try finish(loadID, "interrupted"); throw error }
            }
            report.files.append(result)
            report.problems += problems
        }
        try finish(loadID, report.refusedFiles.isEmpty ? "finished" : "finished with refused files")
        return report
    }

    private func finish(_ loadID: Int64, _ status: String) throws {
        try backend.write { db in
            try db.execute("UPDATE audit_loads SET finished_at = ?, status = ? WHERE load_id = ?",
                           [UTCTimestamp.string(from: Date()).databaseValue, status.databaseValue, loadID.databaseValue])
        }
    }

    static func recordFile(_ db: any SQLSession, _ loadID: Int64, _ r: FileLoadResult) throws {
        // `position` keeps the files of a load in the order they were loaded: neither SQLite nor
        // PostgreSQL promises any row order without ORDER BY.
        let values: [any DatabaseValueConvertible] = [loadID, r.file, r.sha256, r.table, r.status, r.message, r.inserted, r.updated, r.unchanged, r.rejected, r.replaced, loadID]
        try db.execute("""
            INSERT INTO audit_files (load_id, file, sha256, table_name, status, message, inserted, updated, unchanged, rejected, replaced, position)
            VALUES (?,?,?,?,?,?,?,?,?,?,?, (SELECT COUNT(*) FROM audit_files WHERE load_id = ?))
            """, values.map(\.databaseValue))
    }

    static func sha256(of path: String) throws -> String {
        guard let h = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? h.close() }
        var hasher = SHA256()
        while let d = try h.read(upToCount: 1 << 20), !d.isEmpty { hasher.update(data: d) }
        return Pseudonymiser.hex(Array(hasher.finalize()))
    }
}
