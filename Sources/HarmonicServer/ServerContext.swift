import Hummingbird
import Registry

/// The request context of every route: the signed-in session, if any (set by `SessionMiddleware`).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller's session; nil when the request carries no valid session cookie.
    public var session: Session?
    public init(source: Source) { coreContext = .init(source: source) }

    /// The caller's session, or a 401 telling them to sign in.
    func requireSession() throws -> Session {
        guard let session else {
            throw APIError(.unauthorized, "not signed in", fix: "POST /api/session with {\"user\":…,\"password\":…} first, then send the session cookie it sets")
        }
        return session
    }
}
