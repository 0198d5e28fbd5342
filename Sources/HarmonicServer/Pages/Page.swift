import Foundation
import HTTPTypes
import Hummingbird
import Registry
import Reports

/// The pages' shared frame: server-rendered HTML with a navigation bar for the caller's role, the
/// session's CSRF token in a `<meta>` for the small script (`/static/harmonic.js`) that sends
/// state-changing requests, and a Content-Security-Policy that allows only this server's script.
enum Page {
    /// The pages' headers: HTML, no caching, the Content-Security-Policy (this server's script, inline styles, data: images), no sniffing.
    static let headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                                      HTTPField.Name("Content-Security-Policy")!: "default-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
                                      HTTPField.Name("X-Content-Type-Options")!: "nosniff"]

    /// A complete HTML document (a report of `Reports`) with the pages' headers.
    static func document(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    static func html(_ title: String, session: Session?, status: HTTPResponse.Status = .ok, _ body: String) -> Response {
        let nav: String
        if let s = session {
            var links = [("/", "Home"), ("/calculator", "Dose calculator")]
            switch s.role {
            case .dataManager(let site):
                links += [("/sites/\(site)/upload", "Upload"), ("/sites/\(site)/quarantine", "Quarantine \(site)"), ("/sites/\(site)/qa", "QA \(site)"), ("/drl", "DRL"), ("/audit", "Audit")]
            case .clinician(let site): links += [("/sites/\(site)/followup", "Follow-up plan"), ("/rt/plan", "RT plan doses")]
            case .auditor: links += [("/audit", "Audit")]
            case .analyst: links += [("/analyses", "Analyses"), ("/drl", "DRL"), ("/rt/plan", "RT plan doses")]
            case .admin: links += [("/drl", "DRL")]
            default: break
            }
            nav = links.map { "<a href=\"\($0.0)\">\(escapeMarkup($0.1))</a>" }.joined(separator: " ")
                + " <span class=\"who\">\(escapeMarkup(s.account.name)) (\(escapeMarkup(s.role.description)))</span> <button id=\"signout\" type=\"button\">Sign out</button>"
        } else {
            nav = "<a href=\"/login\">Sign in</a>"
        }
        let page = """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escapeMarkup(title)) · Harmonic</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="csrf-token" content="\(escapeMarkup(session?.csrfToken ?? ""))">
        <style>\(style)</style>
        <script src="/static/harmonic.js" defer></script></head>
        <body><nav>\(nav)</nav><main><h1>\(escapeMarkup(title))</h1>
        \(body)
        </main></body></html>
        """
        return document(page, status: status)
    }

    /// A refused or failed page: the API error's text and what to do, with its status.
    static func error(_ e: APIError, session: Session?) -> Response {
        html(e.status == .forbidden ? "Refused" : "Error", session: session, status: e.status,
             "<p class=\"error\" id=\"error\">\(escapeMarkup(e.message))</p><p>\(escapeMarkup(e.fix))</p>")
    }

    static func toLogin(_ request: Request) -> Response {
        let next = request.uri.path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
        return Response(status: .seeOther, headers: [.location: "/login?next=\(next)"])
    }

    /// Runs a page body, answering a sign-in redirect without a session and an HTML error page for API errors.
    static func guarded(_ request: Request, _ context: ServerContext, _ body: (Session) async throws -> Response) async throws -> Response {
        guard let session = context.session else { return toLogin(request) }
        do { return try await body(session) } catch let e as APIError { return error(e, session: session) }
    }

    static let style = """
    body{font-family:system-ui,sans-serif;margin:0;color:#222}nav{background:#234;padding:.6em 1em}nav a{color:#fff;margin-right:1em}
    nav .who{color:#cde;margin-left:1em}main{padding:1em 2em;max-width:70em}table{border-collapse:collapse}
    td,th{border-bottom:1px solid #ddd;padding:.25em .6em;text-align:left}td.n{text-align:right}.error{color:#a00;font-weight:600}
    label{display:inline-block;min-width:11em}form p{margin:.3em 0}progress{width:30em}
    """
}

/// An SVG chart of horizontal bars (with optional 95% whiskers), for the pages' plots.
enum BarChart {
    static func svg(_ rows: [(label: String, value: Double, low: Double?, high: Double?)], unit: String) -> String {
        guard !rows.isEmpty else { return "" }
        let maxValue = max(rows.map { max($0.value, $0.high ?? 0) }.max() ?? 1, 1e-12)
        let rowHeight = 18.0, labelWidth = 190.0, plotWidth = 420.0
        let height = Double(rows.count) * rowHeight + 24
        func x(_ v: Double) -> Double { labelWidth + plotWidth * v / maxValue }
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"\(Int(labelWidth + plotWidth + 90))\" height=\"\(Int(height))\" font-size=\"12\">"]
        for (i, r) in rows.enumerated() {
            let y = Double(i) * rowHeight
            parts.append("<text x=\"\(labelWidth - 6)\" y=\"\(y + 13)\" text-anchor=\"end\">\(escapeMarkup(r.label))</text>")
            parts.append("<rect x=\"\(labelWidth)\" y=\"\(y + 3)\" width=\"\(max(0, x(r.value) - labelWidth))\" height=\"\(rowHeight - 6)\" fill=\"#4a7ab0\"/>")
            if let lo = r.low, let hi = r.high {
                parts.append("<line x1=\"\(x(lo))\" x2=\"\(x(hi))\" y1=\"\(y + 9)\" y2=\"\(y + 9)\" stroke=\"#222\"/>")
            }
            parts.append("<text x=\"\(x(max(r.value, r.high ?? 0)) + 4)\" y=\"\(y + 13)\">\(Self.format(r.value))</text>")
        }
        parts.append("<text x=\"\(labelWidth)\" y=\"\(height - 4)\">0</text><text x=\"\(labelWidth + plotWidth)\" y=\"\(height - 4)\" text-anchor=\"end\">\(Self.format(maxValue)) \(escapeMarkup(unit))</text></svg>")
        return parts.joined()
    }

    static func format(_ v: Double) -> String { v >= 100 || v == v.rounded() ? String(format: "%.0f", v) : String(format: "%.3g", v) }
}
