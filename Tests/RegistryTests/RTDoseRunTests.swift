import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
import Dosimetry
@testable import Registry

@Suite("Radiotherapy organ doses for every course of the store (harmonic rt dose --store)")
struct RTDoseRunTests {
    /// The radiotherapy extract of `Fixture` plus two courses that cannot be dosed: a carbon-ion
    /// course (R3) and a course whose target site is not one the site geometry knows (R4).
    static let courses = Fixture.courses + """

    R3,P1,2012-05-02,2012-06-01,carbon,other,brain,54,30,
    R4,P2,2006-01-10,2006-02-10,photon,3d_crt,orbit,45,25,6
    """

    func loadedStore() throws -> (RegistryStore, String) {
        let dir = try SharedData.temporaryDirectory("rt-dose-run")
        let path = dir.appendingPathComponent("store.sqlite").path
        let manager = StoreKind.current == .sqlite ? try RegistryStore(path: path, role: .dataManager(site: "NO")) : try Fixture.store()
        let patients = Fixture.replace(Fixture.replace(Fixture.patients, row: 1, column: "cohort", value: "radiotherapy"), row: 2, column: "cohort", value: "radiotherapy")
        try Fixture.load(manager, ["patients": patients, "rt_courses": Self.courses])
        return (try manager.opened(as: .analyst), path)
    }


