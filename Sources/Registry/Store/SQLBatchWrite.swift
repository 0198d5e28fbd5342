import GRDB

/// A write of many rows into one table, in one transaction (the dose runs' results: one row per
/// procedure). SQLite runs it row by row on a prepared statement (a call costs microseconds
/// in-process); PostgreSQL (`PostgresBatchWriter`) sends up to 1,000 rows as one statement, so a
/// run over 70,000 procedures is 70 round trips, not 70,000.
public protocol SQLBatchWriter: AnyObject {
    /// Adds one row: its values in `BatchTarget.columns` order. May write earlier rows.
    func add(_ row: [DatabaseValue]) throws
    /// Writes the rows not yet written. Call before reading the table in the same transaction.
    func finish() throws
}

/// What a batch writes: rows of `columns` into `table`, either inserted or replacing the row of
/// the same `key` (`upsert`), or setting the other columns of the existing row of that key (`update`).
public struct BatchTarget: Sendable {
    public enum Mode: Sendable { case upsert, update }
    public let table: String
    public let columns: [String]
    /// The primary-key columns (a subset of `columns`).
    public let key: [String]
    public let mode: Mode
    public init(table: String, columns: [String], key: [String], mode: Mode) {
        precondition(key.allSatisfy(columns.contains), "batch key \(key) not among the columns of \(table)")
        self.table = table; self.columns = columns; self.key = key; self.mode = mode
    }

    /// The one-row statement (`?` placeholders in `columns` order; for `update`, the SET columns'
    /// values then the key's, which `RowByRowBatch` reorders).
    func singleRowSQL(_ dialect: SQLDialect) -> String {
        switch mode {
        case .upsert: return dialect.insertOrReplace(table, columns: columns, key: key)
        case .update:
            let q = SQLDialect.quote
            return "UPDATE \(q(table)) SET " + setColumns.map { "\(q($0)) = ?" }.joined(separator: ", ")
                + " WHERE " + key.map { "\(q($0)) = ?" }.joined(separator: " AND ")
        }
    }

    /// The columns an `update` sets (all but the key).
    public var setColumns: [String] { columns.filter { !key.contains($0) } }
}

/// The default batch: one prepared statement run per row (SQLite).
public final class RowByRowBatch: SQLBatchWriter {
    let statement: any SQLStatement
    let target: BatchTarget
    /// For `update`: where each placeholder's value sits in the row (SET columns, then the key).
    let order: [Int]?

    public init(_ session: any SQLSession, _ target: BatchTarget) throws {
        self.target = target
        statement = try session.prepare(target.singleRowSQL(session.dialect))
        order = target.mode == .update ? (target.setColumns + target.key).map { target.columns.firstIndex(of: $0)! } : nil
    }

    public func add(_ row: [DatabaseValue]) throws {
        precondition(row.count == target.columns.count, "batch row of \(target.table): \(row.count) values for \(target.columns.count) columns")
        try statement.run(order.map { $0.map { row[$0] } } ?? row)
    }

    public func finish() throws {}
}
