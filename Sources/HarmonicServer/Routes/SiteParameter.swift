import Hummingbird
import Registry

extension ServerContext {
    /// The `{site}` of the path as an upper-case two-letter country code, or a 400.
    func site() throws -> String {
        let site = try parameters.require("site").uppercased()
        guard site.count == 2, site.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            throw APIError(.badRequest, "site '\(site)' is not a two-letter country code", fix: "use e.g. /api/sites/NO/…")
        }
        return site
    }
}

extension HarmonicServer {
    /// Audits a refused request and returns the 403 to throw, with what the caller may do instead;
    /// `allowed` (role names) says in the message which roles may do it.
    func denied(_ session: Session, _ request: Request, target: String, what: String, allowed: [String] = []) async -> APIError {
        await audit(session, request, target: target, outcome: "denied")
        let fix: String
        if !allowed.isEmpty {
            fix = "sign in with an account of the \(allowed.joined(separator: " or ")) role; ask an admin for one if you have none"
        } else {
            switch session.role {
            case .dataManager(let s), .clinician(let s): fix = "your account works for site \(s) only; ask an admin if you need another role"
            default: fix = "the \(session.account.role) role may not \(what); ask an admin for an account with that role"
            }
        }
        let only = allowed.isEmpty ? "" : ": only the \(allowed.joined(separator: " or ")) role may"
        return APIError(.forbidden, "\(session.account.name) (\(session.role)) may not \(what)\(only)", fix: fix)
    }
}
