import Foundation
import Registry
import RegistryPostgres

/// The two implementations of the store interface. The registry's behaviour tests run on each
/// (`@Test(arguments: StoreKind.all)`) and must give the same results.
///
/// PostgreSQL cases run when `HARMONIC_TEST_POSTGRES_URL` names a server (`eval "$(.ci/postgres)"`
/// starts one on loopback and prints the line to export) or when `CI=true` (then a missing server
/// fails the tests instead of skipping them). Otherwise they are left out, and
/// `PostgresAvailabilityTests` says so with the command that enables them.
enum StoreKind: String, CustomStringConvertible, Sendable, CaseIterable {
    case sqlite, postgres

    /// The store kind of the running test case (set by the parameterised tests).
    @TaskLocal static var current: StoreKind = .sqlite

    static let postgresURL = ProcessInfo.processInfo.environment["HARMONIC_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static let inCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static var postgresEnabled: Bool { postgresURL != nil || inCI }
    static let enableHint = "PostgreSQL store tests skipped: start a server with `eval \"$(.ci/postgres)\"` (exports HARMONIC_TEST_POSTGRES_URL), then run swift test again"

    /// The kinds the tests run on here.
    static var all: [StoreKind] { postgresEnabled ? [.sqlite, .postgres] : [.sqlite] }

    var description: String { rawValue }

    /// A fresh, empty store of this kind (PostgreSQL: a new schema of the test database).
    func makeStore(role: Role) throws -> RegistryStore {
        switch self {
        case .sqlite: return try RegistryStore.inMemory(role: role)
        case .postgres:
            guard let url = Self.postgresURL else {
                throw PostgresStoreError("CI=true but HARMONIC_TEST_POSTGRES_URL is unset: .ci/run must start PostgreSQL (.ci/postgres) before the tests")
            }
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            return try RegistryStore.postgres(url: url, schema: schema, role: role)
        }
    }
}
