import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
import RTDose
import Registry
@testable import Synthesis

@Suite("Synthetic DICOM-RT through ingest-dicom and rt dose --store: the dicom_rt tier against truth")
struct RTDICOMTierTests {
    @Test("courses with synthetic DICOM-RT are ingested, linked and reconstructed in the dicom_rt tier, with a median reconstructed/true near 1 by organ")
    func dicomTierAgainstTruth() throws {
        let config = SynthesisConfiguration(seed: 23, cardiacChildren: 0, radiotherapyChildren: 16, corruptFraction: 0)
        let (dir, summary) = try SynthFixture.make(config, name: "rt-dicom-tier")
        try SyntheticRTTruth.write(extract: dir, seed: config.seed)
        let written = try SyntheticRTDICOM.write(extract: dir, seed: config.seed, fraction: 0.5)
        #expect(written >= 4, "about half of 16 courses")

        let storeDir = try SharedData.temporaryDirectory("rt-dicom-tier-store")
        let path = storeDir.appendingPathComponent("store.sqlite").path
        let key = try Pseudonymiser(keyBytes: Array(repeating: 9, count: 32))
        let keys = Dictionary(summary.siteFolders.map { (String($0.prefix(2)), key) }, uniquingKeysWith: { a, _ in a })
        var rtObjects = 0
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let site = try RegistryStore(path: path, role: .dataManager(site: country))
            let d = dir.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: d.path).filter { $0.hasSuffix(".csv") }.map { d.appendingPathComponent($0).path }
            _ = try site.ingest(files: files, site: country, pseudonymiser: key, user: "test")
            let dicom = d.appendingPathComponent(SyntheticRTDICOM.folderName)
            guard FileManager.default.fileExists(atPath: dicom.path) else { continue }
            let loaded = try DICOMIngest().run(DICOMIngest.files(in: dicom), store: site, site: country, pseudonymiser: key, user: "test")
            #expect(loaded.problems.isEmpty, "\(loaded.problems)")
            rtObjects += loaded.rtObjects
        }
        #expect(rtObjects == 3 * written)
        let store = try RegistryStore(path: path, role: .analyst)
        let run = try RTDoseRun.run(store: store, storePath: path, settings: .init(realisations: 500, dicomFolder: dir.path, dicomKeys: keys))
        #expect(run.byTier["dicom_rt"] == written)
        #expect(run.byTier["course_record"] == 16 - written)
        let comparison = try RTDoseTruthComparison.compute(store: store, truthCSV: dir.appendingPathComponent("truth/\(SyntheticRTTruth.fileName)"), pseudonymisers: keys)
        let dicom = comparison.ratios.filter { $0.tier == "dicom_rt" }
        #expect(!dicom.isEmpty)
        // Stored doses are realisation means (lognormal errors of mean 1): 500 realisations keep
        // their sampling error near 3% even for neutrons (GSD 2).
        // Same fields, models and phantom as the truth: the DICOM-RT tier differs only by the 5 mm
        // grid, rasterised contours, the field edge taken as boxes around the 50% isodose (each
        // within half a voxel of a true field box) and the nearest grid voxel of placed organs.
        // Organs at a field edge are the most sensitive (a 5 mm voxel in a gradient of ~50%/cm; a
        // small breast bud is a few voxels). Bounds: a factor 1.33 on the median of each organ,
        // 10% on the median over organs.
        for r in dicom {
            #expect(r.median > 0.75 && r.median < 1.33, "\(r.organ): median reconstructed/true \(r.median) over \(r.n) dicom_rt courses")
        }
        let medians = dicom.map(\.median).sorted()
        #expect(abs(medians[medians.count / 2] - 1) < 0.10, "median over organs of the per-organ medians: \(medians)")
    }
}
