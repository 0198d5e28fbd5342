import DICOM
import Foundation
import HarmonicCore
import Hummingbird
import Registry
import RTDose

/// `POST /api/rt/plan-doses?age=&sex=&height=&weight=&prescribedDose=`: a clinician or analyst
/// (the physicist's account) sends a zip of one plan's RT Plan, RT Dose and RT Structure Set
/// (`application/zip` or `application/octet-stream`, any file names: each file's Modality says what it is) and gets the organ
/// doses, byte for byte the JSON of `harmonic rt dose --plan RP --dose RD --struct RS --age --sex
/// --json` run in the zip's folder (file names relative to the zip, never the server's paths).
/// The zip goes through the upload checks (`ZipArchive`: no climbing, links, bombs); a file that is
/// not DICOM, a missing or repeated RT object, or a plan the calculation refuses gets 400 naming the
/// file and tag. Nothing is stored; the upload folder is removed. Audited.
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
            do {
                let json = try await HarmonicServer.blocking { () throws -> String in
                    let entries = try archive.extract(to: files).filter { !$0.lastPathComponent.hasPrefix(".") && !$0.path.contains("__MACOSX") }
                    let (plan, dose, structures) = try Self.classify(entries, prefix: prefix)
                    var options = PlanDoseOptions()
                    options.prescribedDoseGy = prescribed
                    let result = try PlanDoseCalculation.run(try PlanFiles(plan: plan, dose: dose, structures: structures), patient: patient, options: options)
                    return result.json.replacingOccurrences(of: prefix, with: "") + "\n"
                }
                await server.audit(session, request, target: "RT plan: organ doses", outcome: "ok")
                return JSON.response(Data(json.utf8))
            } catch let e as APIError {
                await server.audit(session, request, target: "RT plan", outcome: "refused")
                throw e
            } catch {
                await server.audit(session, request, target: "RT plan", outcome: "refused")
                throw APIError(.badRequest, "\(error)".replacingOccurrences(of: prefix, with: ""),
                               fix: "send the RT Plan, RT Dose (absolute, in Gy) and RT Structure Set of one external photon or proton plan, as exported by the planning system")
            }
        }
    }

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
