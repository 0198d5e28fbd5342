import Foundation
import HarmonicServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// Uploads, their background ingest jobs, and the quarantine they leave.
@Suite("Server: uploads, ingest jobs and quarantine")
struct UploadRouteTests {
    static func patients(_ store: RegistryStore) throws -> Int { try store.opened(as: .analyst).count("patients") }

    /// Expected status of POST /api/sites/{site}/uploads by account and site: only the site's own data manager.
    static let uploadAccess: [(user: String, site: String, status: Int)] = [
        ("ada", "NO", 403), ("kari", "NO", 202), ("kari", "FR", 403), ("marie", "FR", 202), ("marie", "NO", 403),
        ("ana", "NO", 403), ("nils", "NO", 403), ("aud", "FR", 403),
    ]

    @Test("only a site's own data manager may upload for it; every other role and site gets 403 and nothing is stored",
          arguments: uploadAccess.map { "\($0.user) \($0.site) \($0.status)" })
    func uploadByRole(_ row: String) async throws {
        let p = row.split(separator: " ").map(String.init)
        let (user, site, code) = (p[0], p[1], Int(p[2])!)
        // The fixture's own rows: an allowed upload reloads them unchanged, so the shared store stays as it was.
        let before = try Self.patients(ServerFixture.store)
        try await ServerFixture.app(try UploadFixture.server(store: ServerFixture.store)).test(.router) { client in
            let s = try await client.signIn(user)
            let r = try await client.upload(s, site: site, body: ByteBuffer(string: UploadFixture.fixtureCSV(site)))
            #expect(r.status.code == code, "\(user) on \(site): \(r.json)")
            if code == 202 {
                let job = try await client.finishedJob(s, try #require(r.job))
                #expect(job["state"] as? String == "succeeded", "\(job)")
                #expect(job.ingest["accepted"] as? Int == 2 && job.ingest["rejected"] as? Int == 0)
            } else {
                #expect(r.job == nil && r.json["error"] is String && r.json["fix"] is String)
            }
        }
        #expect(try Self.patients(ServerFixture.store) == before)
    }

    @Test("an upload without a session gets 401")
    func uploadNeedsSession() async throws {
        try await ServerFixture.app(try UploadFixture.server(store: ServerFixture.store)).test(.router) { client in
            try await client.execute(uri: "/api/sites/NO/uploads?name=patients.csv", method: .post, headers: [.contentType: "text/csv"],
                                     body: ByteBuffer(string: UploadFixture.fixtureCSV("NO"))) { r in #expect(r.status == .unauthorized) }
        }
    }

    @Test("a CSV with a bad row: the job loads the good rows, quarantines the bad one with its reason, and the quarantine route shows it to the site and auditors only")
    func csvUploadQuarantine() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO")), ("marie", .dataManager(site: "FR")),
                                                           ("aud", .auditor), ("ana", .analyst)])
        let csv = UploadFixture.patientsHeader + "P3,NO,M,2003-01-01,cardiac,none,alive,,2020-01-01,\nP4,NO,X,2004-01-01,cardiac,none,alive,,2020-01-01,\n"
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: csv))
            #expect(r.status == .accepted)
            let job = try await client.finishedJob(kari, try #require(r.job))
            #expect(job["state"] as? String == "succeeded")
            #expect(job["progress"] as? Double == 1)
            #expect(job.ingest["accepted"] as? Int == 1 && job.ingest["rejected"] as? Int == 1, "\(job)")
            let problems = try #require(job.ingest["problems"] as? [[String: Any]])
            #expect(problems.count == 1 && problems[0]["field"] as? String == "sex" && problems[0]["value"] as? String == "X")
            #expect(problems[0]["file"] as? String == "patients.csv", "the server's upload folder must not show")
            for (user, status) in [("kari", 200), ("aud", 200), ("marie", 403), ("ana", 403)] {
                let s = user == "kari" ? kari : try await client.signIn(user)
                try await client.execute(uri: "/api/sites/NO/quarantine", method: .get, headers: s.headers) { q in
                    #expect(q.status.code == status, "\(user): \(String(buffer: q.body))")
                    if status == 200 {
                        let entries = try #require(jsonObject(q.body)["entries"] as? [[String: Any]])
                        #expect(entries.count == 1 && entries[0]["field"] as? String == "sex" && entries[0]["line"] as? Int == 3)
                    }
                }
            }
            // Another user cannot follow kari's job (404, as an unknown id).
            let marie = try await client.signIn("marie")
            try await client.execute(uri: "/api/jobs/\(r.job!)", method: .get, headers: marie.headers) { j in #expect(j.status == .notFound) }
        }
        #expect(try Self.patients(store) == 5)
    }

    @Test("a zipped extract folder (deflated and stored entries, macOS metadata) is extracted without unzip and loaded")
    func zipUpload() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let body = try UploadFixture.zip([
            ("extract/", "", "stored"),
            ("extract/patients.csv", UploadFixture.patientsHeader + "P5,NO,F,2005-05-05,cardiac,none,alive,,2021-01-01,\n", "deflate"),
            ("__MACOSX/extract/._patients.csv", "junk", "stored"),
        ])
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: body, contentType: "application/zip")
            #expect(r.status == .accepted, "\(r.json)")
            let job = try await client.finishedJob(kari, try #require(r.job))
            #expect(job["state"] as? String == "succeeded", "\(job)")
            #expect(job.ingest["accepted"] as? Int == 1)
            #expect((job.ingest["skipped"] as? [String]) == ["__MACOSX/extract/._patients.csv"])
        }
        #expect(try Self.patients(store) == 5)
    }

    @Test("zip entries that climb out, are absolute, are links, or expand like a bomb are refused with 400 before anything is extracted or stored",
          arguments: ["traversal", "absolute", "backslash", "symlink", "bomb"])
    func hostileZip(_ kind: String) async throws {
        let row = UploadFixture.patientsHeader + "P9,NO,F,2005-05-05,cardiac,none,alive,,2021-01-01,\n"
        let body: ByteBuffer
        switch kind {
        case "traversal": body = try UploadFixture.zip([("patients.csv", row, "deflate"), ("../../evil.csv", "x", "deflate")])
        case "absolute": body = try UploadFixture.zip([("/tmp/evil.csv", row, "deflate")])
        case "backslash": body = try UploadFixture.zip([("..\\..\\evil.csv", row, "stored")])
        case "symlink": body = try UploadFixture.zip([("patients.csv", "/etc/passwd", "symlink")])
        default: body = try UploadFixture.zipBomb(megabytes: 64)
        }
        let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-hostile-\(UUID().uuidString)")
        let server = try HarmonicServer(store: ServerFixture.store, siteKeys: UploadFixture.siteKeys, uploadDirectory: uploads)
        let before = try Self.patients(ServerFixture.store)
        try await ServerFixture.app(server).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: body, contentType: "application/zip")
            #expect(r.status == .badRequest, "\(r.json)")
            #expect(r.job == nil)
            let error = r.json["error"] as? String ?? ""
            let expected = ["traversal": "path traversal", "absolute": "absolute", "backslash": "path traversal", "symlink": "symbolic link", "bomb": "zip bomb"][kind]!
            #expect(error.contains(expected), "error: \(error)")
        }
        #expect(try Self.patients(ServerFixture.store) == before)
        // The upload folder holds nothing: the refused upload was removed.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/evil.csv") && !FileManager.default.fileExists(atPath: uploads.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("evil.csv").path))
    }

    @Test("a file that is not a zip archive sent as application/zip gets 400 saying so")
    func notAZip() async throws {
        try await ServerFixture.app(try UploadFixture.server(store: ServerFixture.store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: "PK not really a zip"), contentType: "application/zip")
            #expect(r.status == .badRequest && (r.json["error"] as? String ?? "").contains("not a zip archive"))
        }
    }

    @Test("an upload over the size limit is refused with 413 and nothing is stored or kept", arguments: [true, false])
    func oversize(_ declareLength: Bool) async throws {
        let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-oversize-\(UUID().uuidString)")
        let server = try HarmonicServer(store: ServerFixture.store, siteKeys: UploadFixture.siteKeys, uploadDirectory: uploads, maxUploadBytes: 1000)
        let before = try Self.patients(ServerFixture.store)
        let csv = UploadFixture.patientsHeader + String(repeating: "P7,NO,F,2005-05-05,cardiac,none,alive,,2021-01-01,\n", count: 40)
        try await ServerFixture.app(server).test(.router) { client in
            let kari = try await client.signIn("kari")
            var headers: HTTPFields = [.cookie: kari.cookie, HTTPField.Name("X-CSRF-Token")!: kari.csrf, .contentType: "text/csv"]
            if declareLength { headers[.contentLength] = String(csv.utf8.count) }
            try await client.execute(uri: "/api/sites/NO/uploads?name=patients.csv", method: .post, headers: headers, body: ByteBuffer(string: csv)) { r in
                #expect(r.status == .contentTooLarge)
                #expect((jsonObject(r.body)["fix"] as? String)?.contains("split") == true)
            }
        }
        #expect(try Self.patients(ServerFixture.store) == before)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: uploads.path)) ?? []).isEmpty)
    }

    @Test("a malformed CSV (no dictionary header, binary bytes) is refused whole by the job with the file and what was expected; nothing is stored")
    func malformedCSV() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            var bytes = ByteBuffer(string: "this,is,not\n")
            bytes.writeBytes([0xFF, 0xFE, 0x00, 0x01, 0x0A])
            let r = try await client.upload(kari, site: "NO", body: bytes)
            #expect(r.status == .accepted)
            let job = try await client.finishedJob(kari, try #require(r.job))
            let files = try #require(job.ingest["files"] as? [[String: Any]])
            #expect(files.count == 1 && files[0]["status"] as? String != "loaded", "\(files)")
            let message = files.first?["message"] as? String ?? ""
            #expect(message.contains("patients.csv") && !message.isEmpty, "message: \(message)")
            #expect((job["messages"] as? [String])?.last?.contains("refused") == true)
        }
        #expect(try Self.patients(store) == 4)
    }

    @Test("a malformed DICOM file in a zipped folder is listed as a problem with its name; nothing is stored from it")
    func malformedDICOM() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let body = try UploadFixture.zip([("dicom/bad.dcm", String(repeating: "\u{1}", count: 200) + "DICM garbage", "deflate")])
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: body, contentType: "application/zip")
            #expect(r.status == .accepted)
            let job = try await client.finishedJob(kari, try #require(r.job))
            let dicom = try #require(job.ingest["dicom"] as? [String: Any], "\(job)")
            let problems = try #require(dicom["problems"] as? [[String: Any]])
            #expect(problems.count == 1 && problems[0]["file"] as? String == "dicom/bad.dcm", "\(problems)")
            #expect(dicom["doseReports"] as? Int == 0)
        }
        #expect(try Self.patients(store) == 4)
        #expect(try store.opened(as: .analyst).count("cardiac_procedures") == 0)
    }

    @Test("SQL metacharacters in every field of an uploaded row are stored or quarantined as plain text, and every table stays intact")
    func sqlMetacharacters() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let evil = "x'); DROP TABLE patients; --"
        // One row with metacharacters in the id only (valid otherwise), one with them in every field.
        let csv = UploadFixture.patientsHeader
            + "\"P'; DELETE FROM patients; --\",NO,M,2003-01-01,cardiac,none,alive,,2020-01-01,\n"
            + Array(repeating: "\"\(evil)\"", count: 10).joined(separator: ",") + "\n"
        try await ServerFixture.app(try UploadFixture.server(store: store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: csv))
            #expect(r.status == .accepted)
            let job = try await client.finishedJob(kari, try #require(r.job))
            #expect(job.ingest["accepted"] as? Int == 1 && job.ingest["rejected"] as? Int == 1, "\(job)")
            try await client.execute(uri: "/api/sites/NO/quarantine", method: .get, headers: kari.headers) { q in
                let entries = jsonObject(q.body)["entries"] as? [[String: Any]] ?? []
                #expect(entries.contains { ($0["value"] as? String) == evil }, "the value is kept verbatim: \(entries)")
            }
        }
        // The fixture's four children and the one accepted row: no table was dropped or emptied.
        #expect(try Self.patients(store) == 5)
    }

    @Test("an upload for a site whose key the server lacks gets 409 naming the key file; a bad Content-Type 415; a CSV not named after a table 400")
    func uploadRefusals() async throws {
        let noKeys = try HarmonicServer(store: ServerFixture.store, siteKeys: SiteKeys(keys: [:]))
        try await ServerFixture.app(noKeys).test(.router) { client in
            let kari = try await client.signIn("kari")
            let r = try await client.upload(kari, site: "NO", body: ByteBuffer(string: UploadFixture.fixtureCSV("NO")))
            #expect(r.status == .conflict && (r.json["fix"] as? String ?? "").contains("NO.key"))
        }
        try await ServerFixture.app(try UploadFixture.server(store: ServerFixture.store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            let a = try await client.upload(kari, site: "NO", body: ByteBuffer(string: "x"), contentType: "application/pdf")
            #expect(a.status == .unsupportedMediaType)
            let b = try await client.upload(kari, site: "NO", body: ByteBuffer(string: UploadFixture.fixtureCSV("NO")), name: "../patients'--.csv")
            #expect(b.status == .badRequest && (b.json["fix"] as? String ?? "").contains("patients.csv"))
            let c = try await client.upload(kari, site: "NO", body: ByteBuffer(string: UploadFixture.fixtureCSV("NO")), name: nil)
            #expect(c.status == .badRequest)
        }
    }

    @Test("an upload without the CSRF token is refused with 403")
    func uploadNeedsCSRF() async throws {
        try await ServerFixture.app(try UploadFixture.server(store: ServerFixture.store)).test(.router) { client in
            let kari = try await client.signIn("kari")
            try await client.execute(uri: "/api/sites/NO/uploads?name=patients.csv", method: .post, headers: [.cookie: kari.cookie, .contentType: "text/csv"],
                                     body: ByteBuffer(string: UploadFixture.fixtureCSV("NO"))) { r in #expect(r.status == .forbidden) }
        }
    }
}
