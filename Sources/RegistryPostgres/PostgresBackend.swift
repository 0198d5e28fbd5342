import Foundation
import HarmonicCore
import GRDB
import PostgresNIO
import Registry

/// The registry on PostgreSQL (postgres-nio): the store of a multi-user, multi-site deployment.
/// A small pool of connections (`connections`, 4 by default), in a schema of its own
/// (`search_path`), so several stores can share a database (tests use a fresh schema each).
/// The registry's SQL is the same as on SQLite but for `SQLDialect`; `?` placeholders are
/// numbered `$1, $2, …` here.
///
/// Concurrency follows SQLite's WAL mode, so both stores behave alike under the server: one
/// `write` transaction at a time (in this process), while `read`s run at once on the other
/// connections, each in a read-only repeatable-read transaction (a consistent view). A thread
/// keeps its connection for nested calls (a read or write inside a write joins its transaction;
/// a nested write is a savepoint). Why a pool: the server runs each request's store call on a
/// thread of its own; with one connection a long upload's ingest held every page and API read
/// until its file was loaded. Why not more writers: the loads of one site must not interleave,
/// and one writer keeps PostgreSQL's results identical to SQLite's.
public final class PostgresBackend: SQLBackend, @unchecked Sendable {
    public var dialect: SQLDialect { .postgres }
    let logger: Logger
    public let schema: String
    public let url: PostgresURL
    /// Most connections open at once (`harmonic serve --pg-pool-size`, 4 by default).
    public let connections: Int
    /// Largest pool accepted (PostgreSQL's default `max_connections` is 100, shared with other clients).
    public static let maxConnections = 64
    let configuration: PostgresConnection.Configuration
    /// Guards `idle`, `opened` and `leases`; signalled when a connection comes back.
    private let pool = NSCondition()
    private var idle: [PostgresConnection] = []
    private var opened = 0
    /// The connection each thread holds, while it holds one (nested calls reuse it).
    private var leases: [UInt: Lease] = [:]
    /// One writing transaction at a time (recursive: a write inside a write on the same thread).
    private let writers = NSRecursiveLock()

    /// A connection held by one thread, with its open transaction depth.
    final class Lease {
        let connection: PostgresConnection
        var depth = 0
        init(_ c: PostgresConnection) { connection = c }
    }

    /// Connects to `url` (`postgres://user:password@host:port/database`) and makes `schema` the
    /// store's own (created if missing); at most `connections` connections are opened, as needed.
    public init(url text: String, schema: String = "public", connections: Int = 4) throws {
        let url = try PostgresURL(text)
        guard schema.range(of: "^[a-z_][a-z0-9_]{0,62}$", options: .regularExpression) != nil else {
            throw PostgresStoreError("schema '\(schema)': expected 1-63 lower-case letters, digits or _, starting with a letter or _")
        }
        guard (1...PostgresBackend.maxConnections).contains(connections) else {
            throw PostgresStoreError("PostgreSQL connections: expected 1-\(PostgresBackend.maxConnections), got \(connections)")
        }
        self.url = url; self.schema = schema; self.connections = connections
        var logger = Logger(label: "harmonic.postgres")
        logger.logLevel = .critical
        self.logger = logger
        configuration = PostgresConnection.Configuration(host: url.host, port: url.port, username: url.user, password: url.password,
                                                         database: url.database, tls: .disable)
        // The first connection, opened now: a wrong address fails here, and the schema exists before any use.
        let first = try connect(creatingSchema: true)
        pool.lock(); opened = 1; idle.append(first); pool.unlock()
    }

    /// Closes the connections; each close callback holds its connection until PostgreSQL has said goodbye.
    deinit {
        for c in idle {
            let closing: EventLoopFuture<Void> = c.close()
            closing.whenComplete { _ in withExtendedLifetime(c) {} }
        }
    }

