import Foundation
import Registry

/// A long task (an upload's ingest, a dose run, an analysis, an RT plan) as `GET /api/jobs/{id}` answers it.
public struct JobStatus: Sendable, Codable {
    /// `interrupted`: the server stopped while the job ran (found so by the next server on the store).
    public enum State: String, Sendable, Codable { case queued, running, succeeded, failed, interrupted }
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

    /// Whether the job has ended (its record no longer changes).
    var ended: Bool { state != .queued && state != .running }
}

/// The result of a finished job; the field of the job's kind is set.
public struct JobResult: Sendable, Codable {
    public var ingest: IngestJobResult?
    public var doseRun: DoseRunJobResult?
    public var analysis: AnalysisJobResult?
    /// Where the organ doses of an RT plan are (`GET /api/rt/plan-doses/{id}`).
    public var planDoses: PlanDoseJobResult?
    public init(ingest: IngestJobResult? = nil, doseRun: DoseRunJobResult? = nil, analysis: AnalysisJobResult? = nil, planDoses: PlanDoseJobResult? = nil) {
        self.ingest = ingest; self.doseRun = doseRun; self.analysis = analysis; self.planDoses = planDoses
    }
}

/// The jobs of the server, keyed by a random id and the owner's account, so a page reload (or
/// another tab of the same user) finds its job again, and kept in the store (`server_jobs`,
/// `RegistryStore.saveJob`) so a restarted server lists them and serves their results; a job that
/// was queued or running when the previous server stopped is marked `interrupted` when this one
/// starts (one server process per store: a second one would mark the first one's jobs).
///
/// Live jobs are held in memory and written to the store on a serial queue: at creation, at most
/// once a second while they report progress, and when they end (`finish` waits for that write).
/// Writes never happen on the job's own thread inside one of its transactions (an ingest reports
/// progress from inside its file's write transaction). An ended job, once written, leaves memory
/// and is read back from the store. Thread-safe.
public final class JobStore: @unchecked Sendable {
    private let lock = NSLock()
    private var jobs: [String: JobStatus] = [:]
    private var dirty: Set<String> = []
    private var flushScheduled = false
    private let records: RegistryStore
    private let queue = DispatchQueue(label: "harmonic.jobs.persist")
    /// Most messages kept per job (the first and the latest).
    static let maxMessages = 200
    /// Seconds between two writes of a running job's progress.
    static let progressInterval = 1.0
    static let interruptedMessage = "interrupted: the server stopped while this job ran; nothing of it is lost from the store's load audit, start it again"

    /// The jobs kept in `store` (the server's own handle, opened as admin). Marks the jobs the
    /// previous server left queued or running as `interrupted`.
    public init(store: RegistryStore) throws {
        records = store
        try store.markJobsInterrupted(at: Self.now(), message: Self.interruptedMessage)
    }

