import Dosimetry
import Foundation
import HarmonicServer
import HarmonicTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// `POST /api/analyses`, `GET /api/analyses/{id}`, `GET /api/reports/{id}` and the `/analyses` page.
@Suite("Server: analyses and reports (analysts only)", .serialized)
struct AnalysisRouteTests {
    static let body = #"{"outcome":"leukaemia","dose":"red_marrow","lag":2,"model":"err: dose; background: strata(sex)"}"#

    /// Starts an analysis as `who`; returns the job id after it has finished.
    static func runAnalysis(_ client: some TestClientProtocol, _ who: SignedIn, body: String = body) async throws -> String {
        let id = try await client.execute(uri: "/api/analyses", method: .post,
                                          headers: [.cookie: who.cookie, HTTPField.Name("X-CSRF-Token")!: who.csrf, .contentType: "application/json"],
                                          body: ByteBuffer(string: body)) { r in
            #expect(r.status == .accepted, "\(String(buffer: r.body))")
            #expect(r.headers[.location]?.hasPrefix("/api/jobs/") == true)
            return try #require(jsonObject(r.body)["id"] as? String)
        }
        for _ in 0..<1200 {
            let state = try await client.execute(uri: "/api/jobs/\(id)", method: .get, headers: who.headers) { jsonObject($0.body)["state"] as? String }
            if state == "succeeded" || state == "failed" { return id }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("analysis \(id) did not finish in 120 s")
        return id
    }

    @Test("an analyst's analysis runs as a job; GET /api/analyses/{id} is byte for byte harmonic analyze --store --json",
          arguments: ["poisson", "cox"])
    func sameJSONAsCLI(_ method: String) async throws {
        let made = try AnalysisFixture.made.get()
        let model = "err: dose; background: strata(sex)"
        let cli = try PeerTool.run(try HarmonicExecutable.executable().path, ["analyze", "--store", made.path, "--outcome", "leukaemia", "--dose", "red_marrow",
                                                                                 "--lag", "2", "--method", method, "--model", model, "--json"])
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana, body: #"{"outcome":"leukaemia","dose":"red_marrow","lag":2,"method":"\#(method)","model":"\#(model)"}"#)
            try await client.execute(uri: "/api/jobs/\(id)", method: .get, headers: ana.headers) { r in
                let result = jsonObject(r.body)["result"] as? [String: Any]
                let analysis = result?["analysis"] as? [String: Any]
                #expect(analysis?["report"] as? String == "/api/reports/\(id)")
                #expect(analysis?["json"] as? String == "/api/analyses/\(id)")
            }
            try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("application/json") == true)
                #expect(String(buffer: r.body) == cli)
            }
        }
    }

    @Test("the report is an HTML page with the dose-response plot and the estimates, under the pages' Content-Security-Policy")
    func report() async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana)
            try await client.execute(uri: "/api/reports/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("text/html") == true)
                #expect(r.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("default-src 'self'") == true)
                let html = String(buffer: r.body)
                #expect(html.contains("<svg") && html.contains("parameter estimates") && html.contains("leukaemia"))
                #expect(!html.contains("<script"))
            }
        }
    }

    @Test("every role but analyst gets 403 on POST /api/analyses, GET /api/analyses/{id}, GET /api/reports/{id} and the /analyses page; no session 401",
          arguments: ["ada", "kari", "marie", "nils", "aud"])
    func otherRolesRefused(_ user: String) async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana)
            let who = try await client.signIn(user)
            try await client.execute(uri: "/api/analyses", method: .post,
                                     headers: [.cookie: who.cookie, HTTPField.Name("X-CSRF-Token")!: who.csrf, .contentType: "application/json"],
                                     body: ByteBuffer(string: Self.body)) { r in
                #expect(r.status == .forbidden)
            }
            for uri in ["/api/analyses/\(id)", "/api/reports/\(id)", "/analyses"] {
                try await client.execute(uri: uri, method: .get, headers: who.headers) { r in
                    #expect(r.status == .forbidden, "\(uri)")
                    #expect(!String(buffer: r.body).contains("parameter estimates"))
                }
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == (uri == "/analyses" ? .seeOther : .unauthorized), "\(uri)")
                }
            }
            try await client.execute(uri: "/api/analyses", method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(string: Self.body)) { r in
                #expect(r.status == .unauthorized)
            }
        }
    }

    @Test("another analyst's analysis is 404, as an unknown id")
    func anotherAnalyst() async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana)
            let bea = try await client.signIn("bea")
            for uri in ["/api/analyses/\(id)", "/api/reports/\(id)", "/api/analyses/0123456789abcdef"] {
                try await client.execute(uri: uri, method: .get, headers: bea.headers) { r in #expect(r.status == .notFound, "\(uri)") }
            }
        }
    }

    @Test("a bad request gets 400 naming the field and value, and starts no job", arguments: [
        (#"{"outcome":"leukemiax","dose":"red_marrow"}"#, "outcome"),
        (#"{"outcome":"leukaemia","dose":"liverx"}"#, "dose"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","method":"glm"}"#, "method"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","lag":-1}"#, "lag"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","model":"err: dose; background: strata('); DROP TABLE patients; --"}"#, "model"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","cohort":"x"}"#, "cohort"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","doseCuts":[0.1,0.05]}"#, "doseCuts"),
        (#"{"outcome":"leukaemia"}"#, "dose"),
        (#"{"outcome":"leukaemia","dose":"prescribed"}"#, "dose"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","exposures":["cardiac","neutron"]}"#, "exposures"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","exposures":[]}"#, "exposures"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","realisations":true,"exposures":["rt"]}"#, "exposures"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","method":"cox","sir":true}"#, "method"),
        (#"{"outcome":"leukaemia","dose":"red_marrow","realisations":"yes"}"#, "realisations"),
        ("not json", "analysis request"),
    ])
    func badRequest(_ body: String, _ field: String) async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/analyses", method: .post,
                                     headers: [.cookie: ana.cookie, HTTPField.Name("X-CSRF-Token")!: ana.csrf, .contentType: "application/json"],
                                     body: ByteBuffer(string: body)) { r in
                #expect(r.status == .badRequest)
                let j = jsonObject(r.body)
                #expect((j["error"] as? String)?.contains(field) == true, "\(j)")
                #expect((j["fix"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test("exposures chosen over the API give byte for byte harmonic analyze --store --exposures --json")
    func exposuresSameAsCLI() async throws {
        let made = try AnalysisFixture.made.get()
        let model = "err: dose; background: strata(sex)"
        let cli = try PeerTool.run(try HarmonicExecutable.executable().path, ["analyze", "--store", made.path, "--outcome", "leukaemia", "--dose", "red_marrow",
                                                                                 "--lag", "2", "--model", model, "--exposures", "cardiac,imaging", "--json"])
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana, body: #"{"outcome":"leukaemia","dose":"red_marrow","lag":2,"model":"\#(model)","exposures":["cardiac","imaging"]}"#)
            try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                #expect(String(buffer: r.body) == cli)
            }
        }
    }

    @Test("realisations and SIRs over the API, on a server with the store's realisation file and reference rates, give byte for byte harmonic analyze --realisations --rates --json")
    func realisationsAndSIRSameAsCLI() async throws {
        let made = try AnalysisFixture.made.get()
        // A copy of the fixture store (the shared one stays as the other tests read it), its cardiac dose run with realisations.
        let dir = try SharedData.temporaryDirectory("server-analysis-mcml")
        let copy = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        _ = try PeerTool.run("sqlite3", [made.path, ".backup '\(copy)'"])
        let (source, identity) = try DefaultCoefficientSource.load()
        _ = try DoseRun.run(store: try RegistryStore(path: copy, role: .analyst), storePath: copy, source: source,
                            settings: ReconstructionSettings(seed: 3, realisations: 10, sourceIdentity: identity))
        // TEST FIXTURE, not published rates: one leukaemia rate (4 per 100,000 person-years) for every country, sex, age and year,
        // so that every person-year cell has a rate; the test compares the API with the CLI on the same file.
        let rates = dir.appendingPathComponent("rates.csv")
        try ("country,sex,age_from,age_to,year_from,year_to,outcome,rate_per_100000\n" + ["BE", "DE", "DK", "ES", "FR", "IT", "NO", "UK"].flatMap { c in
            ["M", "F"].map { "\(c),\($0),0,130,1900,2100,leukaemia,4\n" } }.joined()).write(to: rates, atomically: true, encoding: .utf8)
        let model = "err: dose; background: strata(sex)"
        let cli = try PeerTool.run(try HarmonicExecutable.executable().path, ["analyze", "--store", copy, "--outcome", "leukaemia", "--dose", "red_marrow",
                                                                                 "--lag", "2", "--model", model, "--realisations", DoseRun.realisationPath(store: copy),
                                                                                 "--rates", rates.path, "--json"])
        let cliJSON = try #require(try JSONSerialization.jsonObject(with: Data(cli.utf8)) as? [String: Any])
        #expect(cliJSON["doseUncertainty"] is [String: Any] && (cliJSON["sir"] as? [Any])?.isEmpty == false, "the CLI's JSON has MCML and SIRs: \(cli.prefix(300))")
        let server = try HarmonicServer(store: try RegistryStore(path: copy, role: .admin), doseFilesPath: copy, ratesPath: rates.path)
        try await ServerFixture.app(server).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/analyses", method: .get, headers: ana.headers) { r in
                let html = String(buffer: r.body)
                #expect(html.contains(#"id="realisations""#) && html.contains(#"id="sir""#) && html.contains(#"id="exposure-imaging""#))
            }
            let id = try await Self.runAnalysis(client, ana, body: #"{"outcome":"leukaemia","dose":"red_marrow","lag":2,"model":"\#(model)","realisations":true,"sir":true}"#)
            try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                #expect(String(buffer: r.body) == cli)
            }
            try await client.execute(uri: "/api/reports/\(id)", method: .get, headers: ana.headers) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("Monte Carlo maximum likelihood") && html.contains("Standardised incidence ratios"))
            }
        }
    }

    @Test("realisations without the store's realisation file, or SIRs on a server without reference rates, get 409 naming what is missing and start no job",
          arguments: [(#""realisations":true"#, "realisation file"), (#""sir":true"#, "reference rates")])
    func missingFiles(_ field: String, _ missing: String) async throws {
        let dir = try SharedData.temporaryDirectory("server-analysis-missing")
        let server = try HarmonicServer(store: try AnalysisFixture.made.get().store, doseFilesPath: dir.appendingPathComponent("none.sqlite").path)
        try await ServerFixture.app(server).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/api/analyses", method: .post,
                                     headers: [.cookie: ana.cookie, HTTPField.Name("X-CSRF-Token")!: ana.csrf, .contentType: "application/json"],
                                     body: ByteBuffer(string: #"{"outcome":"leukaemia","dose":"red_marrow",\#(field)}"#)) { r in
                #expect(r.status == .conflict)
                let j = jsonObject(r.body)
                #expect((j["error"] as? String)?.contains(missing) == true, "\(j)")
                #expect(j["id"] == nil)
            }
            try await client.execute(uri: "/analyses", method: .get, headers: ana.headers) { r in
                let html = String(buffer: r.body)
                #expect(!html.contains(#"id="realisations""#) && !html.contains(#"id="sir""#), "neither is offered on this server")
            }
        }
    }

    @Test("an analysis of a store without organ doses fails as a job; GET /api/analyses/{id} answers 422 with the reason")
    func failsWithoutDoses() async throws {
        try await ServerFixture.app(try ServerFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            let id = try await Self.runAnalysis(client, ana)
            try await client.execute(uri: "/api/analyses/\(id)", method: .get, headers: ana.headers) { r in
                #expect(r.status == .unprocessableContent)
                #expect((jsonObject(r.body)["error"] as? String)?.contains("organ dose") == true, "\(String(buffer: r.body))")
            }
        }
    }

    @Test("the /analyses page gives an analyst the form (CSRF token, cohort, outcome, organ, model) and the script that follows the job")
    func page() async throws {
        try await ServerFixture.app(try AnalysisFixture.server()).test(.router) { client in
            let ana = try await client.signIn("ana")
            try await client.execute(uri: "/analyses", method: .get, headers: ana.headers) { r in
                #expect(r.status == .ok)
                let html = String(buffer: r.body)
                #expect(html.contains(#"<form id="analysis" data-action="/api/analyses">"#))
                #expect(html.contains(ana.csrf))
                for field in ["cohort", "outcome", "dose", "lag", "method", "model"] { #expect(html.contains(#"name="\#(field)""#), "\(field)") }
            }
            try await client.execute(uri: "/static/harmonic.js", method: .get) { r in
                #expect(String(buffer: r.body).contains("followAnalysis"))
            }
        }
    }
}

/// The `harmonic` executable built beside the test bundle.
enum HarmonicExecutable {
    static func executable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("harmonic"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("harmonic"),
            SharedData.repositoryRoot.appendingPathComponent(".build/debug/harmonic"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "the harmonic executable (run `swift build` first); looked in \(candidates.map(\.path))")
    }
}
