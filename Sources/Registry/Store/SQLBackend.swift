import GRDB

/// The store interface: the small SQL layer under `RegistryStore`. Every registry behaviour
/// (ingest with quarantine, idempotent reload and audit; pseudonymised keys; dose runs;
/// analysis extraction; roles; users) is written once, in `RegistryStore` and its loaders,
/// against this layer, so that the two implementations, SQLite (`SQLiteBackend`, GRDB, the
/// embedded default) and PostgreSQL (`PostgresBackend` in the `RegistryPostgres` target),
/// give the same results by construction; what differs between them is only the SQL dialect
/// (`SQLDialect`) and the driver. docs/server.md explains the choice.
///
/// Values are GRDB's `DatabaseValue` (null, 64-bit integer, double, text, blob): the row
/// validator already produces them, and both databases store exactly these five kinds.
public protocol SQLBackend: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one transaction: committed when it returns, rolled back when it throws.
    func write<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// Runs `body` on a consistent read view (no writes).
    func read<T>(_ body: (any SQLSession) throws -> T) throws -> T
    /// Applies the migrations this store has not seen yet, each in its own transaction, and records them.
    func migrate(_ migrations: [SQLMigration]) throws
}

/// One connection inside a transaction or read. Placeholders are `?` in every dialect (the
/// PostgreSQL session numbers them).
public protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs one statement; returns the number of rows it changed.
    @discardableResult func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int
    /// Runs several statements separated by `;`, without arguments (schema scripts).
    func executeScript(_ sql: String) throws
    /// Every row of a query, each as its column values in select order.
    func fetch(_ sql: String, _ arguments: [DatabaseValue]) throws -> [[DatabaseValue]]
    /// The rows of a query one by one, without holding them all (big tables).
    func forEach(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws
    /// A statement prepared once and run for many rows (the ingest hot path).
    func prepare(_ sql: String) throws -> any SQLStatement
    /// Runs an `INSERT` into a table whose `idColumn` is generated; returns the new id.
    func insertReturningID(_ sql: String, _ arguments: [DatabaseValue], idColumn: String) throws -> Int64
    /// The ingest's batched write of a data table (`SQLRowMerge`): row by row on prepared
    /// statements by default (SQLite), one multi-row statement per batch on PostgreSQL.
    func prepareMerge(_ target: MergeTarget) throws -> any SQLRowMerge
    /// A batched write of many rows into one table (`SQLBatchWriter`): row by row by default
    /// (SQLite), 1,000 rows per statement on PostgreSQL.
    func prepareBatch(_ target: BatchTarget) throws -> any SQLBatchWriter
}

/// A prepared statement of a session.
public protocol SQLStatement: AnyObject {
    /// Runs with `arguments`; returns the number of rows changed.
    @discardableResult func run(_ arguments: [DatabaseValue]) throws -> Int
    /// Runs with `site`, then `values`, then `loadID` (the data tables' insert, without copying the row).
    @discardableResult func run(site: String, values: ArraySlice<DatabaseValue>, loadID: Int64) throws -> Int
}

extension SQLStatement {
    public func run(site: String, values: ArraySlice<DatabaseValue>, loadID: Int64) throws -> Int {
        try run([site.databaseValue] + Array(values) + [loadID.databaseValue])
    }
}

extension SQLSession {
    public func prepareMerge(_ target: MergeTarget) throws -> any SQLRowMerge { try RowByRowMerge(self, target) }
    public func prepareBatch(_ target: BatchTarget) throws -> any SQLBatchWriter { try RowByRowBatch(self, target) }
    @discardableResult public func execute(_ sql: String) throws -> Int { try execute(sql, []) }
    public func fetch(_ sql: String) throws -> [[DatabaseValue]] { try fetch(sql, []) }
    /// The first column of the first row, if any.
    public func scalar(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> DatabaseValue? {
        try fetch(sql, arguments).first?.first
    }
    /// The first column of every row, as text (null rows dropped).
    public func strings(_ sql: String, _ arguments: [DatabaseValue] = []) throws -> [String] {
        try fetch(sql, arguments).compactMap { $0.first.flatMap { String.fromDatabaseValue($0) } }
    }
}

/// One schema step, identified for good once released; run once per store, in order.
public struct SQLMigration: Sendable {
    public let identifier: String
    public let apply: @Sendable (any SQLSession) throws -> Void
    public init(_ identifier: String, _ apply: @escaping @Sendable (any SQLSession) throws -> Void) {
        self.identifier = identifier; self.apply = apply
    }
}

/// Typed access to a row's values (`Int`, `Int64`, `Double`, `String`; nil for NULL or another kind).
extension Array where Element == DatabaseValue {
    public func string(_ i: Int) -> String? { String.fromDatabaseValue(self[i]) }
    public func int(_ i: Int) -> Int? { Int.fromDatabaseValue(self[i]) }
    public func int64(_ i: Int) -> Int64? { Int64.fromDatabaseValue(self[i]) }
    public func double(_ i: Int) -> Double? { Double.fromDatabaseValue(self[i]) }
}
