import Foundation
import RTDose

/// Loads one site folder of a synthetic extract (`harmonic synth`) as a site would: its CSV
/// tables through validated ingest, then, when synth wrote DICOM-RT for some of the folder's
/// courses (`dicom-rt/`, `harmonic synth --rt-dicom-fraction`), those files through
/// `ingest-dicom`, so that `harmonic rt dose --store S --dicom-rt EXTRACT` links them to their
/// courses. One loop for the demo, the benchmarks and the tests.
public enum SyntheticSiteFolderIngest {
    public struct Result: Sendable {
        public var tables: LoadReport
        /// nil when the folder has no `dicom-rt/`.
        public var dicom: DICOMIngest.Summary?
    }

    public static func load(_ folder: URL, store: RegistryStore, site: String, pseudonymiser: Pseudonymiser, user: String) throws -> Result {
        let fm = FileManager.default
        let files = try fm.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
            .map { folder.appendingPathComponent($0).path }
        let tables = try store.ingest(files: files, site: site, pseudonymiser: pseudonymiser, user: user)
        let dicomFolder = folder.appendingPathComponent(SyntheticRTDICOM.folderName)
        guard fm.fileExists(atPath: dicomFolder.path) else { return Result(tables: tables, dicom: nil) }
        let dicom = try DICOMIngest().run(DICOMIngest.files(in: dicomFolder), store: store, site: site, pseudonymiser: pseudonymiser, user: user)
        return Result(tables: tables, dicom: dicom)
    }
}
