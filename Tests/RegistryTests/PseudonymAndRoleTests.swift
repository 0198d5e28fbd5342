import Foundation
import GRDB
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import Registry

@Suite("Pseudonyms and roles")
struct PseudonymAndRoleTests {
    @Test("the same site id gets the same pseudonym in every load and from a key file")
    func stable() throws {
        let dir = try SharedData.temporaryDirectory("registry-key")
        let path = dir.appendingPathComponent("no.key").path
        try Pseudonymiser.writeNewKey(to: path)
        let a = try Pseudonymiser(keyFile: path), b = try Pseudonymiser(keyFile: path)
        #expect(a.pseudonym(for: "P1") == b.pseudonym(for: "P1"))
        #expect(a.pseudonym(for: "P1").count == 64)
    }

    @Test("the pseudonym is HMAC-SHA-256 as computed by Python's hmac module")
    func matchesPython() throws {
        let py = try PeerTool.python("import hmac,hashlib; print(hmac.new(bytes([7]*32), b'P1', hashlib.sha256).hexdigest())")
        #expect(Fixture.keyNO.pseudonym(for: "P1") == py.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("two sites' keys give unrelated pseudonyms for the same site id")
    func keySeparation() {
        #expect(Fixture.keyNO.pseudonym(for: "P1") != Fixture.keyBE.pseudonym(for: "P1"))
    }

    @Test("a new key is never written over an existing key file")
    func keyNotOverwritten() throws {
        let path = try SharedData.temporaryDirectory("registry-key2").appendingPathComponent("k").path
        try Pseudonymiser.writeNewKey(to: path)
        #expect(throws: InputError.self) { try Pseudonymiser.writeNewKey(to: path) }
    }

    @Test("no site patient id reaches the store: patients are keyed by pseudonym", arguments: StoreKind.all)
    func noSiteIdStored(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures])
        let keys = try store.backend.read { db in try db.strings("SELECT patient_pseudonym FROM patients UNION SELECT patient_pseudonym FROM cardiac_procedures") }
        #expect(Set(keys) == [Fixture.keyNO.pseudonym(for: "P1"), Fixture.keyNO.pseudonym(for: "P2")])
    } }

    @Test("a data manager may not load another site's data", arguments: StoreKind.all)
    func dataManagerOwnSiteOnly(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        #expect(throws: AccessDenied.self) { try Fixture.load(store, ["patients": Fixture.patients], key: Fixture.keyBE, site: "BE") }
    } }

    @Test("an analyst may read pooled data but not load, nor read quarantine or audit", arguments: StoreKind.all)
    func analystLimits(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let dm = try Fixture.store()
        try Fixture.load(dm, ["patients": Fixture.patients])
        let analyst = try dm.opened(as: .analyst)
        #expect(try analyst.count("patients") == 2)
        #expect(throws: AccessDenied.self) { try Fixture.load(analyst, ["patients": Fixture.patients]) }
        #expect(throws: AccessDenied.self) { try analyst.quarantine() }
        #expect(throws: AccessDenied.self) { try analyst.auditLoads() }
    } }

    @Test("an analyst's raw SQL cannot write: the connection is read-only")
    func analystCannotWrite() throws {
        let dm = try Fixture.store()
        try Fixture.load(dm, ["patients": Fixture.patients])
        let analyst = try dm.opened(as: .analyst)
        #expect(throws: DatabaseError.self) { try analyst.read { db in try db.execute(sql: "DELETE FROM patients") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try db.execute(sql: "UPDATE patients SET sex = 'F'") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try db.execute(sql: "CREATE TEMP TABLE copy AS SELECT * FROM patients") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try db.execute(sql: "PRAGMA query_only = 0") } }
        #expect(try analyst.count("patients") == 2)
        // Reading the schema (GRDB's introspection) stays allowed.
        #expect(try analyst.read { db in try db.tableExists("patients") && db.columns(in: "patients").count > 3 })
    }

    @Test("an analyst's raw SQL cannot read the audit trail nor the raw values of quarantined rows")
    func analystCannotReadAuditOrQuarantineValues() throws {
        let dm = try Fixture.store()
        try Fixture.load(dm, ["patients": Fixture.patients + "\nP9,NO,M,2001-01-01,cardiac,none,alive,,1999-01-01,"])
        let analyst = try dm.opened(as: .analyst)
        #expect(throws: DatabaseError.self) { try analyst.read { db in try String.fetchAll(db, sql: "SELECT user FROM audit_loads") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try Row.fetchAll(db, sql: "SELECT * FROM audit_files") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try String.fetchAll(db, sql: "SELECT value FROM quarantine") } }
        #expect(throws: DatabaseError.self) { try analyst.read { db in try String.fetchAll(db, sql: "SELECT row_key FROM quarantine") } }
        // Counting rejections by table, field and reason (the demo report) stays allowed.
        let reasons = try analyst.read { db in
            try Row.fetchAll(db, sql: "SELECT table_name, field, COUNT(*) FROM quarantine GROUP BY 1, 2").map { "\($0[0] as String).\($0[1] as String)=\($0[2] as Int)" }
        }
        #expect(reasons == ["patients.last_contact_date=1"])
    }

    @Test("raw SQL is refused to data managers and auditors (they use the typed queries)", arguments: StoreKind.all)
    func rawSQLAnalystsOnly(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let dm = try Fixture.store()
        #expect(throws: AccessDenied.self) { try dm.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM patients") } }
        #expect(throws: AccessDenied.self) { try dm.opened(as: .auditor).read { db in try Int.fetchOne(db, sql: "SELECT 1") } }
    } }

    @Test("an auditor may read the audit but neither data rows nor load", arguments: StoreKind.all)
    func auditorLimits(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let dm = try Fixture.store()
        try Fixture.load(dm, ["patients": Fixture.patients])
        let auditor = try dm.opened(as: .auditor)
        #expect(try auditor.auditLoads().count == 1)
        #expect(throws: AccessDenied.self) { try auditor.count("patients") }
        #expect(throws: AccessDenied.self) { try Fixture.load(auditor, ["patients": Fixture.patients]) }
    } }

    @Test("a data manager sees only their own site's rows", arguments: StoreKind.all)
    func dataManagerSeesOwnSite(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let no = try Fixture.store()
        try Fixture.load(no, ["patients": Fixture.patients])
        let be = try no.opened(as: .dataManager(site: "BE"))
        try Fixture.load(be, ["patients": Fixture.patients.replacingOccurrences(of: ",NO,", with: ",BE,")], key: Fixture.keyBE, site: "BE")
        #expect(try be.count("patients") == 2)
        #expect(try no.opened(as: .analyst).count("patients") == 4)
    } }
}
