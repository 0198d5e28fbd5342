import Foundation
import GRDB
import PostgresNIO
import Registry

/// The registry on PostgreSQL (postgres-nio): the store of a multi-user, multi-site deployment.
/// One connection, used by one session at a time (a transaction for each `write`), in a schema of
/// its own (`search_path`), so several stores can share a database (tests use a fresh schema each).
/// The registry's SQL is the same as on SQLite but for `SQLDialect`; `?` placeholders are
/// numbered `$1, $2, …` here.
public final class PostgresBackend: SQLBackend, @unchecked Sendable {
    public var dialect: SQLDialect { .postgres }
    let connection: PostgresConnection
    let logger: Logger
    /// Sessions take turns on the connection (recursive: a read inside a write runs in its transaction).
    let lock = NSRecursiveLock()
    /// Open transactions on the connection (guarded by `lock`).
    var transactionDepth = 0
    public let schema: String
    public let url: PostgresURL

    /// Connects to `url` (`postgres://user:password@host:port/database`) and makes `schema` the
    /// store's own (created if missing).
    public init(url text: String, schema: String = "public") throws {
        let url = try PostgresURL(text)
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw PostgresStoreError("schema '\(schema)': expected 1-63 lower-case letters, digits or _, starting with a letter or _")
        }
        self.url = url; self.schema = schema
        var logger = Logger(label: "harmonic.postgres")
        logger.logLevel = .critical
        self.logger = logger
        let configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                             database: url.database, tls: .disable)
        do {
            connection = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                                        id: 1, logger: logger).wait()
        } catch {
            throw PostgresStoreError("cannot connect to PostgreSQL at \(url.redacted): \(Self.describe(error)); expected a server answering there "
                                     + "(start one with .ci/postgres, see docs/server.md)")
        }
        try simple("CREATE SCHEMA IF NOT EXISTS \"\(schema)\"; SET search_path TO \"\(schema)\"")
    }

    /// Closes the connection; the callback holds it until PostgreSQL has said goodbye.
    deinit {
        let c = connection
        let closing: EventLoopFuture<Void> = c.close()
        closing.whenComplete { _ in withExtendedLifetime(c) {} }
    }

    /// Runs statements separated by `;` (the registry's scripts have no `;` inside literals), one at a time.
    func simple(_ sql: String) throws {
        for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
            _ = try run(String(statement), [])
        }
    }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        // A write inside a write joins the outer transaction (a savepoint keeps its all-or-nothing).
        let outer = transactionDepth == 0
        transactionDepth += 1
        defer { transactionDepth -= 1 }
        try simple(outer ? "BEGIN" : "SAVEPOINT nested_\(transactionDepth)")
        do {
            let result = try body(PostgresSession(self))
            try simple(outer ? "COMMIT" : "RELEASE SAVEPOINT nested_\(transactionDepth)")
            return result
        } catch {
            try? simple(outer ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT nested_\(transactionDepth)")
            throw error
        }
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        lock.lock(); defer { lock.unlock() }
        return try body(PostgresSession(self))
    }

    public func migrate(_ migrations: [SQLMigration]) throws {
        lock.lock(); defer { lock.unlock() }
        // One migrator at a time across processes (a server and a `harmonic users` run starting together).
        try simple("SELECT pg_advisory_lock(7461726)")
        defer { try? simple("SELECT pg_advisory_unlock(7461726)") }
        try simple("CREATE TABLE IF NOT EXISTS harmonic_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        let done = Set(try read { try $0.strings("SELECT identifier FROM harmonic_migrations") })
        for m in migrations where !done.contains(m.identifier) {
            try write { s in
                try m.apply(s)
                try s.execute("INSERT INTO harmonic_migrations VALUES (?, ?)",
                              [m.identifier.databaseValue, ISO8601DateFormatter().string(from: Date()).databaseValue])
            }
        }
    }

    /// Runs one statement with `arguments`, collecting its rows.
    func run(_ sql: String, _ arguments: [DatabaseValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for v in arguments {
            switch v.storage {
            case .null: binds.appendNull()
            case .int64(let x): binds.append(x)
            case .double(let x): binds.append(x)
            case .string(let x): binds.append(x)
            case .blob(let d): binds.append(ByteBuffer(bytes: d))
            }
        }
        do {
            return try connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).wait()
        } catch {
            throw PostgresStoreError("PostgreSQL refused `\(sql.prefix(300))`: \(Self.describe(error))")
        }
    }

    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m + (e.serverInfo?[.detail].map { " (\($0))" } ?? "") }
            return "\(e.code)"
        }
        return "\(error)"
    }

    /// Rewrites `?` placeholders (outside quotes) as `$1, $2, …`.
    static func numbered(_ sql: String) -> String {
        var out = "", n = 0, quote: Character? = nil
        out.reserveCapacity(sql.count + 16)
        for c in sql {
            if let q = quote { if c == q { quote = nil } ; out.append(c); continue }
            if c == "'" || c == "\"" { quote = c; out.append(c); continue }
            if c == "?" { n += 1; out += "$\(n)" } else { out.append(c) }
        }
        return out
    }

    /// A cell as a `DatabaseValue` (integers, floating point and numeric, text, bytes; booleans as 0/1).
    static func value(_ cell: PostgresCell) throws -> DatabaseValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return try cell.decode(Int64.self).databaseValue
        case .float4, .float8: return try cell.decode(Double.self).databaseValue
        case .bool: return (try cell.decode(Bool.self) ? 1 : 0).databaseValue
        case .numeric:
            let d = try cell.decode(Decimal.self)
            if d == d.rounded(), let i = Int64(exactly: NSDecimalNumber(decimal: d).int64Value), Decimal(i) == d { return i.databaseValue }
            return NSDecimalNumber(decimal: d).doubleValue.databaseValue
        case .bytea: return Data(Array(buffer: cell.bytes!)).databaseValue
        default: return try cell.decode(String.self).databaseValue
        }
    }
}

