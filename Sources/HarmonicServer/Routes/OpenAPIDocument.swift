/// The OpenAPI 3.0 description of the API, served at `GET /openapi.yaml` (schemathesis and
/// client generators read it). Keep it in step with `Routes/`. What several routes share (error
/// answers, the 202 of a job, the result of a finished job) is written once by the helpers below.
enum OpenAPIDocument {
    static let yaml = #"""
openapi: 3.0.3
info:
  title: Harmonic consortium API
  version: 0.1.0
  description: |
    Registry, organ dosimetry and radiation epidemiology for children exposed to medical radiation.
    Sign in with POST /api/session; the session cookie it sets (Secure, HttpOnly, SameSite=Strict)
    authenticates later requests, and every POST, PUT, PATCH and DELETE made with it carries the
    csrfToken it returned in the X-CSRF-Token header. Errors are JSON {"error": …, "fix": …}.
servers:
  - url: /
paths:
  /api/health:
    get:
      summary: The server answers and its registry store can be read.
      security: []
      responses:
\#(ok("Healthy.", schema: "Health"))
\#(errors(503))
  /api/session:
    post:
      summary: Sign in; sets the session cookie and returns the CSRF token. Throttled after 5 failures in 15 minutes.
      security: []
\#(jsonBody("SignIn"))
      responses:
        "200":
          description: Signed in.
          headers:
            Set-Cookie: { schema: { type: string }, description: harmonic_session cookie (Secure; HttpOnly; SameSite=Strict) }
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Session" }
\#(errors(400, 401, 413, 429))
    get:
      summary: Who is signed in.
      responses:
\#(ok("The session.", schema: "Session"))
\#(errors(401))
    delete:
      summary: Sign out (needs X-CSRF-Token).
      parameters:
        - { $ref: "#/components/parameters/CSRF" }
      responses:
        "204": { description: Signed out. }
\#(errors(401, 403))
  /api/dose/estimate:
    get:
      summary: Organ and effective doses with 95% intervals for one cardiac procedure (the JSON of harmonic dose estimate --json).
      parameters:
        - { name: age, in: query, required: true, description: Age at the procedure, years (0-18), schema: { type: number, minimum: 0, maximum: 18.99 } }
        - { name: kap, in: query, required: true, description: Total kerma-area product, Gy·cm², schema: { type: number, exclusiveMinimum: true, minimum: 0 } }
        - { name: weight, in: query, description: Body weight, kg (default WHO median for age), schema: { type: number } }
        - { name: procedure, in: query, description: Procedure type, e.g. asd_closure or "ASD closure", schema: { type: string } }
        - { name: sex, in: query, description: M or F, schema: { type: string, enum: [M, F, m, f] } }
        - { name: kvp, in: query, description: Tube voltage, kV, schema: { type: number } }
        - { name: copper, in: query, description: Added copper filtration, mm, schema: { type: number } }
        - { name: projections, in: query, description: KAP shares by projection, e.g. PA:0.6,LAT:0.4, schema: { type: string } }
        - { name: year, in: query, description: Calendar year of the procedure, schema: { type: number } }
        - { name: realisations, in: query, description: Realisations for the intervals (1-100000), schema: { type: integer } }
      responses:
\#(ok("The estimate.", schema: "DoseEstimate"))
\#(errors(400, 401))
  /api/sites/{site}/patients:
    get:
      summary: Children of one site by pseudonym. Analysts any site; data managers and clinicians their own site only. Audited.
      parameters:
        - { $ref: "#/components/parameters/Site" }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 1000, default: 100 } }
        - { name: offset, in: query, schema: { type: integer, minimum: 0, default: 0 } }
      responses:
\#(ok("One page of patients.", schema: "PatientPage"))
\#(errors(400, 401, 403))
  /api/sites/{site}/uploads:
    post:
      summary: Upload one CSV extract file (text/csv, ?name=TABLE.csv) or a zipped folder of CSV and DICOM files (application/zip) for the caller's own site (data managers only); ingested as a background job. Audited.
      parameters:
        - { $ref: "#/components/parameters/Site" }
        - { name: name, in: query, description: File name of a CSV upload, after its dictionary table (patients.csv, cardiac_procedures.csv, …), schema: { type: string } }
        - { $ref: "#/components/parameters/CSRF" }
      requestBody:
        required: true
        content:
          text/csv: { schema: { type: string } }
          application/zip: { schema: { type: string, format: binary } }
      responses:
