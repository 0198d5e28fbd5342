import ArgumentParser
import DICOM
import Foundation
import HarmonicCore
import Registry

/// `harmonic ingest-dicom`: dose reports and RT objects of a folder into the registry store.
struct IngestDicomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest-dicom",
        abstract: "Load a folder of DICOM files (radiation dose reports, RT plan/dose/structure sets) into the registry.",
        discussion: """
        Walks DIR recursively and recognises each file by its SOP class:
          X-Ray Radiation Dose SR   -> one cardiac_procedures row (totals: KAP, reference air kerma, \
        fluoroscopy time, equipment; dose_record_level = event) keyed by the report's SOP Instance UID, \
        and its irradiation_events rows (one per TID 10003 event)
          RT Plan / Dose / Structure Set -> a record in the dicom_objects table for the radiotherapy courses
          images                    -> counted and ignored
        The DICOM Patient ID is pseudonymised with the site key exactly as the CSV site_patient_id, so a \
        report links to the child loaded from patients.csv; a report whose child is not in the store is \
        listed (a DICOM header lacks the patient fields the registry requires). Patient names and other \
        header identifiers are never stored. Unreadable, unknown or inconsistent files (e.g. event KAPs \
        that do not add up to the stated total within 5 %) are listed with the reason and the run goes on. \
        Loading the same folder again changes nothing.

        Example:
          harmonic ingest extract/ --store no.sqlite --site-key-file no.key --site NO
          harmonic ingest-dicom /data/no/rdsr --site NO --key no.key --store no.sqlite

        Exit codes: 0 every file loaded or ignored, 3 finished with files listed, 1 failure (store, key).
        """)

    @Argument(help: "Folder to walk recursively.")
    var directory: String

    @Option(help: "Site (country code: BE, DE, DK, ES, FR, IT, NO, UK).")
    var site: String

    @Option(name: .customLong("key"), help: "File holding the site's secret pseudonymisation key (the one used for the CSV extract).")
    var keyFile: String

    @Option(help: "The SQLite store (created if missing).")
    var store: String = "harmonic.sqlite"

    @Option(help: "Hospital code for the procedures (default: the Institution Name of each report).")
    var hospital: String?

    @Option(help: "procedure_class (diagnostic or interventional) for reports without a Has Intent modifier; without it they are listed.")
    var procedureClassIfMissing: String?

    @Option(help: "Write the listed files and reasons to this CSV file.")
    var problems: String?

    @Flag(help: "Print the summary (counts, problems and notes by file, seconds) as JSON instead of text.")
    var json = false

    @Option(help: "Who is loading (recorded in the audit table).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    func run() throws {
        if let c = procedureClassIfMissing, !["diagnostic", "interventional"].contains(c) {
            throw ValidationError("--procedure-class-if-missing must be diagnostic or interventional")
        }
        guard Country(code: site) != nil else { throw ValidationError("--site must be one of \(Country.allCases.map(\.rawValue).joined(separator: ", "))") }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("\(directory): not a folder")
        }
        let summary: DICOMIngest.Summary
        let started = Date()
        do {
            let pseudonymiser = try Pseudonymiser(keyFile: keyFile)
            let registry = try RegistryStore(path: store, role: .dataManager(site: site.uppercased()))
            let urls = DirectoryScan.files(in: URL(fileURLWithPath: directory))
            note("ingest-dicom: \(urls.count) files in \(directory)")
            let bar = ProgressBar("ingest-dicom")
            summary = try DICOMIngest(hospital: hospital, procedureClassIfMissing: procedureClassIfMissing).run(urls, store: registry, site: site, pseudonymiser: pseudonymiser, user: user) { done, total in
                bar.update(total == 0 ? 1 : Double(done) / Double(total))
            }
        } catch {
            note("ingest-dicom failed: \(error)")
            throw ExitCode(1)
        }
        if json {
            print(try jsonString(summary))
            if let problems { try writeProblems(summary, to: problems) }
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
            return
        }
        print(summary.text(), terminator: "")
        for p in summary.problems.prefix(30) { print("  \(p.file): \(p.reason)") }
        if summary.problems.count > 30 { print("  ... \(summary.problems.count - 30) more\(problems == nil ? " (write them all with --problems FILE)" : "")") }
        for n in summary.notes.prefix(10) { print("  note \(n.file): \(n.reason)") }
        if summary.notes.count > 10 { print("  ... \(summary.notes.count - 10) more notes") }
        if let problems { try writeProblems(summary, to: problems) }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "%.1f s (%.0f files/s)", seconds, Double(summary.files) / max(seconds, 1e-9)))
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// `--problems FILE`: every listed file and note with its reason, as CSV.
    private func writeProblems(_ summary: DICOMIngest.Summary, to path: String) throws {
        func q(_ s: String) -> String { "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
        let csv = "file,kind,reason\n" + summary.problems.map { q($0.file) + ",problem," + q($0.reason) + "\n" }.joined()
            + summary.notes.map { q($0.file) + ",note," + q($0.reason) + "\n" }.joined()
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
