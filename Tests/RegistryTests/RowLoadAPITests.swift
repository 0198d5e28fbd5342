import Testing
import GRDB
@testable import Registry

@Suite("Loading rows built in memory (DICOM RDSR path)")
struct RowLoadAPITests {
    @Test("irradiation events given as dictionaries go through the same checks, quarantine and lookup", arguments: StoreKind.all)
    func eventsFromDictionaries(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures])
        let good = ["event_uid": "9.9.1", "site_procedure_id": "C1", "event_datetime": "2005-01-10T11:00:00",
                    "event_type": "fluoroscopy", "plane": "single", "kap_gycm2": "0.8"]
        var bad = good; bad["event_uid"] = "9.9.2"; bad["kap_gycm2"] = "-0.1"
        let r = try store.load(rows: [good, bad], into: "irradiation_events", source: "RF-RDSR-GE.dcm",
                               site: "NO", pseudonymiser: Fixture.keyNO, user: "dicom")
        #expect(r.accepted == 1 && r.rejected == 1)
        #expect(try store.rows(of: "irradiation_events", site: "NO", where: "site_procedure_id", equals: Fixture.keyed("C1", "site_procedure_id")).count == 1)
        #expect(try store.quarantine().first?.file == "RF-RDSR-GE.dcm")
    } }
}
