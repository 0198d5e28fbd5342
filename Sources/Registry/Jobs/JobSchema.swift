/// Tables of migration "server jobs 1.0.0": the background jobs of `harmonic serve` (uploads'
/// ingests, dose runs, analyses, RT plan calculations) and the outputs of finished analyses, so a
/// restarted server still lists its jobs and serves their results (docs/server.md).
/// - `server_jobs`: one row per job: id (random, 128 bits as hex), kind, the owning account and
///   its site, state (`queued`, `running`, `succeeded`, `failed`, `interrupted`), progress 0-1,
///   messages (a JSON array of text), creation and end times (UTC ISO 8601), result (JSON text;
///   only stored values: pseudonyms, counts, hashed ids, never a site's raw id).
/// - `server_job_outputs`: what a finished job serves as it is: an analysis's JSON and HTML report,
///   an RT plan's organ-dose JSON.
enum JobSchema {
    static func create(_ s: any SQLSession) throws {
        let d = s.dialect
        try s.executeScript("""
            CREATE TABLE server_jobs (id TEXT PRIMARY KEY, kind TEXT NOT NULL, "user" TEXT NOT NULL, site TEXT,
              state TEXT NOT NULL, progress \(d.real) NOT NULL, messages TEXT NOT NULL, created_at TEXT NOT NULL,
              finished_at TEXT, result TEXT);
            CREATE INDEX server_jobs_user ON server_jobs ("user", created_at);
            CREATE TABLE server_job_outputs (job_id TEXT PRIMARY KEY, json TEXT NOT NULL, html TEXT);
            """)
    }
}