    @Test("rt_course_organ_dose has the agreed columns and one row per course with its tier; courses that cannot be dosed are flagged with a reason naming the field, never given a dose",
          arguments: StoreKind.all)
    func tableAndTiers(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 32))
        #expect(summary.courses == 4 && summary.computed == 4)
        #expect(summary.byTier == ["course_record": 2, "flagged": 2])
        let columns = try store.backend.read { db in
            try db.strings(db.dialect == .sqlite ? "SELECT name FROM pragma_table_info('rt_course_organ_dose')"
                           : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'rt_course_organ_dose'")
        }
        for c in ["site", "course_id", "patient_pseudonym", "start_date", "tier", "flag_reason"] + DoseQuantity.columnNames + ["run_id", "realisation_row",
                  "modality", "technique", "bladder_mgy", "colon_mgy"] {
            #expect(columns.contains(c), "missing column \(c)")
        }
        let ids = ["R1", "R2", "R3", "R4"]
        let r = Fixture.ordered(try store.backend.read { db in try db.fetch("SELECT course_id, tier, flag_reason, brain_mgy, heart_mgy, effective_dose_msv FROM rt_course_organ_dose") },
                                as: ids, column: "course_id")
        #expect(r.map { $0.string(0) } == ids.map { Fixture.keyed($0, "course_id") }, "course ids stored as their keyed hashes")
        #expect(r.map { $0.string(1) } == ["course_record", "course_record", "flagged", "flagged"])
        #expect(r[2].string(2)?.contains("modality") == true && r[2].string(2)?.contains("carbon") == true && r[2].string(2)?.contains(Fixture.keyed("R3", "course_id")) == true)
        #expect(r[3].string(2)?.contains("target_site") == true && r[3].string(2)?.contains("orbit") == true)
        #expect(r[2].double(3) == nil && r[3].double(4) == nil, "a flagged course has no dose, not zero")
        #expect(r.allSatisfy { $0.double(5) == nil }, "effective dose is not given for therapeutic doses")
        // R1: 54 Gy proton to the brain: the brain holds the field (part of it), the heart is far out of field.
        let brain = try #require(r[0].double(3)), heart = try #require(r[0].double(4))
        #expect(brain > 5_000 && brain < 54_000 * 1.2, "brain \(brain) mGy")
        #expect(heart > 0 && heart < brain / 100, "heart \(heart) mGy")
    } }

    @Test("each course's realisations (Gy) average to its stored mean organ dose (mGy), and flagged courses hold no finite realisation",
          arguments: StoreKind.all)
    func realisationsMatchMeans(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 64))
        let reader = try RealisationReader(path: summary.realisationFile)
        #expect(reader.rows == 4 && reader.realisations == 64 && reader.quantities == RTDoseRun.organs.count)
        let r = try store.backend.read { db in try db.fetch("SELECT realisation_row, tier, heart_mgy, thyroid_mgy, red_marrow_mgy FROM rt_course_organ_dose") }
        for row in r {
            let at = try #require(row.int(0))
            for (k, organ) in [(2, Organ.heart), (3, .thyroid), (4, .redMarrow)] {
                let q = RTDoseRun.organs.firstIndex(of: organ)!
                let v = reader.values(row: at, quantity: q)
                if row.string(1) == "flagged" { #expect(v.allSatisfy { !$0.isFinite }); continue }
                let mean = v.reduce(0.0) { $0 + Double($1) } / Double(v.count) * 1000
                let stored = try #require(row.double(k))
                // float16 keeps 11 significant bits: 0.1% per value.
                #expect(abs(mean - stored) <= 2e-3 * stored, "\(organ): realisations \(mean) mGy, stored \(stored) mGy")
            }
        }
    } }

    @Test("the per-child table sums the courses of each child and counts the flagged ones", arguments: StoreKind.all)
    func childSums(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        _ = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let (child, courses) = try store.backend.read { db in
            (try db.fetch("SELECT patient_pseudonym, courses, flagged_courses, heart_mgy FROM rt_child_organ_dose ORDER BY patient_pseudonym"),
             try db.fetch("SELECT patient_pseudonym, heart_mgy FROM rt_course_organ_dose"))
        }
        #expect(child.count == 2 && child.allSatisfy { $0.int(1) == 2 && $0.int(2) == 1 })
        for c in child {
            let sum = courses.filter { $0.string(0) == c.string(0) }.compactMap { $0.double(1) }.reduce(0, +)
            #expect(abs((c.double(3) ?? .nan) - sum) <= 1e-9 * sum)
        }
    } }

    @Test("an incremental run recomputes only the courses whose record changed and keeps the others' realisations", arguments: StoreKind.all)
    func incremental(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let settings = RTDoseRun.Settings(realisations: 16)
        let first = try RTDoseRun.run(store: store, storePath: path, settings: settings)
        let rowOf = { (id: String) throws -> Int in
            try store.backend.read { db in try db.fetch("SELECT realisation_row FROM rt_course_organ_dose WHERE course_id = ?", [Fixture.keyed(id, "course_id").databaseValue]) }.first!.int(0)!
        }
        let q = RTDoseRun.organs.firstIndex(of: .brain)!
        let r1Before = try RealisationReader(path: first.realisationFile).values(row: try rowOf("R1"), quantity: q)
        let again = try RTDoseRun.run(store: store, storePath: path, settings: settings)
        #expect(again.computed == 0 && again.reused == 4)
        let manager = try store.opened(as: .dataManager(site: "NO"))
        try Fixture.load(manager, ["rt_courses": Fixture.replace(Self.courses, row: 2, column: "prescribed_dose_gy", value: "25")])
        let third = try RTDoseRun.run(store: store, storePath: path, settings: settings)
        #expect(third.computed == 1 && third.reused == 3)
        #expect(try RealisationReader(path: third.realisationFile).values(row: try rowOf("R1"), quantity: q) == r1Before)
        let prescribed = try store.backend.read { db in try db.fetch("SELECT prescribed_dose_gy, run_id FROM rt_course_organ_dose WHERE course_id = ?", [Fixture.keyed("R2", "course_id").databaseValue]) }
        #expect(prescribed.first?.double(0) == 25 && prescribed.first?.int64(1) == third.runID)
    } }

    @Test("a role other than the analyst may not run the pooled RT dose reconstruction", arguments: StoreKind.all)
    func analystOnly(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let manager = try store.opened(as: .dataManager(site: "NO"))
        #expect(throws: AccessDenied.self) { try RTDoseRun.run(store: manager, storePath: path, settings: .init(realisations: 4)) }
    } }

    @Test("analyze --cohort radiotherapy --dose ORGAN reads each course's organ dose (mGy → Gy) and a flagged course has no dose", arguments: StoreKind.all)
    func analysisCohortReadsOrganDoses(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        #expect(throws: RadiotherapyOrganDosesMissing.self) { try store.analysisCohort(storePath: path, cohort: .radiotherapy, radiotherapyDose: .organ) }
        _ = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let cohort = try store.analysisCohort(policy: .zero, storePath: path, cohort: .radiotherapy, radiotherapyDose: .organ)
        let stored = try store.backend.read { db in try db.fetch("SELECT site, course_id, heart_mgy FROM rt_course_organ_dose WHERE tier <> 'flagged'") }
        let exposures = cohort.members.flatMap(\.exposures)
        #expect(exposures.count == 4)
        for r in stored {
            let x = try #require(exposures.first { $0.key == "\(r.string(0)!)/\(r.string(1)!)" })
            #expect(abs((x.organDoses[.heart]?.value ?? .nan) - r.double(2)! / 1000) < 1e-12)
        }
        #expect(exposures.filter { $0.organDoses.isEmpty }.count == 2, "the two flagged courses count at zero under --flagged zero, with no organ dose")
        #expect(cohort.doseDescription?.hasPrefix(RegistryStore.radiotherapyOrganDoseDescription) == true)
        #expect(cohort.doseDescription?.contains("exposures summed: cardiac, imaging, rt") == true, "the description says which exposures were summed")
        // The prescribed-dose mode stays available and says what it is.
        #expect(try store.analysisCohort(storePath: path, cohort: .radiotherapy).doseDescription == RegistryStore.radiotherapyDoseDescription)
    } }

    @Test("MCML reads the RT realisation file: each course's realisations of an organ average to the organ dose the cohort carries", arguments: StoreKind.all)
    func analysisReadsRTRealisations(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 64))
        #expect(StoreRTDoseRealisations.recognises(path: summary.realisationFile))
        let cohort = try store.analysisCohort(policy: .zero, storePath: path, cohort: .radiotherapy, radiotherapyDose: .organ)
        let source = try StoreRTDoseRealisations(path: summary.realisationFile)
        let m = try source.realisations(of: .thyroid, for: cohort.members)
        var e = 0
        for member in cohort.members {
            for x in member.exposures {
                defer { e += 1 }
                let v = (0..<64).map { Double(m.values[e * 64 + $0]) }
                guard let dose = x.organDoses[.thyroid]?.value else { #expect(v.allSatisfy { $0 == 0 }); continue }
                #expect(abs(v.reduce(0, +) / 64 - dose) <= 2e-3 * dose)
                #expect(Set(v).count > 1, "realisations vary")
            }
        }
    } }
}

