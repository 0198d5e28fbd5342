import DICOM
import Foundation
import HarmonicCore
import Hummingbird
import Registry
import RTDose

/// RT plan organ doses for a clinician or analyst (the physicist's account), as a background job:
/// - `POST /api/rt/plan-doses?age=&sex=&height=&weight=&prescribedDose=`: a zip of one plan's RT
///   Plan, RT Dose and RT Structure Set (`application/zip` or `application/octet-stream`, any file
///   names: each file's Modality says what it is) goes through the upload checks (`ZipArchive`: no
///   climbing, links, bombs) and is read at once: a file that is not DICOM, a missing or repeated RT
///   object or a file the reader refuses (a RELATIVE dose grid) gets 400 naming the file and tag.
///   Then 202 and the job (`Location: /api/jobs/{id}`) that computes the organ doses; a plan the
///   calculation refuses fails the job with the reason (file and tag).
/// - `GET /api/rt/plan-doses/{id}`: byte for byte the JSON of `harmonic rt dose --plan RP --dose RD
///   --struct RS --age --sex --json` run in the zip's folder (file names relative to the zip, never
///   the server's paths); 409 while it runs, 422 when it failed; another user's id 404.
/// Only the organ-dose JSON is kept (`server_job_outputs`); the upload folder is removed when the
/// job ends. Audited.
struct PlanDoseRoute {
    let server: HarmonicServer

    func register(_ router: Router<ServerContext>) {
        let server = self.server
        router.post("/api/rt/plan-doses") { request, context -> Response in
            let session = try context.requireSession()
            guard session.role == .analyst || session.role.name == "clinician" else {
                throw await server.denied(session, request, target: "RT plan", what: "compute organ doses of an RT plan")
            }
            let patient = try Self.patient(request.uri.queryParameters)
            let prescribed = try request.uri.queryParameters["prescribedDose"].map { v -> Double in
                guard let d = Double(String(v)), d.isFinite, d > 0, d <= 200 else {
                    throw APIError(.badRequest, "prescribedDose=\(v) is not a dose of 0-200 Gy", fix: "give the prescribed dose in Gy, e.g. prescribedDose=36, or leave it out when the plan carries one")
                }
                return d
            }
            let contentType = (request.headers[.contentType] ?? "").lowercased()
            // application/octet-stream too: what many clients send for a file; the zip reader checks the bytes either way.
            guard ["application/zip", "application/x-zip", "application/octet-stream"].contains(where: { contentType.hasPrefix($0) }) else {
                throw APIError(.unsupportedMediaType, "Content-Type '\(contentType)' is not a zip", fix: "send the plan's RP, RD and RS files zipped, as application/zip")
            }
            let limit = server.maxUploadBytes
            if let declared = request.headers[.contentLength].flatMap(Int64.init), declared > limit {
                throw APIError(.contentTooLarge, "the upload is \(declared) bytes, more than the \(limit) accepted", fix: "send only the plan's three files")
            }
            let folder = server.uploadDirectory.appendingPathComponent(UUID().uuidString)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let upload = folder.appendingPathComponent("plan.zip")
            try await UploadRoute.stream(request.body, to: upload, limit: limit)
            let archive: ZipArchive
            do { archive = try ZipArchive(path: upload.path, limits: server.zipLimits) } catch let e as ZipError {
                await server.audit(session, request, target: "RT plan", outcome: "refused")
                throw APIError(.badRequest, "the zip was refused: \(e)", fix: "zip the three files with plain relative names (no links, no '..', no password)")
            }
            let files = folder.appendingPathComponent("files")
            let prefix = files.path + "/"
            let planFiles: PlanFiles
            do {
                // Reading the files is quick and refuses bad ones at once (400 naming file and tag);
                // the calculation (seconds) runs as the job.
                planFiles = try await HarmonicServer.blocking { () throws -> PlanFiles in
                    let entries = try archive.extract(to: files).filter { !$0.lastPathComponent.hasPrefix(".") && !$0.path.contains("__MACOSX") }
                    let (plan, dose, structures) = try Self.classify(entries, prefix: prefix)
                    return try PlanFiles(plan: plan, dose: dose, structures: structures)
                }
            } catch {
                try? FileManager.default.removeItem(at: folder)
                await server.audit(session, request, target: "RT plan", outcome: "refused")
                throw (error as? APIError) ?? APIError(.badRequest, "\(error)".replacingOccurrences(of: prefix, with: ""), fix: Self.fix)
            }
            let jobs = server.jobs, records = server.store, user = session.account.name
            let job = try await HarmonicServer.blocking { try jobs.create(kind: "rt-plan", user: user, site: nil) }
            jobs.run(job.id) {
                defer { try? FileManager.default.removeItem(at: folder) }
                jobs.progress(job.id, 0.1, "computing the organ doses of \(planFiles.radiation.rawValue) \(planFiles.technique.rawValue) plan")
                var options = PlanDoseOptions()
                options.prescribedDoseGy = prescribed
                let result: PlanDoseResult
                do { result = try PlanDoseCalculation.run(planFiles, patient: patient, options: options) } catch {
                    throw PlanDoseRefusal(text: "\(error)".replacingOccurrences(of: prefix, with: ""))
                }
                let json = result.json.replacingOccurrences(of: prefix, with: "") + "\n"
                try records.saveJobOutput(jobID: job.id, JobOutput(json: json))
                try? records.audit(user: user, action: "rt plan job \(job.id)", target: "RT plan: \(result.organs.count) organs", outcome: "ok")
                return ("done: \(result.organs.count) organs", JobResult(planDoses: PlanDoseJobResult(json: "/api/rt/plan-doses/\(job.id)", organs: result.organs.count)))
            }
            await server.audit(session, request, target: "RT plan: job \(job.id)", outcome: "ok")
            return JobAnswer.accepted(jobs, job)
        }
        router.get("/api/rt/plan-doses/{id}") { request, context -> Response in
            let session = try context.requireSession()
            guard session.role == .analyst || session.role.name == "clinician" else {
                throw await server.denied(session, request, target: "RT plan", what: "read organ doses of an RT plan")
            }
            let id = try context.parameters.require("id")
            let output = try await JobAnswer.output(server, id: id, user: session.account.name, Self.wording)
            await server.audit(session, request, target: "RT plan: organ doses of job \(id)", outcome: "ok")
            return JSON.response(Data(output.json.utf8))
        }
    }

