import Foundation
import Hummingbird
import Registry
import Reports

/// The pages (server-rendered HTML, SVG plots): sign-in, home, upload with progress and the
/// validation report, the site quarantine (QA), the dose calculator and the audit view. They call
/// the same store methods as the API, with the caller's role, and the same audit.
struct PageRoutes {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/static/harmonic.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: PageScript.javascript)))
        }
        router.get("/login") { _, context in
            Page.html("Sign in", session: context.session, """
            <form id="login"><p><label for="user">User name</label><input id="user" name="user" autocomplete="username" required></p>
            <p><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><button id="signin" type="submit">Sign in</button></p></form><p class="error" id="message"></p>
            """)
        }
        router.get("/") { request, context in
            try await Page.guarded(request, context) { s in
                var items = ["<li><a href=\"/calculator\">Dose calculator</a>: organ doses of one cardiac procedure with 95% intervals</li>"]
                if case .dataManager(let site) = s.role {
                    items.append("<li><a href=\"/sites/\(site)/upload\">Upload</a> a CSV extract file or a zipped folder of CSV and DICOM files for site \(site)</li>")
                    items.append("<li><a href=\"/sites/\(site)/quarantine\">Quarantine and QA</a> of site \(site)</li>")
                }
                if let site = s.role.site {
                    items.append("<li><a href=\"/sites/\(site)/followup\">Follow-up plan</a> of a radiotherapy child of site \(site), by your site's id</li>")
                }
                if case .dataManager(let site) = s.role {
                    items.append("<li><a href=\"/sites/\(site)/qa\">Data quality</a> of site \(site): completeness by era, quarantine reasons, loads</li>")
                }
                if s.role == .analyst {
                    items.append("<li><a href=\"/analyses\">Analyses</a> of the pooled registry, leading to the report</li>")
                    items.append("<li>Data quality of any site: /sites/NO/qa, /sites/FR/qa, …</li>")
                }
                if s.role == DoseRunRoute.role {
                    items.append("<li><a href=\"/dose-runs\">Organ dose runs</a>: cardiac procedures, imaging exams, radiotherapy courses</li>")
                }
                if s.role == .auditor || s.role.name == "data_manager" { items.append("<li><a href=\"/audit\">Audit trail</a></li>") }
                return Page.html("Harmonic", session: s, "<ul>\(items.joined())</ul>")
            }
        }
        router.get("/sites/{site}/upload") { request, context in
            try await Page.guarded(request, context) { s in
                let site = try context.site()
                guard s.role == .dataManager(site: site) else {
                    throw await server.denied(s, request, target: "site \(site)", what: "upload data for site \(site)")
                }
                return Page.html("Upload for site \(site)", session: s, """
                <form id="upload" data-action="/api/sites/\(site)/uploads" data-quarantine="/sites/\(site)/quarantine">
                <p><label for="file">Extract</label><input id="file" name="file" type="file" accept=".csv,.zip" required></p>
                <p>One CSV file named after its table (patients.csv, cardiac_procedures.csv, …) or a zipped folder of CSV and DICOM files.</p>
                <p><button id="send" type="submit">Upload and load</button></p></form>
                <p><progress id="progress" max="1" value="0"></progress> <span id="status"></span></p><div id="report"></div>
                """)
            }
        }
        router.get("/sites/{site}/followup") { request, context in
            try await Page.guarded(request, context) { s in
                let site = try context.site()
                guard s.role == .clinician(site: site) || s.role == .dataManager(site: site) else {
                    throw await server.denied(s, request, target: "site \(site)", what: "read follow-up plans of site \(site)")
                }
                return Page.html("Follow-up plan, site \(site)", session: s, """
                <form id="followup" data-action="/api/sites/\(site)/followup">
                <p><label for="siteId">Child's id at your site</label><input id="siteId" name="siteId" autocomplete="off" required></p>
                <p>The id is turned into the registry's pseudonym on the server with your site's key; it is not stored.</p>
                <p><button id="plan" type="submit">Show the plan</button></p></form><div id="report"></div>
                """)
            }
        }
        router.get("/sites/{site}/quarantine") { request, context in
            try await Page.guarded(request, context) { s in
                let site = try context.site()
                let store = try server.store.opened(as: s.role)
                let entries: [QuarantineEntry]
                do { entries = try await HarmonicServer.blocking { try store.quarantine(ofSite: site) } } catch is AccessDenied {
                    throw await server.denied(s, request, target: "site \(site)", what: "read the quarantine of site \(site)")
                }
                await server.audit(s, request, target: "site \(site): \(entries.count) quarantined rows", outcome: "ok")
                var reasons: [String: Int] = [:]
                for e in entries { reasons["\(e.table).\(e.field)", default: 0] += 1 }
                let chart = BarChart.svg(reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, Double($0.value), nil, nil) }, unit: "rows")
                let rows = entries.prefix(500).map { e in
                    "<tr><td>\(escapeMarkup(e.table))</td><td>\(escapeMarkup(e.file))</td><td class=n>\(e.line)</td><td>\(escapeMarkup(e.field))</td><td>\(escapeMarkup(e.value))</td><td>\(escapeMarkup(e.reason))</td></tr>"
                }.joined()
                return Page.html("Quarantine of site \(site)", session: s, """
                <p id="count">\(entries.count) rejected rows waiting for a correction.</p>
                <h2>By table and field</h2>\(chart)
                <h2>Rows\(entries.count > 500 ? " (first 500)" : "")</h2>
                <table id="quarantine"><tr><th>table</th><th>file</th><th>line</th><th>field</th><th>value</th><th>reason</th></tr>\(rows)</table>
                """)
            }
        }
        router.get("/calculator") { request, context in
            try await Page.guarded(request, context) { s in
                let q = request.uri.queryParameters
                func value(_ name: String, _ fallback: String = "") -> String { escapeMarkup(q[name[...]].map(String.init) ?? fallback) }
                let form = """
                <form id="calculator" method="get" action="/calculator">
                <p><label for="age">Age (years, 0-18)</label><input id="age" name="age" value="\(value("age"))" required></p>
                <p><label for="weight">Weight (kg, optional)</label><input id="weight" name="weight" value="\(value("weight"))"></p>
                <p><label for="kap">KAP (Gy·cm²)</label><input id="kap" name="kap" value="\(value("kap"))" required></p>
                <p><label for="procedure">Procedure</label><input id="procedure" name="procedure" value="\(value("procedure", "diagnostic"))"></p>
                <p><label for="sex">Sex</label><select id="sex" name="sex"><option>F</option><option\(q["sex"] == "M" ? " selected" : "")>M</option></select></p>
                <p><button id="estimate" type="submit">Estimate</button></p></form>
                """
                guard q["age"] != nil || q["kap"] != nil else { return Page.html("Dose calculator", session: s, form) }
                let report = try await DoseEstimateRoute.estimate(q)
                let rows = report.quantities.map {
                    "<tr><td>\(escapeMarkup($0.name))</td><td class=n>\(BarChart.format($0.central))</td><td class=n>\(BarChart.format($0.low95))–\(BarChart.format($0.high95))</td><td>\($0.unit)</td></tr>"
                }.joined()
                let chart = BarChart.svg(report.quantities.filter { $0.unit == "mGy" }.map { ($0.name, $0.central, $0.low95, $0.high95) }, unit: "mGy")
                return Page.html("Dose calculator", session: s, form + """
                <h2>Organ doses (central value, 95% interval)</h2>\(chart)
                <table id="doses"><tr><th>quantity</th><th>central</th><th>95% interval</th><th>unit</th></tr>\(rows)</table>
                <p>Coefficients: \(escapeMarkup(report.coefficientSource)). The same numbers as harmonic dose estimate --json and GET /api/dose/estimate.</p>
                """)
            }
        }
        router.get("/audit") { request, context in
            try await Page.guarded(request, context) { s in
                let store = try server.store.opened(as: s.role)
                let events: [AuditEvent]
                do { events = try await HarmonicServer.blocking { try store.auditEvents(limit: 1_000_000) } } catch is AccessDenied {
                    throw await server.denied(s, request, target: "audit trail", what: "read the audit trail")
                }
                await server.audit(s, request, target: "audit trail: \(events.count) events", outcome: "ok")
                let rows = events.suffix(500).reversed().map { e in
                    "<tr><td>\(escapeMarkup(e.at))</td><td>\(escapeMarkup(e.user))</td><td>\(escapeMarkup(e.role))</td><td>\(escapeMarkup(e.site ?? ""))</td><td>\(escapeMarkup(e.action))</td><td>\(escapeMarkup(e.target))</td><td>\(escapeMarkup(e.outcome))</td></tr>"
                }.joined()
                return Page.html("Audit trail", session: s, """
                <p>\(events.count) requests recorded\(events.count > 500 ? "; the latest 500" : ""), newest first.</p>
                <table id="audit"><tr><th>when (UTC)</th><th>user</th><th>role</th><th>site</th><th>what</th><th>target</th><th>outcome</th></tr>\(rows)</table>
                """)
            }
        }
    }
}