private extension Decimal {
    func rounded() -> Decimal { var a = self, r = Decimal(); NSDecimalRound(&r, &a, 0, .plain); return r }
}

/// One turn on the connection.
final class PostgresSession: SQLSession {
    let backend: PostgresBackend
    init(_ backend: PostgresBackend) { self.backend = backend }
    var dialect: SQLDialect { .postgres }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int {
        try backend.run(PostgresBackend.numbered(sql), arguments).metadata.rows ?? 0
    }

    func executeScript(_ sql: String) throws { try backend.simple(sql) }

    func fetch(_ sql: String, _ arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        try backend.run(PostgresBackend.numbered(sql), arguments).rows.map { row in try row.map(PostgresBackend.value) }
    }

    func forEach(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws {
        for row in try backend.run(PostgresBackend.numbered(sql), arguments).rows { try body(try row.map(PostgresBackend.value)) }
    }

    func prepare(_ sql: String) throws -> any SQLStatement { PostgresStatement(backend: backend, sql: PostgresBackend.numbered(sql)) }

    func insertReturningID(_ sql: String, _ arguments: [DatabaseValue], idColumn: String) throws -> Int64 {
        let rows = try backend.run(PostgresBackend.numbered(sql) + " RETURNING \(SQLDialect.quote(idColumn))", arguments).rows
        guard let cell = rows.first?.first, let id = Int64.fromDatabaseValue(try PostgresBackend.value(cell)) else {
            throw PostgresStoreError("insert returned no \(idColumn): `\(sql.prefix(200))`")
        }
        return id
    }
}

final class PostgresStatement: SQLStatement {
    let backend: PostgresBackend
    let sql: String
    init(backend: PostgresBackend, sql: String) { self.backend = backend; self.sql = sql }
    func run(_ arguments: [DatabaseValue]) throws -> Int { try backend.run(sql, arguments).metadata.rows ?? 0 }
}

/// A PostgreSQL store that cannot be reached or refused a statement.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// `postgres://user:password@host:port/database`, parsed once (the password is never printed).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public let user: String, password: String?, host: String, port: Int, database: String
    public init(_ text: String) throws {
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql",
              let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty else {
            throw PostgresStoreError("PostgreSQL URL '\(text.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression))': "
                                     + "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let db = String(c.path.drop { $0 == "/" })
        guard !db.isEmpty else { throw PostgresStoreError("PostgreSQL URL for \(host): no database name; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE") }
        self.user = user; password = c.password; self.host = host; port = c.port ?? 5432; database = db
    }
    /// The URL with the password hidden.
    public var redacted: String { "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" }
    public var description: String { redacted }
}

extension RegistryStore {
    /// The registry on PostgreSQL at `url`, in `schema` (created and migrated if needed).
    public static func postgres(url: String, schema: String = "public", role: Role) throws -> RegistryStore {
        try RegistryStore(backend: PostgresBackend(url: url, schema: schema), role: role)
    }
}