    private func connect(creatingSchema: Bool = false) throws -> PostgresConnection {
        let c: PostgresConnection
        do {
            c = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration,
                                               id: Int.random(in: 1...Int.max), logger: logger).wait()
        } catch {
            throw PostgresStoreError("cannot connect to PostgreSQL at \(url.redacted): \(Self.describe(error)); expected a server answering there "
                                     + "(start one with .ci/postgres, see docs/server.md)")
        }
        try Self.simple(c, (creatingSchema ? "CREATE SCHEMA IF NOT EXISTS \"\(schema)\"; " : "") + "SET search_path TO \"\(schema)\"", logger)
        return c
    }

    private static var currentThread: UInt { unsafeBitCast(pthread_self(), to: UInt.self) }

    /// Runs `body` with this thread's connection: the one it already holds (nested call), or one
    /// from the pool (waiting while all `connections` are in use), given back when `body` ends.
    func withLease<T>(_ body: (Lease) throws -> T) throws -> T {
        let me = Self.currentThread
        pool.lock()
        if let held = leases[me] { pool.unlock(); return try body(held) }
        var connection: PostgresConnection? = nil
        while connection == nil {
            if let c = idle.popLast() {
                if c.isClosed { opened -= 1; continue }   // the server hung up: open another
                connection = c
            } else if opened < connections {
                opened += 1
                pool.unlock()
                do { connection = try connect() } catch {
                    pool.lock(); opened -= 1; pool.signal(); pool.unlock()
                    throw error
                }
                pool.lock()
            } else {
                pool.wait()
            }
        }
        let lease = Lease(connection!)
        leases[me] = lease
        pool.unlock()
        defer {
            pool.lock()
            leases[me] = nil
            if lease.depth != 0 || lease.connection.isClosed { opened -= 1 } else { idle.append(lease.connection) }
            pool.signal()
            pool.unlock()
        }
        return try body(lease)
    }

    /// Runs statements separated by `;` (the registry's scripts have no `;` inside literals), one at a time.
    static func simple(_ connection: PostgresConnection, _ sql: String, _ logger: Logger) throws {
        for statement in sql.split(separator: ";") where !statement.allSatisfy(\.isWhitespace) {
            _ = try run(connection, String(statement), PostgresBindings(), logger)
        }
    }

    func simple(_ sql: String) throws { try withLease { try Self.simple($0.connection, sql, logger) } }

    public func write<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        writers.lock(); defer { writers.unlock() }
        return try withLease { lease in try transaction(lease, readOnly: false) { try body(PostgresSession(self, lease.connection)) } }
    }

    public func read<T>(_ body: (any SQLSession) throws -> T) throws -> T {
        try withLease { lease in try transaction(lease, readOnly: true) { try body(PostgresSession(self, lease.connection)) } }
    }

    /// `body` in a transaction of `lease`: a new one (read-only for reads), or, nested, a savepoint
    /// of the open one (a read inside a write sees the write's rows).
    private func transaction<T>(_ lease: Lease, readOnly: Bool, _ body: () throws -> T) throws -> T {
        let outer = lease.depth == 0
        lease.depth += 1
        defer { lease.depth -= 1 }
        let c = lease.connection
        try Self.simple(c, outer ? (readOnly ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "BEGIN") : "SAVEPOINT nested_\(lease.depth)", logger)
        do {
            let result = try body()
            try Self.simple(c, outer ? "COMMIT" : "RELEASE SAVEPOINT nested_\(lease.depth)", logger)
            return result
        } catch {
            try? Self.simple(c, outer ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT nested_\(lease.depth)", logger)
            throw error
        }
    }

    public func migrate(_ migrations: [SQLMigration]) throws {
        writers.lock(); defer { writers.unlock() }
        try withLease { lease in
            let c = lease.connection
            // One migrator at a time across processes (a server and a `harmonic users` run starting together).
            try Self.simple(c, "SELECT pg_advisory_lock(7461726)", logger)
            defer { try? Self.simple(c, "SELECT pg_advisory_unlock(7461726)", logger) }
            try Self.simple(c, "CREATE TABLE IF NOT EXISTS harmonic_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)", logger)
            let done = Set(try read { try $0.strings("SELECT identifier FROM harmonic_migrations") })
            for m in migrations where !done.contains(m.identifier) {
                try write { s in
                    try m.apply(s)
                    try s.execute("INSERT INTO harmonic_migrations VALUES (?, ?)",
                                  [m.identifier.databaseValue, UTCTimestamp.string(from: Date()).databaseValue])
                }
            }
        }
    }

    /// A value as a PostgreSQL bind (64-bit integer, double, text, bytes or NULL).
    static func bind(_ v: DatabaseValue, into binds: inout PostgresBindings) {
        switch v.storage {
        case .null: binds.appendNull()
        case .int64(let x): binds.append(x)
        case .double(let x): binds.append(x)
        case .string(let x): binds.append(x)
        case .blob(let d): binds.append(ByteBuffer(bytes: d))
        }
    }

    /// Runs one statement with `binds` on `connection`, collecting its rows.
    static func run(_ connection: PostgresConnection, _ sql: String, _ binds: PostgresBindings, _ logger: Logger) throws -> PostgresQueryResult {
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

/// One turn on a connection of the pool (inside `read` or `write`).
final class PostgresSession: SQLSession {
    let backend: PostgresBackend
    let connection: PostgresConnection
    init(_ backend: PostgresBackend, _ connection: PostgresConnection) { self.backend = backend; self.connection = connection }
    var dialect: SQLDialect { .postgres }

    /// Runs `sql` (already numbered) with `binds`.
    func query(_ sql: String, _ binds: PostgresBindings) throws -> PostgresQueryResult {
        try PostgresBackend.run(connection, sql, binds, backend.logger)
    }

    func run(_ sql: String, _ arguments: [DatabaseValue]) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.count)
        for v in arguments { PostgresBackend.bind(v, into: &binds) }
        return try query(PostgresBackend.numbered(sql), binds)
    }

    func execute(_ sql: String, _ arguments: [DatabaseValue]) throws -> Int { try run(sql, arguments).metadata.rows ?? 0 }

    func executeScript(_ sql: String) throws { try PostgresBackend.simple(connection, sql, backend.logger) }

    func fetch(_ sql: String, _ arguments: [DatabaseValue]) throws -> [[DatabaseValue]] {
        try run(sql, arguments).rows.map { row in try row.map(PostgresBackend.value) }
    }

    func forEach(_ sql: String, _ arguments: [DatabaseValue], _ body: ([DatabaseValue]) throws -> Void) throws {
        for row in try run(sql, arguments).rows { try body(try row.map(PostgresBackend.value)) }
    }

    func prepare(_ sql: String) throws -> any SQLStatement { PostgresStatement(session: self, sql: sql) }

    func prepareMerge(_ target: MergeTarget) throws -> any SQLRowMerge { PostgresRowMerge(self, target) }

    func prepareBatch(_ target: BatchTarget) throws -> any SQLBatchWriter { PostgresBatchWriter(self, target) }

    /// The default one-row batch (rows that have no exact JSON form).
    func prepareBatchRowByRow(_ target: BatchTarget) throws -> any SQLBatchWriter {
        try RowByRowBatch(self, target)
    }

    func insertReturningID(_ sql: String, _ arguments: [DatabaseValue], idColumn: String) throws -> Int64 {
        let rows = try run(sql + " RETURNING \(SQLDialect.quote(idColumn))", arguments).rows
        guard let cell = rows.first?.first, let id = Int64.fromDatabaseValue(try PostgresBackend.value(cell)) else {
            throw PostgresStoreError("insert returned no \(idColumn): `\(sql.prefix(200))`")
        }
        return id
    }
}

