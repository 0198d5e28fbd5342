import Foundation
import HarmonicServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

@Suite("Server: health, sign-in, sessions and CSRF")
struct SessionRouteTests {
    @Test("GET /api/health answers ok with the store kind, without signing in")
    func health() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/api/health", method: .get) { r in
                #expect(r.status == .ok)
                let j = jsonObject(r.body)
                #expect(j["status"] as? String == "ok" && j["store"] as? String == "sqlite")
            }
        }
    }

    @Test("signing in sets a Secure, HttpOnly, SameSite=Strict session cookie and returns a CSRF token", arguments: ServerFixture.accounts.map(\.name))
    func signInCookie(_ user: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let body = ByteBuffer(string: #"{"user":"\#(user)","password":"\#(ServerFixture.password)"}"#)
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: body) { r in
                #expect(r.status == .ok)
                let cookie = r.headers[.setCookie] ?? ""
                #expect(cookie.hasPrefix("harmonic_session="))
                #expect(cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
                let j = jsonObject(r.body)
                #expect((j["csrfToken"] as? String)?.count == 64)
                #expect(j["user"] as? String == user)
            }
        }
    }

    @Test("a wrong password gets 401 with a JSON error saying what to fix, and no cookie")
    func wrongPassword() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let body = ByteBuffer(string: #"{"user":"kari","password":"wrong password here"}"#)
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: body) { r in
                #expect(r.status == .unauthorized)
                #expect(r.headers[.setCookie] == nil)
                let j = jsonObject(r.body)
                #expect(j["error"] is String && j["fix"] is String)
            }
        }
    }

    @Test("a sign-in body that is not the expected JSON gets 400 naming the expected fields", arguments: [
        "not json", #"{"user": 1, "password": 2}"#, #"{"user":"kari"}"#, "",
    ])
    func malformedSignIn(_ body: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: body)) { r in
                #expect(r.status == .badRequest)
                #expect((jsonObject(r.body)["fix"] as? String)?.contains("password") == true)
            }
        }
    }

    @Test("an oversize sign-in body is refused with 413")
    func oversizeSignIn() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let body = ByteBuffer(string: #"{"user":"kari","password":""# + String(repeating: "x", count: 20_000) + #""}"#)
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: body) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }

    @Test("SQL metacharacters in the user name are just a wrong name (401), not an error, and change nothing")
    func sqlInUserName() async throws {
        let before = try ServerFixture.store.users()
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            for name in ["kari' OR '1'='1", "x\"; DROP TABLE users; --", "ada'--"] {
                let body = try JSONSerialization.data(withJSONObject: ["user": name, "password": "' OR 1=1 --"])
                try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(bytes: body)) { r in
                    #expect(r.status == .unauthorized)
                }
            }
        }
        #expect(try ServerFixture.store.users() == before)
    }

    @Test("after 5 failed sign-ins the 6th is refused with 429 and Retry-After, even with the right password")
    func throttled() async throws {
        try await ServerFixture.app(try HarmonicServer(store: ServerFixture.store, limiter: LoginLimiter(maxFailures: 5, window: 900))).test(.router) { client in
            for _ in 0..<5 {
                let bad = ByteBuffer(string: #"{"user":"ana","password":"not the password"}"#)
                try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: bad) { r in
                    #expect(r.status == .unauthorized)
                }
            }
            let good = ByteBuffer(string: #"{"user":"ana","password":"\#(ServerFixture.password)"}"#)
            try await client.execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: good) { r in
                #expect(r.status == .tooManyRequests)
                #expect(Int(r.headers[.retryAfter] ?? "") ?? 0 > 0)
            }
        }
    }

    @Test("signing out needs the CSRF token; after it the cookie no longer works")
    func signOutNeedsCSRF() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn("kari")
            try await client.execute(uri: "/api/session", method: .delete, headers: s.headers) { r in
                #expect(r.status == .forbidden)
                #expect((jsonObject(r.body)["fix"] as? String)?.contains("X-CSRF-Token") == true)
            }
            try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: (s.csrf.first == "0" ? "1" : "0") + s.csrf.dropFirst()]) { r in
                #expect(r.status == .forbidden)
            }
            try await client.execute(uri: "/api/session", method: .delete, headers: [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf]) { r in
                #expect(r.status == .noContent)
            }
            try await client.execute(uri: "/api/session", method: .get, headers: s.headers) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test("GET /openapi.yaml describes every route of the router")
    func openAPI() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                #expect(r.status == .ok)
                let text = String(buffer: r.body)
                #expect(text.hasPrefix("openapi: 3."))
                for path in ["/api/health:", "/api/session:", "/api/dose/estimate:", "/api/sites/{site}/patients:", "/api/sites/{site}/uploads:",
                             "/api/jobs/{id}:", "/api/sites/{site}/quarantine:", "/api/audit:", "/api/dose-runs:", "/api/sites/{site}/followup:", "/openapi.yaml:",
                             "/api/analyses:", "/api/analyses/{id}:", "/api/reports/{id}:", "/api/sites/{site}/qa:", "/api/drl:",
                             "/api/rt/plan-doses:", "/api/rt/plan-doses/{id}:", "/api/jobs:"] {
                    #expect(text.contains(path), "\(path) missing")
                }
            }
        }
    }

    @Test("every $ref of /openapi.yaml names a component the document defines, and no error answer is left unreferenced")
    func openAPIReferences() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/openapi.yaml", method: .get) { r in
                let lines = String(buffer: r.body).split(separator: "\n").map(String.init)
                let start = try #require(lines.firstIndex(of: "components:"))
                // Component names sit at four spaces under components: (CSRF, Site, JobID, Error, Job, …).
                let defined = Set(lines[start...].filter { $0.hasPrefix("    ") && !$0.hasPrefix("     ") && $0.contains(":") }
                    .map { String($0.dropFirst(4).prefix { $0 != ":" }) })
                let refs = lines.flatMap { line in
                    line.components(separatedBy: "$ref: \"#/components/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
                }
                #expect(refs.count > 60, "the document's answers are written by its helpers: \(refs.count) references")
                for ref in Set(refs) {
                    let name = String(ref.split(separator: "/").last ?? "")
                    #expect(defined.contains(name), "$ref #/components/\(ref) is not defined")
                }
                #expect(!lines.contains { $0.contains("\\#(") }, "an interpolation was left in the document")
            }
        }
    }
}
