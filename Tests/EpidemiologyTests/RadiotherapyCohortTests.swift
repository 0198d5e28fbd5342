import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Synthesis
@testable import Epidemiology

/// A small hand-written store: three radiotherapy children (one with two courses) and one cardiac
/// child, primary cancers before the first course and one second leukaemia after it.
private enum RadiotherapyFixture {
    static let patients = """
    site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date
    R1,BE,M,2000-01-01,radiotherapy,none,alive,,2020-12-31,
    R2,BE,F,2005-06-15,radiotherapy,none,dead,,2015-03-01,2015-03-01
    R3,BE,F,2003-02-01,radiotherapy,cancer_predisposition_syndrome,alive,,2020-12-31,
    C1,BE,M,2001-03-04,cardiac,none,alive,,2020-12-31,
    """
    static let courses = """
    course_id,site_patient_id,start_date,end_date,modality,technique,target_site,prescribed_dose_gy,fractions,energy_mev
    K1,R1,2006-01-10,2006-02-20,photon,imrt,brain,54,30,6
    K2,R1,2008-05-01,2008-05-20,photon,3d_crt,abdomen,14.4,8,6
    K3,R2,2010-03-01,2010-04-10,proton,pencil_beam_scanning,brain,54,30,150
    K4,R3,2009-09-01,2009-10-01,photon,vmat,thorax,30,17,6
    """
    static let outcomes = """
    outcome_id,site_patient_id,diagnosis_date,topography,morphology,behaviour,basis_of_diagnosis,source_registry
    O1,R1,2005-12-01,C71.9,9391/3,3,7,BE-registry
    O2,R1,2016-07-01,C42.1,9861/3,3,7,BE-registry
    O3,R2,2010-01-15,C71.6,9470/3,3,7,BE-registry
    O4,R3,2009-07-01,C77.1,9650/3,3,7,BE-registry
    O5,C1,2012-02-02,C42.1,9861/3,3,7,BE-registry
    """

    static func store(_ tables: [String: String]) throws -> String {
        let dir = try SharedData.temporaryDirectory("epi-rt-store")
        let path = dir.appendingPathComponent("store.sqlite").path
        let files = try tables.map { name, text in
            let url = dir.appendingPathComponent(name + ".csv")
            try (text + "\n").write(to: url, atomically: true, encoding: .utf8)
            return url.path
        }
        let key = try Pseudonymiser(keyBytes: Array("BE".utf8) + [UInt8](repeating: 7, count: 32))
        let report = try RegistryStore(path: path, role: .dataManager(site: "BE")).ingest(files: files, site: "BE", pseudonymiser: key, user: "test")
        #expect(report.rejected == 0 && report.refusedFiles.isEmpty, "fixture rows rejected: \(report.problemsCSV())")
        return path
    }
}

@Suite("Radiotherapy registry from the store (harmonic analyze --store --cohort radiotherapy)")
struct RadiotherapyCohortTests {
    @Test("courses become exposures with their prescribed dose, entry is the first course, earlier diagnoses are not outcomes")
    func coursesBecomeExposures() throws {
        let path = try RadiotherapyFixture.store(["patients": RadiotherapyFixture.patients, "rt_courses": RadiotherapyFixture.courses,
                                                  "cancer_outcomes": RadiotherapyFixture.outcomes])
        let cohort = try RegistryStore(path: path, role: .analyst).analysisCohort(storePath: path, cohort: .radiotherapy)
        #expect(cohort.patientsRead == 3 && cohort.members.count == 3) // the cardiac child is not read
        #expect(cohort.proceduresRead == 4 && cohort.diagnosesBeforeEntryDropped == 3)
        #expect(cohort.diagnosesByGroup[.leukaemia] == 1) // the cardiac child's leukaemia is not counted
        let d = { (s: String) in CalendarDate(iso: s)! }
        let r1 = try #require(cohort.members.first { $0.exposures.count == 2 })
        #expect(r1.entry == d("2006-01-10") && r1.sex == .male && r1.country == .belgium)
        #expect(r1.exposures.map { $0.organDoses[.redMarrow]?.value } == [54, 14.4])
        #expect(r1.exposures.map { $0.organDoses[.thyroid]?.value } == [54, 14.4]) // the prescribed dose stands in for every organ
        let key = try Pseudonymiser(keyBytes: Array("BE".utf8) + [UInt8](repeating: 7, count: 32))
        #expect(r1.exposures.map(\.key) == ["K1", "K2"].map { "BE/" + key.pseudonym(for: $0, column: "course_id") },
                "exposures are keyed SITE/course id, the id as the store holds it (its keyed hash)")
        #expect(r1.events == [OutcomeEvent(date: d("2016-07-01"), outcome: "leukaemia")])
        let r2 = try #require(cohort.members.first { $0.entry == d("2010-03-01") })
        #expect(r2.events.isEmpty && r2.exit == d("2015-03-01") && r2.exitReason == .death)
        #expect(cohort.members.contains { $0.covariates["predisposing_condition"] == "cancer_predisposition_syndrome" })
        #expect(cohort.summary.contains("3 outcome-group diagnoses before the first course"))
        #expect(cohort.summary.contains("prescribed_dose_gy") && cohort.summary.contains("NOT an organ dose"))