    static func now() -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }

    /// A new queued job of `kind` owned by `user`, written to the store before it is returned.
    public func create(kind: String, user: String, site: String?) throws -> JobStatus {
        let job = JobStatus(id: SessionStore.randomToken().prefix(32).description, kind: kind, user: user, site: site, state: .queued,
                            progress: 0, messages: [], createdAt: Self.now(), finishedAt: nil, result: nil)
        lock.withLock { jobs[job.id] = job }
        do { try queue.sync { try records.saveJob(Self.record(job)) } } catch {
            // Not stored, so not started: it must not linger as a live job (a dose run would wait for it forever).
            lock.withLock { jobs[job.id] = nil }
            throw error
        }
        return job
    }

    /// The job `id` if `user` owns it (nil otherwise: another user's job id reveals nothing).
    public func status(_ id: String, user: String) throws -> JobStatus? {
        if let live = lock.withLock({ jobs[id] }) { return live.user == user ? live : nil }
        return try records.job(id: id, user: user).map(Self.status)
    }

    /// Job `id` as held in memory (a job just started), without asking the store.
    func live(_ id: String) -> JobStatus? { lock.withLock { jobs[id] } }

    /// The jobs `user` started, newest first, at most `limit`, without their results.
    public func list(user: String, limit: Int) throws -> [JobStatus] {
        let live = lock.withLock { jobs.values.filter { $0.user == user } }
        var byID = Dictionary(try records.jobs(user: user, limit: limit).map { ($0.id, Self.status($0)) }, uniquingKeysWith: { a, _ in a })
        for j in live { byID[j.id] = j }
        return byID.values.sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }.prefix(max(0, limit)).map { var j = $0; j.result = nil; return j }
    }

    /// Whether a job of `kind` is queued or running (dose runs go one at a time).
    func isRunning(kind: String) -> Bool {
        lock.withLock { jobs.values.contains { $0.kind == kind && !$0.ended } }
    }

    /// Whether a job of one of `kinds` is queued or running.
    func isRunning(kinds: Set<String>) -> Bool {
        lock.withLock { jobs.values.contains { kinds.contains($0.kind) && !$0.ended } }
    }

    func update(_ id: String, _ change: (inout JobStatus) -> Void) {
        lock.withLock {
            guard var job = jobs[id] else { return }
            change(&job)
            if job.messages.count > Self.maxMessages { job.messages.removeSubrange(1 ..< job.messages.count - Self.maxMessages + 1) }
            jobs[id] = job
            dirty.insert(id)
            if !flushScheduled {
                flushScheduled = true
                queue.asyncAfter(deadline: .now() + Self.progressInterval) { [self] in flushNow() }
            }
        }
    }

    func progress(_ id: String, _ fraction: Double, _ message: String? = nil) {
        update(id) { job in
            job.state = .running
            job.progress = min(1, max(job.progress, fraction))
            if let message { job.messages.append(message) }
        }
    }

    /// Ends job `id` and waits until the store holds its end.
    func finish(_ id: String, state: JobStatus.State, message: String, result: JobResult? = nil) {
        update(id) { job in
            job.state = state
            if state == .succeeded { job.progress = 1 }
            job.messages.append(message)
            job.result = result
            job.finishedAt = Self.now()
        }
        flush()
    }

    /// Writes every changed job to the store now (the server calls it when it stops; tests before a restart).
    public func flush() { queue.sync { flushNow() } }

    /// On `queue`: writes the changed jobs; an ended job that was written leaves memory. A failed
    /// write keeps the job changed and tries again later.
    private func flushNow() {
        let pending: [JobStatus] = lock.withLock {
            flushScheduled = false
            let p = dirty.compactMap { jobs[$0] }
            dirty = []
            return p
        }
        for job in pending {
            do {
                try records.saveJob(Self.record(job))
                lock.withLock { if let j = jobs[job.id], j.ended, !dirty.contains(job.id) { jobs[job.id] = nil } }
            } catch {
                lock.withLock {
                    dirty.insert(job.id)
                    if !flushScheduled { flushScheduled = true; queue.asyncAfter(deadline: .now() + 5) { [self] in flushNow() } }
                }
            }
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

    static func record(_ j: JobStatus) throws -> JobRecord {
        JobRecord(id: j.id, kind: j.kind, user: j.user, site: j.site, state: j.state.rawValue, progress: j.progress, messages: j.messages,
                  createdAt: j.createdAt, finishedAt: j.finishedAt,
                  result: try j.result.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) })
    }

    static func status(_ r: JobRecord) -> JobStatus {
        JobStatus(id: r.id, kind: r.kind, user: r.user, site: r.site, state: JobStatus.State(rawValue: r.state) ?? .failed, progress: r.progress,
                  messages: r.messages, createdAt: r.createdAt, finishedAt: r.finishedAt,
                  result: r.result.flatMap { try? JSONDecoder().decode(JobResult.self, from: Data($0.utf8)) })
    }
}
