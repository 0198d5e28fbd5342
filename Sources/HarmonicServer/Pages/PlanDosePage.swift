import Hummingbird
import Registry

/// `/rt/plan`: a clinician or analyst chooses the zip of one plan's RT Plan, RT Dose and RT
/// Structure Set and the child's age and sex; the page script sends it to
/// `POST /api/rt/plan-doses`, follows the job's progress (the job id is kept in the address, so a
/// reload picks it up) and shows the organ-dose table (mean, D2%, 95% interval, source) of
/// `GET /api/rt/plan-doses/{id}`, or the refusal naming the file and tag. Other roles get 403.
struct PlanDosePage {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.get("/rt/plan") { request, context in
            try await Page.guarded(request, context) { s in
                guard s.role == .analyst || s.role.name == "clinician" else {
                    throw await server.denied(s, request, target: "RT plan", what: "compute organ doses of an RT plan")
                }
                return Page.html("Organ doses of an RT plan", session: s, """
                <form id="plandose" data-action="/api/rt/plan-doses">
                <p><label for="planzip">Plan (zip of RP, RD, RS)</label><input id="planzip" name="planzip" type="file" accept=".zip" required></p>
                <p><label for="age">Age at treatment (years)</label><input id="age" name="age" inputmode="decimal" required></p>
                <p><label for="sex">Sex</label><select id="sex" name="sex"><option>F</option><option>M</option></select></p>
                <p>The RT Dose must be absolute (Gy). Nothing is stored; the same numbers as harmonic rt dose --json.</p>
                <p><button id="compute" type="submit">Compute organ doses</button></p></form>
                <p><progress id="progress" max="1" value="0"></progress> <span id="status"></span></p><div id="report"></div>
                """)
            }
        }
    }
}