        // Person-years with a 2-year lag and exclusion (2 × 365.25 days, rounded: 731 days after the first course):
        // R1 to the leukaemia on 2016-07-01, R2 to death on 2015-03-01, R3 to 2020-12-31; R1's dose at the event is 54 + 14.4 Gy.
        let split = try PersonYearSplitter.split(cohort.members, options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 2))
        let days = d("2006-01-10").days(to: d("2016-07-01")) + d("2010-03-01").days(to: d("2015-03-01")) + d("2009-09-01").days(to: d("2020-12-31")) - 3 * 731
        #expect(abs(split.table.personYears.reduce(0, +) - Double(days) / 365.25) < 1e-9) // day-exact splitting
        #expect(split.table.events.reduce(0, +) == 1)
        let eventInterval = try #require(split.intervals.event.firstIndex(of: true))
        #expect(abs(split.intervals.dose[eventInterval] - 68.4) < 1e-12)
    }

    @Test("a store without radiotherapy courses says so and how to load them")
    func noCourses() throws {
        let path = try RadiotherapyFixture.store(["patients": RadiotherapyFixture.patients])
        #expect { try RegistryStore(path: path, role: .analyst).analysisCohort(storePath: path, cohort: .radiotherapy) } throws: { e in
            e is RadiotherapyCoursesMissing && "\(e)".contains("rt_courses") && "\(e)".contains(path)
        }
    }

    @Test("a synthetic radiotherapy registry loads whole: one member per child, no primary cancer counted as an outcome")
    func syntheticRegistry() throws {
        let dir = try SharedData.temporaryDirectory("epi-rt-synth")
        let extract = dir.appendingPathComponent("extract"), path = dir.appendingPathComponent("store.sqlite").path
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 9, cardiacChildren: 0, radiotherapyChildren: 150), to: extract)
        for folder in summary.siteFolders where folder.hasSuffix("radiotherapy") {
            let site = String(folder.prefix(2))
            let key = try Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 7, count: 32))
            let files = ["patients", "rt_courses", "cancer_outcomes"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try RegistryStore(path: path, role: .dataManager(site: site)).ingest(files: files, site: site, pseudonymiser: key, user: "test")
        }
        let cohort = try RegistryStore(path: path, role: .analyst).analysisCohort(storePath: path, cohort: .radiotherapy)
        #expect(cohort.members.count == 150 && cohort.proceduresRead == 150)
        // Synth writes only the primary cancer, 20-80 days before the course: none is an outcome.
        #expect(cohort.diagnosesBeforeEntryDropped == cohort.diagnosesByGroup.values.reduce(0, +) && cohort.diagnosesBeforeEntryDropped > 0)
        #expect(cohort.members.allSatisfy { $0.events.isEmpty })
        // Prescriptions of the synthetic protocols (RadiotherapyChildSimulator.sites).
        let prescriptions: Set<Double> = [54, 50.4, 30, 14.4, 45]
        #expect(cohort.members.allSatisfy { $0.exposures.count == 1 && prescriptions.contains($0.exposures[0].organDoses[.redMarrow]!.value) })
    }
}
