import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
import Dosimetry
import Epidemiology
@testable import Registry

/// TEST FIXTURE, not product code: a constant cardiac coefficient source (1 mGy per Gy·cm², 0.5 mSv effective).
private struct UnitCoefficients: OrganDoseCoefficientSource {
    func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients {
        OrganDoseCoefficients(perKAP: [Double](repeating: 1, count: Organ.allCases.count), effectiveDosePerKAP: 0.5)
    }
}

@Suite("MCML over summed exposure types: cardiac and imaging realisations read together")
struct SummedDoseRealisationsTests {
    func doneStore(imagingRealisations: Int = 64) throws -> (RegistryStore, String, DoseRun.Summary, ImagingDoseRun.Summary) {
        let dir = try SharedData.temporaryDirectory("summed-realisations")
        let path = dir.appendingPathComponent("store.sqlite").path
        let manager = StoreKind.current == .sqlite ? try RegistryStore(path: path, role: .dataManager(site: "NO")) : try Fixture.store()
        try Fixture.load(manager, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures, "irradiation_events": Fixture.events,
                                   "diagnostic_imaging": ImagingDoseRunTests.diagnostic])
        let store = try manager.opened(as: .analyst)
        let cardiac = try DoseRun.run(store: store, storePath: path, source: UnitCoefficients(), settings: ReconstructionSettings(realisations: 64))
        let imaging = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: imagingRealisations))
        return (store, path, cardiac, imaging)
    }

    @Test("with cardiac and imaging exposures summed, every exposure's realisations come from its own type's file and average to its stored mean dose",
          arguments: StoreKind.all)
    func bothTypes(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (store, path, cardiac, imaging) = try doneStore()
        let cohort = try store.analysisCohort(storePath: path, exposures: [.cardiac, .imaging])
        let source = try SummedDoseRealisations(cardiac: try StoreDoseRealisations(path: cardiac.realisationFile),
                                                imaging: try StoreImagingDoseRealisations(path: imaging.realisationFile))
        let matrix = try source.realisations(of: .redMarrow, for: cohort.members)
        let exposures = cohort.members.flatMap(\.exposures)
        let imagingKeys = exposures.compactMap(\.key).filter { $0.contains("/diagnostic_imaging/") }
        #expect(!imagingKeys.isEmpty && imagingKeys.count < exposures.count, "both types present: \(exposures.compactMap(\.key))")
        #expect(matrix.realisationCount == 64)
        var spread = false
        for (e, x) in exposures.enumerated() {
            guard let stored = x.organDoses[.redMarrow]?.value else { continue }
            let draws = (0 ..< 64).map { Double(matrix.dose(exposure: e, realisation: $0)) }
            let mean = draws.reduce(0, +) / 64
            // float16 keeps 11 significant bits (docs/dose-realisations.md); the store holds the realisations' mean.
            #expect(abs(mean / stored - 1) < 0.003, "exposure \(x.key ?? "?"): realisation mean \(mean) Gy, stored \(stored) Gy")
            if x.key?.contains("/diagnostic_imaging/") == true, (draws.max()! / draws.min()!) > 1.2 { spread = true }
        }
        #expect(spread, "imaging exposures carry their model's spread, not a constant")
    } }

    @Test("files with different numbers of realisations are refused, naming the file and both counts", arguments: StoreKind.all)
    func mismatchedCounts(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let (_, _, cardiac, imaging) = try doneStore(imagingRealisations: 32)
        #expect { try SummedDoseRealisations(cardiac: try StoreDoseRealisations(path: cardiac.realisationFile),
                                             imaging: try StoreImagingDoseRealisations(path: imaging.realisationFile)) } throws: {
            "\($0)".contains("32") && "\($0)".contains("64") && "\($0)".contains("imaging-realisations")
        }
    } }

    @Test("an imaging index that is not the imaging run's is refused with its header")
    func badIndex() throws {
        let dir = try SharedData.temporaryDirectory("summed-realisations-bad")
        let (_, _, _, imaging) = try StoreKind.$current.withValue(.sqlite) { try doneStore() }
        let copy = dir.appendingPathComponent("x.imaging-realisations").path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: imaging.realisationFile, toPath: copy)
        try "row,site,site_procedure_id\n0,NO,X1\n".write(toFile: ImagingDoseRun.indexPath(realisationFile: copy), atomically: true, encoding: .utf8)
        #expect { try StoreImagingDoseRealisations(path: copy) } throws: { "\($0)".contains("header") && "\($0)".contains("site_procedure_id") }
    }
}
