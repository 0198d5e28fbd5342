import Foundation
import GRDB
import Testing
import HarmonicCore
import HarmonicTestSupport
import Dosimetry
import Epidemiology
@testable import Registry

/// TEST FIXTURE, not product code: 1 mGy per Gy·cm² for every organ (as in DoseRunTests).
private struct UnitCoefficients: OrganDoseCoefficientSource {
    func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients {
        OrganDoseCoefficients(perKAP: [Double](repeating: 1, count: Organ.allCases.count), effectiveDosePerKAP: 0.5)
    }
}

@Suite("Each child's cumulative dose sums every exposure type; analyze --exposures restricts it")
struct ExposureSelectionTests {
    /// P1 (cardiac procedure C1 on 2005-01-10): two CT exams after it; P2: a radiograph with only an
    /// effective dose and a mammography, not modelled (neither summed).
    static let diagnostic = """
    imaging_id,site_patient_id,exam_date,modality,body_region,ctdivol_mgy,dlp_mgycm,effective_dose_msv,kvp,scanner,ctdi_phantom_cm
    X1,P1,2005-06-01,ct,chest,3.2,,,100,CT-A,
    X2,P1,2006-01-01,ct,abdomen_pelvis,,150,,,CT-A,
    X6,P2,2002-01-01,radiography,chest,,,0.02,,,
    X7,P2,2002-06-01,mammography,breast,,,,,,
    """

