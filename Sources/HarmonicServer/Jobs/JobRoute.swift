import Hummingbird

/// `GET /api/jobs/{id}`: state, progress fraction, messages and (when done) the result of a job
/// the caller started. Another user's job id answers 404, as an unknown one does.
struct JobRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let jobs = server.jobs
        router.get("/api/jobs/{id}") { _, context -> Response in
            let session = try context.requireSession()
            let id = try context.parameters.require("id")
            guard let job = jobs.status(id, user: session.account.name) else {
                throw APIError(.notFound, "no job \(id) of yours", fix: "use the id (or Location) returned when you started the job; jobs are forgotten when the server restarts")
            }
            return JSON.response(job)
        }
    }
}
