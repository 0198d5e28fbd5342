import GRDB

/// One load of the audit trail.
public struct AuditLoad: Sendable, Hashable {
    public let loadID: Int64
    public let user: String
    public let role: String
    public let site: String
    public let startedAt: String
    public let finishedAt: String?
    public let status: String
    public let files: [AuditFile]
}

/// One file of a load: its SHA-256 and what it changed.
public struct AuditFile: Sendable, Hashable {
    public let file: String
    public let sha256: String
    public let table: String
    public let status: String
    public let message: String
    public let inserted, updated, unchanged, rejected, replaced: Int
}

extension RegistryStore {
    /// Data rows: analysts (all sites), data managers and clinicians (own site).
    private var canReadData: Bool { switch role { case .analyst, .dataManager, .clinician: true; default: false } }
    /// Quarantine and audit trail: auditors (all sites), data managers (own site).
    private var canReadAudit: Bool { switch role { case .auditor, .dataManager: true; default: false } }
    private var siteFilter: String? { role.site }
    private var siteArguments: [DatabaseValue] { siteFilter.map { [$0.databaseValue] } ?? [] }

    /// Number of rows of a dictionary table (a data manager sees their own site only).
    public func count(_ table: String) throws -> Int {
        try require(canReadData, "read data rows")
        guard DataDictionary.table(named: table) != nil else { throw AccessDenied(role: role, action: "read unknown table \(table)") }
        return try backend.read { db in
            try db.scalar("SELECT COUNT(*) FROM \"\(table)\"" + (siteFilter == nil ? "" : " WHERE site = ?"), siteArguments).flatMap { Int.fromDatabaseValue($0) } ?? 0
        }
    }

    /// Rows per value of `column` in `table` (e.g. procedures by dose_record_level), for reports.
    public func counts(of table: String, by column: String) throws -> [(value: String, count: Int)] {
        try require(canReadData, "read data rows")
        guard let spec = DataDictionary.table(named: table),
              column == "site" || spec.column(column) != nil, column != "site_patient_id" else {
            throw AccessDenied(role: role, action: "group \(table) by \(column)")
        }
        return try backend.read { db in
            try db.fetch("SELECT CAST(\"\(column)\" AS TEXT), COUNT(*) FROM \"\(table)\"" + (siteFilter == nil ? "" : " WHERE site = ?")
                         + " GROUP BY 1 ORDER BY 1", siteArguments)
                .map { ($0.string(0) ?? "", $0.int(1) ?? 0) }
        }
    }