    func dosedStore() throws -> (RegistryStore, String) {
        let dir = try SharedData.temporaryDirectory("exposure-selection")
        let path = dir.appendingPathComponent("store.sqlite").path
        let manager = StoreKind.current == .sqlite ? try RegistryStore(path: path, role: .dataManager(site: "NO")) : try Fixture.store()
        try Fixture.load(manager, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures, "irradiation_events": Fixture.events,
                                   "diagnostic_imaging": Self.diagnostic])
        let store = try manager.opened(as: .analyst)
        _ = try DoseRun.run(store: store, storePath: path, source: UnitCoefficients(), settings: ReconstructionSettings(realisations: 16))
        _ = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        return (store, path)
    }

    func lungSum(_ c: AnalysisCohort, _ child: String) -> Double {
        c.members.first { $0.id == child }?.exposures.reduce(0.0) { $0 + ($1.organDoses[.lungs]?.value ?? 0) } ?? .nan
    }

    @Test("by default a cardiac child's exposures are its procedures plus its dosed imaging exams, and the summary says what was summed", arguments: StoreKind.all)
    func defaultSumsAll(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try dosedStore()
        let all = try store.analysisCohort(storePath: path)
        let cardiac = try store.analysisCohort(storePath: path, exposures: [.cardiac])
        let exams = try store.backend.read { db in try db.fetch("SELECT lung_mgy FROM imaging_exam_organ_dose WHERE imaging_id IN (?, ?)", ["X1", "X2"].map { Fixture.keyed($0, "imaging_id").databaseValue }) }
        let imagingLung = exams.compactMap { $0.double(0) }.reduce(0, +) / 1000
        #expect(exams.count == 2 && imagingLung > 0)
        #expect(abs(lungSum(all, "NO/\(try pseudonym(store, "P1"))") - lungSum(cardiac, "NO/\(try pseudonym(store, "P1"))") - imagingLung) < 1e-9)
        #expect(all.doseDescription?.contains("exposures summed: cardiac, imaging, rt") == true)
        #expect(all.doseDescription?.contains("2 exams with organ doses summed") == true && all.doseDescription?.contains("2 not dosed") == true,
                "\(all.doseDescription ?? "")")
        #expect(cardiac.doseDescription?.contains("exposures summed: cardiac") == true && cardiac.doseDescription?.contains("imaging:") == false)
        // Entry is the first cardiac procedure whatever is summed.
        #expect(all.members.map(\.entry) == cardiac.members.map(\.entry))
    } }

    @Test("--exposures imaging keeps the cardiac procedures as entry at zero dose and sums only the imaging exams", arguments: StoreKind.all)
    func imagingOnly(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path) = try dosedStore()
        let imaging = try store.analysisCohort(storePath: path, exposures: [.imaging])
        let cardiac = try store.analysisCohort(storePath: path, exposures: [.cardiac])
        let all = try store.analysisCohort(storePath: path)
        let p1 = "NO/\(try pseudonym(store, "P1"))"
        #expect(abs(lungSum(imaging, p1) + lungSum(cardiac, p1) - lungSum(all, p1)) < 1e-9)
        #expect(imaging.members.count == cardiac.members.count)
        #expect(imaging.doseDescription?.contains("cardiac exposures define entry but are not summed") == true)
    } }

    @Test("child_exposure_organ_dose has one row per child and exposure type, and the types add up to the per-type tables", arguments: StoreKind.all)
    func perTypeRows(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, _) = try dosedStore()
        let rows = try store.backend.read { db in try db.fetch("SELECT exposure_type, SUM(lung_mgy), SUM(exposures) FROM child_exposure_organ_dose GROUP BY exposure_type ORDER BY exposure_type") }
        let (cardiac, imaging) = try store.backend.read { db in
            (try db.fetch("SELECT SUM(lung_mgy), COUNT(*) FROM procedure_organ_dose").first!, try db.fetch("SELECT SUM(lung_mgy), COUNT(*) FROM imaging_exam_organ_dose").first!)
        }
        #expect(rows.map { $0.string(0) } == ["cardiac", "imaging"])
        #expect(abs((rows[0].double(1) ?? 0) - (cardiac.double(0) ?? 0)) < 1e-6 && rows[0].int(2) == cardiac.int(1))
        #expect(abs((rows[1].double(1) ?? 0) - (imaging.double(0) ?? 0)) < 1e-6 && rows[1].int(2) == imaging.int(1))
    } }

    @Test("an unknown exposure type is refused with the value and the accepted list")
    func parseList() throws {
        #expect(try ExposureType.parseList("cardiac, imaging") == [.cardiac, .imaging])
        do { _ = try ExposureType.parseList("cardiac,ct"); Issue.record("accepted ct") } catch let e as InputError {
            #expect(e.description.contains("ct") && e.description.contains("cardiac, imaging, rt"))
        }
    }

    func pseudonym(_ store: RegistryStore, _ site: String) throws -> String {
        try store.backend.read { db in try db.fetch("SELECT patient_pseudonym FROM procedure_organ_dose WHERE site_procedure_id = ?", [Fixture.keyed(site == "P1" ? "C1" : "C2", "site_procedure_id").databaseValue]) }
            .first?.string(0) ?? ""
    }
}

@Suite("What dominates the cohort's dose: shares by exposure type and era")
struct ExposureSharesTests {
    @Test("collective fractions by type and era add up to 1 per cohort and organ, and each child's shares by type add up to at most 1", arguments: StoreKind.all)
    func sharesAddUp(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, _) = try ExposureSelectionTests().dosedStore()
        let s = try store.exposureShares()
        let groups = Dictionary(grouping: s.collective, by: { $0.cohort + "|" + $0.organ })
        #expect(!groups.isEmpty)
        for (k, rows) in groups { #expect(abs(rows.map(\.fraction).reduce(0, +) - 1) < 1e-9, "\(k)") }
        let imaging = s.collective.filter { $0.exposureType == "imaging" && $0.organ == "red_marrow" }
        let stored = try store.backend.read { db in try db.fetch("SELECT SUM(red_marrow_mgy) FROM imaging_exam_organ_dose") }.first?.double(0) ?? 0
        #expect(abs(imaging.map(\.collectiveMGy).reduce(0, +) - stored) < 1e-6 * max(stored, 1))
        #expect(s.childShares.allSatisfy { $0.median >= 0 && $0.median <= 1 && $0.p05 <= $0.p95 })
        #expect(s.text.contains("Fraction of the collective dose"))
    } }
}
