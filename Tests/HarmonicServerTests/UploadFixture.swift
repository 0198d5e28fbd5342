import Foundation
import HarmonicServer
import HarmonicTestSupport
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// Uploads in tests: the fixture's site keys, zip files made by Python's `zipfile` (an
/// independent writer, so the server's reader is not tested against itself), and job polling.
enum UploadFixture {
    /// The keys the fixture store was loaded with (NO: 32 × 7, FR: 32 × 9).
    static let siteKeys = SiteKeys(keys: ["NO": try! Pseudonymiser(keyBytes: Array(repeating: 7, count: 32)),
                                          "FR": try! Pseudonymiser(keyBytes: Array(repeating: 9, count: 32))])

    static let patientsHeader = "site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date\n"

    /// The fixture's own two children of `site` (reloading them changes nothing).
    static func fixtureCSV(_ site: String) -> String {
        patientsHeader + "P1,\(site),M,2001-03-04,cardiac,none,alive,,2020-12-31,\nP2,\(site),F,1995-06-01,cardiac,none,alive,,2010-05-01,\n"
    }

    /// A server with site keys on `store` (default: a new store with the fixture's children and `accounts`).
    static func server(store: RegistryStore, maxUploadBytes: Int64 = 64 << 20,
                       zipLimits: ZipArchive.Limits = ZipArchive.Limits()) throws -> HarmonicServer {
        try HarmonicServer(store: store, siteKeys: siteKeys, maxUploadBytes: maxUploadBytes, zipLimits: zipLimits)
    }

    /// A zip written by Python: each entry (name, text, mode) with mode "deflate", "stored" or "symlink".
    static func zip(_ entries: [(String, String, String)]) throws -> ByteBuffer {
        let dir = try SharedData.temporaryDirectory("upload-zip")
        let spec = dir.appendingPathComponent("spec.json"), out = dir.appendingPathComponent("a.zip")
        try JSONSerialization.data(withJSONObject: entries.map { [$0.0, $0.1, $0.2] }).write(to: spec)
        try PeerTool.python("""
        import json, sys, zipfile
        entries = json.load(open(sys.argv[1]))
        with zipfile.ZipFile(sys.argv[2], "w") as z:
            for name, text, mode in entries:
                info = zipfile.ZipInfo(name)
                if mode == "symlink":
                    info.create_system = 3
                    info.external_attr = (0o120777 << 16)
                    z.writestr(info, text)
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED if mode == "deflate" else zipfile.ZIP_STORED
                    z.writestr(info, text)
        """, arguments: [spec.path, out.path])
        return ByteBuffer(bytes: try Data(contentsOf: out))
    }

    /// A zip bomb: `megabytes` MiB of zeros deflated into one entry (about 1000:1).
    static func zipBomb(megabytes: Int) throws -> ByteBuffer {
        let out = try SharedData.temporaryDirectory("upload-bomb").appendingPathComponent("bomb.zip")
        try PeerTool.python("""
        import sys, zipfile
        with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr("patients.csv", b"\\0" * (\(megabytes) << 20))
        """, arguments: [out.path])
        return ByteBuffer(bytes: try Data(contentsOf: out))
    }
}

extension TestClientProtocol {
    /// Uploads `body` for `site` and returns the response's status, JSON and job id (if any).
    func upload(_ s: SignedIn, site: String, body: ByteBuffer, contentType: String = "text/csv", name: String? = "patients.csv")
        async throws -> (status: HTTPResponse.Status, json: [String: Any], job: String?) {
        let uri = "/api/sites/\(site)/uploads" + (contentType.hasPrefix("text/csv") ? name.map { "?name=\($0)" } ?? "" : "")
        return try await execute(uri: uri, method: .post,
                                 headers: [.cookie: s.cookie, HTTPField.Name("X-CSRF-Token")!: s.csrf, .contentType: contentType], body: body) { r in
            let j = jsonObject(r.body)
            return (r.status, j, j["id"] as? String)
        }
    }

    /// Polls `GET /api/jobs/{id}` until the job has finished (at most `seconds`) and returns its JSON.
    func finishedJob(_ s: SignedIn, _ id: String, seconds: Double = 60) async throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let j = try await execute(uri: "/api/jobs/\(id)", method: .get, headers: s.headers) { r in
                #expect(r.status == .ok, "job \(id): \(String(buffer: r.body))")
                return jsonObject(r.body)
            }
            let state = j["state"] as? String ?? ""
            if state == "succeeded" || state == "failed" || state == "interrupted" { return j }
            if Date() > deadline { Issue.record("job \(id) still \(state) after \(seconds) s"); return j }
            try await Task.sleep(nanoseconds: 50_000_000)
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    /// `result.ingest` of a job's JSON.
    var ingest: [String: Any] { ((self["result"] as? [String: Any])?["ingest"] as? [String: Any]) ?? [:] }
}
