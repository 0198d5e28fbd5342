import Foundation
import Testing
@testable import Registry

/// One test per row rule: a valid extract with one field spoilt; the row is quarantined with
/// the right field and the other rows of the file are kept.
@Suite("Ingest validation rules")
struct ValidationRuleTests {
    /// Loads patients + procedures (with C1 spoilt) and returns the single quarantine entry.
    func rejectProcedure(_ column: String, _ value: String) throws -> QuarantineEntry {
        let store = try Fixture.store()
        let report = try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures(setting: column, to: value)])
        #expect(report.exitCode == 3)
        #expect(try store.count("cardiac_procedures") == 1, "the good row C2 is kept")
        let q = try store.quarantine()
        try #require(q.count == 1)
        return q[0]
    }

    @Test("a clean extract loads every row with exit code 0", arguments: StoreKind.all)
    func cleanExtract(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let r = try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                         "irradiation_events": Fixture.events, "cancer_outcomes": Fixture.outcomes])
        #expect(r.exitCode == 0)
        #expect(r.accepted == 7)
        #expect(try store.count("irradiation_events") == 2)
    } }

    @Test("a missing required value is rejected", arguments: StoreKind.all)
    func missingRequired(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("hospital", "").field == "hospital") } }

    @Test("a decimal comma in a number is rejected as a type error", arguments: StoreKind.all)
    func decimalComma(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures(setting: "kap_gycm2", to: "\"4,2\"")])
        #expect(try store.quarantine().first?.reason.contains("comma") == true)
    } }

    @Test("negative KAP is rejected", arguments: StoreKind.all)
    func negativeKAP(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("kap_gycm2", "-1").field == "kap_gycm2") } }

    @Test("KAP implausible for the body weight (cGy·cm² given as Gy·cm²) is rejected", arguments: StoreKind.all)
    func kapPerWeight(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let q = try rejectProcedure("kap_gycm2", "420")   // 420 / 18.5 kg = 22.7 Gy·cm²/kg > 20
        #expect(q.field == "kap_gycm2" && q.reason.contains("Gy·cm²/kg"))
    } }

    @Test("without a weight, KAP is bounded by a heavy child's weight for the age at the procedure", arguments: StoreKind.all)
    func kapWithoutWeightUsesAge(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // C1: child of 3.85 years; ICRP 89 reference weight 16.4 kg, × 1.5 = 24.6 kg, × 20 Gy·cm²/kg = 492 Gy·cm².
        let spoilt = Fixture.replace(Fixture.procedures, row: 1, ["weight_kg": "", "kap_gycm2": "600"])
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": spoilt])
        let q = try #require(try store.quarantine().first)
        #expect(q.field == "kap_gycm2" && q.reason.contains("ICRP 89"))
    } }

    @Test("a KAP plausible for the age is accepted when no weight is given, though too high for a recorded light weight", arguments: StoreKind.all)
    func kapWithoutWeightAccepted(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // 420 Gy·cm² is under the 492 Gy·cm² age bound above but over 20 Gy·cm²/kg × 18.5 kg (test kapPerWeight).
        let store = try Fixture.store()
        let r = try Fixture.load(store, ["patients": Fixture.patients,
                                         "cardiac_procedures": Fixture.replace(Fixture.procedures(setting: "weight_kg", to: ""), row: 1, column: "kap_gycm2", value: "420")])
        #expect(r.exitCode == 0)
        #expect(try store.count("cardiac_procedures") == 2)
    } }

    @Test("a column the dictionary does not know is reported as a warning, not silently ignored", arguments: StoreKind.all)
    func unknownColumnWarning(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let extra = Fixture.patients.split(separator: "\n").enumerated()
            .map { $0.offset == 0 ? $0.element + ",favourite_colour" : $0.element + ",blue" }.joined(separator: "\n")
        let store = try Fixture.store()
        let r = try Fixture.load(store, ["patients": extra])
        #expect(r.accepted == 2)
        #expect(r.files[0].warnings.count == 1 && r.files[0].warnings[0].contains("favourite_colour"))
        #expect(r.summary().contains("warning: unknown column 'favourite_colour'"))
        #expect(r.problemsCSV().contains("favourite_colour"))
    } }

    @Test("weight in grams instead of kg is out of range", arguments: StoreKind.all)
    func weightUnit(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("weight_kg", "18500").field == "weight_kg") } }

    @Test("an unknown procedure type code is rejected", arguments: StoreKind.all)
    func badCode(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("procedure_type", "heart_surgery").field == "procedure_type") } }

    @Test("a malformed date is rejected", arguments: StoreKind.all)
    func badDate(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("procedure_date", "10/01/2005").field == "procedure_date") } }

    @Test("exposure before birth is rejected", arguments: StoreKind.all)
    func beforeBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("procedure_date", "2000-01-01").reason.contains("before the child's birth")) } }

    @Test("exposure after age 18 is rejected", arguments: StoreKind.all)
    func adultAge(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // P2 born 1995-06, dead 2010; use P1 (born 2001-03-04) exposed in 2020 at age 19
        #expect(try rejectProcedure("procedure_date", "2020-06-01").reason.contains("ages 0-18"))
    } }

    @Test("exposure after last contact is rejected", arguments: StoreKind.all)
    func afterLastContact(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let p = Fixture.replace(Fixture.patients, row: 1, column: "last_contact_date", value: "2004-01-01")
        try Fixture.load(store, ["patients": p, "cardiac_procedures": Fixture.procedures])
        #expect(try store.quarantine().map(\.reason) == ["after the child's last contact date"])
    } }

    @Test("exposure after death is rejected", arguments: StoreKind.all)
    func afterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let proc = Fixture.replace(Fixture.procedures, row: 2, column: "procedure_date", value: "2010-06-01")
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": proc])
        #expect(try store.quarantine().first?.field == "procedure_date")
    } }

    @Test("a procedure of an unknown patient is rejected", arguments: StoreKind.all)
    func unknownPatient(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let q = try rejectProcedure("site_patient_id", "P99")
        #expect(q.reason.contains("unknown patient"))
        #expect(q.value == Fixture.keyNO.pseudonym(for: "P99"), "the site id is stored only as its pseudonym")
    } }

    @Test("a duplicate key in one file keeps the first row and quarantines the second", arguments: StoreKind.all)
    func duplicateKey(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let dup = Fixture.procedures + "\n" + Fixture.procedures.split(separator: "\n")[1]
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": dup])
        #expect(try store.count("cardiac_procedures") == 2)
        #expect(try store.quarantine().first?.reason.contains("duplicate") == true)
    } }

    @Test("a row with the wrong number of fields is rejected", arguments: StoreKind.all)
    func wrongFieldCount(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients + "\nP3,NO,M"])
        #expect(try store.quarantine().first?.field == "row")
        #expect(try store.count("patients") == 2)
    } }

    @Test("last contact after death is rejected (death ends follow-up)", arguments: StoreKind.all)
    func contactAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.replace(Fixture.patients, row: 2, column: "last_contact_date", value: "2012-01-01")])
        #expect(try store.quarantine().first?.reason.contains("death ends follow-up") == true)
    } }

    @Test("vital status dead without a death date is rejected", arguments: StoreKind.all)
    func deadWithoutDate(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.replace(Fixture.patients, row: 1, column: "vital_status", value: "dead")])
        #expect(try store.quarantine().first?.field == "death_date")
    } }

    @Test("an irradiation event of an unknown procedure is rejected", arguments: StoreKind.all)
    func eventUnknownProcedure(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                 "irradiation_events": Fixture.replace(Fixture.events, row: 1, column: "site_procedure_id", value: "C9")])
        #expect(try store.quarantine().first?.reason.contains("unknown cardiac_procedures") == true)
    } }

    @Test("an irradiation event days away from its procedure is rejected", arguments: StoreKind.all)
    func eventDate(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                 "irradiation_events": Fixture.replace(Fixture.events, row: 1, column: "event_datetime", value: "2005-02-10T10:00:00")])
        #expect(try store.quarantine().first?.field == "event_datetime")
    } }

    @Test("an ICD-O-3 topography outside C00-C80 is rejected", arguments: StoreKind.all, ["C81.0", "C4.1", "D42.1"])
    func badTopography(_ kind: StoreKind, _ code: String) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cancer_outcomes": Fixture.replace(Fixture.outcomes, row: 1, column: "topography", value: code)])
        #expect(try store.quarantine().first?.field == "topography")
    } }

    @Test("an ICD-O-3 morphology outside 8000-9993 or with a bad behaviour digit is rejected", arguments: StoreKind.all, ["7999/3", "9861/4", "98613"])
    func badMorphology(_ kind: StoreKind, _ code: String) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cancer_outcomes": Fixture.replace(Fixture.outcomes, row: 1, column: "morphology", value: code)])
        #expect(try store.quarantine().first?.field == "morphology")
    } }

    @Test("a behaviour that contradicts the morphology is rejected", arguments: StoreKind.all)
    func behaviourMismatch(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cancer_outcomes": Fixture.replace(Fixture.outcomes, row: 1, column: "behaviour", value: "2")])
        #expect(try store.quarantine().first?.field == "behaviour")
    } }

    @Test("an event time that is not a clock time is rejected", arguments: StoreKind.all, ["2005-01-10T25:00:00", "2005-01-10", "2005-01-10T10:00:00.x"])
    func badEventTime(_ kind: StoreKind, _ value: String) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                 "irradiation_events": Fixture.replace(Fixture.events, row: 1, column: "event_datetime", value: value)])
        #expect(try store.quarantine().first?.field == "event_datetime")
    } }

    @Test("month precision is refused where a day is required", arguments: StoreKind.all)
    func monthPrecisionOnlyForBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in #expect(try rejectProcedure("procedure_date", "2005-01").field == "procedure_date") } }
}
