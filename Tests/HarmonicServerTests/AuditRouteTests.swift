import Foundation
import HarmonicTestSupport
import HTTPTypes
import HarmonicServer
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

@Suite("Server: the audit trail route")
struct AuditRouteTests {
    @Test("GET /api/audit: auditors and data managers (own site) read it; admins, analysts and clinicians get 403",
          arguments: [("aud", 200), ("kari", 200), ("ada", 403), ("ana", 403), ("nils", 403)])
    func auditByRole(_ user: String, _ status: Int) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn(user)
            try await client.execute(uri: "/api/audit?limit=50", method: .get, headers: s.headers) { r in
                #expect(r.status.code == status, "\(user): \(String(buffer: r.body))")
                let j = jsonObject(r.body)
                if status == 200 {
                    let events = try #require(j["events"] as? [[String: Any]])
                    #expect(events.count <= 50)
                    if user == "kari" { #expect(events.allSatisfy { $0["site"] as? String == "NO" }, "a data manager sees its own site's events only") }
                    let loads = try #require(j["loads"] as? [[String: Any]])
                    #expect(!loads.isEmpty)
                    if user == "kari" { #expect(loads.allSatisfy { $0["site"] as? String == "NO" }) }
                } else {
                    #expect(j["events"] == nil && j["error"] is String)
                }
            }
        }
    }

    @Test("a limit that is not 1-100000 gets 400", arguments: ["0", "x", "100001", "1;DROP TABLE audit_events"])
    func badLimit(_ limit: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let s = try await client.signIn("aud")
            let q = limit.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? limit
            try await client.execute(uri: "/api/audit?limit=\(q)", method: .get, headers: s.headers) { r in #expect(r.status == .badRequest) }
        }
    }

    @Test("uploads, quarantine reads, refusals and audit reads are themselves audited with who, what and outcome")
    func dataRequestsAudited() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO")), ("aud", .auditor)])
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: UploadFixture.fixtureCSV("NO")))
            _ = try await client.finishedJob(kari, try #require(r.job))
            _ = try await client.upload(kari, site: "FR", body: ByteBuffer(string: UploadFixture.fixtureCSV("FR")))
            try await client.execute(uri: "/api/sites/NO/quarantine", method: .get, headers: kari.headers) { _ in }
            try await client.execute(uri: "/api/sites/FR/quarantine", method: .get, headers: kari.headers) { _ in }
            let aud = try await client.signIn("aud")
            try await client.execute(uri: "/api/audit", method: .get, headers: aud.headers) { _ in }
        }
        let events = try store.opened(as: .auditor).auditEvents(limit: 100_000)
        let seen = events.map { "\($0.user) \($0.action) \($0.outcome)" }
        for expected in ["kari POST /api/sites/NO/uploads ok", "kari POST /api/sites/FR/uploads denied",
                         "kari GET /api/sites/NO/quarantine ok", "kari GET /api/sites/FR/quarantine denied", "aud GET /api/audit ok"] {
            #expect(seen.contains(expected), "\(expected) missing from \(seen)")
        }
        #expect(events.contains { $0.user == "kari" && $0.action.hasPrefix("ingest job ") && $0.outcome == "ok" })
    }
}

@Suite("Server: dose runs as jobs")
struct DoseRunRouteTests {
    @Test("dose runs are the analyst's: every other role, admin included, gets 403 naming the analyst role, and no job",
          arguments: ["ada", "kari", "marie", "nils", "aud"])
    func doseRunByRole(_ user: String) async throws {
        let server = try ServerFixture.server()
        try await ServerFixture.app(server).test(.router) { client in
            let s = try await client.signIn(user)
            try await client.execute(uri: "/api/dose-runs", method: .post, headers: [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf],
                                     body: ByteBuffer(string: "{}")) { r in
                #expect(r.status == .forbidden)
                let j = jsonObject(r.body)
                #expect(j["id"] == nil)
                #expect((j["error"] as? String)?.contains("only the analyst role may") == true, "\(j)")
                #expect((j["fix"] as? String)?.contains("analyst") == true, "\(j)")
            }
            #expect(try server.jobs.list(user: user, limit: 500).filter { $0.kind == "dose-run" }.isEmpty, "a refused dose run must not create a job")
        }
    }

