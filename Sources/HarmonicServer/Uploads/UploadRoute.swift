import Foundation
import HTTPTypes
import Hummingbird
import Registry

/// `POST /api/sites/{site}/uploads`: a data manager of the site sends one CSV extract file
/// (`Content-Type: text/csv`, `?name=patients.csv`) or a zipped folder of CSV and DICOM files
/// (`Content-Type: application/zip`) as the raw body. The body is streamed to disk up to
/// `HarmonicServer.maxUploadBytes` (413 past it), a zip's entries are checked before anything
/// is extracted (`ZipArchive`: path traversal, absolute paths, links, zip bombs: 400), and the
/// ingest runs as a background job: 202 with the job, to follow at `GET /api/jobs/{id}`.
struct UploadRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/sites/{site}/uploads") { request, context -> Response in
            let session = try context.requireSession()
            let site = try context.site()
            guard session.role == .dataManager(site: site) else {
                throw await server.denied(session, request, target: "site \(site)", what: "upload data for site \(site)")
            }
            let pseudonymiser = try server.siteKeys.pseudonymiser(for: site)
            let contentType = (request.headers[.contentType] ?? "").lowercased()
            let isZip = contentType.hasPrefix("application/zip") || contentType.hasPrefix("application/x-zip")
            let fileName: String
            if isZip {
                fileName = "upload.zip"
            } else if contentType.hasPrefix("text/csv") {
                let name = request.uri.queryParameters["name"].map(String.init) ?? ""
                let table = name.lowercased().hasSuffix(".csv") ? String(name.dropLast(4)).lowercased() : ""
                guard DataDictionary.table(named: table) != nil else {
                    throw APIError(.badRequest, "query parameter name='\(name)' is not a dictionary table's file name",
                                   fix: "name the CSV after its table: ?name=" + DataDictionary.tables.map { $0.name + ".csv" }.joined(separator: " or ?name="))
                }
                fileName = table + ".csv"
            } else {
                throw APIError(.unsupportedMediaType, "Content-Type '\(contentType)' is not an upload this server reads",
                               fix: "send one CSV file as text/csv with ?name=TABLE.csv, or a zipped folder of CSV and DICOM files as application/zip")
            }
            let limit = server.maxUploadBytes
            if let declared = request.headers[.contentLength].flatMap(Int64.init), declared > limit {
                await server.audit(session, request, target: "site \(site): \(declared) bytes", outcome: "too large")
                throw APIError(.contentTooLarge, "the upload is \(declared) bytes, more than the \(limit) accepted",
                               fix: "split the extract into several uploads under \(limit / (1 << 20)) MiB each")
            }
            let folder = server.uploadDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let upload = folder.appendingPathComponent(fileName)
            var archive: ZipArchive?
            do {
                try await Self.stream(request.body, to: upload, limit: limit)
                if isZip {
                    do { archive = try ZipArchive(path: upload.path, limits: server.zipLimits) } catch let e as ZipError {
                        throw APIError(.badRequest, "the zip upload was refused, nothing was stored: \(e)",
                                       fix: "zip the extract folder itself with plain relative paths (no links, no '..', no absolute paths, no password)")
                    }
                }
            } catch {
                try? FileManager.default.removeItem(at: folder)
                let outcome = (error as? APIError)?.status == .contentTooLarge ? "too large" : "refused"
                await server.audit(session, request, target: "site \(site)", outcome: outcome)
                throw error
            }
            let jobs = server.jobs, user = session.account.name
            let job = try await HarmonicServer.blocking { try jobs.create(kind: "ingest", user: user, site: site) }
            let ingest = IngestJob(id: job.id, jobs: server.jobs, store: try server.store.opened(as: session.role), site: site,
                                   user: session.account.name, pseudonymiser: pseudonymiser, folder: folder, upload: upload, archive: archive)
            server.jobs.run(job.id) { try ingest.run() }
            await server.audit(session, request, target: "site \(site): job \(job.id)", outcome: "ok")
            return JobAnswer.accepted(jobs, job)
        }
    }

    /// Writes the request body to `file` as it arrives; past `limit` bytes, stops and throws 413.
    static func stream(_ body: RequestBody, to file: URL, limit: Int64) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let out = FileHandle(forWritingAtPath: file.path) else {
            throw APIError(.internalServerError, "the server cannot write its upload folder", fix: "tell the server's operator (disk full or permissions)")
        }
        defer { try? out.close() }
        var written: Int64 = 0
        for try await buffer in body {
            written += Int64(buffer.readableBytes)
            guard written <= limit else {
                throw APIError(.contentTooLarge, "the upload is more than the \(limit) bytes accepted",
                               fix: "split the extract into several uploads under \(limit / (1 << 20)) MiB each")
            }
            try out.write(contentsOf: buffer.readableBytesView)
        }
        guard written > 0 else { throw APIError(.badRequest, "the upload is empty", fix: "send the file as the request body") }
    }
}
