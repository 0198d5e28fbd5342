import Foundation
import HarmonicServer
import HarmonicTestSupport
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// The server on a free loopback port (HummingbirdTesting's live framework) driven from outside:
/// a real browser (Debian's chromium and chromium-driver, Selenium from PyPI) and schemathesis
/// (PyPI) against /openapi.yaml. Both tools are installed by scripts/test; a missing tool fails.
@Suite("Server end to end: browser and schemathesis", .serialized)
struct EndToEndTests {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/e2e")

    /// Runs a peer tool off the concurrency pool (the server's page handlers run there).
    static func peer(_ executable: String, _ arguments: [String]) async throws -> String {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global().async { c.resume(with: Result { try PeerTool.run(executable, arguments) }) }
        }
    }

    @Test("in Chromium a data manager signs in, uploads an extract, sees its quarantined row, runs the calculator, and is refused another site")
    func browser() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        let dir = try SharedData.temporaryDirectory("browser-e2e")
        let csv = dir.appendingPathComponent("patients.csv")
        try (UploadFixture.patientsHeader + "B1,NO,F,2006-06-06,cardiac,none,alive,,2022-01-01,\nB2,NO,unknown-sex,2007-07-07,cardiac,none,alive,,2022-01-01,\n")
            .write(to: csv, atomically: true, encoding: .utf8)
        try await Application(router: try UploadFixture.server(store: store).router()).test(.live) { client in
            let port = try #require(client.port)
            let out = try await Self.peer("python3", [Self.scripts.appendingPathComponent("browser_e2e.py").path, "--base", "http://localhost:\(port)",
                                                      "--user", "kari", "--password", ServerFixture.password, "--site", "NO", "--other-site", "FR",
                                                      "--csv", csv.path, "--bad-value", "unknown-sex"])
            #expect(out.contains("refused site FR"), "\(out)")
        }
        #expect(try UploadRouteTests.patients(store) == 5)
    }

    @Test("schemathesis against /openapi.yaml, signed in as a data manager: no 5xx, no status, content type or schema outside the document")
    func schemathesis() async throws {
        let store = try ServerFixture.makeStore(accounts: [("kari", .dataManager(site: "NO"))])
        try await Application(router: try UploadFixture.server(store: store).router()).test(.live) { client in
            let port = try #require(client.port)
            do {
                let out = try await Self.peer("python3", [Self.scripts.appendingPathComponent("api_schema.py").path, "--base", "http://localhost:\(port)",
                                                         "--user", "kari", "--password", ServerFixture.password])
                // It tested operations (not zero of them) and generated cases: a run that reached nothing is no pass.
                #expect(out.range(of: #"Tested: [1-9]"#, options: .regularExpression) != nil && out.contains("passed"), "\(out.suffix(3000))")
            } catch let failure as PeerTool.Failure {
                Issue.record("schemathesis found problems: \(failure.stderr.suffix(4000))")
            }
        }
    }
}
