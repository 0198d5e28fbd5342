import Foundation
import Testing
@testable import Registry

/// The cross-row rules (date order, vital status, references, exposure age) each with one bad
/// row: the row is quarantined naming its file, line, field, value and reason, and the good rows
/// of the same file are kept. Line 2 is the first data row (line 1 is the header).
@Suite("Cross-row validation rules")
struct CrossRowRuleTests {
    /// Loads the clean radiotherapy extract with the `replaced` files (and without the tables
    /// `dependents` whose rows would point at the rejected one), requires exactly one quarantined
    /// row and checks it and that the other rows of its table were stored.
    @discardableResult
    func expectRejected(_ replaced: [String: String], without dependents: [String] = [], table: String, line: Int, field: String,
                        value: String, reason: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> QuarantineEntry {
        let store = try Fixture.store()
        let files = Fixture.radiotherapyExtract.merging(replaced) { _, new in new }.filter { !dependents.contains($0.key) }
        let report = try Fixture.load(store, files)
        #expect(report.exitCode == 3, sourceLocation: sourceLocation)
        let q = try store.quarantine()
        try #require(q.count == 1, "exactly one row rejected: \(q)", sourceLocation: sourceLocation)
        let entry = q[0]
        #expect(entry.table == table, sourceLocation: sourceLocation)
        #expect(URL(fileURLWithPath: entry.file).lastPathComponent == table + ".csv", sourceLocation: sourceLocation)
        #expect(entry.line == line, sourceLocation: sourceLocation)
        #expect(entry.field == field, sourceLocation: sourceLocation)
        #expect(entry.value == value, sourceLocation: sourceLocation)
        #expect(entry.reason.contains(reason), "reason: \(entry.reason)", sourceLocation: sourceLocation)
        let rows = try #require(files[table]).split(separator: "\n").count - 1
        #expect(try store.count(table) == rows - 1, "the good rows of \(table).csv are kept", sourceLocation: sourceLocation)
        return entry
    }

    @Test("the clean radiotherapy extract loads every row with exit code 0", arguments: StoreKind.all)
    func cleanRadiotherapyExtract(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let report = try Fixture.load(store, Fixture.radiotherapyExtract)
        #expect(report.exitCode == 0)
        #expect(report.accepted == 17)
        #expect(try store.quarantine().isEmpty)
    } }

    // MARK: Patients

    /// Every table that points at a child: loaded without them, a rejected child is the only rejection.
    static let childTables = ["rt_courses", "rt_imaging", "biobank_samples", "biomarker_measurements", "pro_scores", "cancer_outcomes", "chemotherapy"]

