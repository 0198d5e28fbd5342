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
    private var canReadData: Bool { if case .auditor = role { false } else { true } }
    private var siteFilter: String? { if case .dataManager(let s) = role { s } else { nil } }

    /// Number of rows of a dictionary table (a data manager sees their own site only).
    public func count(_ table: String) throws -> Int {
        try require(canReadData, "read data rows")
        guard DataDictionary.table(named: table) != nil else { throw AccessDenied(role: role, action: "read unknown table \(table)") }
        return try writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \"\(table)\"" + (siteFilter == nil ? "" : " WHERE site = ?"),
                             arguments: siteFilter.map { [$0] } ?? [])!
        }
    }

    /// Rows per value of `column` in `table` (e.g. procedures by dose_record_level), for reports.
    public func counts(of table: String, by column: String) throws -> [(value: String, count: Int)] {
        try require(canReadData, "read data rows")
        guard let spec = DataDictionary.table(named: table),
              column == "site" || spec.column(column) != nil, column != "site_patient_id" else {
            throw AccessDenied(role: role, action: "group \(table) by \(column)")
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT CAST(\"\(column)\" AS TEXT), COUNT(*) FROM \"\(table)\"" + (siteFilter == nil ? "" : " WHERE site = ?")
                             + " GROUP BY 1 ORDER BY 1", arguments: siteFilter.map { [$0] } ?? [])
                .map { (($0[0] as String?) ?? "", $0[1] as Int) }
        }
    }

    /// Raw SQL over the pooled pseudonymised data of all sites, for analyses and reports: analysts
    /// only. The connection is read-only and refuses the audit tables and the raw quarantine
    /// columns (`value`, `row_key`, `file`, `line`); a refused statement throws `DatabaseError`
    /// (SQLITE_AUTH). Data managers and auditors use the typed queries (docs/registry-roles.md).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        guard role == .analyst, let analystReader else {
            throw AccessDenied(role: role, action: "run raw SQL (analysts only; use count, counts, rows, quarantine or auditLoads)")
        }
        return try analystReader.read(body)
    }

    /// Rows of `table` for a site and key value of `column` (e.g. events of a procedure), as column -> value.
    public func rows(of table: String, site: String, where column: String, equals value: String) throws -> [[String: DatabaseValue]] {
        try require(canReadData && (siteFilter == nil || siteFilter == site.uppercased()), "read rows of site \(site)")
        guard let spec = DataDictionary.table(named: table), spec.column(column) != nil || column == "patient_pseudonym" else {
            throw AccessDenied(role: role, action: "query \(table).\(column)")
        }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\" WHERE site = ? AND \"\(RegistrySchema.storeColumn(column))\" = ?",
                             arguments: [site.uppercased(), value])
                .map { row in Dictionary(uniqueKeysWithValues: row.columnNames.map { ($0, row[$0] as DatabaseValue) }) }
        }
    }

    /// Rejected rows still waiting for a correction (data manager: own site; auditor: all).
    public func quarantine() throws -> [QuarantineEntry] {
        if case .analyst = role { throw AccessDenied(role: role, action: "read the quarantine") }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT site, table_name, row_key, file, line, field, value, reason FROM quarantine"
                             + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY id", arguments: siteFilter.map { [$0] } ?? [])
                .map { QuarantineEntry(site: $0[0], table: $0[1], rowKey: $0[2], file: $0[3], line: $0[4], field: $0[5], value: $0[6], reason: $0[7]) }
        }
    }

    /// The audit trail of loads (auditor: all sites; data manager: own site).
    public func auditLoads() throws -> [AuditLoad] {
        if case .analyst = role { throw AccessDenied(role: role, action: "read the audit trail") }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_loads" + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY load_id",
                             arguments: siteFilter.map { [$0] } ?? []).map { r in
                let files = try Row.fetchAll(db, sql: "SELECT * FROM audit_files WHERE load_id = ?", arguments: [r["load_id"] as Int64]).map {
                    AuditFile(file: $0["file"], sha256: $0["sha256"], table: $0["table_name"], status: $0["status"], message: $0["message"],
                              inserted: $0["inserted"], updated: $0["updated"], unchanged: $0["unchanged"], rejected: $0["rejected"], replaced: $0["replaced"])
                }
                return AuditLoad(loadID: r["load_id"], user: r["user"], role: r["role"], site: r["site"], startedAt: r["started_at"],
                                 finishedAt: r["finished_at"], status: r["status"], files: files)
            }
        }
    }

    /// Individual changes (updates of existing rows, quarantined rows resolved) recorded by loads.
    public func auditChanges() throws -> [(loadID: Int64, site: String, table: String, rowKey: String, action: String)] {
        if case .analyst = role { throw AccessDenied(role: role, action: "read the audit trail") }
        return try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT load_id, site, table_name, row_key, action FROM audit_changes"
                             + (siteFilter == nil ? "" : " WHERE site = ?") + " ORDER BY id", arguments: siteFilter.map { [$0] } ?? [])
                .map { ($0[0], $0[1], $0[2], $0[3], $0[4]) }
        }
    }
}
