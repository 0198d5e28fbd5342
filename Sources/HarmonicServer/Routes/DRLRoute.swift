import FollowUp
import Foundation
import Hummingbird
import Registry
import Reports

/// Diagnostic reference levels and hospital benchmarking of the cardiac procedures
/// (`FollowUp/ReferenceLevels`, the engine of `harmonic drl`):
/// - `GET /api/drl?by=age|weight|both&group=class|type|both&minPerHospital=N`: byte for byte the JSON of
///   `harmonic drl --store S --json` with the same options (a data manager's: `--site` of its site);
/// - `/drl`: the DRL dashboard, the report section of `harmonic demo` (`ReferenceLevelSection`: DRL
///   and achievable dose by class and band with the published values, hospitals above the DRL, KAP by
///   year, alerts).
/// Analysts: every site; a data manager: its own site's hospitals (the store restricts the rows);
/// admins: every site, read as an analyst (the tables are aggregates by hospital; issue 17 grants
/// them the dashboard, while the store's role matrix gives admins no data rows); clinicians and
/// auditors: 403. Audited.
struct DRLRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/api/drl") { request, context -> Response in
            let session = try context.requireSession()
            let q = request.uri.queryParameters
            var options = ReferenceLevelOptions(minProceduresPerHospital: AlertThresholds().minProceduresPerHospital)
            switch q["by"].map(String.init) ?? "both" {
            case "age": options.bandKinds = [.age]
            case "weight": options.bandKinds = [.weight]
            case "both": break
            case let v: throw APIError(.badRequest, "by=\(v) is not a band kind", fix: "give by=age, weight or both")
            }
            switch q["group"].map(String.init) ?? "both" {
            case "class": options.groupings = [.procedureClass]
            case "type": options.groupings = [.procedureType]
            case "both": break
            case let v: throw APIError(.badRequest, "group=\(v) is not a grouping", fix: "give group=class, type or both")
            }
            if let v = q["minPerHospital"].map(String.init) {
                guard let n = Int(v), (1...100_000).contains(n) else {
                    throw APIError(.badRequest, "minPerHospital=\(v) is not a whole number 1-100000", fix: "give minPerHospital as the procedures a hospital needs in a group, e.g. 10")
                }
                options.minProceduresPerHospital = n
            }
            let store = try await Self.store(server, session, request)
            let runOptions = options
            let table = try await Self.blockingRead(server, session, request) { ReferenceLevelTable.compute(try store.procedureDoses(), options: runOptions) }
            await server.audit(session, request, target: "DRL tables: \(table.proceduresRead) procedures", outcome: "ok")
            return JSON.response(Data((try StoreAnalysis.jsonText(table) + "\n").utf8))
        }
        router.get("/drl") { request, context in
            try await Page.guarded(request, context) { s in
                let store = try await Self.store(server, s, request)
                let content = try await Self.blockingRead(server, s, request) { try ReferenceLevelSection.compute(store: store) }
                await server.audit(s, request, target: "DRL dashboard: \(content.table.proceduresRead) procedures", outcome: "ok")
                var report = HTMLReport(title: "Diagnostic reference levels" + (s.role.site.map { ", site \($0)" } ?? ", all sites"))
                ReferenceLevelSection.append(to: &report, content)
                return Page.document(report.html())
            }
        }
    }

    /// The store the caller reads DRLs with (admins as analysts), or a 403 for other roles.
    static func store(_ server: HarmonicServer, _ session: Session, _ request: Request) async throws -> RegistryStore {
        switch session.role {
        case .analyst, .dataManager: return try server.store.opened(as: session.role)
        case .admin: return try server.store.opened(as: .analyst)
        default: throw await server.denied(session, request, target: "DRL", what: "read diagnostic reference levels")
        }
    }

    /// Runs a store read off the event loops; a store without procedure doses is a 409 saying what to run.
    static func blockingRead<T: Sendable>(_ server: HarmonicServer, _ session: Session, _ request: Request,
                                          _ body: @escaping @Sendable () throws -> T) async throws -> T {
        do { return try await HarmonicServer.blocking(body) } catch is AccessDenied {
            throw await server.denied(session, request, target: "DRL", what: "read diagnostic reference levels")
        } catch let e as OrganDosesMissing {
            throw APIError(.conflict, "no procedure doses in the store yet", fix: "an analyst runs the dose reconstruction first (POST /api/dose-runs); \(e.description)")
        }
    }
}
