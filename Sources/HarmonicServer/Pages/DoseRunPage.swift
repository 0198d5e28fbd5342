import Hummingbird
import Registry

/// `/dose-runs`: an analyst chooses the kind of dose run (cardiac procedures, imaging
/// exams, radiotherapy courses), the number of realisations and the seed; the page script posts
/// them to `POST /api/dose-runs`, follows the job's progress (the job id is kept in the address,
/// so a reload picks it up) and shows the records by tier. Other roles get 403.
struct DoseRunPage {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/dose-runs") { request, context in
            try await Page.guarded(request, context) { s in
                guard s.role == DoseRunRoute.role else { throw await DoseRunRoute.refusal(server, s, request) }
                let storeNote = server.doseFilesPath == nil
                    ? "<p class=error>This server has no place for realisation files (harmonic serve --dose-files PATH): runs are refused.</p>" : ""
                return Page.html("Organ dose runs of the pooled registry", session: s, """
                <form id="doserun" data-action="/api/dose-runs">
                <p><label for="kind">Records</label><select id="kind" name="kind"><option value="cardiac">cardiac procedures (harmonic dose run)</option>
                <option value="imaging">imaging exams (harmonic dose imaging)</option><option value="rt">radiotherapy courses (harmonic rt dose --store)</option></select></p>
                <p><label for="realisations">Realisations</label><input id="realisations" name="realisations" value="1000" inputmode="numeric"></p>
                <p><label for="seed">Seed (empty: the default)</label><input id="seed" name="seed" inputmode="numeric"></p>
                <p>Runs are incremental: records whose inputs did not change keep their doses. One run at a time.</p>
                \(storeNote)<p><button id="start" type="submit">Start the dose run</button></p></form>
                <p><progress id="progress" max="1" value="0"></progress> <span id="status"></span></p><div id="report"></div>
                """)
            }
        }
    }
}
