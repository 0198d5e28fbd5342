import Foundation
import GRDB
import Registry
import Testing

/// `SQLSession.prepareBatch`: the dose runs' batched write gives the rows a row-by-row write
/// gives, on both stores (PostgreSQL: 1,000 rows a statement).
@Suite("Registry: batched writes of many rows (dose runs)")
struct BatchWriterTests {
    static func rows(_ store: RegistryStore) throws -> [[DatabaseValue]] {
        try store.backend.read { try $0.fetch("SELECT k, n, x, t FROM batch_t ORDER BY k") }
    }

    static func table(_ store: RegistryStore) throws {
        try store.backend.write { db in
            try db.executeScript("CREATE TABLE batch_t (k TEXT NOT NULL PRIMARY KEY, n \(db.dialect.integer), x \(db.dialect.real), t TEXT)")
        }
    }

    @Test("2,500 upserted rows across statement boundaries, a key repeated (the later row wins), then updates of some, equal a row-by-row write",
          arguments: StoreKind.all)
    func upsertAndUpdate(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        try Self.table(store)
        var expected: [String: [DatabaseValue]] = [:]
        try store.backend.write { db in
            let insert = try db.prepareBatch(BatchTarget(table: "batch_t", columns: ["k", "n", "x", "t"], key: ["k"], mode: .upsert))
            for i in 0..<2500 {
                let row: [DatabaseValue] = [String(format: "k%05d", i).databaseValue, i.databaseValue, (Double(i) / 7).databaseValue,
                                            (i % 3 == 0 ? "quote ' \" \\ é; DROP TABLE batch_t" : "t\(i)").databaseValue]
                try insert.add(row); expected[row[0].description] = row
            }
            let again: [DatabaseValue] = ["k00005".databaseValue, 99.databaseValue, DatabaseValue.null, "later".databaseValue]
            try insert.add(again); expected[again[0].description] = again
            try insert.finish()
            let update = try db.prepareBatch(BatchTarget(table: "batch_t", columns: ["n", "t", "k"], key: ["k"], mode: .update))
            for i in stride(from: 0, to: 2500, by: 250) {
                let k = String(format: "k%05d", i)
                try update.add([(-i).databaseValue, "moved".databaseValue, k.databaseValue])
                expected[k.databaseValue.description] = [k.databaseValue, (-i).databaseValue, expected[k.databaseValue.description]![2], "moved".databaseValue]
            }
            try update.finish()
        }
        let stored = try Self.rows(store)
        #expect(stored.count == 2500)
        for r in stored {
            let e = try #require(expected[r[0].description])
            #expect(r[0] == e[0] && r[1] == e[1] && r[3] == e[3], "\(r) vs \(e)")
            #expect(Double.fromDatabaseValue(r[2]) == Double.fromDatabaseValue(e[2]), "doubles stored exactly: \(r)")
        }
    }

    @Test("a row holding a non-finite double is still written (one by one, not as JSON)", arguments: StoreKind.all)
    func nonFinite(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        try Self.table(store)
        try store.backend.write { db in
            let insert = try db.prepareBatch(BatchTarget(table: "batch_t", columns: ["k", "n", "x", "t"], key: ["k"], mode: .upsert))
            try insert.add(["a".databaseValue, 1.databaseValue, Double.infinity.databaseValue, "inf".databaseValue])
            try insert.add(["b".databaseValue, 2.databaseValue, 0.1.databaseValue, "ok".databaseValue])
            try insert.finish()
        }
        let stored = try Self.rows(store)
        #expect(stored.map { $0[0] } == ["a".databaseValue, "b".databaseValue])
        #expect(Double.fromDatabaseValue(stored[0][2]) == .infinity && Double.fromDatabaseValue(stored[1][2]) == 0.1)
    }
}