\#(accepted("Accepted; the ingest runs as the job returned (also in the Location header)."))
\#(errors(400, 401, 403, 409, 413, 415))
  /api/dose-runs:
    post:
      summary: Reconstruct the organ doses of the pooled registry (analysts only; other roles 403 naming the analyst role) as a background job; kind cardiac (harmonic dose run), imaging (harmonic dose imaging) or rt (harmonic rt dose --store). One at a time. Audited.
      parameters:
        - { $ref: "#/components/parameters/CSRF" }
\#(jsonBody("DoseRunRequest", required: false))
      responses:
\#(accepted("Accepted; follow the job (Location)."))
\#(errors(400, 401, 403, 409, 413))
  /api/sites/{site}/followup:
    post:
      summary: Surveillance plan (IGHG / PanCare) of one radiotherapy child of the site, found by the site's own patient id, pseudonymised on the server with the site key. Clinicians and data managers of the site. Audited (by pseudonym).
      parameters:
        - { $ref: "#/components/parameters/Site" }
        - { $ref: "#/components/parameters/CSRF" }
\#(jsonBody("FollowUpRequest"))
      responses:
        "200":
          description: The plan (the JSON of harmonic followup --json).
          content:
            application/json:
              schema:
                type: object
                required: [child, sex, items]
                properties:
                  child: { type: string }
                  sex: { type: string }
                  items: { type: array, items: { type: object } }
\#(errors(400, 401, 403, 404, 409, 413))
  /api/analyses:
    post:
      summary: Run a dose-response analysis of the pooled registry (analysts; the options of harmonic analyze --store, with exposures, dose realisations and SIRs) as a background job. Audited.
      parameters:
        - { $ref: "#/components/parameters/CSRF" }
\#(jsonBody("AnalysisRequest"))
      responses:
\#(accepted("Accepted; follow the job (Location), then GET /api/analyses/{id} and /api/reports/{id}."))
\#(errors(400, 401, 403, 409, 413))
  /api/analyses/{id}:
\#(finishedJob(analysisJSON, "The result of a finished analysis the caller started, byte for byte the JSON of harmonic analyze --store --json with the same options (analysts).", "The analysis (non-finite numbers are the strings nan, inf, -inf)."))
  /api/reports/{id}:
\#(finishedJob(analysisReport, "The HTML report (dose-response plot, estimates, dose groups) of a finished analysis the caller started (analysts).", "The report."))
  /api/sites/{site}/qa:
    get:
      summary: Data quality of a site (its data manager, or analysts for any site) - completeness by era (share of required and optional fields filled per table and decade), rows per year, quarantine reasons, loads. Audited.
      parameters:
        - { $ref: "#/components/parameters/Site" }
      responses:
        "200":
          description: The figures (aggregates only; no row, key or value).
          content:
            application/json:
              schema:
                type: object
                required: [site, tables, quarantine, loads]
                properties:
                  site: { type: string }
                  tables:
                    type: array
                    items:
                      type: object
                      required: [table, rows, eras, years]
                      properties:
                        table: { type: string }
                        dateColumn: { type: string }
                        rows: { type: integer }
                        eras: { type: array, items: { type: object, required: [era, rows, required, optional, fields], properties: { era: { type: string }, rows: { type: integer }, required: { type: number }, optional: { type: number }, fields: { type: object, additionalProperties: { type: number } } } } }
                        years: { type: array, items: { type: object, properties: { year: { type: string }, rows: { type: integer } } } }
                  quarantine: { type: array, items: { type: object, properties: { table: { type: string }, field: { type: string }, reason: { type: string }, rows: { type: integer } } } }
                  loads: { type: array, items: { type: object, properties: { loadID: { type: integer }, startedAt: { type: string }, files: { type: integer }, accepted: { type: integer }, rejected: { type: integer } } } }
\#(errors(400, 401, 403))
  /api/drl:
    get:
      summary: Local diagnostic reference levels and hospital benchmarking of the cardiac procedures, byte for byte the JSON of harmonic drl --json (analysts and admins all sites; a data manager its own site). Audited.
      parameters:
        - { name: by, in: query, schema: { type: string, enum: [age, weight, both], default: both } }
        - { name: group, in: query, schema: { type: string, enum: [class, type, both], default: both } }
        - { name: minPerHospital, in: query, schema: { type: integer, minimum: 1, maximum: 100000 } }
      responses:
        "200":
          description: The tables (ReferenceLevelTable).
          content:
            application/json:
              schema:
                type: object
                required: [proceduresRead, groups]
                properties:
                  proceduresRead: { type: integer }
                  groups: { type: array, items: { type: object } }
