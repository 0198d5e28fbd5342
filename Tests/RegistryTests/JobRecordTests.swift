import Foundation
import Registry
import Testing

/// The server's jobs kept in the store (`server_jobs`, `server_job_outputs`), on both stores.
@Suite("Registry: server job records")
struct JobRecordTests {
    static func job(_ id: String, user: String = "ana", state: String = "running", created: String = "2026-12-03T23:00:00.000Z") -> JobRecord {
        JobRecord(id: id, kind: "analysis", user: user, site: nil, state: state, progress: 0.25, messages: ["started", "reading \"cohort\" — ünïcode; DROP TABLE x"],
                  createdAt: created, finishedAt: nil, result: nil)
    }

    @Test("a saved job reads back field for field, only for its owner; saving again replaces it", arguments: StoreKind.all)
    func roundTrip(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        var j = Self.job("a1")
        try store.saveJob(j)
        #expect(try store.job(id: "a1", user: "ana") == j)
        #expect(try store.job(id: "a1", user: "bob") == nil)
        #expect(try store.job(id: "zz", user: "ana") == nil)
        j.state = "succeeded"; j.progress = 1; j.finishedAt = "2026-12-03T23:01:00.000Z"; j.result = #"{"analysis":{"children":3}}"#; j.messages.append("done")
        try store.saveJob(j)
        #expect(try store.job(id: "a1", user: "ana") == j)
    }

    @Test("a user's jobs list newest first, within the limit, without other users' jobs", arguments: StoreKind.all)
    func listing(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        try store.saveJob(Self.job("old", created: "2026-12-03T22:00:00.000Z"))
        try store.saveJob(Self.job("new", created: "2026-12-03T23:30:00.000Z"))
        try store.saveJob(Self.job("mid", created: "2026-12-03T23:00:00.000Z"))
        try store.saveJob(Self.job("other", user: "bob"))
        #expect(try store.jobs(user: "ana", limit: 10).map(\.id) == ["new", "mid", "old"])
        #expect(try store.jobs(user: "ana", limit: 2).map(\.id) == ["new", "mid"])
        #expect(try store.jobs(user: "bob", limit: 10).map(\.id) == ["other"])
    }

    @Test("jobs left queued or running are marked interrupted with the message appended; ended jobs are untouched", arguments: StoreKind.all)
    func interrupted(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        try store.saveJob(Self.job("run"))
        try store.saveJob(Self.job("queue", state: "queued"))
        var done = Self.job("done", state: "succeeded"); done.finishedAt = "2026-12-03T23:05:00.000Z"
        try store.saveJob(done)
        let marked = try store.markJobsInterrupted(at: "2026-12-04T00:00:00.000Z", message: "interrupted: server stopped")
        #expect(Set(marked.map(\.id)) == ["run", "queue"])
        let run = try #require(try store.job(id: "run", user: "ana"))
        #expect(run.state == "interrupted" && run.finishedAt == "2026-12-04T00:00:00.000Z")
        #expect(run.messages == Self.job("run").messages + ["interrupted: server stopped"])
        #expect(try store.job(id: "done", user: "ana") == done)
        #expect(try store.markJobsInterrupted(at: "2026-12-04T00:01:00.000Z", message: "again").isEmpty)
    }

    @Test("a job's output (JSON, optional HTML) is stored exactly", arguments: StoreKind.all)
    func outputs(_ kind: StoreKind) throws {
        let store = try kind.makeStore(role: .admin)
        let json = "{\"err\": 0.123456789012345, \"text\": \"<script>'\\\\\"</script>\"}\n"
        try store.saveJobOutput(jobID: "a1", JobOutput(json: json, html: "<html>é</html>"))
        try store.saveJobOutput(jobID: "p1", JobOutput(json: "{}\n"))
        #expect(try store.jobOutput(jobID: "a1") == JobOutput(json: json, html: "<html>é</html>"))
        #expect(try store.jobOutput(jobID: "p1") == JobOutput(json: "{}\n", html: nil))
        #expect(try store.jobOutput(jobID: "none") == nil)
    }

    @Test("only the server's own (admin) handle keeps job records; other roles are refused", arguments: StoreKind.all)
    func roles(_ kind: StoreKind) throws {
        let admin = try kind.makeStore(role: .admin)
        for role: Role in [.analyst, .auditor, .dataManager(site: "NO"), .clinician(site: "NO")] {
            let s = try admin.opened(as: role)
            #expect(throws: AccessDenied.self) { try s.saveJob(Self.job("x")) }
            #expect(throws: AccessDenied.self) { try s.job(id: "x", user: "ana") }
            #expect(throws: AccessDenied.self) { try s.jobs(user: "ana", limit: 5) }
            #expect(throws: AccessDenied.self) { try s.jobOutput(jobID: "x") }
        }
    }
}
