import Foundation
import Hummingbird
import Registry
import Reports

/// The site QA dashboard (`RegistryStore.siteQuality`): completeness by era (share of required
/// and optional fields filled per table and decade), rows per year, quarantine reasons and the
/// loads' accepted and rejected rows.
/// - `GET /api/sites/{site}/qa`: the figures as JSON (`SiteQuality`);
/// - `/sites/{site}/qa`: the page, with SVG bars.
/// The site's data manager, or an analyst (any site); others 403. Audited.
struct SiteQualityRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/api/sites/{site}/qa") { request, context -> Response in
            let session = try context.requireSession()
            return JSON.response(try await Self.quality(server, session, request, context))
        }
        router.get("/sites/{site}/qa") { request, context in
            try await Page.guarded(request, context) { s in
                Page.html("Data quality of site \(try context.site())", session: s, Self.body(try await Self.quality(server, s, request, context)))
            }
        }
    }

    static func quality(_ server: HarmonicServer, _ session: Session, _ request: Request, _ context: ServerContext) async throws -> SiteQuality {
        let site = try context.site()
        let store = try server.store.opened(as: session.role)
        do {
            let q = try await HarmonicServer.blocking { try store.siteQuality(ofSite: site) }
            await server.audit(session, request, target: "site \(site): data quality", outcome: "ok")
            return q
        } catch is AccessDenied {
            throw await server.denied(session, request, target: "site \(site)", what: "read the data quality of site \(site)")
        }
    }

    /// The page body: one section per table with rows, completeness by decade (bars, % filled) and
    /// rows per year; then quarantine reasons and loads.
    static func body(_ q: SiteQuality) -> String {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", 100 * v) }
        var html = "<p id=\"summary\">\(q.tables.map(\.rows).reduce(0, +)) rows in \(q.tables.filter { $0.rows > 0 }.count) tables; "
            + "\(q.quarantine.map(\.rows).reduce(0, +)) quarantined; \(q.loads.count) loads. The same figures: GET /api/sites/\(escapeMarkup(q.site))/qa.</p>"
        html += "<h2>Completeness by era</h2><p>Share of the data dictionary's optional fields filled, by decade of each table's first date column "
            + "(required fields are checked at load, so they are filled unless the rows predate a dictionary version).</p>"
        html += "<table id=\"completeness\"><tr><th>table</th><th>era</th><th>rows</th><th>required filled</th><th>optional filled</th></tr>"
        for t in q.tables where t.rows > 0 {
            for e in t.eras {
                html += "<tr><td>\(escapeMarkup(t.table))</td><td>\(escapeMarkup(e.era))</td><td class=n>\(e.rows)</td><td class=n>\(pct(e.required))</td><td class=n>\(pct(e.optional))</td></tr>"
            }
        }
        html += "</table>"
        for t in q.tables where t.rows > 0 {
            html += "<h3>\(escapeMarkup(t.table))\(t.dateColumn.map { " by \(escapeMarkup($0))" } ?? "")</h3>"
            html += BarChart.svg(t.eras.map { ("\($0.era) optional", 100 * $0.optional, nil, nil) }, unit: "% filled")
            if t.years.count > 1 { html += BarChart.svg(t.years.map { ($0.year, Double($0.rows), nil, nil) }, unit: "rows") }
        }
        html += "<h2>Quarantine reasons</h2>"
        if q.quarantine.isEmpty { html += "<p>No rows waiting for a correction.</p>" } else {
            html += BarChart.svg(q.quarantine.prefix(30).map { ("\($0.table).\($0.field)", Double($0.rows), nil, nil) }, unit: "rows")
            html += "<table id=\"reasons\"><tr><th>table</th><th>field</th><th>reason</th><th>rows</th></tr>" + q.quarantine.map {
                "<tr><td>\(escapeMarkup($0.table))</td><td>\(escapeMarkup($0.field))</td><td>\(escapeMarkup($0.reason))</td><td class=n>\($0.rows)</td></tr>"
            }.joined() + "</table>"
        }
        html += "<h2>Loads</h2>"
        if q.loads.isEmpty { html += "<p>No loads yet.</p>" } else {
            html += BarChart.svg(q.loads.map { ("load \($0.loadID)", $0.accepted + $0.rejected > 0 ? 100 * Double($0.rejected) / Double($0.accepted + $0.rejected) : 0, nil, nil) },
                                 unit: "% rejected")
            html += "<table id=\"loads\"><tr><th>load</th><th>started (UTC)</th><th>files</th><th>accepted</th><th>rejected</th></tr>" + q.loads.map {
                "<tr><td class=n>\($0.loadID)</td><td>\(escapeMarkup($0.startedAt))</td><td class=n>\($0.files)</td><td class=n>\($0.accepted)</td><td class=n>\($0.rejected)</td></tr>"
            }.joined() + "</table>"
        }
        return html
    }
}
