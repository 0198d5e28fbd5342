import Foundation
import HTTPTypes
import Hummingbird
import Registry
import Reports

/// What a finished analysis job gives: where its JSON and report are, and the cohort size.
public struct AnalysisJobResult: Sendable, Codable {
    public var id: String
    public var children: Int
    /// `GET` this for the JSON of `harmonic analyze --json`.
    public var json: String
    /// `GET` this for the HTML report.
    public var report: String
}

/// Analyses of the pooled registry, for analysts only:
/// - `POST /api/analyses` `{"outcome", "dose", "cohort", "lag", "model", "method", "exposures",
///   "realisations", "sir", …}` (the options of `harmonic analyze --store`; `StoreAnalysis.Request`)
///   checks the request (400 naming the field; 409 when the realisation files or the server's
///   reference rates it needs are missing) and runs it as a background job: 202 and the job
///   (`Location: /api/jobs/{id}`);
/// - `GET /api/analyses/{id}`: byte for byte the JSON of `harmonic analyze --store S --json` with the
///   same options (409 while it runs, 422 when it failed, with the reason);
/// - `GET /api/reports/{id}`: the HTML report of that analysis (plot, estimates, dose groups).
/// Only the analyst who started an analysis sees it (another id is 404, as the jobs). Audited.
struct AnalysisRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/analyses") { request, context -> Response in
            let session = try context.requireSession()
            guard session.role == .analyst else {
                throw await server.denied(session, request, target: "analysis", what: "run analyses of the pooled registry")
            }
            let data = try await request.body.collect(upTo: HarmonicServer.maxJSONBody)
            let body: StoreAnalysis.Request
            do { body = try JSONDecoder().decode(StoreAnalysis.Request.self, from: Data(data.readableBytesView)) } catch {
                throw APIError(.badRequest, "the body is not an analysis request: \(Self.describe(error))",
                               fix: #"send a JSON object with at least outcome and dose, e.g. {"outcome":"leukaemia","dose":"red_marrow","lag":2,"model":"err: dose; background: strata(country, sex)"}"#)
            }
            let prepared: StoreAnalysis.Prepared
            do { prepared = try StoreAnalysis.prepare(body) } catch let e as StoreAnalysis.RequestError {
                throw APIError(.badRequest, "\(e.field) '\(e.value)' cannot be used", fix: "give \(e.field) as \(e.expected)")
            }
            let files = StoreAnalysis.Files(doseFiles: server.doseFilesPath, rates: server.ratesPath)
            let missing = StoreAnalysis.missing(prepared, files: files)
            guard missing.isEmpty else {
                throw APIError(.conflict, missing.joined(separator: "; "),
                               fix: "run the dose run of the cohort first (POST /api/dose-runs) for realisations; the operator starts harmonic serve with --rates FILE for sir; or leave realisations and sir out")
            }
            let store = try server.store.opened(as: session.role)
            let user = session.account.name
            let jobs = server.jobs, records = server.store
            let job = try await HarmonicServer.blocking { try jobs.create(kind: "analysis", user: user, site: nil) }
            jobs.run(job.id) {
                let result = try StoreAnalysis.run(store: store, prepared: prepared, files: files, stage: { jobs.progress(job.id, 0.1, $0) })
                try records.saveJobOutput(jobID: job.id, JobOutput(json: result.json, html: result.html))
                try? store.audit(user: user, action: "analysis job \(job.id)", target: "\(body.outcome) vs \(body.dose) (\(body.method)), \(result.children) children", outcome: "ok")
                return ("done: \(result.children) children", JobResult(analysis: AnalysisJobResult(
                    id: job.id, children: result.children, json: "/api/analyses/\(job.id)", report: "/api/reports/\(job.id)")))
            }
            await server.audit(session, request, target: "analysis: job \(job.id)", outcome: "ok")
            return JobAnswer.accepted(jobs, job)
        }
        router.get("/api/analyses/{id}") { request, context -> Response in
            let result = try await Self.finished(server, request, context, what: "read analyses")
            return JSON.response(Data(result.json.utf8))
        }
        router.get("/api/reports/{id}") { request, context -> Response in
            let result = try await Self.finished(server, request, context, what: "read analysis reports")
            return Page.document(result.html ?? "")
        }
    }

    /// The caller's finished analysis `{id}`: 403 for other roles, 404 for an unknown or another
    /// user's id, 409 while it runs, 422 when it failed.
    static func finished(_ server: HarmonicServer, _ request: Request, _ context: ServerContext, what: String) async throws -> JobOutput {
        let session = try context.requireSession()
        guard session.role == .analyst else { throw await server.denied(session, request, target: "analysis", what: what) }
        let id = try context.parameters.require("id")
        let result = try await JobAnswer.output(server, id: id, user: session.account.name, Self.wording)
        await server.audit(session, request, target: "analysis \(id)", outcome: "ok")
        return result
    }

    static let wording = JobAnswer.Wording(kind: "analysis", noun: "analysis", start: "POST /api/analyses",
                                           failedFix: "change the request (cohort, outcome, dose, model) or load the data it needs, then POST /api/analyses again")

    static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "field \(key.stringValue) is missing"
        case DecodingError.typeMismatch(_, let c): "field \(c.codingPath.map(\.stringValue).joined(separator: ".")) has the wrong type (\(c.debugDescription))"
        case DecodingError.valueNotFound(_, let c): "field \(c.codingPath.map(\.stringValue).joined(separator: ".")) is null"
        default: "not JSON"
        }
    }
}