@Suite("DICOM-RT tier of harmonic rt dose --store")
struct RTDoseRunDICOMTests {
    /// The consistent sample plan of RTDoseTests (RP/RD/RS.dcm: Patient ID RT-SAMPLE-8F, girl, no Study Date).
    static let planFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("RTDoseTests/Resources/plan")
    static let patients = """
    site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date
    RT-SAMPLE-8F,NO,F,2002-02-01,radiotherapy,none,alive,,2020-12-31,
    """
    static let courses = """
    course_id,site_patient_id,start_date,end_date,modality,technique,target_site,prescribed_dose_gy,fractions,energy_mev
    RS1,RT-SAMPLE-8F,2010-03-01,2010-04-09,photon,imrt,brain,54,30,6
    """

    /// A store with the child, its course and (ingest-dicom) its plan, dose and structure set; the folder of the files.
    func store(copy names: [String]) throws -> (RegistryStore, String, URL) {
        let dir = try SharedData.temporaryDirectory("rt-dicom-tier")
        let files = dir.appendingPathComponent("rt")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        for n in names { try FileManager.default.copyItem(at: Self.planFolder.appendingPathComponent(n), to: files.appendingPathComponent(n)) }
        let path = dir.appendingPathComponent("store.sqlite").path
        let manager = StoreKind.current == .sqlite ? try RegistryStore(path: path, role: .dataManager(site: "NO")) : try Fixture.store()
        try Fixture.load(manager, ["patients": Self.patients, "rt_courses": Self.courses])
        _ = try DICOMIngest().run(DICOMIngest.files(in: files), store: manager, site: "NO", pseudonymiser: Fixture.keyNO, user: "test")
        return (try manager.opened(as: .analyst), path, files)
    }

    @Test("a course whose plan, dose and structures were loaded by ingest-dicom gets the dicom_rt tier, with in-field doses from the grid", arguments: StoreKind.all)
    func dicomTier(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path, files) = try store(copy: ["RP.dcm", "RD.dcm", "RS.dcm"])
        let withoutFiles = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 8))
        #expect(withoutFiles.byTier == ["course_record": 1], "without --dicom-rt the record is used")
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 8, dicomFolder: files.path, dicomKeys: ["NO": Fixture.keyNO]))
        #expect(summary.byTier == ["dicom_rt": 1] && summary.computed == 1, "the DICOM-RT files change the course's inputs")
        let r = try store.backend.read { db in try db.fetch("SELECT tier, geometry, brain_mgy FROM rt_course_organ_dose") }
        #expect(r.first?.string(0) == "dicom_rt")
        #expect(r.first?.string(1)?.contains("DICOM-RT photon") == true)
        let components = try store.backend.read { db in
            try db.fetch("SELECT in_field_mgy FROM rt_course_organ_component WHERE organ = 'brain'")
        }
        #expect((components.first?.double(0) ?? 0) > 0, "the brain (contoured, in the field) takes in-field dose from the grid")
    } }

    @Test("without the site key the DICOM-RT files cannot be found by the keyed UIDs the store holds: the course keeps its record tier and says which key to give", arguments: StoreKind.all)
    func dicomTierNeedsSiteKey(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path, files) = try store(copy: ["RP.dcm", "RD.dcm", "RS.dcm"])
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 8, dicomFolder: files.path))
        #expect(summary.byTier == ["course_record": 1])
        let geometry = try store.backend.read { db in try db.fetch("SELECT geometry FROM rt_course_organ_dose") }.first?.string(0) ?? ""
        #expect(geometry.contains("--dicom-rt-keys") && geometry.contains("NO.key"), "\(geometry)")
    } }

    @Test("a linked plan whose dose grid lies on another frame of reference falls back to the record and says why", arguments: StoreKind.all)
    func badPlanFallsBack(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path, files) = try store(copy: ["RP.dcm", "rd_other_frame.dcm", "RS.dcm"])
        let summary = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 8, dicomFolder: files.path, dicomKeys: ["NO": Fixture.keyNO]))
        #expect(summary.byTier == ["course_record": 1])
        let geometry = try store.backend.read { db in try db.fetch("SELECT geometry FROM rt_course_organ_dose") }.first?.string(0) ?? ""
        #expect(geometry.contains("DICOM-RT linked but not usable") && geometry.contains("rd_other_frame.dcm"), "\(geometry)")
    } }
}
