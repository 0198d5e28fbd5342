import Epidemiology
import Foundation
import HarmonicCore
import Hummingbird
import Registry
import Reports

/// `/analyses`: the analyst's analysis form (cohort, outcome group, organ dose, lag, method,
/// model, the exposures summed; dose realisations (MCML) when the store's realisation files exist
/// and SIRs when the server has reference rates: the options of `harmonic analyze --store`). The page script posts it to
/// `POST /api/analyses`, follows the job (progress survives a reload: the job id is kept in the
/// address) and links the report (`GET /api/reports/{id}`) and its JSON. Other roles get 403.
struct AnalysisPage {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/analyses") { request, context in
            try await Page.guarded(request, context) { s in
                guard s.role == .analyst else { throw await server.denied(s, request, target: "analysis", what: "run analyses of the pooled registry") }
                func options(_ values: [String], selected: String) -> String {
                    values.map { "<option\($0 == selected ? " selected" : "")>\(escapeMarkup($0))</option>" }.joined()
                }
                let defaults = StoreAnalysis.Request(outcome: "leukaemia", dose: "red_marrow")
                let exposures = ExposureType.allCases.map {
                    #"<input type="checkbox" id="exposure-\#($0.rawValue)" name="exposure" value="\#($0.rawValue)" checked> <span>\#($0.rawValue)</span> "#
                }.joined()
                let realisations = Self.realisationsField(server.doseFilesPath)
                let sir = server.ratesPath == nil ? "<p>SIRs: this server has no reference rates (harmonic serve --rates FILE).</p>"
                    : #"<p><label for="sir">SIRs (reference rates)</label><input type="checkbox" id="sir" name="sir"> overall and by dose category (Poisson)</p>"#
                return Page.html("Analysis of the pooled registry", session: s, """
                <form id="analysis" data-action="/api/analyses">
                <p><label for="cohort">Cohort</label><select id="cohort" name="cohort">\(options(StudyCohort.allCases.map(\.rawValue), selected: "cardiac"))</select></p>
                <p><label for="outcome">Outcome (ICD-O-3 group)</label><select id="outcome" name="outcome">\(options(OutcomeGroup.allCases.map(\.rawValue), selected: "leukaemia"))</select></p>
                <p><label for="dose">Organ dose</label><select id="dose" name="dose">\(options(Organ.allCases.map(\.rawValue) + ["prescribed"], selected: "red_marrow"))</select></p>
                <p><label for="lag">Lag (years)</label><input id="lag" name="lag" value="2" inputmode="decimal" required></p>
                <p><label for="method">Method</label><select id="method" name="method">\(options(["poisson", "cox"], selected: "poisson"))</select></p>
                <p><label for="model">Model</label><input id="model" name="model" size="70" value="\(escapeMarkup(defaults.model))" required></p>
                <p><label>Exposures summed</label>\(exposures)</p>
                \(realisations)
                \(sir)
                <p>The model language: docs/model-language.md (e.g. err: dose * exp(sex); background: strata(country, sex, attained_age)).
                The JSON is that of harmonic analyze --store --json with the same options.</p>
                <p><button id="run" type="submit">Run the analysis</button></p></form>
                <p><progress id="progress" max="1" value="0"></progress> <span id="status"></span></p><div id="report"></div>
                """)
            }
        }
    }

    /// The realisations checkbox when a dose run has written the cohort's realisation file (cardiac
    /// `STORE.realisations`, radiotherapy `STORE.rt-realisations`), else a line saying what writes it.
    static func realisationsField(_ doseFiles: String?) -> String {
        let present = doseFiles.map { d in StudyCohort.allCases.filter { FileManager.default.fileExists(atPath: StoreAnalysis.realisationPath(doseFiles: d, study: $0)) } } ?? []
        guard !present.isEmpty else { return "<p>Dose realisations (MCML): none yet; a dose run writes them (/dose-runs).</p>" }
        return #"<p><label for="realisations">Dose realisations (MCML)</label><input type="checkbox" id="realisations" name="realisations"> "#
            + "available for the \(present.map(\.rawValue).joined(separator: " and ")) cohort (Poisson)</p>"
    }
}
