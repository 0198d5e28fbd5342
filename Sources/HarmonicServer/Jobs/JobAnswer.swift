import Foundation
import Hummingbird
import Registry

/// The answers the routes that start background jobs and serve their outputs share (analyses, RT
/// plans, dose runs, uploads), written once.
enum JobAnswer {
    /// 202 with the job as it stands and `Location: /api/jobs/{id}`.
    static func accepted(_ jobs: JobStore, _ job: JobStatus) -> Response {
        var response = JSON.response(jobs.live(job.id) ?? job, status: .accepted)
        response.headers[.location] = "/api/jobs/\(job.id)"
        return response
    }

    /// How the errors of one kind of finished job speak of it.
    struct Wording: Sendable {
        /// The job's kind in `JobStore` (`analysis`, `rt-plan`).
        var kind: String
        /// What the job is called in a message (`analysis`, `RT plan calculation`).
        var noun: String
        /// The route that starts one (`POST /api/analyses`).
        var start: String
        /// What to do when the job failed.
        var failedFix: String
    }

    /// What the caller's finished job `id` serves (`server_job_outputs`): 404 for an unknown id,
    /// another user's or another kind's, 409 while it runs, 422 when it failed or was interrupted
    /// (with the job's last message, its reason).
    static func output(_ server: HarmonicServer, id: String, user: String, _ wording: Wording) async throws -> JobOutput {
        let jobs = server.jobs, records = server.store
        let notFound = APIError(.notFound, "no \(wording.noun) \(id) of yours", fix: "use the id returned by \(wording.start) (GET /api/jobs lists yours)")
        guard let job = try await HarmonicServer.blocking({ try jobs.status(id, user: user) }), job.kind == wording.kind else { throw notFound }
        switch job.state {
        case .queued, .running:
            throw APIError(.conflict, "\(wording.noun) \(id) is still running", fix: "follow GET /api/jobs/\(id) until its state is succeeded")
        case .failed:
            throw APIError(.unprocessableContent, "\(wording.noun) \(id) failed: \(job.messages.last ?? "no reason given")", fix: wording.failedFix)
        case .interrupted:
            throw APIError(.unprocessableContent, "\(wording.noun) \(id) was interrupted: the server stopped while it ran",
                           fix: "\(wording.start) again with the same request")
        case .succeeded:
            guard let output = try await HarmonicServer.blocking({ try records.jobOutput(jobID: id) }) else { throw notFound }
            return output
        }
    }
}