\#(errors(400, 401, 403, 409))
  /api/rt/plan-doses:
    post:
      summary: Organ doses of one radiotherapy plan from a zip of its RT Plan, RT Dose and RT Structure Set (clinicians and analysts), computed as a background job; the files are read at once (400 naming file and tag). Only the organ-dose JSON is kept. Audited.
      parameters:
        - { name: age, in: query, required: true, schema: { type: number, minimum: 0, maximum: 119.99 } }
        - { name: sex, in: query, required: true, schema: { type: string, enum: [F, M] } }
        - { name: height, in: query, schema: { type: number, minimum: 30, maximum: 230 } }
        - { name: weight, in: query, schema: { type: number, minimum: 1, maximum: 200 } }
        - { name: prescribedDose, in: query, schema: { type: number, minimum: 0, maximum: 200 } }
        - { $ref: "#/components/parameters/CSRF" }
      requestBody:
        required: true
        content:
          application/zip: { schema: { type: string, format: binary } }
          application/octet-stream: { schema: { type: string, format: binary } }
      responses:
\#(accepted("Accepted; follow the job (Location), then GET /api/rt/plan-doses/{id}."))
\#(errors(400, 401, 403, 413, 415))
  /api/rt/plan-doses/{id}:
\#(finishedJob(planDoseJSON, "The organ doses of a finished RT plan job the caller started, byte for byte the JSON of harmonic rt dose --json run in the zip's folder. Audited.", "The plan-dose document (schema harmonic.rt-plan-dose/1)."))
  /api/jobs:
    get:
      summary: The caller's background jobs, newest first, without their results (kept in the store, so they survive a server restart).
      parameters:
        - { name: limit, in: query, schema: { type: integer, minimum: 1, maximum: 500, default: 50 } }
      responses:
        "200":
          description: The jobs.
          content:
            application/json:
              schema:
                type: object
                required: [jobs]
                properties:
                  jobs: { type: array, items: { $ref: "#/components/schemas/Job" } }
\#(errors(400, 401))
  /api/jobs/{id}:
    get:
      summary: State, progress, messages and result of a background job the caller started.
      parameters:
        - { $ref: "#/components/parameters/JobID" }
      responses:
\#(ok("The job.", schema: "Job"))
\#(errors(401, 404))
  /api/sites/{site}/quarantine:
    get:
      summary: Rejected rows of a site waiting for a correction. The site's data manager or an auditor. Audited.
      parameters:
        - { $ref: "#/components/parameters/Site" }
      responses:
        "200":
          description: The site's quarantine.
          content:
            application/json:
              schema:
                type: object
                required: [site, count, entries]
                properties:
                  site: { type: string }
                  count: { type: integer }
                  entries: { type: array, items: { $ref: "#/components/schemas/QuarantineEntry" } }
\#(errors(400, 401, 403))
  /api/audit:
    get:
      summary: The request audit trail and the load audit. Auditors all sites, data managers their own. Audited.
      parameters:
        - { name: limit, in: query, description: Most request events returned (oldest first), schema: { type: integer, minimum: 1, maximum: 100000, default: 1000 } }
      responses:
        "200":
          description: The audit trail.
          content:
            application/json:
              schema:
                type: object
                required: [events, loads]
                properties:
                  events:
                    type: array
                    items:
                      type: object
                      required: [id, at, user, role, action, target, outcome]
                      properties:
                        id: { type: integer }
                        at: { type: string }
                        user: { type: string }
                        role: { type: string }
                        site: { type: string, nullable: true }
                        action: { type: string }
                        target: { type: string }
                        outcome: { type: string }
                  loads:
                    type: array
                    items:
                      type: object
                      required: [loadID, user, role, site, startedAt, status, files]
                      properties:
                        loadID: { type: integer }
                        user: { type: string }
                        role: { type: string }
                        site: { type: string }
                        startedAt: { type: string }
                        finishedAt: { type: string, nullable: true }
                        status: { type: string }
                        files: { type: array, items: { type: object } }
\#(errors(400, 401, 403))
  /openapi.yaml:
    get:
      summary: This document.
      security: []
      responses:
        "200": { description: OpenAPI 3.0 YAML., content: { application/yaml: { schema: { type: string } } } }
