import Foundation
import HarmonicServer
import HarmonicTestSupport
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// `GET /api/sites/{site}/qa` and the `/sites/{site}/qa` dashboard.
@Suite("Server: site QA dashboard, every role")
struct SiteQualityRouteTests {
    /// Who may read the QA of site NO: its data manager and analysts.
    static let allowedOnNO: Set<String> = ["kari", "ana"]

    @Test("the QA of site NO: its data manager and analysts get the figures; every other role and site gets 403 with none of them",
          arguments: ServerFixture.accounts.map(\.name))
    func everyRole(_ user: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            try await client.execute(uri: "/api/sites/NO/qa", method: .get, headers: who.headers) { r in
                if Self.allowedOnNO.contains(user) {
                    #expect(r.status == .ok)
                    let j = jsonObject(r.body)
                    #expect(j["site"] as? String == "NO")
                    let patients = (j["tables"] as? [[String: Any]])?.first { $0["table"] as? String == "patients" }
                    #expect(patients?["rows"] as? Int == 2)
                } else {
                    #expect(r.status == .forbidden)
                    #expect(jsonObject(r.body)["tables"] == nil)
                }
            }
            try await client.execute(uri: "/sites/NO/qa", method: .get, headers: who.headers) { r in
                #expect(r.status == (Self.allowedOnNO.contains(user) ? .ok : .forbidden))
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"completeness\"") == Self.allowedOnNO.contains(user))
                if r.status == .ok { #expect(html.contains("<svg") && html.contains("1990s") && html.contains("2000s")) }
            }
        }
    }

    @Test("a data manager of site NO is refused the QA of site FR by API and page")
    func otherSite() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let kari = try await client.signIn("kari")
            for uri in ["/api/sites/FR/qa", "/sites/FR/qa"] {
                try await client.execute(uri: uri, method: .get, headers: kari.headers) { r in
                    #expect(r.status == .forbidden, "\(uri)")
                    #expect(!String(buffer: r.body).contains("completeness"))
                }
            }
        }
    }

    @Test("without a session the API answers 401 and the page redirects to sign-in; a bad site code is 400")
    func noSessionAndBadSite() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/api/sites/NO/qa", method: .get) { #expect($0.status == .unauthorized) }
            try await client.execute(uri: "/sites/NO/qa", method: .get) { #expect($0.status == .seeOther) }
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/sites/N0'--/qa", method: .get, headers: ana.headers) { #expect($0.status == .badRequest) }
        }
    }
}
