import Foundation
import Registry

/// A long task (an upload's ingest, a dose run, an analysis) as `GET /api/jobs/{id}` answers it.
public struct JobStatus: Sendable, Codable {
    public enum State: String, Sendable, Codable { case queued, running, succeeded, failed }
    public let id: String
    public let kind: String
    /// The account that started the job: only it may read the job.
    public let user: String
    public let site: String?
    public var state: State
    /// Fraction done, 0-1.
    public var progress: Double
    /// What the job did, in order (the last is what it is doing now).
    public var messages: [String]
    public let createdAt: String
    public var finishedAt: String?
    /// The job's result once it has succeeded (or, for an ingest, also when files were refused).
    public var result: JobResult?
}

/// The result of a finished job; the field of the job's kind is set.
public struct JobResult: Sendable, Codable {
    public var ingest: IngestJobResult?
    public var doseRun: DoseRunJobResult?
    public var analysis: AnalysisJobResult?
    public init(ingest: IngestJobResult? = nil, doseRun: DoseRunJobResult? = nil, analysis: AnalysisJobResult? = nil) {
        self.ingest = ingest; self.doseRun = doseRun; self.analysis = analysis
    }
}

/// The jobs of the server, in memory and keyed by a random id and the owner's account, so a page
/// reload (or another tab of the same user) finds its job again; a restart forgets them (the
/// loads they made stay in the store's load audit). Thread-safe: the jobs update it from
/// background threads while requests read it.
public final class JobStore: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [String: JobStatus] = [:]
    /// Most messages kept per job (the first and the latest).
    static let maxMessages = 200

    public init() {}

    /// A new queued job of `kind` owned by `user`.
    public func create(kind: String, user: String, site: String?) -> JobStatus {
        let job = JobStatus(id: SessionStore.randomToken().prefix(32).description, kind: kind, user: user, site: site, state: .queued,
                            progress: 0, messages: [], createdAt: ISO8601DateFormatter().string(from: Date()), finishedAt: nil, result: nil)
        lock.withLock { jobs[job.id] = job }
        return job
    }

    /// The job `id` if `user` owns it (nil otherwise: another user's job id reveals nothing).
    public func status(_ id: String, user: String) -> JobStatus? {
        lock.withLock { jobs[id].flatMap { $0.user == user ? $0 : nil } }
    }

    /// Whether a job of `kind` is queued or running (dose runs go one at a time).
    func isRunning(kind: String) -> Bool {
        lock.withLock { jobs.values.contains { $0.kind == kind && ($0.state == .queued || $0.state == .running) } }
    }

    func update(_ id: String, _ change: (inout JobStatus) -> Void) {
        lock.withLock {
            guard var job = jobs[id] else { return }
            change(&job)
            if job.messages.count > Self.maxMessages { job.messages.removeSubrange(1 ..< job.messages.count - Self.maxMessages + 1) }
            jobs[id] = job
        }
    }

    func progress(_ id: String, _ fraction: Double, _ message: String? = nil) {
        update(id) { job in
            job.state = .running
            job.progress = min(1, max(job.progress, fraction))
            if let message { job.messages.append(message) }
        }
    }

    func finish(_ id: String, state: JobStatus.State, message: String, result: JobResult? = nil) {
        update(id) { job in
            job.state = state
            if state == .succeeded { job.progress = 1 }
            job.messages.append(message)
            job.result = result
            job.finishedAt = ISO8601DateFormatter().string(from: Date())
        }
    }

    /// Runs `body` on a background thread as job `id`: running, then succeeded with its result or
    /// failed with the error's text.
    func run(_ id: String, _ body: @escaping @Sendable () throws -> (String, JobResult?)) {
        progress(id, 0, "started")
        DispatchQueue.global(qos: .utility).async { [self] in
            do {
                let (message, result) = try body()
                finish(id, state: .succeeded, message: message, result: result)
            } catch {
                finish(id, state: .failed, message: "\(error)")
            }
        }
    }
}
