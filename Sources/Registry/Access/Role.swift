/// Who uses the store, and what they may do. Enforced by every `RegistryStore` method
/// (the full matrix: docs/registry-roles.md).
/// - data manager: loads and corrects the data of their own site; sees its rows, quarantine and
///   audit through the typed queries; no raw SQL (it would reach other sites' rows).
/// - analyst: reads the pooled, pseudonymised data of all sites, also with raw SQL on a read-only
///   connection that refuses the audit tables and the raw quarantine values; no loading.
/// - auditor: reads the audit trail and quarantine of all sites; no loading, no data rows.
public enum Role: Sendable, Hashable, CustomStringConvertible {
    case dataManager(site: String)
    case analyst
    case auditor

    public var description: String {
        switch self {
        case .dataManager(let site): "data_manager(\(site))"
        case .analyst: "analyst"
        case .auditor: "auditor"
        }
    }
}

/// A request the caller's role does not allow.
public struct AccessDenied: Error, Sendable, CustomStringConvertible {
    public let role: Role
    public let action: String
    public var description: String { "access denied: role \(role) may not \(action)" }
}
