import Foundation
import GRDB
import Testing
import HarmonicCore
import HarmonicTestSupport
import Dosimetry
import Epidemiology
@testable import Registry

/// TEST FIXTURE, not product code: a constant coefficient source (1 mGy per Gy·cm² for every
/// organ, 0.5 mSv effective) standing in for the coefficient library in store-level tests.
private struct ConstantCoefficients: OrganDoseCoefficientSource {
    func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients {
        OrganDoseCoefficients(perKAP: [Double](repeating: 1, count: Organ.allCases.count), effectiveDosePerKAP: 0.5)
    }
}

@Suite("Organ doses for the whole store (harmonic dose)")
struct DoseRunTests {
    func loadedStore() throws -> (RegistryStore, String) {
        let dir = try SharedData.temporaryDirectory("dose-run")
        let path = dir.appendingPathComponent("store.sqlite").path
        // SQLite: a store file; PostgreSQL: a schema, with the realisation side file at `path`.
        let manager = StoreKind.current == .sqlite ? try RegistryStore(path: path, role: .dataManager(site: "NO")) : try Fixture.store()
        try Fixture.load(manager, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures, "irradiation_events": Fixture.events])
        return (try manager.opened(as: .analyst), path)
    }

    @Test("procedure_organ_dose has the columns the epidemiology layer reads, one row per procedure with its tier", arguments: StoreKind.all)
    func tableHasTheAgreedColumns(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let summary = try DoseRun.run(store: store, storePath: path, source: ConstantCoefficients(), settings: ReconstructionSettings(realisations: 16))
        #expect(summary.procedures == 2 && summary.events == 2)
        let columns = try store.backend.read { db in
            try db.strings(db.dialect == .sqlite ? "SELECT name FROM pragma_table_info('procedure_organ_dose')"
                           : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'procedure_organ_dose'")
        }
        for c in ["site", "site_procedure_id", "patient_pseudonym", "procedure_date", "tier", "flag_reason", "kap_gycm2_used",
                  "red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy", "oesophagus_mgy", "brain_mgy",
                  "effective_dose_msv", "input_hash", "run_id"] {
            #expect(columns.contains(c), "missing column \(c)")
        }
        let tiers = Fixture.ordered(try store.backend.read { db in try db.fetch("SELECT site_procedure_id, tier, kap_gycm2_used FROM procedure_organ_dose") },
                                    as: ["C1", "C2"], column: "site_procedure_id")
        #expect(tiers.map { $0.string(1) } == ["event", "totals"])
        // C1's events sum to 1.5 + 2.7 = 4.2 Gy·cm² (Fixture.events); C2 recorded 2.5.
        #expect(abs((tiers[0].double(2) ?? 0) - 4.2) < 1e-9 && tiers[1].double(2) == 2.5)
        let reader = try RealisationReader(path: summary.realisationFile)
        #expect(reader.rows == 2 && reader.realisations == 16)
        #expect(try RealisationIndex.read(DoseRun.indexPath(realisationFile: summary.realisationFile)).map(\.procedureID).sorted() == ["C1", "C2"].map { Fixture.keyed($0, "site_procedure_id") }.sorted())
    } }

    @Test("an incremental run recomputes only the procedures whose inputs changed", arguments: StoreKind.all)
    func incrementalRecomputesOnlyChanged(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let settings = ReconstructionSettings(realisations: 16)
        let first = try DoseRun.run(store: store, storePath: path, source: ConstantCoefficients(), settings: settings)
        #expect(first.computed == 2 && first.reused == 0)
        let before = try RealisationReader(path: first.realisationFile)
        let rowC1 = try RealisationIndex.read(DoseRun.indexPath(realisationFile: first.realisationFile)).first { $0.procedureID == Fixture.keyed("C1", "site_procedure_id") }!.row
        let c1Before = before.values(row: rowC1, quantity: 0)
        let again = try DoseRun.run(store: store, storePath: path, source: ConstantCoefficients(), settings: settings)
        #expect(again.computed == 0 && again.reused == 2)
        // C2's weight corrected: only C2 is recomputed; C1 keeps its realisations.
        let manager = try store.opened(as: .dataManager(site: "NO"))
        try Fixture.load(manager, ["cardiac_procedures": Fixture.replace(Fixture.procedures, row: 2, column: "weight_kg", value: "12.5")])
        let third = try DoseRun.run(store: store, storePath: path, source: ConstantCoefficients(), settings: settings)
        #expect(third.computed == 1 && third.reused == 1)
        #expect(try RealisationReader(path: third.realisationFile).values(row: rowC1, quantity: 0) == c1Before)
        let runs = Fixture.ordered(try store.backend.read { db in try db.fetch("SELECT site_procedure_id, run_id FROM procedure_organ_dose") },
                                   as: ["C1", "C2"], column: "site_procedure_id")
        #expect(runs.map { $0.int64(1) } == [first.runID, third.runID])
    } }

    @Test("harmonic analyze reads the reconstruction's realisation file: each procedure's realisations average to its stored mean dose", arguments: StoreKind.all)
    func analysisReadsTheReconstructionsRealisations(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        let summary = try DoseRun.run(store: store, storePath: path, source: ConstantCoefficients(), settings: ReconstructionSettings(realisations: 64))
        #expect(StoreDoseRealisations.recognises(path: summary.realisationFile))
        if StoreKind.current == .sqlite { #expect(!StoreDoseRealisations.recognises(path: path), "a SQLite file is not a realisation file") }
        let cohort = try store.analysisCohort(storePath: path)
        let source = try StoreDoseRealisations(path: summary.realisationFile)
        let matrix = try source.realisations(of: .redMarrow, for: cohort.members)
        let exposures = cohort.members.flatMap(\.exposures)
        #expect(!exposures.isEmpty && matrix.realisationCount == 64)
        for (e, x) in exposures.enumerated() {
            let mean = (0 ..< 64).reduce(0.0) { $0 + Double(matrix.dose(exposure: e, realisation: $1)) } / 64
            let stored = try #require(x.organDoses[.redMarrow]).value
            // float16 keeps 11 significant bits (relative rounding <= 0.05 %, docs/dose-realisations.md).
            #expect(abs(mean / stored - 1) < 0.002, "exposure \(x.key ?? "?"): realisation mean \(mean) Gy, stored \(stored) Gy")
        }
    } }

    @Test("only the analyst role may compute doses for the pooled registry", arguments: StoreKind.all)
    func dataManagerMayNotRun(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try loadedStore()
        #expect(throws: AccessDenied.self) {
            try DoseRun.run(store: try store.opened(as: .dataManager(site: "NO")), storePath: path, source: ConstantCoefficients(),
                            settings: ReconstructionSettings(realisations: 4))
        }
    } }
}
