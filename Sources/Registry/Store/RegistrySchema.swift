import GRDB
import HarmonicCore

/// The store schema derived from the data dictionary, and its migrations (the same steps in
/// SQLite and PostgreSQL; `SQLDialect` gives the column types).
/// Every data table gets `site` and `load_id` (the last load that wrote the row); the site
/// patient id column becomes `patient_pseudonym`; the primary key is (site, key).
public enum RegistrySchema {
    /// Store column name of a dictionary column: site patient ids are never stored.
    public static func storeColumn(_ name: String) -> String { name == "site_patient_id" ? "patient_pseudonym" : name }

    static func sqlType(_ t: ColumnType, _ d: SQLDialect = .sqlite) -> String {
        switch t {
        case .integer: d.integer
        case .real: d.real
        default: d.text
        }
    }

    /// `CREATE TABLE` for a dictionary table in the store, with the columns of dictionary
    /// `version` (all of today's columns by default).
    public static func createTableSQL(_ table: TableSpec, dialect d: SQLDialect = .sqlite,
                                      version: String = DataDictionary.schemaVersion) -> String {
        let cols = table.columns.filter { !DataDictionary.versionOrder(version, $0.addedIn) }.map { c in
            "\"\(storeColumn(c.name))\" \(sqlType(c.type, d))\(c.required ? " NOT NULL" : "")"
        }
        return "CREATE TABLE \"\(table.name)\" (site TEXT NOT NULL, " + cols.joined(separator: ", ")
            + ", load_id \(d.integer) NOT NULL, PRIMARY KEY (site, \"\(storeColumn(table.key))\"))"
    }

    /// Every migration, in order. Identifiers are never changed once released (stores record them).
    static var migrations: [SQLMigration] { baseMigrations + dictionaryMigrations }

    /// One migration per dictionary version after the first ("schema 1.1.0", ...): creates the
    /// tables that version added and adds its new columns to older tables (empty in old rows).
    static var dictionaryMigrations: [SQLMigration] {
        DataDictionary.versions.dropFirst().map { version in
            SQLMigration("schema \(version)") { s in
                for t in DataDictionary.tables {
                    if t.addedIn == version {
                        try s.executeScript(createTableSQL(t, dialect: s.dialect, version: version))
                    } else if !DataDictionary.versionOrder(version, t.addedIn) {
                        for c in t.columns where c.addedIn == version {
                            try s.execute("ALTER TABLE \"\(t.name)\" ADD COLUMN \"\(storeColumn(c.name))\" \(sqlType(c.type, s.dialect))", [])
                        }
                    }
                }
                try s.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [version.databaseValue])
            }
        }
    }

    /// The migrations that do not come from the dictionary's versions.
    static let baseMigrations: [SQLMigration] = [
        SQLMigration("schema 1.0.0") { s in
            let d = s.dialect
            try s.executeScript("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            // The tables and columns of the first dictionary; later ones come by `dictionaryMigrations`.
            let first = DataDictionary.firstVersion
            for t in DataDictionary.tables where t.addedIn == first {
                try s.executeScript(createTableSQL(t, dialect: d, version: first))
            }
            try s.executeScript("""
                CREATE TABLE quarantine (id \(d.autoIncrementKey), site TEXT NOT NULL, table_name TEXT NOT NULL,
                  row_key TEXT NOT NULL, file TEXT NOT NULL, line \(d.integer) NOT NULL, field TEXT NOT NULL,
                  value TEXT NOT NULL, reason TEXT NOT NULL, load_id \(d.integer) NOT NULL);
                CREATE INDEX quarantine_key ON quarantine (site, table_name, row_key);
                CREATE TABLE audit_loads (load_id \(d.autoIncrementKey), "user" TEXT NOT NULL, role TEXT NOT NULL,
                  site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, schema_version TEXT NOT NULL,
                  status TEXT NOT NULL);
                CREATE TABLE audit_files (load_id \(d.integer) NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
                  table_name TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL, inserted \(d.integer) NOT NULL,
                  updated \(d.integer) NOT NULL, unchanged \(d.integer) NOT NULL, rejected \(d.integer) NOT NULL,
                  replaced \(d.integer) NOT NULL);
                CREATE TABLE audit_changes (id \(d.autoIncrementKey), load_id \(d.integer) NOT NULL, site TEXT NOT NULL,
                  table_name TEXT NOT NULL, row_key TEXT NOT NULL, action TEXT NOT NULL);
                """)
            try s.execute("INSERT INTO meta VALUES ('schema_version', ?)", [first.databaseValue])
        },
        SQLMigration("dose 1.0.0") { s in try DoseSchema.create(s) },
        SQLMigration("users 1.0.0") { s in try UserSchema.create(s) },
        SQLMigration("audit file order 1.0.0") { s in
            try s.execute("ALTER TABLE audit_files ADD COLUMN position \(s.dialect.integer) NOT NULL DEFAULT 0")
        },
        SQLMigration("rt dose 1.0.0") { s in try RTDoseSchema.create(s) },
        SQLMigration("imaging dose 1.0.0") { s in try ImagingDoseSchema.create(s) },
        SQLMigration("server jobs 1.0.0") { s in try JobSchema.create(s) },
        // Since this migration every identifier column is stored as its keyed hash (`RowValidator`);
        // a store that already holds records kept their record ids raw, and hashing them needs the
        // sites' keys, which never enter the store: it is marked, and loads into it are refused.
        SQLMigration("keyed record identifiers 1.0.0") { s in
            let recordTables = DataDictionary.tables.filter { $0.addedIn == DataDictionary.firstVersion && $0.name != "patients" }
            var raw = false
            for t in recordTables where !raw { raw = try !s.fetch("SELECT 1 FROM \(t.name) LIMIT 1").isEmpty }
            try s.execute("INSERT INTO meta VALUES ('record_identifiers', ?)", [(raw ? "raw" : "keyed").databaseValue])
        },
    ]

    /// Refuses to add rows to a store whose record ids predate keyed hashing: new rows would hold
    /// hashes beside the old raw ids, so a reload would duplicate every record.
    static func requireKeyedRecordIdentifiers(_ s: any SQLSession, store: String) throws {
        guard try s.scalar("SELECT value FROM meta WHERE key = 'record_identifiers'").flatMap(String.fromDatabaseValue) == "raw" else { return }
        throw InputError(.file(store), field: "meta.record_identifiers", value: "raw",
                         expected: "a store made after record ids were keyed (2026-12): this store holds its sites' record ids (procedure, course, imaging, sample ids) unhashed, and hashing them needs the site keys, which never enter a store; load the extracts again into a new store (nothing of this store was changed)")
    }
}
