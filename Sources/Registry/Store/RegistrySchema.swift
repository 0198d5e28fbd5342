import GRDB

/// The SQLite schema derived from the data dictionary, and its migrations.
/// Every data table gets `site` and `load_id` (the last load that wrote the row); the site
/// patient id column becomes `patient_pseudonym`; the primary key is (site, key).
public enum RegistrySchema {
    /// Store column name of a dictionary column: site patient ids are never stored.
    public static func storeColumn(_ name: String) -> String { name == "site_patient_id" ? "patient_pseudonym" : name }

    static func sqlType(_ t: ColumnType) -> String {
        switch t {
        case .integer: "INTEGER"
        case .real: "REAL"
        default: "TEXT"
        }
    }

    /// `CREATE TABLE` for a dictionary table in the store.
    public static func createTableSQL(_ table: TableSpec) -> String {
        let cols = table.columns.map { c in
            "\"\(storeColumn(c.name))\" \(sqlType(c.type))\(c.required ? " NOT NULL" : "")"
        }
        return "CREATE TABLE \"\(table.name)\" (site TEXT NOT NULL, " + cols.joined(separator: ", ")
            + ", load_id INTEGER NOT NULL, PRIMARY KEY (site, \"\(storeColumn(table.key))\"))"
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("schema 1.0.0") { db in
            try db.execute(sql: "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            for t in DataDictionary.tables { try db.execute(sql: createTableSQL(t)) }
            try db.execute(sql: """
                CREATE TABLE quarantine (id INTEGER PRIMARY KEY, site TEXT NOT NULL, table_name TEXT NOT NULL,
                  row_key TEXT NOT NULL, file TEXT NOT NULL, line INTEGER NOT NULL, field TEXT NOT NULL,
                  value TEXT NOT NULL, reason TEXT NOT NULL, load_id INTEGER NOT NULL);
                CREATE INDEX quarantine_key ON quarantine (site, table_name, row_key);
                CREATE TABLE audit_loads (load_id INTEGER PRIMARY KEY, user TEXT NOT NULL, role TEXT NOT NULL,
                  site TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT, schema_version TEXT NOT NULL,
                  status TEXT NOT NULL);
                CREATE TABLE audit_files (load_id INTEGER NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,
                  table_name TEXT NOT NULL, status TEXT NOT NULL, message TEXT NOT NULL, inserted INTEGER NOT NULL,
                  updated INTEGER NOT NULL, unchanged INTEGER NOT NULL, rejected INTEGER NOT NULL,
                  replaced INTEGER NOT NULL);
                CREATE TABLE audit_changes (id INTEGER PRIMARY KEY, load_id INTEGER NOT NULL, site TEXT NOT NULL,
                  table_name TEXT NOT NULL, row_key TEXT NOT NULL, action TEXT NOT NULL);
                """)
            try db.execute(sql: "INSERT INTO meta VALUES ('schema_version', ?)", arguments: [DataDictionary.schemaVersion])
        }
        m.registerMigration("dose 1.0.0") { db in try DoseSchema.create(db) }
        return m
    }
}
