import Foundation
import Registry

/// What an upload's ingest did: the load report of its CSV files and the summary of its DICOM files.
public struct IngestJobResult: Sendable, Codable {
    public var loadID: Int64?
    public var files: [FileLoadResult] = []
    public var accepted = 0
    public var rejected = 0
    /// Rejected rows (the first `maxProblems`; `problemCount` says how many in all).
    public var problems: [QuarantineEntry] = []
    public var problemCount = 0
    public var dicom: DICOMIngest.Summary?
    /// Entries skipped (folders' metadata such as `__MACOSX/` and dot files).
    public var skipped: [String] = []
    static let maxProblems = 1000
}

/// The background part of an upload: extract the archive (if it is one), load its CSV files with
/// `RegistryStore.ingest` and its other files with `DICOMIngest`, as the uploading data manager,
/// reporting progress to the job. The upload folder is removed afterwards whatever happens (it
/// holds the site's own ids, which the store never keeps).
struct IngestJob: Sendable {
    let id: String
    let jobs: JobStore
    let store: RegistryStore
    let site: String
    let user: String
    let pseudonymiser: Pseudonymiser
    let folder: URL
    let upload: URL
    let archive: ZipArchive?

    func run() throws -> (String, JobResult?) {
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [URL]
        var result = IngestJobResult()
        if let archive {
            jobs.progress(id, 0, "extracting \(archive.entries.count) entries")
            let target = folder.appendingPathComponent("extract")
            files = try archive.extract(to: target) { done, total in jobs.progress(id, 0.1 * Double(done) / Double(max(total, 1))) }
            try? FileManager.default.removeItem(at: upload)
            let root = target.standardizedFileURL.path + "/"
            func relative(_ u: URL) -> String { String(u.standardizedFileURL.path.dropFirst(root.count)) }
            let (kept, skipped) = files.reduce(into: ([URL](), [String]())) { acc, u in
                let r = relative(u)
                if r.hasPrefix("__MACOSX/") || u.lastPathComponent.hasPrefix(".") { acc.1.append(r) } else { acc.0.append(u) }
            }
            files = kept; result.skipped = skipped
        } else {
            files = [upload]
        }
        let csv = files.filter { $0.pathExtension.lowercased() == "csv" }.sorted { $0.path < $1.path }
        let dicom = files.filter { $0.pathExtension.lowercased() != "csv" }.sorted { $0.path < $1.path }
        let csvShare = dicom.isEmpty ? 0.9 : csv.isEmpty ? 0 : 0.45
        if !csv.isEmpty {
            jobs.progress(id, 0.1, "loading \(csv.count) CSV file\(csv.count == 1 ? "" : "s")")
            let report = try store.ingest(files: csv.map(\.path), site: site, pseudonymiser: pseudonymiser, user: user,
                                          progress: { jobs.progress(id, 0.1, $0.replacingOccurrences(of: folder.path + "/extract/", with: "").replacingOccurrences(of: folder.path + "/", with: "")) },
                                          byteProgress: { jobs.progress(id, 0.1 + csvShare * $0.totalFraction) })
            result.loadID = report.loadID
            result.files = report.files.map { var f = $0; f.file = Self.strip(f.file, folder); f.message = Self.strip(f.message, folder); return f }
            result.accepted = report.accepted; result.rejected = report.rejected
            result.problemCount = report.problems.count
            result.problems = report.problems.prefix(IngestJobResult.maxProblems).map {
                QuarantineEntry(site: $0.site, table: $0.table, rowKey: $0.rowKey, file: Self.strip($0.file, folder), line: $0.line,
                                field: $0.field, value: $0.value, reason: $0.reason)
            }
        }
        if !dicom.isEmpty {
            jobs.progress(id, 0.1 + csvShare, "reading \(dicom.count) DICOM file\(dicom.count == 1 ? "" : "s")")
            var summary = try DICOMIngest().run(dicom, store: store, site: site, pseudonymiser: pseudonymiser, user: user) { done, total in
                jobs.progress(id, 0.1 + csvShare + (0.9 - csvShare) * Double(done) / Double(max(total, 1)))
            }
            summary.problems = summary.problems.map { .init(file: Self.strip($0.file, folder), reason: Self.strip($0.reason, folder)) }
            summary.notes = summary.notes.map { .init(file: Self.strip($0.file, folder), reason: Self.strip($0.reason, folder)) }
            result.dicom = summary
        }
        if csv.isEmpty && dicom.isEmpty { throw ZipError(entry: nil, problem: "holds no CSV or DICOM file") }
        let refused = result.files.filter { $0.status != "loaded" }.count
        let message = "done: \(result.accepted) rows accepted, \(result.rejected) quarantined"
            + (refused > 0 ? ", \(refused) file\(refused == 1 ? "" : "s") refused whole" : "")
            + (result.dicom.map { ", \($0.doseReports) dose reports, \($0.rtObjects) RT objects, \($0.problems.count) DICOM problems" } ?? "")
        try? store.audit(user: user, action: "ingest job \(id)", target: "site \(site)", outcome: refused > 0 ? "refused files" : "ok")
        return (message, JobResult(ingest: result))
    }

    /// The path inside the upload, without the server's folder (paths name the uploader's files only).
    static func strip(_ text: String, _ folder: URL) -> String {
        text.replacingOccurrences(of: folder.path + "/extract/", with: "").replacingOccurrences(of: folder.path + "/", with: "")
    }
}