components:
  securitySchemes:
    session: { type: apiKey, in: cookie, name: harmonic_session }
  parameters:
    CSRF: { name: X-CSRF-Token, in: header, required: true, schema: { type: string } }
    Site: { name: site, in: path, required: true, description: Two-letter country code of the site, schema: { type: string, pattern: "^[A-Za-z]{2}$" } }
    JobID: { name: id, in: path, required: true, description: The job id returned when the job was started, schema: { type: string } }
  responses:
    Error:
      description: What went wrong and what to fix.
      content:
        application/json:
          schema:
            type: object
            required: [error, fix]
            properties:
              error: { type: string }
              fix: { type: string }
  schemas:
    SignIn:
      type: object
      required: [user, password]
      properties:
        user: { type: string }
        password: { type: string }
    DoseRunRequest:
      type: object
      properties:
        kind: { type: string, enum: [cardiac, imaging, rt], default: cardiac }
        seed: { type: integer, minimum: 0 }
        realisations: { type: integer, minimum: 1, maximum: 10000, default: 1000 }
    FollowUpRequest:
      type: object
      required: [siteId]
      properties:
        siteId: { type: string, minLength: 1, maxLength: 128, description: The child's id in the site's own records (site_patient_id) }
    AnalysisRequest:
      type: object
      required: [outcome, dose]
      properties:
        cohort: { type: string, enum: [cardiac, radiotherapy], default: cardiac }
        outcome: { type: string, description: "ICD-O-3 outcome group: leukaemia, lymphoma, cns, thyroid, breast, lung, oesophagus" }
        dose: { type: string, description: "Organ (red_marrow, thyroid, …); with cohort radiotherapy also prescribed" }
        lag: { type: number, minimum: 0, maximum: 50, default: 2 }
        exclusion: { type: number, minimum: 0, maximum: 50 }
        model: { type: string, default: "err: dose; background: strata(country, sex, attained_age)" }
        method: { type: string, enum: [poisson, cox], default: poisson }
        flagged: { type: string, enum: [censor, exclude, zero], default: censor }
        doseCuts: { type: array, items: { type: number }, description: Gy, increasing }
        ageCuts: { type: array, items: { type: number }, description: years, increasing }
        endOfStudy: { type: string, description: YYYY-MM-DD }
        exposures: { type: array, items: { type: string, enum: [cardiac, imaging, rt] }, description: "Exposures summed into each child's cumulative dose (harmonic analyze --exposures); default all three, with realisations the realisation file's own type" }
        realisations: { type: boolean, default: false, description: "Monte Carlo maximum likelihood over the store's dose realisations (STORE.realisations, STORE.rt-realisations; with imaging also STORE.imaging-realisations); Poisson only; 409 when a dose run has not written them" }
        sir: { type: boolean, default: false, description: "SIRs against the server's reference rates (harmonic serve --rates FILE); Poisson only; 409 when the server has none" }
    Job:
      type: object
      required: [id, kind, user, state, progress, messages, createdAt]
      properties:
        id: { type: string }
        kind: { type: string, enum: [ingest, dose-run, analysis, rt-plan] }
        user: { type: string }
        site: { type: string, nullable: true }
        state: { type: string, enum: [queued, running, succeeded, failed, interrupted] }
        progress: { type: number, minimum: 0, maximum: 1 }
        messages: { type: array, items: { type: string } }
        createdAt: { type: string, format: date-time }
        finishedAt: { type: string, format: date-time, nullable: true }
        result:
          type: object
          properties:
            ingest:
              type: object
              properties:
                loadID: { type: integer }
                accepted: { type: integer }
                rejected: { type: integer }
                problemCount: { type: integer }
                files: { type: array, items: { type: object } }
                problems: { type: array, items: { $ref: "#/components/schemas/QuarantineEntry" } }
                skipped: { type: array, items: { type: string } }
                dicom: { type: object }
            doseRun:
              type: object
              properties:
                kind: { type: string, enum: [cardiac, imaging, rt] }
                runID: { type: integer }
                items: { type: integer }
                itemName: { type: string, enum: [procedures, exams, courses] }
                reasons: { type: object, additionalProperties: { type: integer } }
                procedures: { type: integer }
                events: { type: integer }
                computed: { type: integer }
                reused: { type: integer }
                removed: { type: integer }
                byTier: { type: object, additionalProperties: { type: integer } }
                seconds: { type: number }
            analysis:
              type: object
              properties:
                id: { type: string }
                children: { type: integer }
                json: { type: string }
                report: { type: string }
            planDoses:
              type: object
              properties:
                json: { type: string }
                organs: { type: integer }
    QuarantineEntry:
      type: object
      required: [site, table, rowKey, file, line, field, value, reason]
      properties:
        site: { type: string }
        table: { type: string }
        rowKey: { type: string }
        file: { type: string }
        line: { type: integer }
        field: { type: string }
        value: { type: string }
        reason: { type: string }
    Health:
      type: object
      required: [status, store, schemaVersion]
      properties:
        status: { type: string, enum: [ok] }
        store: { type: string, enum: [sqlite, postgres] }
        schemaVersion: { type: string }
    Session:
      type: object
      required: [user, role, csrfToken, expires]
      properties:
        user: { type: string }
        role: { type: string, enum: [admin, data_manager, analyst, clinician, auditor] }
        site: { type: string, nullable: true }
        csrfToken: { type: string }
        expires: { type: string, format: date-time }
    DoseEstimate:
      type: object
      required: [input, coefficientSource, quantities]
      properties:
        coefficientSource: { type: string }
        input:
          type: object
          required: [ageYears, sex, kapGyCm2, procedureType, year, realisations]
          properties:
            ageYears: { type: number }
            sex: { type: string }
            weightKg: { type: number }
            kapGyCm2: { type: number }
            procedureType: { type: string }
            kVp: { type: number }
            copperMm: { type: number }
            projections: { type: string }
            year: { type: number }
            realisations: { type: integer }
        quantities:
          type: array
          items:
            type: object
            required: [quantity, name, unit, central, mean, low95, high95]
            properties:
              quantity: { type: string, description: Store column, e.g. red_marrow_mgy }
              name: { type: string }
              unit: { type: string, enum: [mGy, mSv] }
              central: { type: number }
              mean: { type: number }
              low95: { type: number }
              high95: { type: number }
    PatientPage:
      type: object
      required: [site, limit, offset, patients]
      properties:
        site: { type: string }
        limit: { type: integer }
        offset: { type: integer }
        patients:
          type: array
          items:
            type: object
            required: [site, pseudonym, country, sex, birthDate, cohort, vitalStatus, lastContactDate]
            properties:
              site: { type: string }
              pseudonym: { type: string, description: HMAC-SHA-256 of the site patient id with the site key }
              country: { type: string }
              sex: { type: string }
              birthDate: { type: string }
              cohort: { type: string }
              vitalStatus: { type: string }
              lastContactDate: { type: string }
              deathDate: { type: string, nullable: true }
