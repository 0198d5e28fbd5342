import Dosimetry
import Foundation
import Hummingbird
import Registry

/// What a dose run did (`DoseRun.Summary`): procedures by record tier, computed and reused.
public struct DoseRunJobResult: Sendable, Codable {
    public var runID: Int64
    public var procedures, events, computed, reused, removed: Int
    public var byTier: [String: Int]
    public var seconds: Double
}

/// `POST /api/dose-runs` `{"seed":…, "realisations":…}` (both optional): an analyst reconstructs
/// the organ doses of the pooled registry (`DoseRun.run`, the engine of `harmonic dose run`) as a
/// background job; 202 and the job. One dose run at a time (409 while one runs). Audited.
struct DoseRunRoute {
    let server: HarmonicServer
    struct Body: Decodable { var seed: UInt64?; var realisations: Int? }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/dose-runs") { request, context -> Response in
            let session = try context.requireSession()
            guard session.role == .analyst else {
                throw await server.denied(session, request, target: "dose run", what: "run organ dose reconstruction for the pooled registry")
            }
            let data = try await request.body.collect(upTo: HarmonicServer.maxJSONBody)
            let body: Body
            do { body = data.readableBytes == 0 ? Body() : try JSONDecoder().decode(Body.self, from: Data(data.readableBytesView)) } catch {
                throw APIError(.badRequest, "the body is not a JSON object with optional integer fields seed and realisations",
                               fix: "send {} or {\"seed\": 20261123, \"realisations\": 1000}")
            }
            let realisations = body.realisations ?? 1000
            guard (1...10_000).contains(realisations) else {
                throw APIError(.badRequest, "realisations=\(realisations) is out of range", fix: "give realisations as a whole number 1-10000")
            }
            guard let storePath = server.doseFilesPath else {
                throw APIError(.conflict, "this server has no place for the dose realisation file",
                               fix: "the operator starts harmonic serve with --store FILE, or with --dose-files PATH next to --postgres")
            }
            guard !server.jobs.isRunning(kind: "dose-run") else {
                throw APIError(.conflict, "a dose run is already running", fix: "wait for it to finish (GET /api/jobs/ID), then start another")
            }
            let store = try server.store.opened(as: session.role)
            let (source, identity) = try DoseEstimateRoute.source.get()
            var settings = ReconstructionSettings(seed: body.seed ?? 20_261_123, realisations: realisations, sourceIdentity: identity)
            settings.uncertainty = .standard
            let runSettings = settings
            let job = server.jobs.create(kind: "dose-run", user: session.account.name, site: nil)
            let jobs = server.jobs, user = session.account.name
            jobs.run(job.id) {
                let started = Date()
                let s = try DoseRun.run(store: store, storePath: storePath, source: source, settings: runSettings, user: user,
                                        stage: { jobs.progress(job.id, 0, $0) }, progress: { jobs.progress(job.id, 0.05 + 0.9 * $0) })
                let result = DoseRunJobResult(runID: s.runID, procedures: s.procedures, events: s.events, computed: s.computed, reused: s.reused,
                                              removed: s.removed, byTier: Dictionary(uniqueKeysWithValues: s.byTier.map { ($0.key.rawValue, $0.value) }),
                                              seconds: Date().timeIntervalSince(started))
                try? store.audit(user: user, action: "dose run job \(job.id)", target: "run \(s.runID): \(s.procedures) procedures", outcome: "ok")
                return ("done: run \(s.runID), \(s.procedures) procedures, \(s.computed) computed, \(s.reused) unchanged", JobResult(doseRun: result))
            }
            await server.audit(session, request, target: "dose run: job \(job.id)", outcome: "ok")
            var response = JSON.response(server.jobs.status(job.id, user: user) ?? job, status: .accepted)
            response.headers[.location] = "/api/jobs/\(job.id)"
            return response
        }
    }
}
