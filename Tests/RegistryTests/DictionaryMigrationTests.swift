import Foundation
import GRDB
import HarmonicTestSupport
import Testing
@testable import Registry

/// A store made by an earlier dictionary gains the tables and columns of later versions when it
/// is opened, and keeps every row it held.
@Suite("Data dictionary versions and store migrations")
struct DictionaryMigrationTests {
    @Test("the dictionary's newest version is its schema version, and versions sort numerically (1.10.0 after 1.9.0)")
    func versions() {
        #expect(DataDictionary.versions.first == DataDictionary.firstVersion)
        #expect(DataDictionary.schemaVersion == DataDictionary.versions.last)
        #expect(DataDictionary.versions.contains("1.1.0"))
        #expect(DataDictionary.versionOrder("1.9.0", "1.10.0") && !DataDictionary.versionOrder("1.10.0", "1.9.0"))
    }

    @Test("a column added after the first dictionary is never required (old extracts and rows lack it)")
    func laterColumnsOptional() {
        for t in DataDictionary.tables where t.addedIn == DataDictionary.firstVersion {
            for c in t.columns where c.addedIn != DataDictionary.firstVersion {
                #expect(!c.required, "\(t.name).\(c.name) added in \(c.addedIn) must be optional")
            }
        }
    }

    @Test("a store of dictionary 1.0.0 opened by this version gains the chemotherapy table and keeps its rows")
    func oldStoreMigrates() throws {
        let dir = try SharedData.temporaryDirectory("dictionary-migration")
        let path = dir.appendingPathComponent("old.sqlite").path
        // The store as the first dictionary's Harmonic made it: only the base migrations.
        let pool = try DatabasePool(path: path)
        try SQLiteBackend(writer: pool).migrate(RegistrySchema.baseMigrations)
        try pool.write { db in
            #expect(try !db.tableExists("chemotherapy"))
            try db.execute(sql: """
                INSERT INTO patients (site, patient_pseudonym, country, sex, birth_date, cohort, predisposing_condition, vital_status, last_contact_date, load_id)
                VALUES ('NO', 'a1b2', 'NO', 'F', '2001-03-04', 'radiotherapy', 'none', 'alive', '2020-12-31', 1)
                """)
        }
        try pool.close()

        let store = try RegistryStore(path: path, role: .dataManager(site: "NO"))
        #expect(try store.count("patients") == 1)
        let version = try store.backend.read { db in try db.fetch("SELECT value FROM meta WHERE key = 'schema_version'", []) }
        #expect(version.first?.string(0) == DataDictionary.schemaVersion)
        let report = try Fixture.load(store, ["patients": Fixture.patients, "chemotherapy": Fixture.chemotherapy])
        #expect(report.exitCode == 0)
        #expect(try store.count("patients") == 3 && store.count("chemotherapy") == 3)
    }

    @Test("a store of dictionary 1.0.0 gains the hsct and surgery tables of 1.3.0 and loads them")
    func oldStoreGainsTransplantsAndSurgery() throws {
        #expect(DataDictionary.versions.contains("1.3.0"))
        let dir = try SharedData.temporaryDirectory("dictionary-migration-130")
        let path = dir.appendingPathComponent("old.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let pool = try DatabasePool(path: path)
        try SQLiteBackend(writer: pool).migrate(RegistrySchema.baseMigrations)
        let before = try pool.read { db in try ["hsct", "surgery"].filter { try db.tableExists($0) } }
        #expect(before.isEmpty, "the first dictionary's store has neither table")
        try pool.close()
        let store = try RegistryStore(path: path, role: .dataManager(site: "NO"))
        let report = try Fixture.load(store, ["patients": Fixture.patients, "hsct": Fixture.hsct, "surgery": Fixture.surgery])
        #expect(report.exitCode == 0)
        #expect(try store.count("hsct") == 2 && store.count("surgery") == 2)
    }
}
