import Foundation
import HarmonicCore
import GRDB
import HummingbirdBcrypt

/// An account of the platform: a name and the role it works in.
public struct UserAccount: Sendable, Hashable, Codable {
    public let name: String
    public let role: String
    public let site: String?
    /// The account's `Role`.
    public var registryRole: Role { (try? Role(name: role, site: site)) ?? .auditor }
}

/// One entry of the request audit trail (`audit_events`).
public struct AuditEvent: Sendable, Hashable, Codable {
    public let id: Int64
    public let at: String
    public let user: String
    public let role: String
    public let site: String?
    public let action: String
    public let target: String
    public let outcome: String
}

/// A user name or password that cannot be stored.
public struct UserError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ d: String) { description = d }
}

extension RegistryStore {
    /// bcrypt work factor (2^12 rounds, about 0.2 s per hash here): OWASP Password Storage Cheat
    /// Sheet (2024) asks for a work factor of at least 10 for bcrypt.
    public static let bcryptCost: UInt8 = 12
    /// Shortest accepted password (NIST SP 800-63B §5.1.1.2 asks at least 8; a shared consortium platform asks more).
    public static let minimumPasswordLength = 12

    /// Adds an account, or replaces the role, site and password of an existing one (admin only).
    /// The password is stored only as its bcrypt hash; the change is audited under `actor`.
    @discardableResult
    public func addUser(name: String, role newRole: Role, password: String, actor: String) throws -> UserAccount {
        try require(role == .admin, "manage users (admin only)")
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "._-@".contains($0)) }) else {
            throw UserError("user name '\(name)': expected 1-64 characters from letters, digits and . _ - @")
        }
        guard password.count >= Self.minimumPasswordLength else {
            throw UserError("password of \(name): \(password.count) characters; expected at least \(Self.minimumPasswordLength)")
        }
        guard password.utf8.count <= 72 else {
            throw UserError("password of \(name): \(password.utf8.count) bytes; bcrypt uses at most 72 bytes, expected at most 72")
        }
        let hash = Bcrypt.hash(password, cost: Self.bcryptCost)
        let now = UTCTimestamp.string(from: Date())
        let account = UserAccount(name: name, role: newRole.name, site: newRole.site)
        try backend.write { db in
            let existed = try db.execute("UPDATE users SET role = ?, site = ?, password_hash = ?, changed_at = ? WHERE name = ?",
                                         [account.role.databaseValue, account.site.databaseValue, hash.databaseValue, now.databaseValue, name.databaseValue]) > 0
            if !existed {
                try db.execute("INSERT INTO users (name, role, site, password_hash, created_at, changed_at) VALUES (?,?,?,?,?,?)",
                               [name, account.role, account.site, hash, now, now].map { $0.databaseValue })
            }
            try Self.recordEvent(db, user: actor, role: role, action: existed ? "user.change" : "user.add",
                                 target: "\(name) as \(newRole)", outcome: "ok")
        }
        return account
    }

    /// Every account (admin only), by name.
    public func users() throws -> [UserAccount] {
        try require(role == .admin, "list users (admin only)")
        return try backend.read { db in
            try db.fetch("SELECT name, role, site FROM users ORDER BY name").map { UserAccount(name: $0.string(0) ?? "", role: $0.string(1) ?? "", site: $0.string(2)) }
        }
    }

    /// The account of `name` when `password` matches its bcrypt hash; nil otherwise (unknown users
    /// cost a hash too, so timing does not tell which names exist).
    public func authenticate(name: String, password: String) throws -> UserAccount? {
        let row = try backend.read { db in try db.fetch("SELECT name, role, site, password_hash FROM users WHERE name = ?", [name.databaseValue]).first }
        guard let row, let hash = row.string(3) else {
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            return nil
        }
        guard Bcrypt.verify(password, hash: hash) else { return nil }
        return UserAccount(name: row.string(0) ?? "", role: row.string(1) ?? "", site: row.string(2))
    }
    private static let decoyHash = Bcrypt.hash("harmonic decoy password", cost: bcryptCost)

    /// Records who did what (`audit_events`), e.g. a server request that read or changed registry data.
    /// `roleName` overrides the store's role in the record (e.g. "anonymous" for a failed sign-in).
    public func audit(user: String, action: String, target: String, outcome: String, roleName: String? = nil) throws {
        try backend.write { db in
            try Self.recordEvent(db, user: user, roleName: roleName ?? role.name, site: roleName == nil ? role.site : nil,
                                 action: action, target: target, outcome: outcome)
        }
    }

    static func recordEvent(_ db: any SQLSession, user: String, role: Role, action: String, target: String, outcome: String) throws {
        try recordEvent(db, user: user, roleName: role.name, site: role.site, action: action, target: target, outcome: outcome)
    }

    static func recordEvent(_ db: any SQLSession, user: String, roleName: String, site: String?, action: String, target: String, outcome: String) throws {
        try db.execute("INSERT INTO audit_events (at, \"user\", role, site, action, target, outcome) VALUES (?,?,?,?,?,?,?)",
                       [UTCTimestamp.string(from: Date()).databaseValue, user.databaseValue, roleName.databaseValue,
                        site.databaseValue, action.databaseValue, target.databaseValue, outcome.databaseValue])
    }

    /// The request audit trail (auditor: all; data manager: events of its own site), oldest first.
    public func auditEvents(limit: Int = 1000) throws -> [AuditEvent] {
        switch role { case .auditor, .dataManager: break; default: throw AccessDenied(role: role, action: "read the audit trail") }
        let site = role.site
        return try backend.read { db in
            try db.fetch("SELECT id, at, \"user\", role, site, action, target, outcome FROM audit_events"
                         + (site == nil ? "" : " WHERE site = ?") + " ORDER BY id LIMIT ?",
                         (site.map { [$0.databaseValue] } ?? []) + [limit.databaseValue]).map {
                AuditEvent(id: $0.int64(0) ?? 0, at: $0.string(1) ?? "", user: $0.string(2) ?? "", role: $0.string(3) ?? "", site: $0.string(4),
                           action: $0.string(5) ?? "", target: $0.string(6) ?? "", outcome: $0.string(7) ?? "")
            }
        }
    }
}
