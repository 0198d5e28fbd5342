import Foundation
import HarmonicServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

@Suite("Server: pages")
struct PageRouteTests {
    @Test("pages without a session redirect to the sign-in page; the sign-in page and the script need none",
          arguments: ["/", "/calculator", "/audit", "/sites/NO/upload", "/sites/NO/quarantine", "/sites/NO/qa", "/sites/NO/followup",
                      "/analyses", "/dose-runs", "/drl", "/rt/plan"])
    func signInFirst(_ path: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: path, method: .get) { r in
                #expect(r.status == .seeOther)
                #expect(r.headers[.location]?.hasPrefix("/login?next=") == true)
            }
            try await client.execute(uri: "/login", method: .get) { r in
                #expect(r.status == .ok && String(buffer: r.body).contains("id=\"login\""))
                #expect(r.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
            }
            try await client.execute(uri: "/static/harmonic.js", method: .get) { r in #expect(r.status == .ok) }
        }
    }

    /// Expected status of each page by account: a site's pages for its own data manager only; the audit for auditors and data managers.
    static let access: [(user: String, path: String, status: Int)] = [
        ("kari", "/sites/NO/upload", 200), ("kari", "/sites/FR/upload", 403), ("marie", "/sites/NO/upload", 403), ("ana", "/sites/NO/upload", 403),
        ("nils", "/sites/NO/upload", 403), ("ada", "/sites/NO/upload", 403), ("aud", "/sites/NO/upload", 403),
        ("kari", "/sites/NO/quarantine", 200), ("kari", "/sites/FR/quarantine", 403), ("aud", "/sites/FR/quarantine", 200),
        ("ana", "/sites/NO/quarantine", 403), ("nils", "/sites/NO/quarantine", 403), ("ada", "/sites/NO/quarantine", 403),
        ("aud", "/audit", 200), ("kari", "/audit", 200), ("ana", "/audit", 403), ("nils", "/audit", 403), ("ada", "/audit", 403),
        ("ana", "/calculator", 200), ("nils", "/calculator", 200), ("ada", "/", 200),
        ("nils", "/sites/NO/followup", 200), ("kari", "/sites/NO/followup", 200), ("nils", "/sites/FR/followup", 403), ("ana", "/sites/NO/followup", 403),
        ("aud", "/sites/NO/followup", 403), ("ada", "/sites/NO/followup", 403), ("marie", "/sites/NO/followup", 403), ("marie", "/sites/FR/followup", 200),
        ("marie", "/sites/FR/upload", 200), ("marie", "/sites/FR/quarantine", 200), ("marie", "/sites/NO/quarantine", 403), ("marie", "/audit", 200),
    ] + ServerFixture.accounts.flatMap { a in [(a.name, "/calculator", 200), (a.name, "/", 200)] }

    @Test("every page with every role: another site's or another role's page is refused with 403 and shows none of its rows",
          arguments: access.map { "\($0.user) \($0.path) \($0.status)" })
    func pageByRole(_ row: String) async throws {
        let p = row.split(separator: " ").map(String.init)
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn(p[0])
            try await client.execute(uri: p[1], method: .get, headers: s.headers) { r in
                #expect(r.status.code == Int(p[2])!, "\(row)")
                let html = String(buffer: r.body)
                #expect(html.hasPrefix("<!doctype html>"))
                if r.status == .forbidden {
                    #expect(html.contains("may not") && !html.contains("<table"))
                }
            }
        }
    }

    @Test("the calculator page shows the same central doses as the API, with an SVG plot")
    func calculatorPage() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn("nils")
            let api = try await client.execute(uri: "/api/dose/estimate?age=3&kap=4.2&procedure=diagnostic&sex=F", method: .get, headers: s.headers) { r in
                jsonObject(r.body)
            }
            let quantities = try #require(api["quantities"] as? [[String: Any]])
            try await client.execute(uri: "/calculator?age=3&kap=4.2&procedure=diagnostic&sex=F", method: .get, headers: s.headers) { r in
                #expect(r.status == .ok)
                let html = String(buffer: r.body)
                #expect(html.contains("<svg") && html.contains("id=\"doses\""))
                for q in quantities { #expect(html.contains(q["name"] as? String ?? "?")) }
            }
            try await client.execute(uri: "/calculator?age=abc&kap=4.2", method: .get, headers: s.headers) { r in
                #expect(r.status == .badRequest && String(buffer: r.body).contains("age"))
            }
        }
    }

    @Test("quarantined values are shown escaped: a value with HTML cannot run script in the quarantine page")
    func quarantineEscapes() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let csv = UploadFixture.patientsHeader + "X1,NO,<script>alert(1)</script>,2004-01-01,cardiac,none,alive,,2020-01-01,\n"
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: csv))
            _ = try await client.finishedJob(kari, try #require(r.job))
            try await client.execute(uri: "/sites/NO/quarantine", method: .get, headers: kari.headers) { page in
                let html = String(buffer: page.body)
                #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
                #expect(!html.contains("<script>alert"))
            }
        }
    }
}
