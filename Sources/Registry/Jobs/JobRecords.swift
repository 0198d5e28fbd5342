import Foundation
import GRDB

/// One background job of `harmonic serve` as the store keeps it (`server_jobs`): the server's
/// `JobStatus` with its messages and result as JSON text, so the registry need not know the
/// server's result types.
public struct JobRecord: Sendable, Hashable {
    public var id: String
    public var kind: String
    /// The account that started the job (only it may read the job; the server checks).
    public var user: String
    public var site: String?
    /// `queued`, `running`, `succeeded`, `failed` or `interrupted`.
    public var state: String
    public var progress: Double
    public var messages: [String]
    public var createdAt: String
    public var finishedAt: String?
    /// The result as JSON text, nil while the job runs.
    public var result: String?

    public init(id: String, kind: String, user: String, site: String?, state: String, progress: Double, messages: [String],
                createdAt: String, finishedAt: String?, result: String?) {
        self.id = id; self.kind = kind; self.user = user; self.site = site; self.state = state; self.progress = progress
        self.messages = messages; self.createdAt = createdAt; self.finishedAt = finishedAt; self.result = result
    }

    /// States of a job that has not ended.
    public static let liveStates = ["queued", "running"]
}

/// The stored output of a finished job (`server_job_outputs`): an analysis's JSON and report, an
/// RT plan's organ-dose JSON, kept as the exact text the server serves.
public struct JobOutput: Sendable, Hashable {
    /// The JSON (`harmonic analyze --store --json`, `harmonic rt dose --json`, with the job's options).
    public var json: String
    /// The HTML report, if the job has one.
    public var html: String?
    public init(json: String, html: String? = nil) { self.json = json; self.html = html }
}

/// The server's job bookkeeping. Only the server's own handle (opened as admin) keeps it: the
/// server shows a job and its output only to the account that started it, and records hold
/// stored values only (pseudonyms, hashed ids, counts).
extension RegistryStore {
    private static let jobColumns = ["id", "kind", "user", "site", "state", "progress", "messages", "created_at", "finished_at", "result"]

    /// Writes `job` (insert, or replace the row of the same id).
    public func saveJob(_ job: JobRecord) throws {
        try require(role == .admin, "keep the server's job records (the server's own handle)")
        let messages = try Self.encodeMessages(job.messages)
        try backend.write { db in
            try db.execute(db.dialect.insertOrReplace("server_jobs", columns: Self.jobColumns, key: ["id"]), [
                job.id.databaseValue, job.kind.databaseValue, job.user.databaseValue, job.site.databaseValue, job.state.databaseValue,
                job.progress.databaseValue, messages.databaseValue, job.createdAt.databaseValue, job.finishedAt.databaseValue, job.result.databaseValue,
            ])
        }
    }

    /// The job `id` if `user` started it; nil for an unknown id or another account's job.
    public func job(id: String, user: String) throws -> JobRecord? {
        try require(role == .admin, "read the server's job records (the server's own handle)")
        return try backend.read { db in
            try db.fetch("SELECT \(Self.selectList) FROM server_jobs WHERE id = ? AND \"user\" = ?", [id.databaseValue, user.databaseValue])
                .first.map(Self.record)
        }
    }

    /// The jobs `user` started, newest first, at most `limit`.
    public func jobs(user: String, limit: Int) throws -> [JobRecord] {
        try require(role == .admin, "read the server's job records (the server's own handle)")
        return try backend.read { db in
            try db.fetch("SELECT \(Self.selectList) FROM server_jobs WHERE \"user\" = ? ORDER BY created_at DESC, id LIMIT ?",
                         [user.databaseValue, max(0, limit).databaseValue]).map(Self.record)
        }
    }

    /// Marks every job still queued or running as `interrupted` at `time`, with `message` appended
    /// (a server starting on the store: those jobs died with the previous process). Returns them.
    @discardableResult
    public func markJobsInterrupted(at time: String, message: String) throws -> [JobRecord] {
        try require(role == .admin, "keep the server's job records (the server's own handle)")
        return try backend.write { db in
            let live = try db.fetch("SELECT \(Self.selectList) FROM server_jobs WHERE state IN ('queued', 'running') ORDER BY created_at, id").map(Self.record)
            var out: [JobRecord] = []
            for var job in live {
                job.state = "interrupted"; job.finishedAt = time; job.messages.append(message)
                try db.execute("UPDATE server_jobs SET state = ?, finished_at = ?, messages = ? WHERE id = ?",
                               [job.state.databaseValue, time.databaseValue, try Self.encodeMessages(job.messages).databaseValue, job.id.databaseValue])
                out.append(job)
            }
            return out
        }
    }

    /// Stores the output of the finished job `jobID`.
    public func saveJobOutput(jobID: String, _ output: JobOutput) throws {
        try require(role == .admin, "keep the server's job outputs (the server's own handle)")
        try backend.write { db in
            try db.execute(db.dialect.insertOrReplace("server_job_outputs", columns: ["job_id", "json", "html"], key: ["job_id"]),
                           [jobID.databaseValue, output.json.databaseValue, output.html.databaseValue])
        }
    }

    /// The output of job `jobID`, if stored (the caller checks that the job is the user's).
    public func jobOutput(jobID: String) throws -> JobOutput? {
        try require(role == .admin, "read the server's job outputs (the server's own handle)")
        return try backend.read { db in
            try db.fetch("SELECT json, html FROM server_job_outputs WHERE job_id = ?", [jobID.databaseValue]).first.map {
                JobOutput(json: $0.string(0) ?? "", html: $0.string(1))
            }
        }
    }

    private static var selectList: String { jobColumns.map(SQLDialect.quote).joined(separator: ", ") }

    private static func record(_ r: [DatabaseValue]) -> JobRecord {
        let messages = r.string(6).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } ?? []
        return JobRecord(id: r.string(0) ?? "", kind: r.string(1) ?? "", user: r.string(2) ?? "", site: r.string(3), state: r.string(4) ?? "",
                         progress: r.double(5) ?? 0, messages: messages, createdAt: r.string(7) ?? "", finishedAt: r.string(8), result: r.string(9))
    }

    private static func encodeMessages(_ m: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(m), as: UTF8.self)
    }
}