    static let fix = "send the RT Plan, RT Dose (absolute, in Gy) and RT Structure Set of one external photon or proton plan, as exported by the planning system"
    static let wording = JobAnswer.Wording(kind: "rt-plan", noun: "RT plan calculation", start: "POST /api/rt/plan-doses", failedFix: fix)

    /// The age, sex and optional height and weight of the child, or a 400 naming the parameter.
    static func patient(_ q: Parameters) throws -> PatientDescription {
        func number(_ name: String, _ range: ClosedRange<Double>, _ what: String) throws -> Double? {
            guard let v = q[name[...]].map(String.init) else { return nil }
            guard let d = Double(v), range.contains(d) else { throw APIError(.badRequest, "\(name)=\(v) is not \(what)", fix: "give \(name) as \(what)") }
            return d
        }
        guard let age = try number("age", 0...119.99, "an age of 0-120 years") else { throw APIError(.badRequest, "age is missing", fix: "give age=YEARS (0-120)") }
        let sexText = q["sex"].map(String.init) ?? ""
        guard let sex = Sex(code: sexText) else { throw APIError(.badRequest, "sex=\(sexText) is not F or M", fix: "give sex=F or sex=M") }
        let height = try number("height", 30...230, "a height of 30-230 cm"), weight = try number("weight", 1...200, "a weight of 1-200 kg")
        guard (height == nil) == (weight == nil) else { throw APIError(.badRequest, "height and weight go together", fix: "give both height and weight, or neither") }
        return PatientDescription(ageYears: age, sex: sex, heightCm: height, massKg: weight)
    }

    /// The RT Plan, RT Dose and RT Structure Set among the zip's files, by their Modality (0008,0060).
    static func classify(_ files: [URL], prefix: String) throws -> (URL, URL, URL) {
        var found: [String: [URL]] = [:]
        for f in files {
            let modality: String?
            do { modality = try DICOMFile(contentsOf: f).dataSet.string(Tag(0x0008_0060)) } catch {
                throw APIError(.badRequest, "\(f.path.replacingOccurrences(of: prefix, with: "")) is not a DICOM file the reader accepts: \("\(error)".replacingOccurrences(of: prefix, with: ""))",
                               fix: "zip only the plan's RT Plan, RT Dose and RT Structure Set files")
            }
            found[modality ?? "(none)", default: []].append(f)
        }
        func one(_ m: String, _ what: String) throws -> URL {
            let names = (found[m] ?? []).map { $0.path.replacingOccurrences(of: prefix, with: "") }
            guard names.count == 1, let url = found[m]?.first else {
                throw APIError(.badRequest, names.isEmpty ? "the zip holds no \(what) (Modality (0008,0060) \(m))" : "the zip holds \(names.count) \(what) files: \(names.joined(separator: ", "))",
                               fix: "zip exactly one RT Plan (RTPLAN), one RT Dose (RTDOSE) and one RT Structure Set (RTSTRUCT) of the same plan")
            }
            return url
        }
        return (try one("RTPLAN", "RT Plan"), try one("RTDOSE", "RT Dose"), try one("RTSTRUCT", "RT Structure Set"))
    }
}

/// Where a finished RT plan job's organ doses are, and how many organs.
public struct PlanDoseJobResult: Sendable, Codable {
    /// `GET` this for the JSON of `harmonic rt dose --json`.
    public var json: String
    public var organs: Int
}

/// A plan the calculation refused, with the server's paths removed from the reason.
struct PlanDoseRefusal: Error, CustomStringConvertible { let text: String; var description: String { text } }
