import Hummingbird
import Registry

/// `GET /api/audit?limit=`: the request audit trail (who, what, when, outcome) and the load audit
/// (each load's files, counts and checksums). Auditors see every site; a data manager sees its
/// own site's. Reading the audit is itself audited.
struct AuditRoute {
    let server: HarmonicServer

    struct Load: Codable {
        let loadID: Int64; let user: String; let role: String; let site: String; let startedAt: String; let finishedAt: String?
        let status: String; let files: [File]
    }
    struct File: Codable { let file: String; let sha256: String; let table: String; let status: String; let inserted, updated, unchanged, rejected: Int }
    struct Trail: Codable { let events: [AuditEvent]; let loads: [Load] }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/api/audit") { request, context -> Response in
            let session = try context.requireSession()
            let text = request.uri.queryParameters["limit"].map(String.init)
            let limit = text.map { Int($0) ?? 0 } ?? 1000
            guard (1...100_000).contains(limit) else {
                throw APIError(.badRequest, "query parameter limit='\(text ?? "")' is out of range", fix: "give limit as a whole number 1-100000")
            }
            let store = try server.store.opened(as: session.role)
            do {
                let trail = try await HarmonicServer.blocking {
                    Trail(events: try store.auditEvents(limit: limit), loads: try store.auditLoads().map { l in
                        Load(loadID: l.loadID, user: l.user, role: l.role, site: l.site, startedAt: l.startedAt, finishedAt: l.finishedAt, status: l.status,
                             files: l.files.map { File(file: $0.file, sha256: $0.sha256, table: $0.table, status: $0.status, inserted: $0.inserted,
                                                       updated: $0.updated, unchanged: $0.unchanged, rejected: $0.rejected) })
                    })
                }
                await server.audit(session, request, target: "audit trail: \(trail.events.count) events, \(trail.loads.count) loads", outcome: "ok")
                return JSON.response(trail)
            } catch is AccessDenied {
                throw await server.denied(session, request, target: "audit trail", what: "read the audit trail")
            }
        }
    }
}
