import Dosimetry
import Foundation
import Hummingbird
import Registry

/// What a dose run did: records by tier, computed and reused (`DoseRun.Summary`,
/// `ImagingDoseRun.Summary`, `RTDoseRun.Summary`).
public struct DoseRunJobResult: Sendable, Codable {
    /// `cardiac`, `imaging` or `rt`.
    public var kind: String
    public var runID: Int64
    /// Records of the run (`itemName`: procedures, exams or courses) and what became of them.
    public var items: Int
    public var itemName: String
    public var computed, reused, removed: Int
    /// Records by tier (cardiac: `DoseTier`; imaging: `ImagingDoseTier`; rt: record, dicom_rt, flagged).
    public var byTier: [String: Int]
    /// Flag and not-modelled reasons with their number of records (imaging, rt).
    public var reasons: [String: Int]?
    /// Cardiac runs: the procedures and irradiation events read.
    public var procedures, events: Int?
    public var seconds: Double
}

/// `POST /api/dose-runs` `{"kind": "cardiac"|"imaging"|"rt", "seed":…, "realisations":…}` (all
/// optional; cardiac by default): reconstructs the organ doses of the pooled registry with the
/// engine of `harmonic dose run` (`DoseRun`, `ImagingDoseRun`, `RTDoseRun`) as a background job;
/// 202 and the job, whose result gives the records by tier. One dose run of any kind at a time
/// (409 while one runs: they write the same child totals). Dose runs are the analyst's (issue 17:
/// "analyst: pooled pseudonymised data; runs analyses, dose runs and reports"; the physicists' and
/// epidemiologists' account), and the run reads and writes the store with the caller's analyst
/// role; every other role, admin included (users and sites only), gets 403 naming the analyst
/// role. Audited.
struct DoseRunRoute {
    let server: HarmonicServer
    struct Body: Decodable { var kind: String?; var seed: UInt64?; var realisations: Int? }
    static let kinds = ["cardiac", "imaging", "rt"]
    static let jobKinds: Set<String> = ["dose-run"]

    /// The role that may start dose runs and see the dose-run page.
    static let role = Role.analyst
    static let what = "run organ dose reconstruction for the pooled registry"

    /// The 403 for a caller of another role, naming the analyst role (audited as denied).
    static func refusal(_ server: HarmonicServer, _ session: Session, _ request: Request) async -> APIError {
        await server.denied(session, request, target: "dose run", what: what, allowed: [role.name])
    }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/dose-runs") { request, context -> Response in
            let session = try context.requireSession()
            guard session.role == Self.role else { throw await Self.refusal(server, session, request) }
            let data = try await request.body.collect(upTo: HarmonicServer.maxJSONBody)
            let body: Body
            do { body = data.readableBytes == 0 ? Body() : try JSONDecoder().decode(Body.self, from: Data(data.readableBytesView)) } catch {
                throw APIError(.badRequest, "the body is not a JSON object with optional fields kind (text), seed and realisations (whole numbers)",
                               fix: #"send {} or {"kind": "cardiac", "seed": 20261123, "realisations": 1000}"#)
            }
            let kind = body.kind ?? "cardiac"
            guard Self.kinds.contains(kind) else {
                throw APIError(.badRequest, "kind '\(kind)' is not a dose run", fix: "give kind as one of \(Self.kinds.joined(separator: ", "))")
            }
            let realisations = body.realisations ?? 1000
            guard (1...10_000).contains(realisations) else {
                throw APIError(.badRequest, "realisations=\(realisations) is out of range", fix: "give realisations as a whole number 1-10000")
            }
            guard let storePath = server.doseFilesPath else {
                throw APIError(.conflict, "this server has no place for the dose realisation file",
                               fix: "the operator starts harmonic serve with --store FILE, or with --dose-files PATH next to --postgres")
            }
            guard !server.jobs.isRunning(kinds: Self.jobKinds) else {
                throw APIError(.conflict, "a dose run is already running", fix: "wait for it to finish (GET /api/jobs/ID), then start another")
            }
            let store = try server.store.opened(as: session.role)
            let jobs = server.jobs, user = session.account.name
            let work: @Sendable (String) throws -> DoseRunJobResult
            switch kind {
            case "imaging":
                let settings = ImagingDoseRun.Settings(seed: body.seed ?? 20_261_203, realisations: realisations)
                work = { id in
                    let s = try ImagingDoseRun.run(store: store, storePath: storePath, settings: settings, user: user, stage: { jobs.progress(id, 0.05, $0) })
                    return DoseRunJobResult(kind: kind, runID: s.runID, items: s.exams, itemName: "exams", computed: s.computed, reused: s.reused,
                                            removed: s.removed, byTier: s.byTier, reasons: s.reasons, seconds: s.seconds)
                }
            case "rt":
                let settings = RTDoseRun.Settings(seed: body.seed ?? 20_261_203, realisations: realisations)
                work = { id in
                    let s = try RTDoseRun.run(store: store, storePath: storePath, settings: settings, user: user, stage: { jobs.progress(id, 0.05, $0) })
                    return DoseRunJobResult(kind: kind, runID: s.runID, items: s.courses, itemName: "courses", computed: s.computed, reused: s.reused,
                                            removed: s.removed, byTier: s.byTier, reasons: s.flagReasons, seconds: s.seconds)
                }
            default:
                let (source, identity) = try DoseEstimateRoute.source.get()
                var settings = ReconstructionSettings(seed: body.seed ?? 20_261_123, realisations: realisations, sourceIdentity: identity)
                settings.uncertainty = .standard
                let runSettings = settings
                work = { id in
                    let started = Date()
                    let s = try DoseRun.run(store: store, storePath: storePath, source: source, settings: runSettings, user: user,
                                            stage: { jobs.progress(id, 0, $0) }, progress: { jobs.progress(id, 0.05 + 0.9 * $0) })
                    return DoseRunJobResult(kind: kind, runID: s.runID, items: s.procedures, itemName: "procedures", computed: s.computed, reused: s.reused,
                                            removed: s.removed, byTier: Dictionary(uniqueKeysWithValues: s.byTier.map { ($0.key.rawValue, $0.value) }),
                                            reasons: nil, procedures: s.procedures, events: s.events, seconds: Date().timeIntervalSince(started))
                }
            }
            let job = try await HarmonicServer.blocking { try jobs.create(kind: "dose-run", user: user, site: nil) }
            jobs.run(job.id) {
                let r = try work(job.id)
                try? store.audit(user: user, action: "dose run job \(job.id)", target: "\(kind) run \(r.runID): \(r.items) \(r.itemName)", outcome: "ok")
                return ("done: \(kind) run \(r.runID), \(r.items) \(r.itemName), \(r.computed) computed, \(r.reused) unchanged", JobResult(doseRun: r))
            }
            await server.audit(session, request, target: "\(kind) dose run: job \(job.id)", outcome: "ok")
            return JobAnswer.accepted(jobs, job)
        }
    }
}
