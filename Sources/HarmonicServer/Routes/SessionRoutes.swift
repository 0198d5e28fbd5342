import Foundation
import HarmonicCore
import Hummingbird
import Registry

/// `POST /api/session` signs in (`{"user":…,"password":…}` → Secure, HttpOnly, SameSite=Strict
/// session cookie and a CSRF token); `GET /api/session` says who is signed in; `DELETE
/// /api/session` signs out. Sign-ins are throttled per user name (`LoginLimiter`) and audited.
struct SessionRoutes {
    let server: HarmonicServer

    struct Credentials: Decodable { let user: String; let password: String }
    struct SessionInfo: Codable { let user: String; let role: String; let site: String?; let csrfToken: String; let expires: String }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/session") { request, _ -> Response in
            let body: ByteBuffer
            do { body = try await request.body.collect(upTo: HarmonicServer.maxJSONBody) } catch {
                throw APIError(.contentTooLarge, "request body over \(HarmonicServer.maxJSONBody) bytes", fix: "send only {\"user\":…,\"password\":…}")
            }
            let credentials: Credentials
            do { credentials = try JSONDecoder().decode(Credentials.self, from: Data(body.readableBytesView)) } catch {
                throw APIError(.badRequest, "the body is not a JSON object with string fields user and password",
                               fix: "send Content-Type application/json and {\"user\":\"NAME\",\"password\":\"PASSWORD\"}")
            }
            if let wait = await server.limiter.retryAfter(credentials.user) {
                await server.audit(nil, request, target: "user \(credentials.user)", outcome: "throttled")
                var e = APIError(.tooManyRequests, "too many failed sign-ins for \(credentials.user)",
                                 fix: "wait \(wait) s before trying again, or ask an admin to reset the password")
                e.headers[.retryAfter] = String(wait)
                throw e
            }
            let store = server.store
            let account = try await HarmonicServer.blocking { try store.authenticate(name: credentials.user, password: credentials.password) }
            guard let account else {
                await server.limiter.failed(credentials.user)
                await server.audit(nil, request, target: "user \(credentials.user)", outcome: "failed")
                throw APIError(.unauthorized, "wrong user name or password", fix: "check both; after 5 failures in 15 minutes sign-in is paused")
            }
            await server.limiter.succeeded(credentials.user)
            let session = await server.sessions.open(for: account)
            await server.audit(session, request, target: "user \(account.name)", outcome: "ok")
            var response = JSON.response(Self.info(session))
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: session.token, maxAge: Int(server.sessions.lifetime),
                                      path: "/", secure: true, httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/api/session") { _, context -> Response in
            JSON.response(Self.info(try context.requireSession()))
        }
        router.delete("/api/session") { request, context -> Response in
            let session = try context.requireSession()
            await server.sessions.close(session.token)
            await server.audit(session, request, target: "user \(session.account.name)", outcome: "ok")
            var response = Response(status: .noContent)
            response.setCookie(Cookie(name: SessionMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: true, httpOnly: true, sameSite: .strict))
            return response
        }
    }

    static func info(_ s: Session) -> SessionInfo {
        SessionInfo(user: s.account.name, role: s.account.role, site: s.account.site, csrfToken: s.csrfToken,
                    expires: UTCTimestamp.string(from: s.expires))
    }
}
