import GRDB
import Registry

/// PostgreSQL's batched write (`SQLBatchWriter`): rows are held until 1,000 are waiting (or
/// `finish`), then sent as one statement whose one parameter is the rows as JSON, expanded by
/// `json_populate_recordset(NULL::table, $1::json)` (the ingest's technique, `PostgresRowMerge`:
/// values keep the table's column types; a double is written as its shortest round-trip decimal):
/// - upsert: `INSERT INTO t (…) SELECT r.… FROM json_populate_recordset(…) AS r ON CONFLICT (key)
///   DO UPDATE SET c = EXCLUDED.c, …` (as `SQLDialect.insertOrReplace`, one row at a time);
/// - update: `UPDATE t SET c = r.c, … FROM json_populate_recordset(…) AS r WHERE t.k = r.k AND …`.
/// A key repeated within a batch cuts it (PostgreSQL refuses to affect a row twice in one
/// statement, and the later row must win, as row by row). Rows holding a blob or a non-finite
/// double are written one by one on the one-row statement.
final class PostgresBatchWriter: SQLBatchWriter {
    static let batchRows = 1000
    let session: PostgresSession
    let target: BatchTarget
    private var values: [DatabaseValue] = []
    private var keys: Set<String> = []
    private let keyIndexes: [Int]
    private let jsonKeys: [String]
    private lazy var single: any SQLBatchWriter = (try? session.prepareBatchRowByRow(target))!

    init(_ session: PostgresSession, _ target: BatchTarget) {
        self.session = session; self.target = target
        keyIndexes = target.key.map { target.columns.firstIndex(of: $0)! }
        jsonKeys = target.columns.map { "\"" + $0 + "\":" }
        values.reserveCapacity(Self.batchRows * target.columns.count)
    }

    func add(_ row: [DatabaseValue]) throws {
        precondition(row.count == target.columns.count, "batch row of \(target.table): \(row.count) values for \(target.columns.count) columns")
        let key = keyIndexes.map { PostgresRowMerge.keyText(row[$0]) }.joined(separator: "\u{1F}")
        if keys.contains(key) { try flush() }
        keys.insert(key)
        values += row
        if values.count >= Self.batchRows * target.columns.count { try flush() }
    }

    func finish() throws { try flush() }

    private func flush() throws {
        defer { values.removeAll(keepingCapacity: true); keys.removeAll(keepingCapacity: true) }
        guard !values.isEmpty else { return }
        guard let json = PostgresRowMerge.json(values[...], columns: jsonKeys) else {
            let n = target.columns.count
            for start in stride(from: 0, to: values.count, by: n) { try single.add(Array(values[start ..< start + n])) }
            return
        }
        try session.execute(statement, [json.databaseValue])
    }

    private lazy var statement: String = {
        let q = SQLDialect.quote, table = q(target.table)
        let source = "json_populate_recordset(NULL::\(table), ?::json) AS r"
        switch target.mode {
        case .upsert:
            let set = target.setColumns.map { "\(q($0)) = EXCLUDED.\(q($0))" }.joined(separator: ", ")
            return "INSERT INTO \(table) (\(target.columns.map(q).joined(separator: ", "))) SELECT "
                + target.columns.map { "r.\(q($0))" }.joined(separator: ", ") + " FROM \(source) "
                + "ON CONFLICT (\(target.key.map(q).joined(separator: ", "))) " + (set.isEmpty ? "DO NOTHING" : "DO UPDATE SET \(set)")
        case .update:
            return "UPDATE \(table) AS t SET " + target.setColumns.map { "\(q($0)) = r.\(q($0))" }.joined(separator: ", ")
                + " FROM \(source) WHERE " + target.key.map { "t.\(q($0)) = r.\(q($0))" }.joined(separator: " AND ")
        }
    }()
}
