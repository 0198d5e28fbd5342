import Foundation
import Registry

/// A signed-in user: the account, the random token of its cookie and its CSRF token.
public struct Session: Sendable {
    public let token: String
    public let csrfToken: String
    public let account: UserAccount
    public let expires: Date
    public var role: Role { account.registryRole }
}

/// Sessions in memory (a restart signs everyone out). Tokens are 256 random bits from the
/// system generator (OWASP Session Management Cheat Sheet: at least 64 bits of entropy).
public actor SessionStore {
    private var sessions: [String: Session] = [:]
    /// Idle sessions end after this long.
    public let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 8 * 3600) { self.lifetime = lifetime }

    public func open(for account: UserAccount) -> Session {
        let s = Session(token: Self.randomToken(), csrfToken: Self.randomToken(), account: account, expires: Date().addingTimeInterval(lifetime))
        sessions[s.token] = s
        return s
    }

    public func session(_ token: String) -> Session? {
        guard let s = sessions[token] else { return nil }
        if s.expires < Date() { sessions[token] = nil; return nil }
        return s
    }

    public func close(_ token: String) { sessions[token] = nil }

    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", g.next() as UInt64) }.joined()
    }
}
