import GRDB
import PostgresNIO
import Registry

/// The ingest's write of a data table on PostgreSQL: a run of rows as one statement, so that a
/// batch costs one round trip (it was one or two per row: 256 rows/s). The run travels as one
/// bound parameter, a JSON array of the rows (column name → value), expanded on the server:
///
///     WITH w AS (INSERT INTO t (site, c1, …, load_id)
///                SELECT $1, r.c1, …, $2 FROM json_populate_recordset(NULL::t, $3::json) AS r
///                ON CONFLICT (site, key) DO UPDATE SET c1 = EXCLUDED.c1, …, load_id = EXCLUDED.load_id
///                  WHERE t.c1 IS DISTINCT FROM EXCLUDED.c1 OR …
///                RETURNING key::text AS k, (xmax = 0) AS inserted)
///     SELECT string_agg(k, …) FILTER (WHERE inserted), string_agg(k, …) FILTER (WHERE NOT inserted) FROM w
///
/// One parameter instead of one per value: postgres-nio's per-value encoding was most of the
/// client's time (perf, debug build), and the answer is one row, not one per row. Values keep
/// their types: the record takes the table's column types; integers and text are exact in JSON,
/// and a double is written as Swift's shortest round-trip decimal, which PostgreSQL's float8
/// input reads back to the same double. Runs holding a blob or a non-finite double use the same
/// statement with one parameter per value (`VALUES ($1, …), …`) instead.
/// A returned row was written: `xmax = 0` on a row version this statement inserted, the
/// updating transaction's id on one it updated (the usual upsert idiom; PostgreSQL docs,
/// "System Columns", and "INSERT … ON CONFLICT": the `WHERE` of `DO UPDATE` leaves rows it does
/// not match unwritten and unreturned). A key not returned was unchanged.
/// A key may appear only once per statement ("ON CONFLICT DO UPDATE command cannot affect row a
/// second time"), so a run is cut where a key repeats, and where it would pass PostgreSQL's
/// 65,535 bind parameters.
final class PostgresRowMerge: SQLRowMerge {
    let session: PostgresSession
    let target: MergeTarget
    /// Rows per statement: at most 1,000, and fewer than 65,535 parameters.
    let rowsPerStatement: Int
    /// The statement text for a given number of rows (runs have few distinct lengths).
    private var statements: [Int: String] = [:]

    init(_ session: PostgresSession, _ target: MergeTarget) {
        self.session = session; self.target = target
        rowsPerStatement = max(1, min(1_000, 65_535 / (target.columns.count + 2)))
    }

    func merge(site: String, values: ArraySlice<DatabaseValue>, rows: Int, loadID: Int64) throws -> [MergeOutcome] {
        let n = target.columns.count, k = target.keyPosition
        var outcomes: [MergeOutcome] = []
        outcomes.reserveCapacity(rows)
        var start = 0
        var keys = Set<DatabaseValue>()
        while start < rows {
            // The longest run from `start` with distinct keys and within the parameter limit.
            keys.removeAll(keepingCapacity: true)
            var end = start
            while end < rows, end - start < rowsPerStatement, keys.insert(values[values.startIndex + end * n + k]).inserted { end += 1 }
            outcomes += try run(site: site, values: values[(values.startIndex + start * n)..<(values.startIndex + end * n)], rows: end - start, loadID: loadID)
            start = end
        }
        return outcomes
    }

    private func run(site: String, values: ArraySlice<DatabaseValue>, rows: Int, loadID: Int64) throws -> [MergeOutcome] {
        let n = target.columns.count, k = target.keyPosition
        var binds: PostgresBindings
        let sql: String
        if let json = Self.json(values, columns: jsonKeys) {
            binds = PostgresBindings(capacity: 3)
            binds.append(site); binds.append(loadID); binds.append(json)
            sql = jsonStatement
        } else {
            binds = PostgresBindings(capacity: rows * (n + 2))
            for r in 0..<rows {
                binds.append(site)
                for v in values[(values.startIndex + r * n)..<(values.startIndex + r * n + n)] { PostgresBackend.bind(v, into: &binds) }
                binds.append(loadID)
            }
            sql = statement(rows: rows)
        }
        let result = try session.query(sql, binds)
        var written: [String: MergeOutcome] = [:]
        for row in result.rows {
            var cells = row.makeIterator()
            for outcome in [MergeOutcome.inserted, .updated] {
                guard let cell = cells.next(), let text = String.fromDatabaseValue(try PostgresBackend.value(cell)) else { continue }
                for key in text.split(separator: Self.separator, omittingEmptySubsequences: false) { written[String(key)] = outcome }
            }
        }
        return (0..<rows).map { written[Self.keyText(values[values.startIndex + $0 * n + k])] ?? .unchanged }
    }

