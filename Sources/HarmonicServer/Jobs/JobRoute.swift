import Hummingbird

/// The caller's background jobs (ingests, dose runs, analyses, RT plans), kept in the store, so a
/// page reload or a restarted server finds them again:
/// - `GET /api/jobs/{id}`: state, progress fraction, messages and (when done) the result of a job
///   the caller started; another user's job id answers 404, as an unknown one does;
/// - `GET /api/jobs?limit=N`: the caller's jobs, newest first (default 50, at most 500), without
///   their results (`GET /api/jobs/{id}` for one).
struct JobRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let jobs = server.jobs
        router.get("/api/jobs/{id}") { _, context -> Response in
            let session = try context.requireSession()
            let id = try context.parameters.require("id")
            let user = session.account.name
            guard let job = try await HarmonicServer.blocking({ try jobs.status(id, user: user) }) else {
                throw APIError(.notFound, "no job \(id) of yours", fix: "use the id (or Location) returned when you started the job, or GET /api/jobs for your jobs")
            }
            return JSON.response(job)
        }
        router.get("/api/jobs") { request, context -> Response in
            let session = try context.requireSession()
            let text = request.uri.queryParameters["limit"].map(String.init)
            let limit = text.map { Int($0) } ?? 50
            guard let limit, (1...500).contains(limit) else {
                throw APIError(.badRequest, "limit=\(text ?? "") is not a whole number 1-500", fix: "give limit as a whole number from 1 to 500, or leave it out (50)")
            }
            let user = session.account.name
            let list = try await HarmonicServer.blocking { try jobs.list(user: user, limit: limit) }
            return JSON.response(JobList(jobs: list))
        }
    }
}

/// `GET /api/jobs`: the caller's jobs, newest first.
struct JobList: Codable, Sendable { var jobs: [JobStatus] }
