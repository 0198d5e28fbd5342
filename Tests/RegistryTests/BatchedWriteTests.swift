import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

/// The ingest writes good rows in runs (`SQLRowMerge`: one multi-row statement per run on
/// PostgreSQL, row by row on SQLite). These cases cross the run boundaries: more rows than one
/// statement holds (1,000), rejected rows between good ones, updates and unchanged rows mixed.
@Suite("Loading: batched writes give the row-by-row results on both stores")
struct BatchedWriteTests {
    /// `n` patients P0…P(n-1); every 97th has an impossible birth date (rejected) when `withBad`;
    /// `changed` rows get another last contact date.
    static func patients(_ n: Int, withBad: Bool = true, changed: Set<Int> = []) -> String {
        var s = "site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date\n"
        for i in 0..<n {
            let birth = withBad && i % 97 == 5 ? "2001-13-45" : "2001-03-04"
            s += "P\(i),NO,\(i % 2 == 0 ? "M" : "F"),\(birth),cardiac,none,alive,,\(changed.contains(i) ? "2021-06-30" : "2020-12-31"),\n"
        }
        return s
    }

    @Test("2,500 rows with rejected rows between them: inserted, then unchanged, then exactly the changed rows updated and audited",
          arguments: StoreKind.all)
    func runsAcrossStatements(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let bad = (0..<2500).filter { $0 % 97 == 5 }.count
        let first = try Fixture.load(store, ["patients": Self.patients(2500)]).files[0]
        #expect(first.inserted == 2500 - bad && first.rejected == bad && first.updated == 0)
        #expect(try store.count("patients") == 2500 - bad)
        let again = try Fixture.load(store, ["patients": Self.patients(2500)]).files[0]
        #expect(again.inserted == 0 && again.updated == 0 && again.unchanged == 2500 - bad)
        let changed: Set<Int> = [0, 999, 1000, 1001, 2499]
        let third = try Fixture.load(store, ["patients": Self.patients(2500, changed: changed)]).files[0]
        #expect(third.updated == changed.count && third.unchanged == 2500 - bad - changed.count && third.inserted == 0)
        #expect(try store.auditChanges().filter { $0.action == "updated" }.count == changed.count)
        let p1000 = try store.rows(of: "patients", site: "NO", where: "patient_pseudonym", equals: Fixture.keyNO.pseudonym(for: "P1000"))
        #expect(p1000.first?["last_contact_date"] == "2021-06-30".databaseValue)
    } }

    @Test("rows corrected after quarantine are counted as replaced in file order, whatever the run they fall in", arguments: StoreKind.all)
    func correctionsInRuns(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let bad = (0..<1500).filter { $0 % 97 == 5 }.count
        try Fixture.load(store, ["patients": Self.patients(1500)])
        #expect(try store.quarantine().count == bad)
        let r = try Fixture.load(store, ["patients": Self.patients(1500, withBad: false)]).files[0]
        #expect(r.replaced == bad && r.inserted == bad && r.unchanged == 1500 - bad)
        #expect(try store.quarantine().isEmpty)
        #expect(try store.auditChanges().filter { $0.action == "quarantine_resolved" }.count == bad)
    } }

    @Test("text with quotes, backslashes, SQL and non-ASCII letters, and decimals with 15 digits are stored exactly", arguments: StoreKind.all)
    func exactValues(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let hospital = #"O"Brien \ 'x'; DROP TABLE patients; -- Ø\n"#
        let csvField = "\"" + hospital.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        let procedures = Fixture.replace(Fixture.procedures, row: 1, ["hospital": csvField, "weight_kg": "12.3456789012345"])
        let r = try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": procedures])
        #expect(r.files.allSatisfy { $0.rejected == 0 }, "\(r.files)")
        let row = try #require(try store.rows(of: "cardiac_procedures", site: "NO", where: "site_procedure_id", equals: Fixture.keyed("C1", "site_procedure_id")).first)
        #expect(row["hospital"] == hospital.databaseValue)
        #expect(row["weight_kg"] == 12.3456789012345.databaseValue)
        #expect(try store.count("patients") == 2)
    } }
}
