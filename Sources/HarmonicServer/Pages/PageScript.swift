/// `/static/harmonic.js`: the pages' only script (no framework): sign-in and sign-out through the
/// JSON API, and the upload page (send the file as the body, follow the job's progress, show the
/// validation report; the job id is kept in the address, so a reload picks the job up again).
enum PageScript {
    static let javascript = #"""
    "use strict";
    const csrf = () => document.querySelector('meta[name="csrf-token"]').content;
    const esc = s => String(s).replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;",'"':"&quot;","'":"&#39;"}[c]));
    document.addEventListener("DOMContentLoaded", () => {
      const out = document.getElementById("signout");
      if (out) out.addEventListener("click", async () => {
        await fetch("/api/session", {method: "DELETE", headers: {"X-CSRF-Token": csrf()}});
        location.href = "/login";
      });
      const login = document.getElementById("login");
      if (login) login.addEventListener("submit", async e => {
        e.preventDefault();
        const r = await fetch("/api/session", {method: "POST", headers: {"Content-Type": "application/json"},
          body: JSON.stringify({user: login.user.value, password: login.password.value})});
        if (r.ok) { location.href = new URLSearchParams(location.search).get("next") || "/"; return; }
        const j = await r.json().catch(() => ({error: r.statusText, fix: ""}));
        document.getElementById("message").textContent = j.error + ". " + j.fix;
      });
      const followup = document.getElementById("followup");
      if (followup) followup.addEventListener("submit", async e => {
        e.preventDefault();
        const r = await fetch(followup.dataset.action, {method: "POST", body: JSON.stringify({siteId: followup.siteId.value}),
          headers: {"X-CSRF-Token": csrf(), "Content-Type": "application/json"}});
        const j = await r.json();
        if (!r.ok) { report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
        let html = "<h2>Plan for " + esc(j.child) + "</h2>";
        if (!j.items.length) html += "<p>No dose- or field-dependent surveillance applies.</p>";
        else {
          html += "<table id=plan-items><tr><th>late effect</th><th>strength</th><th>trigger</th><th>modality, frequency</th><th>from</th><th>dose basis</th><th>source</th></tr>";
          for (const i of j.items) html += "<tr><td>" + esc(i.lateEffect) + "</td><td>" + esc(i.strength) + "</td><td>" + esc(i.trigger) + "</td><td>" +
            esc(i.modality + ", " + i.frequency) + "</td><td>" + esc(i.startDate) + "</td><td>" + esc(i.doseBasis) + "</td><td>" + esc((i.sources || []).join("; ")) + "</td></tr>";
          html += "</table>";
        }
        for (const n of j.notes || []) html += "<p>Note: " + esc(n) + "</p>";
        report(html);
      });
      const analysis = document.getElementById("analysis");
      if (analysis) {
        analysis.addEventListener("submit", async e => {
          e.preventDefault();
          const f = analysis.elements;
          status("sending…", 0);
          const r = await fetch(analysis.dataset.action, {method: "POST", headers: {"X-CSRF-Token": csrf(), "Content-Type": "application/json"},
            body: JSON.stringify(analysisRequest(f))});
          const j = await r.json();
          if (!r.ok) { status("", 0); report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
          location.hash = "job=" + j.id;
          followAnalysis(j.id);
        });
        const m = location.hash.match(/job=([0-9a-f]+)/);
        if (m) followAnalysis(m[1]);
      }
      const plandose = document.getElementById("plandose");
      if (plandose) {
        plandose.addEventListener("submit", async e => {
          e.preventDefault();
          const file = plandose.planzip.files[0];
          if (!file) return;
          status("sending " + file.name + "…", 0);
          const q = "?age=" + encodeURIComponent(plandose.age.value) + "&sex=" + encodeURIComponent(plandose.sex.value);
          const r = await fetch(plandose.dataset.action + q, {method: "POST", body: file, headers: {"X-CSRF-Token": csrf(), "Content-Type": "application/zip"}});
          const j = await r.json();
          if (!r.ok) { status("", 0); report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
          location.hash = "job=" + j.id;
          followPlan(j.id);
        });
        const m = location.hash.match(/job=([0-9a-f]+)/);
        if (m) followPlan(m[1]);
      }
      const doserun = document.getElementById("doserun");
      if (doserun) {
        doserun.addEventListener("submit", async e => {
          e.preventDefault();
          const f = doserun.elements;
          status("sending…", 0);
          const body = {kind: f.kind.value};
          if (f.seed.value) body.seed = Number(f.seed.value);
          if (f.realisations.value) body.realisations = Number(f.realisations.value);
          const r = await fetch(doserun.dataset.action, {method: "POST", headers: {"X-CSRF-Token": csrf(), "Content-Type": "application/json"}, body: JSON.stringify(body)});
          const j = await r.json();
          if (!r.ok) { status("", 0); report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
          location.hash = "job=" + j.id;
          followDoseRun(j.id);
        });
        const m = location.hash.match(/job=([0-9a-f]+)/);
        if (m) followDoseRun(m[1]);
      }
      const upload = document.getElementById("upload");
      if (upload) {
        upload.addEventListener("submit", async e => {
          e.preventDefault();
          const file = upload.file.files[0];
          if (!file) return;
          const zip = /\.zip$/i.test(file.name);
          const url = upload.dataset.action + (zip ? "" : "?name=" + encodeURIComponent(file.name));
          status("sending " + file.name + " (" + file.size + " bytes)…", 0);
          const r = await fetch(url, {method: "POST", body: file,
            headers: {"X-CSRF-Token": csrf(), "Content-Type": zip ? "application/zip" : "text/csv"}});
          const j = await r.json();
          if (!r.ok) { status("", 0); report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
          location.hash = "job=" + j.id;
          follow(j.id);
        });
        const m = location.hash.match(/job=([0-9a-f]+)/);
        if (m) follow(m[1]);
      }
    });
    function status(text, fraction) {
      document.getElementById("status").textContent = text;
      document.getElementById("progress").value = fraction;
    }
    // The analysis form as POST /api/analyses reads it: exposures only when not all three are ticked
    // (all three is the default, as harmonic analyze without --exposures), realisations and sir when offered and ticked.
    function analysisRequest(f) {
      const ticked = Array.from(document.querySelectorAll("input[name=exposure]:checked")).map(x => x.value);
      const body = {cohort: f.cohort.value, outcome: f.outcome.value, dose: f.dose.value, lag: Number(f.lag.value),
                    method: f.method.value, model: f.model.value};
      if (ticked.length < 3) body.exposures = ticked;
      if (f.realisations && f.realisations.checked) body.realisations = true;
      if (f.sir && f.sir.checked) body.sir = true;
      return body;
    }
    async function followAnalysis(id) {
      const r = await fetch("/api/jobs/" + id);
      const j = await r.json();
      if (!r.ok) { report("<p class=error>" + esc(j.error) + "</p>"); return; }
      status(j.state + ": " + (j.messages[j.messages.length - 1] || ""), j.progress);
      if (j.state === "queued" || j.state === "running") { setTimeout(() => followAnalysis(id), 400); return; }
      if (j.state !== "succeeded") { report("<p class=error id=error>" + esc(j.messages[j.messages.length - 1]) + "</p>"); return; }
      const a = (j.result || {}).analysis || {};
      report('<p id=analysis-done>' + esc(a.children) + ' children analysed. <a id="report-link" href="' + esc(a.report) + '">Open the report</a> · <a id="json-link" href="' +
        esc(a.json) + '">JSON</a></p>');
    }
    function report(html) { document.getElementById("report").innerHTML = html; }
    async function poll(id, done) {
      const r = await fetch("/api/jobs/" + id);
      const j = await r.json();
      if (!r.ok) { report("<p class=error>" + esc(j.error) + "</p>"); return; }
      status(j.state + ": " + (j.messages[j.messages.length - 1] || ""), j.progress);
      if (j.state === "queued" || j.state === "running") { setTimeout(() => poll(id, done), 400); return; }
      if (j.state !== "succeeded") { report("<p class=error id=error>" + esc(j.messages[j.messages.length - 1]) + "</p>"); return; }
      done(j.result || {});
    }
    function followPlan(id) {
      poll(id, async result => {
        const r = await fetch((result.planDoses || {}).json);
        const j = await r.json();
        if (!r.ok) { report("<p class=error id=error>" + esc(j.error) + "</p><p>" + esc(j.fix) + "</p>"); return; }
        let html = "<h2>Organ doses (Gy)</h2><table id=organs><tr><th>organ</th><th>mean</th><th>D2%</th><th>95% interval</th><th>source</th></tr>";
        for (const o of j.organs) html += "<tr><td>" + esc(o.organ) + "</td><td class=n>" + esc(o.meanDoseGy) + "</td><td class=n>" + esc(o.d2Gy) +
          "</td><td class=n>" + esc((o.interval95Gy || []).join("–")) + "</td><td>" + esc(o.source) + "</td></tr>";
        html += "</table>";
        for (const n of j.notes || []) html += "<p>Note: " + esc(n) + "</p>";
        report(html);
      });
    }
    function followDoseRun(id) {
      poll(id, result => {
        const d = result.doseRun || {};
        let html = "<h2>Dose run " + esc(d.runID) + " (" + esc(d.kind) + ")</h2><p id=doserun-summary>" + esc(d.items) + " " + esc(d.itemName) + ": " +
          esc(d.computed) + " computed, " + esc(d.reused) + " unchanged, " + esc(d.removed) + " removed, in " + esc(Math.round(d.seconds)) + " s</p>";
        html += "<table id=tiers><tr><th>tier</th><th>" + esc(d.itemName) + "</th></tr>";
        for (const [t, n] of Object.entries(d.byTier || {}).sort()) html += "<tr><td>" + esc(t) + "</td><td class=n>" + esc(n) + "</td></tr>";
        html += "</table>";
        report(html);
      });
    }
    async function follow(id) {
      const r = await fetch("/api/jobs/" + id);
      const j = await r.json();
      if (!r.ok) { report("<p class=error>" + esc(j.error) + "</p>"); return; }
      status(j.state + ": " + (j.messages[j.messages.length - 1] || ""), j.progress);
      if (j.state === "queued" || j.state === "running") { setTimeout(() => follow(id), 400); return; }
      if (j.state !== "succeeded") { report("<p class=error id=error>" + esc(j.messages[j.messages.length - 1]) + "</p>"); return; }
      const g = (j.result || {}).ingest || {};
      let html = "<h2>Validation report</h2><p id=summary>" + g.accepted + " rows accepted, " + g.rejected + " quarantined</p>";
      html += "<table><tr><th>file</th><th>table</th><th>status</th><th>inserted</th><th>updated</th><th>unchanged</th><th>rejected</th><th>message</th></tr>";
      for (const f of g.files || []) html += "<tr><td>" + esc(f.file) + "</td><td>" + esc(f.table) + "</td><td>" + esc(f.status) + "</td><td>" + f.inserted +
        "</td><td>" + f.updated + "</td><td>" + f.unchanged + "</td><td>" + f.rejected + "</td><td>" + esc(f.message) + "</td></tr>";
      html += "</table>";
      if (g.dicom) html += "<p>DICOM: " + g.dicom.doseReports + " dose reports, " + g.dicom.rtObjects + " RT objects, " + g.dicom.problems.length + " problems</p>";
      html += '<p><a id="quarantine-link" href="' + esc(document.getElementById("upload").dataset.quarantine) + '">See the quarantined rows</a></p>';
      report(html);
    }
    """#
}
