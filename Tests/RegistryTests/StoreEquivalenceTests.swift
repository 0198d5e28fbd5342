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
}
