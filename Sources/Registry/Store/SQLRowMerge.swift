import GRDB

/// What writing one data-table row did: a new key was inserted, an existing row got other
/// values (updated), or the stored row already had these values (unchanged, nothing written).
public enum MergeOutcome: Sendable, Equatable {
    case inserted, updated, unchanged
}

/// The ingest's write of a data table (`site`, the dictionary's columns, `load_id`; primary key
/// (site, key)): each row is inserted, or, when its key is stored, updated if any value differs.
/// The store interface's batched hot path: SQLite runs it row by row on prepared statements
/// (`RowByRowMerge`: a call costs microseconds there); PostgreSQL sends a run of rows as one
/// multi-row `INSERT … ON CONFLICT DO UPDATE … WHERE … IS DISTINCT FROM … RETURNING`, so a
/// batch costs one round trip instead of one or two per row (docs/server.md, "Figures").
public protocol SQLRowMerge: AnyObject {
    /// Writes `rows` consecutive rows of `values` (each `columns` values, dictionary order) for
    /// `site` and `loadID`, in order; returns the outcome of each row, in order. A key repeated
    /// within the rows behaves as if the rows were written one after the other.
    func merge(site: String, values: ArraySlice<DatabaseValue>, rows: Int, loadID: Int64) throws -> [MergeOutcome]
}

/// The shape of a data table's merge: its name, store columns (without `site` and `load_id`)
/// and the position of the key among them.
public struct MergeTarget: Sendable {
    public let table: String
    public let columns: [String]
    public let keyPosition: Int
    public init(table: String, columns: [String], keyPosition: Int) {
        self.table = table; self.columns = columns; self.keyPosition = keyPosition
    }
    /// The columns other than the key, with their positions.
    var nonKey: [(offset: Int, element: String)] { columns.enumerated().filter { $0.offset != keyPosition }.map { ($0.offset, $0.element) } }
}

/// The merge as two prepared statements run per row: `INSERT OR IGNORE`, then, when the key
/// existed, an `UPDATE … WHERE` some value differs (the changed-row count says which happened).
final class RowByRowMerge: SQLRowMerge {
    let target: MergeTarget
    let insert: any SQLStatement
    let update: any SQLStatement
    private var u: [DatabaseValue] = []

    init(_ db: any SQLSession, _ target: MergeTarget) throws {
        self.target = target
        let d = db.dialect, q = SQLDialect.quote
        let nonKey = target.nonKey
        insert = try db.prepare(d.insertOrIgnore(target.table, columns: ["site"] + target.columns + ["load_id"]))
        update = try db.prepare("UPDATE \(q(target.table)) SET " + nonKey.map { "\(q($0.element)) = ?" }.joined(separator: ", ")
            + ", load_id = ? WHERE site = ? AND \(q(target.columns[target.keyPosition])) = ? AND ("
            + nonKey.map { "\(q($0.element)) \(d.isDistinctFrom) ?" }.joined(separator: " OR ") + ")")
    }

    func merge(site: String, values: ArraySlice<DatabaseValue>, rows: Int, loadID: Int64) throws -> [MergeOutcome] {
        let n = target.columns.count, nonKey = target.nonKey
        var outcomes: [MergeOutcome] = []
        outcomes.reserveCapacity(rows)
        for r in 0..<rows {
            let row = values[(values.startIndex + r * n)..<(values.startIndex + r * n + n)]
            if try insert.run(site: site, values: row, loadID: loadID) == 1 { outcomes.append(.inserted); continue }
            u.removeAll(keepingCapacity: true)
            for (i, _) in nonKey { u.append(row[row.startIndex + i]) }
            u.append(loadID.databaseValue); u.append(site.databaseValue); u.append(row[row.startIndex + target.keyPosition])
            for (i, _) in nonKey { u.append(row[row.startIndex + i]) }
            outcomes.append(try update.run(u) == 1 ? .updated : .unchanged)
        }
        return outcomes
    }
}
