import Foundation
import HarmonicServer
import HarmonicTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// `POST /api/rt/plan-doses`: a zip of RP/RD/RS to the organ-dose table of `harmonic rt dose --json`.
@Suite("Server: RT plan upload to organ doses")
struct PlanDoseRouteTests {
    /// The committed plan of the RT dose tests (RP.dcm, RD.dcm, RS.dcm: an absolute dose grid in Gy).
    static let planFolder = SharedData.repositoryRoot.appendingPathComponent("Tests/RTDoseTests/Resources/plan")
    /// pydicom's RT samples (shared data): a RELATIVE dose grid, which cannot give organ doses in Gy.
    static let pydicomFolder = SharedData.url("dicom/general")

    /// A zip written by Python's zipfile of (name in the zip, file) pairs.
    static func zip(_ entries: [(String, URL)]) throws -> ByteBuffer {
        let out = try SharedData.temporaryDirectory("plan-zip").appendingPathComponent("plan.zip")
        try PeerTool.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            for i in range(2, len(sys.argv), 2): z.write(sys.argv[i + 1], sys.argv[i])
        """, arguments: [out.path] + entries.flatMap { [$0.0, $0.1.path] })
        return ByteBuffer(bytes: try Data(contentsOf: out))
    }

    static func post(_ client: some TestClientProtocol, _ who: SignedIn, query: String = "age=8&sex=F", body: ByteBuffer,
                     _ check: @escaping (TestResponse) throws -> Void) async throws {
        try await client.execute(uri: "/api/rt/plan-doses?\(query)", method: .post,
                                 headers: [.cookie: who.cookie, HTTPField.Name("X-CSRF-Token")!: who.csrf, .contentType: "application/zip"], body: body, testCallback: check)
    }

    @Test("a clinician's zip of RP, RD and RS is a job (202, Location) whose organ doses are byte for byte the JSON of harmonic rt dose --json run in the zip's folder")
    func sameJSONAsCLI() async throws {
        let cli = try PeerTool.run(try HarmonicExecutable.executable().path, ["rt", "dose", "--plan", "RP.dcm", "--dose", "RD.dcm", "--struct", "RS.dcm",
                                                                            "--age", "8", "--sex", "F", "--json"], currentDirectory: Self.planFolder)
        let body = try Self.zip(["RP.dcm", "RD.dcm", "RS.dcm"].map { ($0, Self.planFolder.appendingPathComponent($0)) })
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let nils = try await client.signIn("nils")
            let id = try await Self.start(client, nils, body: body)
            let job = try await client.finishedJob(nils, id, seconds: 300)
            #expect(job["state"] as? String == "succeeded", "\(job)")
            let result = (job["result"] as? [String: Any])?["planDoses"] as? [String: Any]
            #expect(result?["json"] as? String == "/api/rt/plan-doses/\(id)")
            try await client.execute(uri: "/api/rt/plan-doses/\(id)", method: .get, headers: nils.headers) { r in
                #expect(r.status == .ok)
                let text = String(buffer: r.body)
                #expect(text == cli)
                #expect(!text.contains("/tmp") && !text.contains("harmonic-uploads"))
            }
            // Another clinician-or-analyst account does not see it; other roles are refused.
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/rt/plan-doses/\(id)", method: .get, headers: ana.headers) { #expect($0.status == .notFound) }
            for user in ["ada", "kari", "aud"] {
                let who = try await client.signIn(user)
                try await client.execute(uri: "/api/rt/plan-doses/\(id)", method: .get, headers: who.headers) { #expect($0.status == .forbidden, "\(user)") }
            }
            try await client.execute(uri: "/api/rt/plan-doses/\(id)", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    /// Posts a plan that is accepted: 202 with the job and its Location; returns the job id.
    static func start(_ client: some TestClientProtocol, _ who: SignedIn, body: ByteBuffer) async throws -> String {
        try await client.execute(uri: "/api/rt/plan-doses?age=8&sex=F", method: .post,
                                 headers: [.cookie: who.cookie, HTTPField.Name("X-CSRF-Token")!: who.csrf, .contentType: "application/zip"], body: body) { r in
            #expect(r.status == .accepted, "\(String(buffer: r.body))")
            let id = try #require(jsonObject(r.body)["id"] as? String)
            #expect(r.headers[.location] == "/api/jobs/\(id)")
            #expect(jsonObject(r.body)["kind"] as? String == "rt-plan")
            return id
        }
    }

    @Test("pydicom's RT samples are refused with 400 naming the file and the tag (a RELATIVE dose grid); nothing of the server's paths shows")
    func pydicomRelativeDose() async throws {
        let body = try Self.zip([("rtplan.dcm", Self.pydicomFolder.appendingPathComponent("rtplan.dcm")), ("rtdose.dcm", Self.pydicomFolder.appendingPathComponent("rtdose.dcm")),
                                 ("rtstruct.dcm", Self.pydicomFolder.appendingPathComponent("rtstruct.dcm"))])
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await Self.post(client, ana, body: body) { r in
                #expect(r.status == .badRequest)
                let error = jsonObject(r.body)["error"] as? String ?? ""
                #expect(error.contains("rtdose.dcm") && error.contains("(3004,0002)") && error.contains("RELATIVE"), "\(error)")
                #expect(!error.contains("harmonic-uploads"))
            }
        }
    }

    @Test("a zip without an RT Structure Set, or with a file that is not DICOM, is refused naming what is missing or the file",
          arguments: [["RP.dcm", "RD.dcm"], ["RP.dcm", "RD.dcm", "RS.dcm", "notes.txt"]])
    func missingOrBadFile(_ names: [String]) async throws {
        let notes = try SharedData.temporaryDirectory("plan-notes").appendingPathComponent("notes.txt")
        try "not DICOM".write(to: notes, atomically: true, encoding: .utf8)
        let body = try Self.zip(names.map { ($0, $0 == "notes.txt" ? notes : Self.planFolder.appendingPathComponent($0)) })
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let nils = try await client.signIn("nils")
            try await Self.post(client, nils, body: body) { r in
                #expect(r.status == .badRequest)
                let error = jsonObject(r.body)["error"] as? String ?? ""
                #expect(error.contains(names.count == 2 ? "RT Structure Set" : "notes.txt"), "\(error)")
            }
        }
    }

    @Test("admins, data managers and auditors get 403; no session 401; bad age or sex 400", arguments: ["ada", "kari", "aud"])
    func roles(_ user: String) async throws {
        let body = try Self.zip([("RP.dcm", Self.planFolder.appendingPathComponent("RP.dcm"))])
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            try await Self.post(client, who, body: body) { #expect($0.status == .forbidden) }
            try await client.execute(uri: "/api/rt/plan-doses?age=8&sex=F", method: .post, headers: [.contentType: "application/zip"], body: body) {
                #expect($0.status == .unauthorized)
            }
            let nils = try await client.signIn("nils")
            for query in ["age=200&sex=F", "age=8&sex=X", "sex=F", "age=8&sex=F&height=120"] {
                try await Self.post(client, nils, query: query, body: body) { #expect($0.status == .badRequest, "\(query)") }
            }
        }
    }

    @Test("the /rt/plan page gives clinicians and analysts the upload form and the script that shows the organ table; other roles 403",
          arguments: ["nils", "ana", "kari", "aud"])
    func page(_ user: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let who = try await client.signIn(user)
            let allowed = user == "nils" || user == "ana"
            try await client.execute(uri: "/rt/plan", method: .get, headers: who.headers) { r in
                #expect(r.status == (allowed ? .ok : .forbidden))
                #expect(String(buffer: r.body).contains(#"<form id="plandose" data-action="/api/rt/plan-doses">"#) == allowed)
            }
            try await client.execute(uri: "/static/harmonic.js", method: .get) { #expect(String(buffer: $0.body).contains("plandose")) }
        }
    }
}
