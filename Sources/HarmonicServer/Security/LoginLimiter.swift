import Foundation

/// Login rate limit: after `maxFailures` failed attempts for one user name within `window`, further
/// attempts are refused (429) until the window of the oldest failure has passed, even with the
/// right password (OWASP Authentication Cheat Sheet, "Login Throttling").
public actor LoginLimiter {
    public let maxFailures: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(maxFailures: Int = 5, window: TimeInterval = 15 * 60) { self.maxFailures = maxFailures; self.window = window }

    /// Seconds to wait before `user` may try again; nil when an attempt is allowed now.
    public func retryAfter(_ user: String, now: Date = Date()) -> Int? {
        let recent = (failures[user.lowercased()] ?? []).filter { now.timeIntervalSince($0) < window }
        failures[user.lowercased()] = recent
        guard recent.count >= maxFailures, let oldest = recent.first else { return nil }
        return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
    }

    public func failed(_ user: String, now: Date = Date()) { failures[user.lowercased(), default: []].append(now) }
    public func succeeded(_ user: String) { failures[user.lowercased()] = nil }
}