    @Test("an analyst's dose run runs as a job to its summary; bad settings get 400")
    func analystDoseRun() async throws {
        let store = try ServerFixture.makeStore(accounts: [("ana", .analyst)])
        let dir = try HarmonicTestSupport.SharedData.temporaryDirectory("dose-run-job")
        let server = try HarmonicServer(store: store, doseFilesPath: dir.appendingPathComponent("store").path)
        try await ServerFixture.app(server).test(.router) { client in
            let s = try await client.signIn("ana")
            let headers: HTTPFields = [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf, .contentType: "application/json"]
            for bad in [#"{"realisations": 0}"#, #"{"seed": "x"}"#, "not json"] {
                try await client.execute(uri: "/api/dose-runs", method: .post, headers: headers, body: ByteBuffer(string: bad)) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                }
            }
            let id = try await client.execute(uri: "/api/dose-runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"realisations": 50}"#)) { r in
                #expect(r.status == .accepted, "\(String(buffer: r.body))")
                return jsonObject(r.body)["id"] as? String
            }
            let job = try await client.finishedJob(s, try #require(id))
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let result = (job["result"] as? [String: Any])?["doseRun"] as? [String: Any]
            #expect(result?["procedures"] as? Int == 0, "the fixture has no procedures: \(job)")
            #expect(result?["kind"] as? String == "cardiac" && result?["itemName"] as? String == "procedures")
        }
    }

