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
/// (409 while one runs: they write the same child totals). Analysts (the physicists' and
/// epidemiologists' account) and admins (who operate the runs: the job shows counts by tier only,
/// never a data row; the run itself reads the store with the analyst role, which the engines
/// require) may start one; other roles 403. Audited.
struct DoseRunRoute {
    let server: HarmonicServer
    struct Body: Decodable { var kind: String?; var seed: UInt64?; var realisations: Int? }
    static let kinds = ["cardiac", "imaging", "rt"]
    static let jobKinds: Set<String> = ["dose-run"]

    /// Roles that may start dose runs and see the dose-run page.
    static func allowed(_ role: Role) -> Bool { role == .analyst || role == .admin }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/dose-runs") { request, context -> Response in
            let session = try context.requireSession()
            guard Self.allowed(session.role) else {
                throw await server.denied(session, request, target: "dose run", what: "run organ dose reconstruction for the pooled registry")
            }
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
            // The engines require the analyst role (pooled data); an admin operates the run with it.
            let store = try server.store.opened(as: .analyst)
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
            var response = JSON.response(jobs.live(job.id) ?? job, status: .accepted)
            response.headers[.location] = "/api/jobs/\(job.id)"
            return response
        }
    }
}