    /// Raw SQL over the pooled pseudonymised data of all sites, for analyses and reports: analysts
    /// only. The connection is read-only and refuses the audit tables and the raw quarantine
    /// columns (`value`, `row_key`, `file`, `line`); a refused statement throws `DatabaseError`
    /// (SQLITE_AUTH). Data managers and auditors use the typed queries (docs/registry-roles.md).
    /// SQLite stores only (the PostgreSQL store throws `AccessDenied`: its analysts use the typed
    /// queries and the analysis extraction, which run on both stores).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard role == .analyst else {
            throw AccessDenied(role: role, action: "run raw SQL (analysts only; use count, counts, rows, quarantine or auditLoads)")
        }
        guard let analystReader else {
            throw AccessDenied(role: role, action: "run raw SQLite SQL on a \(backend.dialect.rawValue) store (use the typed queries)")
        }
        return try analystReader.read(body)
    }

    /// The pooled data of all sites through the store interface, for the analysis extraction and
    /// dose runs (analysts only; both stores).
    func analystRead<T>(_ action: String, _ body: (any SQLSession) throws -> T) throws -> T {
        guard role == .analyst else { throw AccessDenied(role: role, action: action) }
        return try backend.read(body)
    }

    /// Rows of `table` for a site and key value of `column` (e.g. events of a procedure), as column -> value.
    public func rows(of table: String, site: String, where column: String, equals value: String) throws -> [[String: DatabaseValue]] {
        try require(canReadData && (siteFilter == nil || siteFilter == site.uppercased()), "read rows of site \(site)")
        guard let spec = DataDictionary.table(named: table), spec.column(column) != nil || column == "patient_pseudonym" else {
            throw AccessDenied(role: role, action: "query \(table).\(column)")
        }
        let names = ["site"] + spec.columns.map { RegistrySchema.storeColumn($0.name) } + ["load_id"]
        return try backend.read { db in
            try db.fetch("SELECT " + names.map(SQLDialect.quote).joined(separator: ", ") + " FROM \"\(table)\" WHERE site = ? AND \"\(RegistrySchema.storeColumn(column))\" = ?",
                         [site.uppercased().databaseValue, value.databaseValue])
                .map { row in Dictionary(uniqueKeysWithValues: zip(names, row).map { ($0, $1) }) }
        }
    }

    /// Rejected rows still waiting for a correction (data manager: own site; auditor: all).
    public func quarantine() throws -> [QuarantineEntry] {
        try require(canReadAudit, "read the quarantine")
        return try backend.read { db in
            try db.fetch("SELECT site, table_name, row_key, file, line, field, value, reason FROM quarantine"
                         + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY id", siteArguments)
                .map { QuarantineEntry(site: $0.string(0) ?? "", table: $0.string(1) ?? "", rowKey: $0.string(2) ?? "", file: $0.string(3) ?? "",
                                       line: $0.int(4) ?? 0, field: $0.string(5) ?? "", value: $0.string(6) ?? "", reason: $0.string(7) ?? "") }
        }
    }

    /// Rejected rows of one site still waiting for a correction: its data manager, or an auditor.
    /// Anyone else, and a data manager of another site, is refused before any SQL runs.
    public func quarantine(ofSite site: String) throws -> [QuarantineEntry] {
        let site = site.uppercased()
        try require(canReadAudit && (siteFilter == nil || siteFilter == site), "read the quarantine of site \(site)")
        return try backend.read { db in
            try db.fetch("SELECT site, table_name, row_key, file, line, field, value, reason FROM quarantine WHERE site = ? ORDER BY id",
                         [site.databaseValue])
                .map { QuarantineEntry(site: $0.string(0) ?? "", table: $0.string(1) ?? "", rowKey: $0.string(2) ?? "", file: $0.string(3) ?? "",
                                       line: $0.int(4) ?? 0, field: $0.string(5) ?? "", value: $0.string(6) ?? "", reason: $0.string(7) ?? "") }
        }
    }

    /// The audit trail of loads (auditor: all sites; data manager: own site).
    public func auditLoads() throws -> [AuditLoad] {
        try require(canReadAudit, "read the audit trail")
        return try backend.read { db in
            try db.fetch("SELECT load_id, \"user\", role, site, started_at, finished_at, status FROM audit_loads"
                         + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY load_id", siteArguments).map { r in
                let files = try db.fetch("""
                    SELECT file, sha256, table_name, status, message, inserted, updated, unchanged, rejected, replaced
                    FROM audit_files WHERE load_id = ? ORDER BY position
                    """, [r[0]]).map {
                    AuditFile(file: $0.string(0) ?? "", sha256: $0.string(1) ?? "", table: $0.string(2) ?? "", status: $0.string(3) ?? "",
                              message: $0.string(4) ?? "", inserted: $0.int(5) ?? 0, updated: $0.int(6) ?? 0, unchanged: $0.int(7) ?? 0,
                              rejected: $0.int(8) ?? 0, replaced: $0.int(9) ?? 0)
                }
                return AuditLoad(loadID: r.int64(0) ?? 0, user: r.string(1) ?? "", role: r.string(2) ?? "", site: r.string(3) ?? "",
                                 startedAt: r.string(4) ?? "", finishedAt: r.string(5), status: r.string(6) ?? "", files: files)
            }
        }
    }

    /// Individual changes (updates of existing rows, quarantined rows resolved) recorded by loads.
    public func auditChanges() throws -> [(loadID: Int64, site: String, table: String, rowKey: String, action: String)] {
        try require(canReadAudit, "read the audit trail")
        return try backend.read { db in
            try db.fetch("SELECT load_id, site, table_name, row_key, action FROM audit_changes"
                         + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY id", siteArguments)
                .map { ($0.int64(0) ?? 0, $0.string(1) ?? "", $0.string(2) ?? "", $0.string(3) ?? "", $0.string(4) ?? "") }
        }
    }
}
