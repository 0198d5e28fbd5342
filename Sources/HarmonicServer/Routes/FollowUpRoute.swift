import FollowUp
import Foundation
import Hummingbird
import Registry

/// `POST /api/sites/{site}/followup` `{"siteId": …}`: the surveillance plan of one child of the
/// radiotherapy registry (IGHG / PanCare rules, `SurveillanceRules.plan`, the engine of `harmonic
/// followup`), found by the site's own patient id, which the server turns into the pseudonym with
/// the site key (`--site-keys`); the id never reaches the store or the audit. A POST so that the
/// id stays out of addresses and logs. Clinicians and data managers of the site only. Audited.
struct FollowUpRoute {
    let server: HarmonicServer
    struct Body: Decodable { let siteId: String }

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/sites/{site}/followup") { request, context -> Response in
            let session = try context.requireSession()
            let site = try context.site()
            guard session.role == .clinician(site: site) || session.role == .dataManager(site: site) else {
                throw await server.denied(session, request, target: "site \(site)", what: "read follow-up plans of site \(site)")
            }
            let data = try await request.body.collect(upTo: HarmonicServer.maxJSONBody)
            guard let body = try? JSONDecoder().decode(Body.self, from: Data(data.readableBytesView)),
                  !body.siteId.trimmingCharacters(in: .whitespaces).isEmpty, body.siteId.count <= 128 else {
                throw APIError(.badRequest, "the body is not a JSON object with a non-empty string siteId (at most 128 characters)",
                               fix: "send {\"siteId\": \"the child's id in your site's records\"}")
            }
            let pseudonym = try server.siteKeys.pseudonymiser(for: site).pseudonym(for: body.siteId.trimmingCharacters(in: .whitespaces))
            let store = try server.store.opened(as: session.role)
            let summaries = try await HarmonicServer.blocking { try store.treatmentSummaries(children: [pseudonym]) }
            guard let summary = summaries.first else {
                await server.audit(session, request, target: "site \(site): child \(pseudonym)", outcome: "not found")
                throw APIError(.notFound, "no radiotherapy course of that child in site \(site)'s records",
                               fix: "check the id as your site's extract writes it (site_patient_id); children without a radiotherapy course have no plan here")
            }
            await server.audit(session, request, target: "site \(site): follow-up plan of \(pseudonym)", outcome: "ok")
            return JSON.response(SurveillanceRules.plan(for: summary))
        }
    }
}
