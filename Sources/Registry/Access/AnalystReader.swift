import Foundation
import GRDB
import GRDBSQLite

/// Where a store lives, so that a second, read-only connection can be opened on it.
enum StoreLocation: Sendable {
    case file(String)
    /// A shared-cache in-memory database of this name (tests, demo).
    case memory(String)
}

/// The connection behind `RegistryStore.read` (raw SQL for analyses): opened read-only
/// (`SQLITE_OPEN_READONLY`, so no statement can write) and guarded by an SQLite authorizer
/// that refuses, at statement compilation, what the analyst role may not see:
/// - the audit tables (`audit_loads`, `audit_files`, `audit_changes`): who loaded what;
/// - the raw columns of the quarantine (`value`, `row_key`, `file`, `line`): rejected values are
///   site data that failed validation (they may even be a wrongly placed identifier); the
///   aggregate columns (`site`, `table_name`, `field`, `reason`, `load_id`) stay readable so
///   reports can count rejections by reason;
/// - any write, schema change, temporary table, `ATTACH`, `load_extension` and pragmas that set a value.
/// See docs/registry-roles.md for the whole role matrix.
enum AnalystReader {
    static let deniedTables: Set<String> = ["audit_loads", "audit_files", "audit_changes"]
    static let deniedQuarantineColumns: Set<String> = ["value", "row_key", "file", "line"]
    /// Introspection pragmas GRDB uses to read the schema (e.g. `db.tableExists`).
    /// They take a table or index name as argument and change nothing.
    static let introspectionPragmas: Set<String> = ["table_list", "table_info", "table_xinfo", "index_list", "index_info",
                                                    "index_xinfo", "foreign_key_list"]

    /// Opens the guarded read-only connection.
    static func open(_ location: StoreLocation) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.label = "harmonic analyst reader"
        let queue: DatabaseQueue
        switch location {
        case .file(let path): queue = try DatabaseQueue(path: path, configuration: config)
        case .memory(let name): queue = try DatabaseQueue(named: name, configuration: config)
        }
        // Replaces GRDB's own statement authorizer on this connection: it only feeds GRDB's change
        // observation, which a read-only connection never needs.
        _ = queue.inDatabase { db in
            sqlite3_set_authorizer(db.sqliteConnection, { _, action, a, b, _, _ in
                AnalystReader.authorize(action, a.map { String(cString: $0) }, b.map { String(cString: $0) })
            }, nil)
        }
        return queue
    }

    /// The authorizer's decision for one action (SQLite action codes, https://sqlite.org/c3ref/c_alter_table.html).
    static func authorize(_ action: Int32, _ arg1: String?, _ arg2: String?) -> Int32 {
        switch action {
        case SQLITE_SELECT, SQLITE_TRANSACTION, SQLITE_RECURSIVE:
            return SQLITE_OK
        case SQLITE_READ:
            let table = arg1 ?? ""
            if deniedTables.contains(table) { return SQLITE_DENY }
            if table == "quarantine", let column = arg2, deniedQuarantineColumns.contains(column) { return SQLITE_DENY }
            return SQLITE_OK
        case SQLITE_FUNCTION:
            return arg2?.lowercased() == "load_extension" ? SQLITE_DENY : SQLITE_OK
        case SQLITE_PRAGMA:
            // A pragma without a value only reads a setting.
            return arg2 == nil || introspectionPragmas.contains((arg1 ?? "").lowercased()) ? SQLITE_OK : SQLITE_DENY
        default:
            return SQLITE_DENY
        }
    }
}