final class PostgresStatement: SQLStatement {
    let session: PostgresSession
    let sql: String
    init(session: PostgresSession, sql: String) { self.session = session; self.sql = sql }
    func run(_ arguments: [DatabaseValue]) throws -> Int { try session.run(sql, arguments).metadata.rows ?? 0 }
}

/// A PostgreSQL store that cannot be reached or refused a statement.
public struct PostgresStoreError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

/// `postgres://user:password@host:port/database[?sslmode=MODE]`, parsed once (the password is never printed).
public struct PostgresURL: Sendable, CustomStringConvertible {
    public let user: String, password: String?, host: String, port: Int, database: String
    /// libpq's `sslmode` (PostgreSQL 16 documentation, §34.19.1 "SSL Support"): `disable`, `allow`,
    /// `prefer` (libpq's default) or `require`, `verify-ca`, `verify-full`.
    public let sslMode: String
    /// Modes that must not connect without TLS.
    public static let tlsRequiredModes: Set<String> = ["require", "verify-ca", "verify-full"]
    /// Modes that may connect in clear.
    public static let clearModes: Set<String> = ["disable", "allow", "prefer"]
    public init(_ text: String) throws {
        guard let c = URLComponents(string: text), c.scheme == "postgres" || c.scheme == "postgresql",
              let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty else {
            throw PostgresStoreError("PostgreSQL URL '\(text.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression))': "
                                     + "expected postgres://USER:PASSWORD@HOST:PORT/DATABASE")
        }
        let db = String(c.path.drop { $0 == "/" })
        guard !db.isEmpty else { throw PostgresStoreError("PostgreSQL URL for \(host): no database name; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE") }
        var mode = "prefer"
        for item in c.queryItems ?? [] {
            guard item.name == "sslmode" else {
                throw PostgresStoreError("PostgreSQL URL for \(host): parameter '\(item.name)' is not supported; expected only sslmode (disable, allow, prefer, require, verify-ca, verify-full)")
            }
            let value = item.value ?? ""
            guard Self.clearModes.contains(value) || Self.tlsRequiredModes.contains(value) else {
                throw PostgresStoreError("PostgreSQL URL for \(host): sslmode=\(value) is not an sslmode; expected disable, allow, prefer, require, verify-ca or verify-full")
            }
            mode = value
        }
        // Harmonic links postgres-nio without NIOSSL (no TLS library among the package's dependencies):
        // a mode that demands TLS is refused rather than silently connecting in clear.
        if Self.tlsRequiredModes.contains(mode) {
            throw PostgresStoreError("PostgreSQL URL for \(host): sslmode=\(mode) asks for TLS, which this build of Harmonic cannot do; "
                                     + "connect over loopback or a Unix socket tunnel (ssh -L, stunnel) and give sslmode=disable, or put the server on the same host")
        }
        self.user = user; password = c.password; self.host = host; port = c.port ?? 5432; database = db; sslMode = mode
    }
    /// The URL with the password hidden.
    public var redacted: String { "postgres://\(user)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" }
    public var description: String { redacted }
}

extension RegistryStore {
    /// The registry on PostgreSQL at `url`, in `schema` (created and migrated if needed), with at
    /// most `connections` connections (the pool: one writer, the others read at once).
    public static func postgres(url: String, schema: String = "public", role: Role, connections: Int = 4) throws -> RegistryStore {
        try RegistryStore(backend: PostgresBackend(url: url, schema: schema, connections: connections), role: role)
    }
}