    @Test("an analyst starts cardiac, imaging and radiotherapy runs as jobs to their counts by tier; an unknown kind 400",
          arguments: [("imaging", "exams"), ("rt", "courses"), ("cardiac", "procedures")])
    func kinds(_ kind: String, _ itemName: String) async throws {
        let user = "ana"
        let store = try ServerFixture.makeStore(accounts: [("ana", .analyst)])
        let dir = try HarmonicTestSupport.SharedData.temporaryDirectory("dose-run-kinds")
        let server = try HarmonicServer(store: store, doseFilesPath: dir.appendingPathComponent("store").path)
        try await ServerFixture.app(server).test(.router) { client in
            let s = try await client.signIn(user)
            let headers: HTTPFields = [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf, .contentType: "application/json"]
            try await client.execute(uri: "/api/dose-runs", method: .post, headers: headers, body: ByteBuffer(string: #"{"kind": "neutron'; DROP TABLE users"}"#)) { r in
                #expect(r.status == .badRequest)
                #expect((jsonObject(r.body)["error"] as? String)?.contains("is not a dose run") == true)
            }
            let id = try await client.execute(uri: "/api/dose-runs", method: .post, headers: headers,
                                              body: ByteBuffer(string: #"{"kind": "\#(kind)", "realisations": 20}"#)) { r in
                #expect(r.status == .accepted, "\(String(buffer: r.body))")
                return jsonObject(r.body)["id"] as? String
            }
            let job = try await client.finishedJob(s, try #require(id), seconds: 120)
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let result = (job["result"] as? [String: Any])?["doseRun"] as? [String: Any]
            #expect(result?["kind"] as? String == kind && result?["itemName"] as? String == itemName, "\(job)")
            #expect(result?["items"] as? Int == 0 && result?["byTier"] as? [String: Int] != nil, "the fixture has no \(itemName): \(job)")
            #expect((result?["runID"] as? Int ?? 0) > 0)
        }
    }

    @Test("the /dose-runs page gives analysts the form that the script follows; every other role 403 naming the analyst role; no session redirects",
          arguments: [("ana", true), ("ada", false), ("kari", false), ("marie", false), ("nils", false), ("aud", false)])
    func page(_ user: String, _ allowed: Bool) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            try await client.execute(uri: "/dose-runs", method: .get, headers: who.headers) { r in
                #expect(r.status == (allowed ? .ok : .forbidden))
                let html = String(buffer: r.body)
                #expect(html.contains(#"<form id="doserun" data-action="/api/dose-runs">"#) == allowed)
                #expect(html.contains("no place for realisation files") == allowed, "the fixture server has no --dose-files")
                #expect(html.contains("only the analyst role may") == !allowed, "\(user): \(html)")
            }
            try await client.execute(uri: "/", method: .get, headers: who.headers) { r in
                #expect(String(buffer: r.body).contains(#"href="/dose-runs""#) == allowed)
            }
            try await client.execute(uri: "/dose-runs", method: .get) { #expect($0.status == .seeOther || $0.status == .found) }
            try await client.execute(uri: "/static/harmonic.js", method: .get) { #expect(String(buffer: $0.body).contains("followDoseRun")) }
        }
    }
}

@Suite("Server: a child's follow-up plan by the site's own id")
struct FollowUpRouteTests {
    static func post(_ client: some TestClientProtocol, _ s: SignedIn, site: String, body: String) async throws -> (Int, [String: Any]) {
        try await client.execute(uri: "/api/sites/\(site)/followup", method: .post,
                                 headers: [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf, .contentType: "application/json"],
                                 body: ByteBuffer(string: body)) { r in (Int(r.status.code), jsonObject(r.body)) }
    }

    @Test("a clinician of the site gets the plan of a child found by the site's id, pseudonymised on the server; every other role and site 403; the id is not audited")
    func clinicianPlan() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO")), ("nils", .clinician(site: "NO")),
                                                           ("marie", .dataManager(site: "FR")), ("ana", .analyst), ("ada", .admin), ("aud", .auditor)])
        // P2 (girl, born 1995-06-01) had thorax radiotherapy, 20 Gy, at 9: breast surveillance applies (IGHG 2020: chest ≥ 10 Gy).
        let courses = "course_id,site_patient_id,start_date,end_date,modality,technique,target_site,prescribed_dose_gy,fractions,energy_mev\n"
            + "NO-C1,P2,2004-09-01,2004-10-01,photon,3d_crt,thorax,20,10,6\n"
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: courses), name: "rt_courses.csv")
            let job = try await client.finishedJob(kari, try #require(r.job))
            #expect(job.ingest["accepted"] as? Int == 1, "\(job)")
            let nils = try await client.signIn("nils")
            let (status, plan) = try await Self.post(client, nils, site: "NO", body: #"{"siteId":"P2"}"#)
            #expect(status == 200, "\(plan)")
            let items = plan["items"] as? [[String: Any]] ?? []
            #expect(items.contains { ($0["lateEffect"] as? String ?? "").lowercased().contains("breast") }, "\(plan)")
            #expect(try await Self.post(client, nils, site: "NO", body: #"{"siteId":"P1"}"#).0 == 404)
            #expect(try await Self.post(client, nils, site: "NO", body: #"{"siteId":""}"#).0 == 400)
            #expect(try await Self.post(client, nils, site: "NO", body: "P2").0 == 400)
            for (user, site) in [("nils", "FR"), ("marie", "NO"), ("ana", "NO"), ("ada", "NO"), ("aud", "NO")] {
                let s = try await client.signIn(user)
                #expect(try await Self.post(client, s, site: site, body: #"{"siteId":"P2"}"#).0 == 403, "\(user) on \(site)")
            }
        }
        let events = try store.opened(as: .auditor).auditEvents(limit: 100_000).filter { $0.action.hasSuffix("/followup") }
        #expect(events.map(\.outcome).filter { $0 == "ok" }.count == 1)
        #expect(!events.contains { $0.target.contains("P2") || $0.target.contains("P1") }, "the site's own id must not be audited")
    }
}
