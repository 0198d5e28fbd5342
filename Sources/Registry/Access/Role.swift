/// Who uses the store, and what they may do. Enforced by every `RegistryStore` method
/// (the full matrix: docs/registry-roles.md; the server's roles: docs/server.md).
/// - data manager: loads and corrects the data of their own site; sees its rows, quarantine and
///   audit through the typed queries; no raw SQL (it would reach other sites' rows).
/// - analyst: reads the pooled, pseudonymised data of all sites, also with raw SQL on a read-only
///   connection that refuses the audit tables and the raw quarantine values; no loading.
/// - auditor: reads the audit trail and quarantine of all sites; no loading, no data rows.
/// - admin: manages users and sites; no data rows, no loading.
/// - clinician: the dose calculator, and the rows of a child of their own site found by the
///   site's own id (pseudonymised on the server); no loading, no pooled data.
public enum Role: Sendable, Hashable, CustomStringConvertible {
    case dataManager(site: String)
    case analyst
    case auditor
    case admin
    case clinician(site: String)

    public var description: String {
        switch self {
        case .dataManager(let site): "data_manager(\(site))"
        case .analyst: "analyst"
        case .auditor: "auditor"
        case .admin: "admin"
        case .clinician(let site): "clinician(\(site))"
        }
    }

    /// The role's name without its site (`users.role` in the store, `--role` of `harmonic users add`).
    public var name: String {
        switch self {
        case .dataManager: "data_manager"
        case .analyst: "analyst"
        case .auditor: "auditor"
        case .admin: "admin"
        case .clinician: "clinician"
        }
    }

    /// The site a role is bound to (data managers and clinicians), nil for consortium-wide roles.
    public var site: String? {
        switch self {
        case .dataManager(let s), .clinician(let s): s
        default: nil
        }
    }

    /// Role names accepted by `Role(name:site:)`.
    public static let names = ["admin", "data_manager", "analyst", "clinician", "auditor"]

    /// A role from its name (`site_data_manager` and `data-manager` are accepted too) and site.
    /// Throws when the name is unknown, or a site-bound role lacks a site (or a consortium role has one).
    public init(name: String, site: String?) throws(RoleError) {
        let key = name.lowercased().replacingOccurrences(of: "-", with: "_")
        let site = site.map { $0.uppercased() }.flatMap { $0.isEmpty ? nil : $0 }
        if let site, !(site.count == 2 && site.allSatisfy { $0.isASCII && $0.isLetter }) {
            throw RoleError("site '\(site)' is not a two-letter country code (e.g. NO, FR)")
        }
        switch key {
        case "data_manager", "site_data_manager":
            guard let site else { throw RoleError("role data_manager needs --site (the country code of its site, e.g. NO)") }
            self = .dataManager(site: site)
        case "clinician":
            guard let site else { throw RoleError("role clinician needs --site (the country code of its site, e.g. NO)") }
            self = .clinician(site: site)
        case "analyst", "auditor", "admin":
            if let site { throw RoleError("role \(key) is consortium-wide and takes no --site (got \(site))") }
            self = key == "analyst" ? .analyst : key == "auditor" ? .auditor : .admin
        default:
            throw RoleError("unknown role '\(name)'; expected one of \(Role.names.joined(separator: ", "))")
        }
    }
}

/// A role name or site that cannot be used.
public struct RoleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

/// A request the caller's role does not allow.
public struct AccessDenied: Error, Sendable, CustomStringConvertible {
    public let role: Role
    public let action: String
    public var description: String { "access denied: role \(role) may not \(action)" }
}
