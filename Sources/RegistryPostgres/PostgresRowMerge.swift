import GRDB
import PostgresNIO
import Registry

/// The ingest's write of a data table on PostgreSQL: a run of rows as one statement,
///
///     INSERT INTO t (site, c1, …, load_id) VALUES ($1, …), ($k, …), …
///     ON CONFLICT (site, key) DO UPDATE SET c1 = EXCLUDED.c1, …, load_id = EXCLUDED.load_id
///       WHERE t.c1 IS DISTINCT FROM EXCLUDED.c1 OR …
///     RETURNING key, (xmax = 0)
///
/// so that a batch of rows costs one round trip (it was one or two per row: 256 rows/s).
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
        var binds = PostgresBindings(capacity: rows * (n + 2))
        for r in 0..<rows {
            binds.append(site)
            for v in values[(values.startIndex + r * n)..<(values.startIndex + r * n + n)] { PostgresBackend.bind(v, into: &binds) }
            binds.append(loadID)
        }
        let result = try session.query(statement(rows: rows), binds)
        var written: [DatabaseValue: MergeOutcome] = [:]
        for row in result.rows {
            var cells = row.makeIterator()
            guard let keyCell = cells.next(), let insertedCell = cells.next() else { continue }
            written[try PostgresBackend.value(keyCell)] = try PostgresBackend.value(insertedCell) == 1.databaseValue ? .inserted : .updated
        }
        return (0..<rows).map { written[values[values.startIndex + $0 * n + k]] ?? .unchanged }
    }

    private func statement(rows: Int) -> String {
        if let s = statements[rows] { return s }
        let q = SQLDialect.quote, n = target.columns.count, table = q(target.table)
        let key = q(target.columns[target.keyPosition])
        let nonKey = target.columns.enumerated().filter { $0.offset != target.keyPosition }.map { q($0.element) }
        var sql = "INSERT INTO \(table) (site, \(target.columns.map(q).joined(separator: ", ")), load_id) VALUES "
        var p = 0
        for r in 0..<rows {
            if r > 0 { sql += ", " }
            sql += "("
            for c in 0..<(n + 2) { p += 1; sql += c == 0 ? "$\(p)" : ", $\(p)" }
            sql += ")"
        }
        sql += " ON CONFLICT (site, \(key)) DO UPDATE SET " + nonKey.map { "\($0) = EXCLUDED.\($0)" }.joined(separator: ", ")
            + ", load_id = EXCLUDED.load_id WHERE " + nonKey.map { "\(table).\($0) IS DISTINCT FROM EXCLUDED.\($0)" }.joined(separator: " OR ")
            + " RETURNING \(key), (xmax = 0)"
        statements[rows] = sql
        return sql
    }
}