    @Test("a last contact before the birth date is rejected", arguments: StoreKind.all)
    func lastContactBeforeBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["patients": Fixture.replace(Fixture.patients, row: 1, column: "last_contact_date", value: "2000-12-31")], without: Self.childTables,
                           table: "patients", line: 2, field: "last_contact_date", value: "2000-12-31", reason: "before the birth date")
    } }

    @Test("a death date before the birth date is rejected", arguments: StoreKind.all)
    func deathBeforeBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["patients": Fixture.replace(Fixture.patients, row: 2, column: "death_date", value: "1995-01-15")], without: Self.childTables,
                           table: "patients", line: 3, field: "death_date", value: "1995-01-15", reason: "before the birth date")
    } }

    @Test("a death date while vital status is not dead is rejected", arguments: StoreKind.all)
    func deathDateButAlive(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["patients": Fixture.replace(Fixture.patients, row: 1, column: "death_date", value: "2020-12-31")], without: Self.childTables,
                           table: "patients", line: 2, field: "vital_status", value: "alive", reason: "vital_status is not dead")
    } }

    @Test("an emigration date before the birth date is rejected", arguments: StoreKind.all)
    func emigrationBeforeBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let p = Fixture.replace(Fixture.patients, row: 1, ["emigration_date": "2000-01-01", "vital_status": "emigrated"])
        try expectRejected(["patients": p], without: Self.childTables, table: "patients", line: 2, field: "emigration_date", value: "2000-01-01", reason: "before the birth date")
    } }

    @Test("a last contact after emigration is rejected (emigration ends follow-up)", arguments: StoreKind.all)
    func contactAfterEmigration(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let p = Fixture.replace(Fixture.patients, row: 1, ["emigration_date": "2018-07-01", "vital_status": "emigrated"])
        try expectRejected(["patients": p], without: Self.childTables, table: "patients", line: 2, field: "last_contact_date", value: "2020-12-31",
                           reason: "after the emigration date")
    } }

    @Test("an emigration date after the death date is rejected", arguments: StoreKind.all)
    func emigrationAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let p = Fixture.replace(Fixture.patients, row: 1, ["vital_status": "dead", "death_date": "2015-01-01",
                                                           "last_contact_date": "2015-01-01", "emigration_date": "2016-01-01"])
        try expectRejected(["patients": p], without: Self.childTables, table: "patients", line: 2, field: "emigration_date", value: "2016-01-01",
                           reason: "after the death date")
    } }

    @Test("an emigrated child last seen on the day of emigration is accepted", arguments: StoreKind.all)
    func contactOnEmigrationDay(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let p = Fixture.replace(Fixture.patients, row: 1, ["emigration_date": "2018-07-01", "vital_status": "emigrated",
                                                           "last_contact_date": "2018-07-01"])
        let store = try Fixture.store()
        #expect(try Fixture.load(store, ["patients": p]).exitCode == 0)
        #expect(try store.count("patients") == 2)
    } }

    // MARK: Radiotherapy courses and imaging

    @Test("a course ending before it starts is rejected", arguments: StoreKind.all)
    func courseEndBeforeStart(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["rt_courses": Fixture.replace(Fixture.courses, row: 1, column: "end_date", value: "2009-12-01")], without: ["rt_imaging"],
                           table: "rt_courses", line: 2, field: "end_date", value: "2009-12-01", reason: "before start_date")
    } }

    @Test("a course starting after the child's 19th birthday is rejected", arguments: StoreKind.all)
    func courseAdultAge(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // P1 born 2001-03-04 is 19.2 years old on 2020-06-01 (before its last contact 2020-12-31).
        let c = Fixture.replace(Fixture.courses, row: 1, ["start_date": "2020-06-01", "end_date": "2020-07-10"])
        try expectRejected(["rt_courses": c], without: ["rt_imaging"],
                           table: "rt_courses", line: 2, field: "start_date", value: "2020-06-01", reason: "ages 0-18")
    } }

    @Test("a course ending after the child's death is rejected", arguments: StoreKind.all)
    func courseEndAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["rt_courses": Fixture.replace(Fixture.courses, row: 2, column: "end_date", value: "2010-06-01")], without: ["rt_imaging"],
                           table: "rt_courses", line: 3, field: "end_date", value: "2010-06-01", reason: "after the child's death")
    } }

    @Test("a course ending after the child's last contact is rejected", arguments: StoreKind.all)
    func courseEndAfterLastContact(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // P1 alive, last contact 2020-12-31; a course from 2019-12-01 (age 18.7) ending in 2021.
        let c = Fixture.replace(Fixture.courses, row: 1, ["start_date": "2019-12-01", "end_date": "2021-01-15"])
        try expectRejected(["rt_courses": c], without: ["rt_imaging"],
                           table: "rt_courses", line: 2, field: "end_date", value: "2021-01-15", reason: "after the child's last contact date")
    } }

    @Test("imaging of a course dated after the child's death is rejected", arguments: StoreKind.all)
    func imagingAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // I2 belongs to course R2 of P2, who died on 2010-05-01.
        try expectRejected(["rt_imaging": Fixture.replace(Fixture.rtImaging, row: 2, column: "first_date", value: "2010-06-01")],
                           table: "rt_imaging", line: 3, field: "first_date", value: "2010-06-01", reason: "after the child's death")
    } }

    @Test("imaging dated before the child's birth is rejected", arguments: StoreKind.all)
    func imagingBeforeBirth(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["rt_imaging": Fixture.replace(Fixture.rtImaging, row: 1, ["first_date": "2000-01-01", "last_date": "2000-02-01"])],
                           table: "rt_imaging", line: 2, field: "first_date", value: "2000-01-01", reason: "before the child's birth")
    } }

    @Test("imaging whose last session is before its first is rejected", arguments: StoreKind.all)
    func imagingLastBeforeFirst(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["rt_imaging": Fixture.replace(Fixture.rtImaging, row: 1, column: "last_date", value: "2009-12-01")],
                           table: "rt_imaging", line: 2, field: "last_date", value: "2009-12-01", reason: "before first_date")
    } }

    @Test("imaging of an unknown course is rejected", arguments: StoreKind.all)
    func imagingUnknownCourse(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["rt_imaging": Fixture.replace(Fixture.rtImaging, row: 2, column: "course_id", value: "R9")],
                           table: "rt_imaging", line: 3, field: "course_id", value: Fixture.keyed("R9", "course_id"), reason: "unknown rt_courses key")
    } }

    // MARK: Samples, measurements, scores and outcomes

    @Test("a biomarker measurement of an unknown sample is rejected", arguments: StoreKind.all)
    func measurementUnknownSample(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["biomarker_measurements": Fixture.replace(Fixture.biomarkers, row: 1, column: "sample_id", value: "S9")],
                           table: "biomarker_measurements", line: 2, field: "sample_id", value: Fixture.keyed("S9", "sample_id"), reason: "unknown biobank_samples key")
    } }

    @Test("a measurement of a quarantined sample is rejected with it, not stored unlinked", arguments: StoreKind.all)
    func measurementOfQuarantinedSample(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = Fixture.radiotherapyExtract.merging(["biobank_samples": Fixture.replace(Fixture.samples, row: 2, column: "collection_date", value: "2010-06-01")]) { _, new in new }
        try Fixture.load(store, files)
        let q = try store.quarantine().sorted { $0.table < $1.table }
        #expect(q.map(\.table) == ["biobank_samples", "biomarker_measurements"])
        #expect(q.last?.value == Fixture.keyed("S2", "sample_id") && q.last?.line == 3)
        #expect(try store.count("biomarker_measurements") == 1)
    } }

    @Test("a biobank sample collected after the child's death is rejected", arguments: StoreKind.all)
    func sampleAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["biobank_samples": Fixture.replace(Fixture.samples, row: 2, column: "collection_date", value: "2010-06-01")],
                           without: ["biomarker_measurements"],
                           table: "biobank_samples", line: 3, field: "collection_date", value: "2010-06-01", reason: "after the child's death")
    } }

    @Test("a patient-reported score dated after the child's death is rejected", arguments: StoreKind.all)
    func scoreAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["pro_scores": Fixture.replace(Fixture.proScores, row: 2, column: "score_date", value: "2010-06-01")],
                           table: "pro_scores", line: 3, field: "score_date", value: "2010-06-01", reason: "after the child's death")
    } }

    @Test("a cancer diagnosed after the child's death is rejected", arguments: StoreKind.all)
    func diagnosisAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["cancer_outcomes": Fixture.replace(Fixture.outcomesBothChildren, row: 2, column: "diagnosis_date", value: "2010-06-01")],
                           table: "cancer_outcomes", line: 3, field: "diagnosis_date", value: "2010-06-01", reason: "after the child's death")
    } }

    @Test("a cancer diagnosed on the day of death (death certificate) is accepted", arguments: StoreKind.all)
    func diagnosisOnDeathDay(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let o = Fixture.replace(Fixture.outcomesBothChildren, row: 2, column: "diagnosis_date", value: "2010-05-01")
        #expect(try Fixture.load(store, ["patients": Fixture.patients, "cancer_outcomes": o]).exitCode == 0)
        #expect(try store.count("cancer_outcomes") == 2)
    } }

    // MARK: Chemotherapy

    @Test("chemotherapy ending before it starts is rejected", arguments: StoreKind.all)
    func chemotherapyEndBeforeStart(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["chemotherapy": Fixture.replace(Fixture.chemotherapy, row: 3, column: "end_date", value: "2004-12-31")],
                           table: "chemotherapy", line: 4, field: "end_date", value: "2004-12-31", reason: "before start_date")
    } }

    @Test("chemotherapy started after the child's 19th birthday is rejected", arguments: StoreKind.all)
    func chemotherapyAdult(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // P1 was born 2001-03-04: 19 years and 3 months on 2020-06-01.
        try expectRejected(["chemotherapy": Fixture.replace(Fixture.chemotherapy, row: 1, ["start_date": "2020-06-01", "end_date": "2020-09-01"])],
                           table: "chemotherapy", line: 2, field: "start_date", value: "2020-06-01", reason: "the cohorts cover ages 0-18")
    } }

    @Test("chemotherapy after the child's last contact (here its death) is rejected", arguments: StoreKind.all)
    func chemotherapyAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["chemotherapy": Fixture.replace(Fixture.chemotherapy, row: 3, ["start_date": "2010-06-10", "end_date": "2010-07-10"])],
                           table: "chemotherapy", line: 4, field: "start_date", value: "2010-06-10", reason: "after the child's last contact date")
    } }

    @Test("an anthracycline dose over 1,000 mg/m² doxorubicin-equivalent is rejected as a unit error, naming the equivalent", arguments: StoreKind.all)
    func anthracyclineUnitError(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // 250 mg/m² of idarubicin is 1,250 mg/m² doxorubicin-equivalent (factor 5).
        let chemo = Fixture.replace(Fixture.chemotherapy, row: 1, ["agent": "idarubicin", "cumulative_dose_mg_m2": "250"])
        let entry = try expectRejected(["chemotherapy": chemo], table: "chemotherapy", line: 2, field: "cumulative_dose_mg_m2",
                                       value: "250", reason: "1250 mg/m² doxorubicin-equivalent, over 1000")
        #expect(entry.reason.contains("unit error"))
    } }

    @Test("the same anthracycline dose just under the bound (200 mg/m² idarubicin, 1,000 equivalent) is accepted", arguments: StoreKind.all)
    func anthracyclineAtBound(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let chemo = Fixture.replace(Fixture.chemotherapy, row: 1, ["agent": "idarubicin", "cumulative_dose_mg_m2": "200"])
        let report = try Fixture.load(store, Fixture.radiotherapyExtract.merging(["chemotherapy": chemo]) { _, new in new })
        #expect(report.exitCode == 0)
        #expect(try store.count("chemotherapy") == 3)
    } }

    @Test("a chemotherapy agent outside the dictionary's list is rejected, naming the list", arguments: StoreKind.all)
    func unknownAgent(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let entry = try expectRejected(["chemotherapy": Fixture.replace(Fixture.chemotherapy, row: 3, column: "agent", value: "adriamycin 50mg")],
                                       table: "chemotherapy", line: 4, field: "agent", value: "adriamycin 50mg", reason: "doxorubicin")
        #expect(entry.reason.contains("other"))
    } }

    // MARK: Transplants and surgery (dictionary 1.3.0)

    @Test("transplants and operations at ages 0-18 within follow-up load, month-precision dates included", arguments: StoreKind.all)
    func transplantsAndSurgeryLoad(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let report = try Fixture.load(store, Fixture.radiotherapyExtract.merging(["hsct": Fixture.hsct, "surgery": Fixture.surgery]) { _, new in new })
        #expect(report.exitCode == 0)
        #expect(try store.count("hsct") == 2 && store.count("surgery") == 2)
    } }

    @Test("a transplant after the child's 19th birthday is rejected", arguments: StoreKind.all)
    func transplantAdult(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        // P1 was born 2001-03-04: 19 years and 3 months on 2020-06-01.
        try expectRejected(["hsct": Fixture.replace(Fixture.hsct, row: 1, column: "transplant_date", value: "2020-06-01")],
                           table: "hsct", line: 2, field: "transplant_date", value: "2020-06-01", reason: "the cohorts cover ages 0-18")
    } }

    @Test("an operation after the child's last contact (here its death) is rejected", arguments: StoreKind.all)
    func surgeryAfterDeath(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        try expectRejected(["surgery": Fixture.replace(Fixture.surgery, row: 2, column: "surgery_date", value: "2010-06-10")],
                           table: "surgery", line: 3, field: "surgery_date", value: "2010-06-10", reason: "after the child's last contact date")
    } }

    @Test("a transplant type or surgery region outside the dictionary's codes is rejected, naming the codes", arguments: StoreKind.all)
    func transplantAndSurgeryCodes(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let h = try expectRejected(["hsct": Fixture.replace(Fixture.hsct, row: 2, column: "hsct_type", value: "syngeneic")],
                                   table: "hsct", line: 3, field: "hsct_type", value: "syngeneic", reason: "allogeneic")
        #expect(h.reason.contains("autologous"))
        try expectRejected(["surgery": Fixture.replace(Fixture.surgery, row: 1, column: "region", value: "thorax")],
                           table: "surgery", line: 2, field: "region", value: "thorax", reason: "chest_wall")
    } }
}
