import Foundation
import Hummingbird
import Registry

/// `GET /api/sites/{site}/patients?limit=&offset=`: the children of one site, by pseudonym.
/// The store enforces the role (`RegistryStore.patients(ofSite:)`): analysts any site, data
/// managers and clinicians their own site only. Every call, allowed or refused, is audited.
struct SitePatientsRoute {
    let server: HarmonicServer
    static let maxLimit = 1000

    struct Page: Codable { let site: String; let limit: Int; let offset: Int; let patients: [PatientSummary] }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/api/sites/{site}/patients") { request, context -> Response in
            let session = try context.requireSession()
            let site = try context.parameters.require("site").uppercased()
            guard site.count == 2, site.allSatisfy({ $0.isASCII && $0.isLetter }) else {
                throw APIError(.badRequest, "site '\(site)' is not a two-letter country code", fix: "use e.g. /api/sites/NO/patients")
            }
            let q = request.uri.queryParameters
            func int(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
                guard let t = q[name[...]].map(String.init) else { return fallback }
                guard let v = Int(t), range.contains(v) else {
                    throw APIError(.badRequest, "query parameter \(name)='\(t)' is out of range", fix: "give \(name) as a whole number \(range.lowerBound)-\(range.upperBound)")
                }
                return v
            }
            let limit = try int("limit", 100, 1...Self.maxLimit), offset = try int("offset", 0, 0...Int(Int32.max))
            let store = try server.store.opened(as: session.role)
            do {
                let patients = try await HarmonicServer.blocking { try store.patients(ofSite: site, limit: limit, offset: offset) }
                await server.audit(session, request, target: "site \(site): \(patients.count) patients from \(offset)", outcome: "ok")
                return JSON.response(Page(site: site, limit: limit, offset: offset, patients: patients))
            } catch let denied as AccessDenied {
                await server.audit(session, request, target: "site \(site)", outcome: "denied")
                throw APIError(.forbidden, denied.description,
                               fix: session.role.site.map { "your account works for site \($0) only: use /api/sites/\($0)/patients" }
                                   ?? "the \(session.account.role) role reads no patient rows; ask an admin for an analyst or site account")
            }
        }
    }
}
