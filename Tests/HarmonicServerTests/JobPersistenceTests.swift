import Foundation
import HarmonicServer
import HarmonicTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// Jobs and their results survive a server restart: they are kept in the store.
@Suite("Server: jobs and analyses kept in the store across restarts", .serialized)
struct JobPersistenceTests {
    /// A store file with the fixture's children and accounts (a restart reopens the file).
    static func storeFile(_ name: String) throws -> String {
        let path = try SharedData.temporaryDirectory(name).appendingPathComponent("harmonic.sqlite").path
        let store = try RegistryStore(path: path, role: .admin)
        let dir = try SharedData.temporaryDirectory(name + "-csv")
        for (site, key) in [("NO", UInt8(7)), ("FR", UInt8(9))] {
            let csv = dir.appendingPathComponent("\(site)/patients.csv")
            try FileManager.default.createDirectory(at: csv.deletingLastPathComponent(), withIntermediateDirectories: true)
            try UploadFixture.fixtureCSV(site).write(to: csv, atomically: true, encoding: .utf8)
            _ = try store.opened(as: .dataManager(site: site)).ingest(files: [csv.path], site: site,
                                                                      pseudonymiser: try Pseudonymiser(keyBytes: Array(repeating: key, count: 32)), user: "fixture")
        }
        for a in ServerFixture.accounts { try store.addUser(name: a.name, role: a.role, password: ServerFixture.password, actor: "fixture") }
        return path
    }

    @Test("start, upload, stop, start a new server on the same store file: the job, its state and its load report are served again and listed")
    func ingestSurvivesRestart() async throws {
        let path = try Self.storeFile("jobs-restart")
        let first = try UploadFixture.server(store: try RegistryStore(path: path, role: .admin))
        let (id, messages, loadID): (String, [String], Int?) = try await ServerFixture.app(first).test(.router) { client in
            let kari = try await client.signIn("kari")
            let up = try await client.upload(kari, site: "NO", body: ByteBuffer(string: UploadFixture.fixtureCSV("NO") + "P3,NO,X,2001-01-01,cardiac,none,alive,,2020-12-31,\n"))
            #expect(up.status == .accepted)
            let id = try #require(up.job)
            let before = try await client.finishedJob(kari, id)
            #expect(before["state"] as? String == "succeeded")
            return (id, before["messages"] as? [String] ?? [], before.ingest["loadID"] as? Int)
        }
        first.jobs.flush()
        // A new process would open the file again: so does the test, with a new server (new memory, sessions, jobs).
        let second = try UploadFixture.server(store: try RegistryStore(path: path, role: .admin))
        try await ServerFixture.app(second).test(.router) { client in
            let kari = try await client.signIn("kari")
            try await client.execute(uri: "/api/jobs/\(id)", method: .get, headers: kari.headers) { r in
                #expect(r.status == .ok)
                let after = jsonObject(r.body)
                #expect(after["state"] as? String == "succeeded")
                #expect(after["messages"] as? [String] == messages && !messages.isEmpty)
                #expect(after.ingest["accepted"] as? Int == 2 && after.ingest["rejected"] as? Int == 1, "\(after)")
                #expect(after.ingest["loadID"] as? Int == loadID && loadID != nil)
            }
            try await client.execute(uri: "/api/jobs", method: .get, headers: kari.headers) { r in
                #expect(r.status == .ok)
                let jobs = jsonObject(r.body)["jobs"] as? [[String: Any]] ?? []
                #expect(jobs.map { $0["id"] as? String } == [id])
                #expect(jobs.first?["result"] == nil, "the list leaves results out")
            }
            // Another account neither reads nor lists it.
            let marie = try await client.signIn("marie")
            try await client.execute(uri: "/api/jobs/\(id)", method: .get, headers: marie.headers) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/jobs", method: .get, headers: marie.headers) { r in
                #expect((jsonObject(r.body)["jobs"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test("a job left running by a stopped server is marked interrupted by the next one, with the reason; the page script treats it as ended")
    func runningJobBecomesInterrupted() async throws {
        let path = try Self.storeFile("jobs-interrupted")
        let store = try RegistryStore(path: path, role: .admin)
        // What a server killed mid-ingest leaves behind.
        try store.saveJob(JobRecord(id: "0123456789abcdef0123456789abcdef", kind: "ingest", user: "kari", site: "NO", state: "running", progress: 0.4,
                                    messages: ["started", "loading patients.csv"], createdAt: "2026-12-03T23:00:00.000Z", finishedAt: nil, result: nil))
        let server = try UploadFixture.server(store: try RegistryStore(path: path, role: .admin))
        try await ServerFixture.app(server).test(.router) { client in
            let kari = try await client.signIn("kari")
            try await client.execute(uri: "/api/jobs/0123456789abcdef0123456789abcdef", method: .get, headers: kari.headers) { r in
                let j = jsonObject(r.body)
                #expect(j["state"] as? String == "interrupted")
                #expect(j["progress"] as? Double == 0.4)
                #expect((j["messages"] as? [String])?.last?.hasPrefix("interrupted: the server stopped") == true, "\(j)")
                #expect(j["finishedAt"] as? String != nil)
            }
            try await client.execute(uri: "/static/harmonic.js", method: .get) { r in
                #expect(String(buffer: r.body).contains(#"if (j.state !== "succeeded")"#))
            }
        }
    }

    @Test("bad limits of GET /api/jobs get 400 naming the value; without a session 401", arguments: ["0", "501", "x", "-3"])
    func badLimit(_ limit: String) async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/jobs?limit=\(limit)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .badRequest)
                #expect((jsonObject(r.body)["error"] as? String)?.contains("limit=\(limit)") == true)
            }
            try await client.execute(uri: "/api/jobs", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test("a finished analysis is served again (JSON and report, byte for byte) by a new server on the same store")
    func analysisSurvivesRestart() async throws {
        let store = try AnalysisFixture.made.get().store
        let first = try HarmonicServer(store: store)
        let (id, json, html): (String, String, String) = try await ServerFixture.app(first).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await AnalysisRouteTests.runAnalysis(client, ana)
            let json = try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { String(buffer: $0.body) }
            let html = try await client.execute(uri: "/api/reports/\(id)", method: .get, headers: ana.headers) { String(buffer: $0.body) }
            return (id, json, html)
        }
        first.jobs.flush()
        #expect(json.hasPrefix("{") && html.contains("<html"), "\(json.prefix(200))")
        let second = try HarmonicServer(store: store)
        try await ServerFixture.app(second).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == json)
            }
            try await client.execute(uri: "/api/reports/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == html)
            }
        }
    }
}
