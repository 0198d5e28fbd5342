import Hummingbird
import Registry

/// `GET /api/sites/{site}/quarantine`: the site's rejected rows waiting for a correction (file,
/// line, field, value, reason). The site's data manager, or an auditor; audited.
struct QuarantineRoute {
    let server: HarmonicServer
    struct Page: Codable { let site: String; let count: Int; let entries: [QuarantineEntry] }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/api/sites/{site}/quarantine") { request, context -> Response in
            let session = try context.requireSession()
            let site = try context.site()
            let store = try server.store.opened(as: session.role)
            do {
                let entries = try await HarmonicServer.blocking { try store.quarantine(ofSite: site) }
                await server.audit(session, request, target: "site \(site): \(entries.count) quarantined rows", outcome: "ok")
                return JSON.response(Page(site: site, count: entries.count, entries: entries))
            } catch is AccessDenied {
                throw await server.denied(session, request, target: "site \(site)", what: "read the quarantine of site \(site)")
            }
        }
    }
}
