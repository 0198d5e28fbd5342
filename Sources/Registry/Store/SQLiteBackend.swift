import GRDB

/// The embedded store: SQLite through GRDB (a WAL-mode pool on disk, a shared-cache queue in
/// memory). Writes are serialised by GRDB; statements bind values straight to SQLite
/// (`SQLiteBinding`) on the ingest hot path.
public struct SQLiteBackend: SQLBackend {
    public var dialect: SQLDialect { .sqlite }
    let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) { self.writer = writer }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction {
                result = try body(GRDBSession(db))
                return .commit
            }
            return result!
        }
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try writer.read { db in try body(GRDBSession(db)) }
    }

    public func migrate(_ migrations: [SQLMigration]) throws {
        var migrator = DatabaseMigrator()
        for m in migrations { migrator.registerMigration(m.identifier) { db in try m.apply(GRDBSession(db)) } }
        try migrator.migrate(writer)
    }
}

/// A GRDB connection seen as an `SQLSession`.
final class GRDBSession: SQLSession {
    let db: Database
    init(_ db: Database) { self.db = db }
    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
        return db.changesCount
    }

    func executeScript(_ sql: String) throws { try db.execute(sql: sql) }

    func fetch(_ sql: String, _ arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { Array($0.databaseValues) }
    }

    func forEach(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(arguments))
        while let r = try rows.next() { try body(Array(r.databaseValues)) }
    }

    func prepare(_ sql: String) throws -> any SQLStatement { GRDBStatement(try db.makeStatement(sql: sql), db) }

    func insertReturningID(_ sql: String, _ arguments: [DatabaseValue], idColumn: String) throws -> Int64 {
        try db.execute(sql: sql, arguments: StatementArguments(arguments))
        return db.lastInsertedRowID
    }
}

final class GRDBStatement: SQLStatement {
    let statement: Statement
    let db: Database
    init(_ statement: Statement, _ db: Database) { self.statement = statement; self.db = db }
    func run(_ arguments: [DatabaseValue]) throws -> Int { try SQLiteBinding.run(statement, db, arguments) }
    func run(site: String, values: ArraySlice<DatabaseValue>, loadID: Int64) throws -> Int {
        try SQLiteBinding.run(statement, db, site: site, values: values, loadID: loadID)
    }
}
