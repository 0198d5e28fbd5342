import Foundation
import Registry

extension RegistryStore {
    /// Opens the store named on a command line: a `postgres://` (or `postgresql://`) URL opens the
    /// PostgreSQL store, anything else is the path of an SQLite store (created if missing).
    public static func open(_ address: String, role: Role) throws -> RegistryStore {
        if isPostgresURL(address) { return try postgres(url: address, role: role) }
        return try RegistryStore(path: address, role: role)
    }

    public static func isPostgresURL(_ address: String) -> Bool {
        address.hasPrefix("postgres://") || address.hasPrefix("postgresql://")
    }
}
