/// Tables of migration "users 1.0.0": the platform's accounts and the audit trail of requests.
/// - `users`: one row per account: name, role (`Role.name`), site for site-bound roles, the
///   bcrypt hash of the password (never the password), creation and change times.
/// - `audit_events`: who did what, when, with what outcome: user changes (`harmonic users`) and
///   every server request that reads or changes registry data.
enum UserSchema {
    static func create(_ s: any SQLSession) throws {
        let d = s.dialect
        try s.executeScript("""
            CREATE TABLE users (name TEXT PRIMARY KEY, role TEXT NOT NULL, site TEXT, password_hash TEXT NOT NULL,
              created_at TEXT NOT NULL, changed_at TEXT NOT NULL);
            CREATE TABLE audit_events (id \(d.autoIncrementKey), at TEXT NOT NULL, "user" TEXT NOT NULL, role TEXT NOT NULL,
              site TEXT, action TEXT NOT NULL, target TEXT NOT NULL, outcome TEXT NOT NULL);
            CREATE INDEX audit_events_site ON audit_events (site, id);
            """)
    }
}
