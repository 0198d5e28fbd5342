import ArgumentParser
import DICOM
import Foundation
import HarmonicCore
import Registry

/// `harmonic-bench ingest-dicom`: copies the DICOM samples N times with fresh UIDs (so every copy
/// is a new SOP instance with new events), loads their patients, then times `DICOMIngest` into an
/// on-disk store: files/s and peak memory.
struct DicomIngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-dicom",
        abstract: "ingest-dicom of many copies of the DICOM samples (unique UIDs) into an SQLite store: files/s and peak memory.")
    @Option(help: "Number of files to write into the temporary folder.") var files = 10_000
    @Option(help: "Folder with real RDSRs and samples (default: ../shared/data/dicom).") var data: String?
    @Option(help: "Folder with the generated vendor-style RDSRs.") var generated = "Tests/DICOMTests/Resources/generated"

    func run() throws {
        let roots = [URL(fileURLWithPath: data ?? dicomBenchSharedData("dicom")), URL(fileURLWithPath: generated)]
        let samples = roots.flatMap { DirectoryScan.files(in: $0) }.filter { $0.pathExtension == "dcm" }
        guard !samples.isEmpty else { throw ValidationError("no samples") }
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("harmonic-ingest-dicom-bench-\(getpid())")
        try fm.createDirectory(at: dir.appendingPathComponent("files"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: dir) }

        // Patients: every Patient ID of the dose reports, aged 8-16 at the samples' study dates (2016-2024).
        var ids = Set<String>()
        let sampleBytes: [[UInt8]] = try samples.map { url in
            let bytes = [UInt8](try Data(contentsOf: url))
            if let f = try? DICOMFile(bytes: bytes, name: url.path), let id = f.dataSet.string(.patientID), !id.isEmpty,
               f.dataSet.string(.sopClassUID) == RadiationDoseReport.sopClassUID { ids.insert(id) }
            return bytes
        }
        var csv = "site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date\n"
        for id in ids.sorted() { csv += "\(id),NO,F,2008-01-01,cardiac,none,alive,,2025-06-01,\n" }
        try csv.write(to: dir.appendingPathComponent("patients.csv"), atomically: true, encoding: .utf8)

        for i in 0..<files {
            let k = i % samples.count
            let bytes = Self.withFreshUIDs(sampleBytes[k], name: samples[k].path, copy: i / samples.count)
            try Data(bytes).write(to: dir.appendingPathComponent("files/\(String(format: "%06d", i))-\(samples[k].lastPathComponent)"))
        }
        let key = try Pseudonymiser(keyBytes: Array(repeating: 7, count: 32))
        let storePath = dir.appendingPathComponent("bench.sqlite").path
        let store = try RegistryStore(path: storePath, role: .dataManager(site: "NO"))
        _ = try store.ingest(files: [dir.appendingPathComponent("patients.csv").path], site: "NO", pseudonymiser: key, user: "bench")
        let urls = DICOMIngest.files(in: dir.appendingPathComponent("files"))
        let t0 = Date()
        let s = try DICOMIngest(procedureClassIfMissing: "interventional").run(urls, store: store, site: "NO", pseudonymiser: key, user: "bench")
        let dt = Date().timeIntervalSince(t0)
        print("files: \(urls.count) (\(samples.count) samples with fresh UIDs per copy), cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print(s.text(), terminator: "")
        print(String(format: "ingest-dicom: %.2f s (parse %.2f s, load %.2f s), %.0f files/s, %d problems listed, peak RSS %.0f MiB",
                     dt, s.parseSeconds, s.loadSeconds, Double(urls.count) / dt, s.problems.count, dicomPeakMemoryMiB()))
    }

    /// A copy of a file's bytes whose SOP Instance UIDs (0002,0003)/(0008,0018) and SR UID values
    /// (0040,A124: event UIDs) start with the copy number, so that each copy is a new object.
    /// Same length, so offsets stay valid; deflated files (their bytes are compressed) are copied as they are.
    static func withFreshUIDs(_ bytes: [UInt8], name: String, copy: Int) -> [UInt8] {
        guard copy > 0, let file = try? DICOMFile(bytes: bytes, name: name), file.transferSyntax != .deflatedExplicitLittle else { return bytes }
        var out = bytes
        let prefix = Array(String(format: "%06d", copy % 1_000_000).utf8)
        let tags: Set<Tag> = [Tag(0x0002_0003), .sopInstanceUID, Tag(0x0040_A124)]
        func patch(_ ds: DataSet) {
            for e in ds.elements {
                if let items = e.items { items.forEach(patch); continue }
                guard tags.contains(e.tag), e.length >= prefix.count + 2, e.valueOffset + e.length <= out.count else { continue }
                for (j, b) in prefix.enumerated() { out[e.valueOffset + j] = b }
            }
        }
        patch(file.meta); patch(file.dataSet)
        return out
    }
}
