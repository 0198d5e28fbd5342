import HTTPTypes
import Hummingbird

/// Finds the session of the request's cookie and, on requests that change state (POST, PUT,
/// PATCH, DELETE) with a session, requires the session's CSRF token in the `X-CSRF-Token` header
/// (synchroniser token pattern, OWASP CSRF Prevention Cheat Sheet). Signing in (POST
/// /api/session, no session yet) is covered by the SameSite=Strict cookie instead.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let sessions: SessionStore
    static let cookieName = "harmonic_session"
    static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value {
            context.session = await sessions.session(token)
        }
        let changesState = ([.post, .put, .patch, .delete] as [HTTPRequest.Method]).contains(request.method)
        if changesState, let session = context.session, request.uri.path != "/api/session" || request.method != .post {
            guard let sent = request.headers[Self.csrfHeader], constantTimeEqual(sent, session.csrfToken) else {
                throw APIError(.forbidden, "missing or wrong CSRF token",
                               fix: "send the csrfToken returned by POST /api/session in the X-CSRF-Token header of every POST, PUT, PATCH and DELETE")
            }
        }
        return try await next(request, context)
    }
}

/// Compares two tokens in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var d: UInt8 = 0
    for i in 0..<x.count { d |= x[i] ^ y[i] }
    return d == 0
}