security:
  - session: []
"""#

    /// The error answers `codes` of an operation (`components/responses/Error`), at the indentation of `responses:` entries.
    static func errors(_ codes: Int...) -> String {
        codes.map { ##"        "\##($0)": { $ref: "#/components/responses/Error" }"## }.joined(separator: "\n")
    }

    /// A JSON request body of `components/schemas/{schema}`.
    static func jsonBody(_ schema: String, required: Bool = true) -> String {
        #"""
              requestBody:
                required: \#(required)
                content:
                  application/json:
                    schema: { $ref: "#/components/schemas/\#(schema)" }
        """#
    }

    /// A 200 answering the JSON of `components/schemas/{schema}`.
    static func ok(_ description: String, schema: String) -> String {
        #"""
                "200":
                  description: \#(description)
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/\#(schema)" }
        """#
    }

    /// The 202 of a route that starts a background job: the job, also in `Location`.
    static func accepted(_ description: String) -> String {
        #"""
                "202":
                  description: \#(description)
                  headers:
                    Location: { schema: { type: string }, description: "/api/jobs/{id}" }
                  content:
                    application/json:
                      schema: { $ref: "#/components/schemas/Job" }
        """#
    }

    /// `GET …/{id}` of what a finished job serves: `content` (media types, indented from 0) on 200;
    /// 404 for an unknown or another user's id, 409 while it runs, 422 when it failed.
    static func finishedJob(_ content: String, _ summary: String, _ description: String) -> String {
        let media = content.split(separator: "\n").map { "            " + $0 }.joined(separator: "\n")
        return #"""
            get:
              summary: \#(summary)
              parameters:
                - { $ref: "#/components/parameters/JobID" }
              responses:
                "200":
                  description: \#(description)
                  content:
        \#(media)
        \#(errors(401, 403, 404, 409, 422))
        """#
    }

    /// The 200 content of `GET /api/analyses/{id}`.
    static let analysisJSON = #"""
    application/json:
      schema:
        type: object
        required: [model, fit]
        properties:
          model: { type: string }
          cohort: { type: string }
          fit: { type: object }
          sir: { type: array, items: { type: object } }
          doseUncertainty: { type: object, nullable: true }
    """#

    /// The 200 content of `GET /api/reports/{id}`.
    static let analysisReport = #"""
    text/html: { schema: { type: string } }
    """#

    /// The 200 content of `GET /api/rt/plan-doses/{id}`.
    static let planDoseJSON = #"""
    application/json:
      schema:
        type: object
        required: [schema, organs]
        properties:
          schema: { type: string }
          organs: { type: array, items: { type: object } }
    """#
}
