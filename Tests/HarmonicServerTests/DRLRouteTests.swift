import Foundation
import HarmonicServer
import HarmonicTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// `GET /api/drl` and the `/drl` dashboard, on the synthetic store of `AnalysisFixture`.
@Suite("Server: DRL dashboard, every role")
struct DRLRouteTests {
    @Test("GET /api/drl is byte for byte harmonic drl --json: analysts and admins all sites, a data manager its own site (--site)",
          arguments: [("ana", [String]()), ("ada", []), ("kari", ["--site", "NO"])])
    func sameJSONAsCLI(_ user: String, _ siteArguments: [String]) async throws {
        let made = try AnalysisFixture.made.get()
        let cli = try PeerTool.run(try HarmonicExecutable.executable().path, ["drl", "--store", made.path, "--by", "age", "--group", "class", "--json"] + siteArguments)
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            try await client.execute(uri: "/api/drl?by=age&group=class", method: .get, headers: who.headers) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == cli)
            }
        }
    }

    @Test("a data manager's tables hold only its own site's procedures")
    func ownSiteOnly() async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            func procedures(_ user: String) async throws -> Int {
                let who = try await client.signIn(user)
                return try await client.execute(uri: "/api/drl", method: .get, headers: who.headers) { jsonObject($0.body)["proceduresRead"] as? Int ?? -1 }
            }
            let all = try await procedures("ana"), no = try await procedures("kari"), fr = try await procedures("marie")
            #expect(no > 0 && fr > 0 && no + fr < all)
        }
    }

    @Test("clinicians and auditors get 403 by API and page; without a session 401 and a redirect; the page shows the DRL section to analysts",
          arguments: ["nils", "aud", "ana"])
    func roles(_ user: String) async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            let allowed = user == "ana"
            try await client.execute(uri: "/api/drl", method: .get, headers: who.headers) { r in
                #expect(r.status == (allowed ? .ok : .forbidden))
            }
            try await client.execute(uri: "/drl", method: .get, headers: who.headers) { r in
                #expect(r.status == (allowed ? .ok : .forbidden))
                #expect(String(buffer: r.body).contains("Reference levels and hospital benchmarking") == allowed)
                if allowed { #expect(r.headers[HTTPField.Name("Content-Security-Policy")!] != nil) }
            }
            try await client.execute(uri: "/api/drl", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/drl", method: .get) { #expect($0.status == .seeOther) }
        }
    }

    @Test("bad options get 400 naming the parameter", arguments: ["by=height", "group=hospital", "minPerHospital=0", "minPerHospital=x'--"])
    func badOptions(_ query: String) async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/drl?\(query)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .badRequest)
                #expect((jsonObject(r.body)["error"] as? String)?.contains(String(query.prefix { $0 != "=" })) == true)
            }
        }
    }
}