    /// Separates keys in the aggregated answer (ASCII unit separator; keys are validated identifiers).
    static let separator: Character = "\u{1F}"

    /// A key as PostgreSQL's `::text` writes it (text as is, integers in decimal).
    static func keyText(_ v: DatabaseValue) -> String {
        switch v.storage {
        case .string(let s): s
        case .int64(let x): String(x)
        case .double(let x): "\(x)"
        case .null: ""
        case .blob(let d): d.base64EncodedString()
        }
    }

    /// `"column":` for each column, written once.
    private lazy var jsonKeys: [String] = target.columns.map { "\"" + $0 + "\":" }

    /// The rows as a JSON array of objects, or nil when a value has no exact JSON form (a blob, a non-finite double).
    static func json(_ values: ArraySlice<DatabaseValue>, columns keys: [String]) -> String? {
        var out = "["
        out.reserveCapacity(values.count * 24)
        var c = 0, first = true
        for v in values {
            if c == 0 { out += first ? "{" : ",{"; first = false } else { out += "," }
            out += keys[c]
            switch v.storage {
            case .null: out += "null"
            case .int64(let x): out += String(x)
            case .double(let x):
                guard x.isFinite else { return nil }
                out += x.description
            case .string(let s): appendJSONString(s, to: &out)
            case .blob: return nil
            }
            c += 1
            if c == keys.count { out += "}"; c = 0 }
        }
        out += "]"
        return out
    }

    /// `s` as a JSON string (RFC 8259 §7: quote, backslash and control characters escaped).
    static func appendJSONString(_ s: String, to out: inout String) {
        out += "\""
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { out += s; out += "\""; return }
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        out += "\""
    }

    /// The statement with the rows in one JSON parameter.
    private lazy var jsonStatement: String = {
        let q = SQLDialect.quote, table = q(target.table)
        return "WITH w AS (INSERT INTO \(table) (site, \(target.columns.map(q).joined(separator: ", ")), load_id) SELECT $1, "
            + target.columns.map { "r.\(q($0))" }.joined(separator: ", ") + ", $2 FROM json_populate_recordset(NULL::\(table), $3::json) AS r"
            + conflictClause + ") " + Self.aggregate
    }()

    /// What follows the inserted rows: the upsert and the keys written.
    private var conflictClause: String {
        let q = SQLDialect.quote, table = q(target.table)
        let key = q(target.columns[target.keyPosition])
        let nonKey = target.columns.enumerated().filter { $0.offset != target.keyPosition }.map { q($0.element) }
        return " ON CONFLICT (site, \(key)) DO UPDATE SET " + nonKey.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            + ", load_id = EXCLUDED.load_id WHERE " + nonKey.map { "\(table).\($0) IS DISTINCT FROM EXCLUDED.\($0)" }.joined(separator: " OR ")
            + " RETURNING \(key)::text AS k, (xmax = 0) AS inserted"
    }

    /// Inserted keys, then updated keys, each joined by the unit separator.
    static let aggregate = "SELECT string_agg(k, chr(31)) FILTER (WHERE inserted), string_agg(k, chr(31)) FILTER (WHERE NOT inserted) FROM w"

    private func statement(rows: Int) -> String {
        if let s = statements[rows] { return s }
        let q = SQLDialect.quote, n = target.columns.count, table = q(target.table)
        var sql = "WITH w AS (INSERT INTO \(table) (site, \(target.columns.map(q).joined(separator: ", ")), load_id) VALUES "
        var p = 0
        for r in 0..<rows {
            if r > 0 { sql += ", " }
            sql += "("
            for c in 0..<(n + 2) { p += 1; sql += c == 0 ? "$\(p)" : ", $\(p)" }
            sql += ")"
        }
        sql += conflictClause + ") " + Self.aggregate
        statements[rows] = sql
        return sql
    }
}
