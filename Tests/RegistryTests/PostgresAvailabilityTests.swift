import Testing
import Registry
import RegistryPostgres

@Suite("PostgreSQL store availability")
struct PostgresAvailabilityTests {
    @Test("the PostgreSQL test server answers (the PostgreSQL cases of every store test run)",
          .enabled(if: StoreKind.postgresEnabled, Comment(rawValue: StoreKind.enableHint)))
    func serverAnswers() throws {
        let store = try StoreKind.postgres.makeStore(role: .admin)
        #expect(store.backend.dialect == .postgres)
    }

    @Test("a PostgreSQL URL without a database or user is refused with the expected form")
    func badURL() {
        #expect(throws: PostgresStoreError.self) { try PostgresURL("postgres://localhost:5432") }
        #expect(throws: PostgresStoreError.self) { try PostgresURL("mysql://u:p@h/db") }
        #expect((try? PostgresURL("postgres://u:secret@h:6000/db"))?.redacted == "postgres://u:***@h:6000/db")
    }

    @Test("a server that does not answer gives an error naming the URL (password hidden) and how to start one")
    func unreachable() {
        do {
            _ = try PostgresBackend(url: "postgres://u:secret@127.0.0.1:1/db")
            Issue.record("connected to port 1")
        } catch {
            #expect("\(error)".contains("127.0.0.1:1") && !"\(error)".contains("secret") && "\(error)".contains(".ci/postgres"))
        }
    }
}
