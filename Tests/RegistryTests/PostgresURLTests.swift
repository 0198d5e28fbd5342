import Foundation
import Registry
import RegistryPostgres
import Testing

/// The PostgreSQL address: `sslmode` read from the URL (TLS-demanding modes refused, never a
/// silent clear-text connection) and the pool size (`harmonic serve --pg-pool-size`).
@Suite("Registry: PostgreSQL URL, sslmode and pool size")
struct PostgresURLTests {
    @Test("sslmode disable, allow and prefer are read (prefer when absent, libpq's default)",
          arguments: [("", "prefer"), ("?sslmode=disable", "disable"), ("?sslmode=allow", "allow"), ("?sslmode=prefer", "prefer")])
    func clearModes(_ query: String, _ mode: String) throws {
        let url = try PostgresURL("postgres://harmonic:secret@db.example:5433/harmonic\(query)")
        #expect(url.sslMode == mode && url.host == "db.example" && url.port == 5433 && url.database == "harmonic")
        #expect(!url.redacted.contains("secret"))
    }

    @Test("sslmode require, verify-ca and verify-full are refused with an error naming the mode and what to do, not connected in clear",
          arguments: ["require", "verify-ca", "verify-full"])
    func tlsModesRefused(_ mode: String) throws {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresURL("postgres://harmonic:secret@db.example/harmonic?sslmode=\(mode)") }
        let text = error?.description ?? ""
        #expect(text.contains("sslmode=\(mode)") && text.contains("TLS") && text.contains("sslmode=disable"), "\(text)")
        #expect(!text.contains("secret"))
        // Also where a store is opened: nothing is attempted.
        #expect(throws: PostgresStoreError.self) { try RegistryStore.postgres(url: "postgres://harmonic:secret@127.0.0.1:1/harmonic?sslmode=\(mode)", role: .admin) }
    }

    @Test("an unknown sslmode or another URL parameter is refused naming it", arguments: ["?sslmode=yes", "?sslmode=", "?sslrootcert=/etc/ca.pem", "?application_name=x"])
    func badParameters(_ query: String) throws {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresURL("postgres://harmonic@db.example/harmonic\(query)") }
        let name = query.dropFirst().split(separator: "=", omittingEmptySubsequences: false)
        let text = error?.description ?? ""
        #expect(name[0] == "sslmode" ? text.contains("sslmode=\(name[1])") : text.contains("'\(name[0])'"), "\(text)")
    }

    @Test("a pool size outside 1-64 is refused before connecting", arguments: [0, -1, 65])
    func poolSizeRange(_ n: Int) throws {
        let error = #expect(throws: PostgresStoreError.self) { try PostgresBackend(url: "postgres://harmonic@127.0.0.1:1/harmonic", connections: n) }
        #expect(error?.description.contains("got \(n)") == true)
    }

    @Test("a store opened with a pool size and sslmode=disable keeps both and answers a read", .enabled(if: StoreKind.postgresEnabled))
    func poolSizeUsed() throws {
        let url = try #require(StoreKind.postgresURL)
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let store = try RegistryStore.postgres(url: url + (url.contains("?") ? "&" : "?") + "sslmode=disable", schema: schema, role: .admin, connections: 2)
        let backend = try #require(store.backend as? PostgresBackend)
        #expect(backend.connections == 2 && backend.url.sslMode == "disable")
        #expect(try store.users().isEmpty)
    }
}
