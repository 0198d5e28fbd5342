import Dosimetry
import Foundation
import HarmonicServer
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// Every data route tried with every role and with none.
@Suite("Server: patients by site and the dose calculator, every role")
struct DataRouteTests {
    /// Expected status of GET /api/sites/{site}/patients by account and site.
    static let patientAccess: [(user: String, site: String, status: HTTPResponse.Status)] = [
        ("ada", "NO", .forbidden), ("ada", "FR", .forbidden),
        ("kari", "NO", .ok), ("kari", "FR", .forbidden),
        ("marie", "FR", .ok), ("marie", "NO", .forbidden),
        ("ana", "NO", .ok), ("ana", "FR", .ok),
        ("nils", "NO", .ok), ("nils", "FR", .forbidden),
        ("aud", "NO", .forbidden), ("aud", "FR", .forbidden),
    ]

    @Test("patients of a site: analysts any site, site accounts their own site only, admins and auditors none",
          arguments: patientAccess.map { "\($0.user) \($0.site) \($0.status.code)" })
    func patientsByRole(_ row: String) async throws {
        let parts = row.split(separator: " ").map(String.init)
        let (user, site, code) = (parts[0], parts[1], Int(parts[2])!)
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn(user)
            try await client.execute(uri: "/api/sites/\(site.lowercased())/patients", method: .get, headers: s.headers) { r in
                #expect(r.status.code == code, "\(user) on \(site): \(String(buffer: r.body))")
                let j = jsonObject(r.body)
                if code == 200 {
                    let patients = try #require(j["patients"] as? [[String: Any]])
                    #expect(patients.count == 2)
                    #expect(patients.allSatisfy { $0["site"] as? String == site }, "a row of another site was returned")
                } else {
                    #expect(j["patients"] == nil && j["error"] is String && j["fix"] is String)
                }
            }
        }
    }

    @Test("every patients request, allowed or refused, is audited with who, what, when and outcome")
    func patientsAudited() async throws {
        // A store of its own: the other tests audit their requests in the shared one at the same time.
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let auditor = try store.opened(as: .auditor)
        let before = try auditor.auditEvents(limit: 100_000).count
        try await ServerFixture.app(try HarmonicServer(store: store)).test(.router) { client in
            let s = try await client.signIn("kari")
            try await client.execute(uri: "/api/sites/NO/patients", method: .get, headers: s.headers) { _ in }
            try await client.execute(uri: "/api/sites/FR/patients", method: .get, headers: s.headers) { _ in }
        }
        let events = try auditor.auditEvents(limit: 100_000).dropFirst(before).filter { $0.user == "kari" && $0.action.contains("/patients") }
        #expect(events.map(\.outcome) == ["ok", "denied"])
        #expect(events.map(\.action) == ["GET /api/sites/NO/patients", "GET /api/sites/FR/patients"])
        #expect(events.allSatisfy { $0.role == "data_manager" && $0.site == "NO" && !$0.at.isEmpty })
    }

    @Test("patients without a session get 401")
    func patientsNeedSession() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/api/sites/NO/patients", method: .get) { r in #expect(r.status == .unauthorized) }
            try await client.execute(uri: "/api/sites/NO/patients", method: .get, headers: [.cookie: "harmonic_session=forged"]) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test("a site that is not a two-letter code, or SQL in it, gets 400 and reads nothing", arguments: ["NOR", "N1", "NO'--", "NO%27%20OR%201=1"])
    func badSite(_ site: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn("ana")
            try await client.execute(uri: "/api/sites/\(site)/patients", method: .get, headers: s.headers) { r in
                #expect(r.status == .badRequest || r.status == .notFound)
            }
        }
    }

    @Test("the calculator answers every signed-in role with exactly the JSON of harmonic dose estimate --json",
          arguments: ServerFixture.accounts.map(\.name))
    func estimateEveryRole(_ user: String) async throws {
        let (source, identity) = try DefaultCoefficientSource.load()
        let expected = try DoseEstimateReport.estimate(source: source, identity: identity, age: 3, weightKg: 14, kapGyCm2: 4.2,
                                                       procedure: "ASD closure").json() + Data("\n".utf8)
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn(user)
            try await client.execute(uri: "/api/dose/estimate?age=3&weight=14&kap=4.2&procedure=ASD%20closure", method: .get, headers: s.headers) { r in
                #expect(r.status == .ok)
                #expect(Data(r.body.readableBytesView) == expected)
            }
        }
    }

    @Test("the calculator without a session gets 401")
    func estimateNeedsSession() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            try await client.execute(uri: "/api/dose/estimate?age=3&kap=4.2", method: .get) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test("bad calculator input gets 400 naming the parameter and its value", arguments: [
        ("age=abc&kap=4", "age"), ("kap=4", "age"), ("age=3", "kap"), ("age=30&kap=4", "age"), ("age=3&kap=-1", "kap"),
        ("age=3&kap=4&sex=X", "sex"), ("age=3&kap=4&projections=PA:x", "projections"),
        ("age=3&kap=4&realisations=1e300", "realisations"), ("age=3&kap=4&realisations=2.5", "realisations"), ("age=3&kap=4&realisations=0", "realisations"),
    ])
    func estimateBadInput(_ query: String, _ parameter: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn("nils")
            try await client.execute(uri: "/api/dose/estimate?\(query)", method: .get, headers: s.headers) { r in
                #expect(r.status == .badRequest)
                let error = (jsonObject(r.body)["error"] as? String) ?? ""
                #expect(error.contains(parameter), "error: \(error)")
            }
        }
    }
}
