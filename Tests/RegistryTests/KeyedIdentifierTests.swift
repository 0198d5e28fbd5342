import Foundation
import GRDB
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import Registry

/// The charter: "Direct identifiers never enter the pooled store: site identifiers are replaced by
/// a keyed hash". Every identifier column of the data dictionary (record ids and the references
/// between tables, not only the child's id) is stored as its HMAC under the site key.
@Suite("Keyed record identifiers")
struct KeyedIdentifierTests {
    /// The raw identifier values of the fixture extract, by column.
    static let rawIdentifiers: [(column: String, value: String)] = [
        ("site_patient_id", "P1"), ("site_patient_id", "P2"), ("site_procedure_id", "C1"), ("site_procedure_id", "C2"),
        ("event_uid", "1.2.3.1"), ("event_uid", "1.2.3.2"), ("outcome_id", "O1"),
    ]

    @Test("no record id of the extract is stored: every identifier column holds the keyed hash, references included", arguments: StoreKind.all)
    func noRawRecordIdStored(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let report = try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                              "irradiation_events": Fixture.events, "cancer_outcomes": Fixture.outcomes])
        #expect(report.rejected == 0)
        let cells = try Fixture.snapshot(store)
        for (column, raw) in Self.rawIdentifiers {
            #expect(!cells.contains { $0.contains(":'\(raw)'") }, "\(column) value \(raw) found in the store")
        }
        let events = try store.backend.read { db in try db.fetch("SELECT event_uid, site_procedure_id FROM irradiation_events ORDER BY event_uid") }
        let expected = ["1.2.3.1", "1.2.3.2"].map { Fixture.keyNO.pseudonym(for: $0, column: "event_uid") }.sorted()
        #expect(events.map { $0.string(0) ?? "" } == expected)
        #expect(Set(events.map { $0.string(1) ?? "" }) == [Fixture.keyNO.pseudonym(for: "C1", column: "site_procedure_id")],
                "an event's reference to its procedure is hashed as the procedure's own key, so the two still join")
    } }

    @Test("a record id hashes differently from the same text as a patient id (domain separation by column)")
    func columnSeparation() {
        #expect(Fixture.keyNO.pseudonym(for: "X1", column: "course_id") != Fixture.keyNO.pseudonym(for: "X1"))
        #expect(Fixture.keyNO.pseudonym(for: "X1", column: "course_id") != Fixture.keyNO.pseudonym(for: "X1", column: "sample_id"))
        #expect(Fixture.keyNO.pseudonym(for: "X1", column: "site_patient_id") == Fixture.keyNO.pseudonym(for: "X1"))
    }

    @Test("the keyed hash of a record id is HMAC-SHA-256 of the column name, U+001F and the id, as Python's hmac module computes it")
    func recordIdMatchesPython() throws {
        let py = try PeerTool.python("import hmac,hashlib; print(hmac.new(bytes([7]*32), 'course_id\\u001fR1'.encode(), hashlib.sha256).hexdigest())")
        #expect(Fixture.keyNO.pseudonym(for: "R1", column: "course_id") == py.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("reloading the same extract changes nothing: the keyed ids are the same in every load", arguments: StoreKind.all)
    func reloadIsIdempotent(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures, "irradiation_events": Fixture.events]
        try Fixture.load(store, files)
        let before = try Fixture.snapshot(store)
        let again = try Fixture.load(store, files)
        #expect(again.files.allSatisfy { $0.inserted == 0 && $0.updated == 0 })
        #expect(try Fixture.snapshot(store) == before)
    } }

    @Test("a duplicate record id is quarantined under its keyed hash, never its raw value; the line finds the row")
    func duplicateQuarantinedByHash() throws {
        let store = try StoreKind.sqlite.makeStore(role: .dataManager(site: "NO"))
        let duplicated = Fixture.procedures + "\nC1,P2,1999-03-01,OUS,diagnostic,diagnostic,12,90,2.5,,420,3,,,totals"
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": duplicated])
        let q = try store.quarantine()
        let hash = Fixture.keyNO.pseudonym(for: "C1", column: "site_procedure_id")
        #expect(q.count == 1)
        #expect(q.first?.rowKey == hash && q.first?.value == hash && q.first?.line == 4)
    }

    @Test("a store whose record ids predate keying refuses new loads, names the fix and keeps its rows")
    func rawStoreRefusesLoads() throws {
        let dir = try SharedData.temporaryDirectory("raw-record-ids")
        let path = dir.appendingPathComponent("old.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        // The store as Harmonic made it before record ids were keyed: one procedure under its raw id.
        let pool = try DatabasePool(path: path)
        try SQLiteBackend(writer: pool).migrate(RegistrySchema.baseMigrations.filter { $0.identifier != "keyed record identifiers 1.0.0" })
        try pool.write { db in
            try db.execute(sql: """
                INSERT INTO cardiac_procedures (site, site_procedure_id, patient_pseudonym, procedure_date, hospital, procedure_type, procedure_class, dose_record_level, load_id)
                VALUES ('NO', 'C1', 'a1b2', '2005-01-10', 'OUS', 'diagnostic', 'diagnostic', 'totals', 1)
                """)
        }
        try pool.close()
        let store = try RegistryStore(path: path, role: .dataManager(site: "NO"))
        let before = try Fixture.snapshot(store)
        do {
            try Fixture.load(store, ["patients": Fixture.patients])
            Issue.record("a load into a store of raw record ids must be refused")
        } catch let error as InputError {
            #expect(error.description.contains("record_identifiers") && error.description.contains("new store"), "\(error)")
        }
        #expect(try Fixture.snapshot(store) == before)
    }
}
