import Foundation
import Testing
import Dosimetry
import HarmonicCore
import HarmonicTestSupport
@testable import Registry

/// TEST FIXTURE, not product code: 1 mGy per Gy·cm² for every organ, 0.5 mSv effective.
private struct UnitCoefficients: OrganDoseCoefficientSource {
    func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients {
        OrganDoseCoefficients(perKAP: [Double](repeating: 1, count: Organ.allCases.count), effectiveDosePerKAP: 0.5)
    }
}

/// The same loads, corrections, dose run and analysis extraction on an SQLite and a PostgreSQL
/// store give identical stored rows, quarantine, audit counts, doses and analysis cohorts.
@Suite("SQLite and PostgreSQL stores give the same results")
struct StoreEquivalenceTests {
    struct Outcome: Equatable {
        var snapshot: [String] = []
        var quarantine: [String] = []
        var audit: [String] = []
        var doseTiers: [String] = []
        var doseRows: [String] = []
        var cohort: [String] = []
        var quality: [String] = []
    }

    func run(_ kind: StoreKind, dir: URL) throws -> Outcome {
        try StoreKind.$current.withValue(kind) {
            let store = try Fixture.store()
            let spoilt = Fixture.procedures(setting: "kap_gycm2", to: "-3")
            try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": spoilt, "irradiation_events": Fixture.events,
                                     "cancer_outcomes": Fixture.outcomes])
            try Fixture.load(store, ["cardiac_procedures": Fixture.procedures])                       // the correction
            try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures])  // an idempotent reload
            var o = Outcome()
            o.snapshot = try Fixture.snapshot(store)
            o.quarantine = try store.quarantine().map { "\($0.site) \($0.table) \($0.rowKey) \($0.line) \($0.field) \($0.value) \($0.reason)" }
            o.audit = try store.auditLoads().map { l in "\(l.status) " + l.files.map { "\($0.table) \($0.inserted)/\($0.updated)/\($0.unchanged)/\($0.rejected)/\($0.replaced)" }.joined(separator: ",") }
                + (try store.auditChanges()).map { "\($0.table) \($0.rowKey) \($0.action)" }
            let analyst = try store.opened(as: .analyst)
            let q = try analyst.siteQuality(ofSite: "NO")
            o.quality = q.tables.map { t in "\(t.table) \(t.rows) " + t.eras.map { "\($0.era):\($0.rows):\($0.required):\($0.optional):\($0.fields.sorted { $0.key < $1.key })" }.joined(separator: ",")
                                        + " " + t.years.map { "\($0.year)=\($0.rows)" }.joined(separator: ",") }
                + q.quarantine.map { "\($0.table) \($0.field) \($0.reason) \($0.rows)" } + q.loads.map { "\($0.loadID) \($0.files) \($0.accepted) \($0.rejected)" }
            let path = dir.appendingPathComponent("\(kind).store").path
            let summary = try DoseRun.run(store: analyst, storePath: path, source: UnitCoefficients(), settings: ReconstructionSettings(seed: 5, realisations: 8))
            o.doseTiers = summary.byTier.map { "\($0.key.rawValue)=\($0.value)" }.sorted()
            o.doseRows = try store.backend.read { db in
                try db.fetch("SELECT site, site_procedure_id, tier, kap_gycm2_used, red_marrow_mgy, effective_dose_msv FROM procedure_organ_dose ORDER BY 1, 2")
                    .map { $0.map(Fixture.text).joined(separator: " ") }
                + db.fetch("SELECT site, patient_pseudonym, procedures, flagged_procedures, red_marrow_mgy FROM child_organ_dose ORDER BY 1, 2")
                    .map { $0.map(Fixture.text).joined(separator: " ") }
            }
            let cohort = try analyst.analysisCohort(storePath: path)
            o.cohort = cohort.members.map { m in "\(m.id) \(m.exposures.map { "\($0.key ?? "") \($0.organDoses[.redMarrow]?.value ?? -1)" })" }
            return o
        }
    }

    @Test("ingest with quarantine, correction and reload, audit, dose run and analysis extraction agree",
          .enabled(if: StoreKind.postgresEnabled, Comment(rawValue: StoreKind.enableHint)))
    func sameResults() throws {
        let dir = try SharedData.temporaryDirectory("store-equivalence")
        let sqlite = try run(.sqlite, dir: dir), postgres = try run(.postgres, dir: dir)
        #expect(!sqlite.snapshot.isEmpty && !sqlite.doseRows.isEmpty && !sqlite.cohort.isEmpty)
        #expect(sqlite.snapshot == postgres.snapshot)
        #expect(sqlite.quarantine == postgres.quarantine)
        #expect(sqlite.audit == postgres.audit)
        #expect(sqlite.doseTiers == postgres.doseTiers)
        #expect(sqlite.doseRows == postgres.doseRows)
        #expect(sqlite.cohort == postgres.cohort)
    }

    /// Every row of the imaging and radiotherapy organ-dose tables (and the per-child totals they feed), as text.
    static func imagingAndRTRows(_ store: RegistryStore) throws -> [String] {
        let tables = [("imaging_exam_organ_dose", "site, source_table, imaging_id"), ("rt_course_organ_dose", "site, course_id"),
                      ("rt_course_organ_component", "site, course_id, organ"), ("rt_child_organ_dose", "site, patient_pseudonym"),
                      ("child_exposure_organ_dose", "1, 2, 3")]
        return try store.backend.read { db in
            try tables.flatMap { table, order in
                try db.fetch("SELECT * FROM \(table) ORDER BY \(order)").map { table + " " + $0.map(Fixture.text).joined(separator: " ") }
            }
        }
    }

    /// Imaging and RT runs on a store of `kind`: a first run, a run that changes nothing, and a run
    /// after a correction (one CT's DLP; R2 becomes a carbon-ion course, which is flagged); the rows after each.
    func imagingAndRTRuns(_ kind: StoreKind, dir: URL) throws -> [[String]] {
        try StoreKind.$current.withValue(kind) {
            let manager = try Fixture.store()
            let patients = Fixture.replace(Fixture.replace(Fixture.patients, row: 1, column: "cohort", value: "radiotherapy"), row: 2, column: "cohort", value: "radiotherapy")
            try Fixture.load(manager, ["patients": patients, "diagnostic_imaging": ImagingDoseRunTests.diagnostic,
                                       "rt_courses": RTDoseRunTests.courses, "rt_imaging": Fixture.rtImaging])
            let analyst = try manager.opened(as: .analyst)
            // The same file name on both (flag reasons name it); the folder, in child_exposure_organ_dose's file column, is cut.
            let folder = dir.appendingPathComponent("\(kind)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let path = folder.appendingPathComponent("store").path
            var snapshots: [[String]] = []
            for step in 0..<3 {
                if step == 2 {
                    try Fixture.load(manager, ["diagnostic_imaging": Fixture.replace(ImagingDoseRunTests.diagnostic, row: 2, column: "dlp_mgycm", value: "200"),
                                               "rt_courses": Fixture.replace(RTDoseRunTests.courses, row: 2, ["modality": "carbon", "technique": "other", "energy_mev": ""])])
                }
                _ = try ImagingDoseRun.run(store: analyst, storePath: path, settings: .init(seed: 7, realisations: 16))
                _ = try RTDoseRun.run(store: analyst, storePath: path, settings: .init(seed: 7, realisations: 16))
                snapshots.append(try Self.imagingAndRTRows(analyst).map { $0.replacingOccurrences(of: folder.path + "/", with: "") })
            }
            return snapshots
        }
    }

    @Test("imaging and radiotherapy dose runs, batched, write identical organ-dose rows on both stores: first run, unchanged run, run after a correction",
          .enabled(if: StoreKind.postgresEnabled, Comment(rawValue: StoreKind.enableHint)))
    func imagingAndRTRunsAgree() throws {
        let dir = try SharedData.temporaryDirectory("store-equivalence-runs")
        let sqlite = try imagingAndRTRuns(.sqlite, dir: dir), postgres = try imagingAndRTRuns(.postgres, dir: dir)
        for (step, rows) in sqlite.enumerated() {
            #expect(rows.contains { $0.hasPrefix("imaging_exam_organ_dose ") } && rows.contains { $0.hasPrefix("rt_course_organ_component ") })
            #expect(rows == postgres[step], "step \(step): \(Set(rows).symmetricDifference(postgres[step]).sorted().prefix(6))")
        }
        // R2, recomputed as a flagged carbon-ion course, keeps none of its earlier components.
        #expect(sqlite[1].contains { $0.hasPrefix("rt_course_organ_component 'NO' '\(Fixture.keyed("R2", "course_id"))' ") })
        #expect(!sqlite[2].contains { $0.hasPrefix("rt_course_organ_component 'NO' '\(Fixture.keyed("R2", "course_id"))' ") })
        #expect(sqlite[2].contains { $0.hasPrefix("rt_course_organ_component 'NO' '\(Fixture.keyed("R1", "course_id"))' ") }, "an unchanged course keeps its components")
    }
}
