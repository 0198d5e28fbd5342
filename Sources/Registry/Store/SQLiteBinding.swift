import GRDB
import GRDBSQLite

/// Direct binding of a row's values to a prepared statement: the ingest hot path, where GRDB's
/// generic `StatementArguments` cost a sixth of the time (measured with perf, BENCHMARKS.md).
enum SQLiteBinding {
    /// SQLITE_TRANSIENT: SQLite copies the bytes before `bind` returns.
    static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Binds `values` to parameters 1...n, runs the statement, resets it; returns sqlite3_changes.
    static func run(_ statement: Statement, _ db: Database, _ values: [DatabaseValue]) throws -> Int {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        for (i, v) in values.enumerated() { bind(s, Int32(i + 1), v) }
        return try step(s, db)
    }

    /// Binds `site`, the row's `values` and `loadID` (the data tables' insert), runs, resets.
    static func run(_ statement: Statement, _ db: Database, site: String, values: ArraySlice<DatabaseValue>, loadID: Int64) throws -> Int {
        let s = statement.sqliteStatement
        sqlite3_reset(s)
        bind(s, 1, site.databaseValue)
        var p: Int32 = 2
        for v in values { bind(s, p, v); p += 1 }
        sqlite3_bind_int64(s, p, loadID)
        return try step(s, db)
    }

    @inline(__always)
    static func bind(_ s: OpaquePointer?, _ p: Int32, _ v: DatabaseValue) {
        switch v.storage {
        case .null: sqlite3_bind_null(s, p)
        case .int64(let x): sqlite3_bind_int64(s, p, x)
        case .double(let x): sqlite3_bind_double(s, p, x)
        case .string(var x): x.withUTF8 { b in _ = sqlite3_bind_text(s, p, b.baseAddress, Int32(b.count), transient) }
        case .blob(let d): _ = d.withUnsafeBytes { b in sqlite3_bind_blob(s, p, b.baseAddress, Int32(b.count), transient) }
        }
    }

    static func step(_ s: OpaquePointer?, _ db: Database) throws -> Int {
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
        return Int(sqlite3_changes(db.sqliteConnection))
    }
}
