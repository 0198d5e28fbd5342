import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

/// The PostgreSQL store's pool: reads go on while one transaction writes (as SQLite's WAL mode).
@Suite("PostgreSQL: reads on other connections while a write is open")
struct PostgresPoolTests {
    @Test("a read answers, with the committed rows, while another thread holds a write transaction open; after the commit it sees the write",
          .enabled(if: StoreKind.postgresEnabled, Comment(rawValue: StoreKind.enableHint)))
    func readDuringWrite() throws {
        let store = try StoreKind.postgres.makeStore(role: .dataManager(site: "NO"))
        try Fixture.load(store, ["patients": Fixture.patients])   // P1 M, P2 F
        let inWrite = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        let backend = store.backend
        DispatchQueue.global().async {
            _ = try? backend.write { db in
                try db.execute("UPDATE patients SET sex = 'F' WHERE site = 'NO'")
                inWrite.signal()
                release.wait()
            }
            done.signal()
        }
        #expect(inWrite.wait(timeout: .now() + 60) == .success)
        let read = DispatchSemaphore(value: 0)
        let males = Locked<Int?>(nil)
        DispatchQueue.global().async {
            males.set(try? backend.read { try $0.scalar("SELECT COUNT(*) FROM patients WHERE sex = 'M'").flatMap { Int.fromDatabaseValue($0) } })
            read.signal()
        }
        // With one connection (before the pool) this read waited for the write: here it answers first.
        #expect(read.wait(timeout: .now() + 60) == .success)
        #expect(males.get() == 1)
        release.signal()
        #expect(done.wait(timeout: .now() + 60) == .success)
        #expect(try backend.read { try $0.scalar("SELECT COUNT(*) FROM patients WHERE sex = 'M'").flatMap { Int.fromDatabaseValue($0) } } == 0)
    }
}

/// A value shared between threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ v: T) { value = v }
    func set(_ v: T) { lock.withLock { value = v } }
    func get() -> T { lock.withLock { value } }
}
