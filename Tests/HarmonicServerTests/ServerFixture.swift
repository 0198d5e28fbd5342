import Foundation
import HarmonicServer
import HarmonicTestSupport
import Hummingbird
import HummingbirdTesting
import Registry
import Testing

/// A store with two sites (NO and FR, two children each) and one account per role, shared by
/// the router tests (bcrypt makes accounts slow to create on purpose).
enum ServerFixture {
    static let password = "correct horse battery staple"
    /// Account name → role.
    static let accounts: [(name: String, role: Role)] = [
        ("ada", .admin), ("kari", .dataManager(site: "NO")), ("marie", .dataManager(site: "FR")),
        ("ana", .analyst), ("nils", .clinician(site: "NO")), ("aud", .auditor),
    ]

    static let store: RegistryStore = {
        do { return try makeStore(accounts: accounts) } catch { fatalError("server fixture: \(error)") }
    }()

    /// A new store with the two sites' children and `accounts`.
    static func makeStore(accounts: [(name: String, role: Role)]) throws -> RegistryStore {
        do {
            let store = try RegistryStore.inMemory(role: .admin)
            let dir = try SharedData.temporaryDirectory("server-fixture")
            for (site, key) in [("NO", Array(repeating: UInt8(7), count: 32)), ("FR", Array(repeating: UInt8(9), count: 32))] {
                let csv = """
                site_patient_id,country,sex,birth_date,cohort,predisposing_condition,vital_status,emigration_date,last_contact_date,death_date
                P1,\(site),M,2001-03-04,cardiac,none,alive,,2020-12-31,
                P2,\(site),F,1995-06-01,cardiac,none,alive,,2010-05-01,

                """
                let path = dir.appendingPathComponent("\(site)/patients.csv")
                try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
                try csv.write(to: path, atomically: true, encoding: .utf8)
                let report = try store.opened(as: .dataManager(site: site)).ingest(files: [path.path], site: site,
                                                                                   pseudonymiser: try Pseudonymiser(keyBytes: key), user: "fixture")
                precondition(report.exitCode == 0, "fixture load: \(report.files)")
            }
            for a in accounts { try store.addUser(name: a.name, role: a.role, password: password, actor: "fixture") }
            return store
        }
    }

    /// A fresh server (its own sessions and login throttle) on the shared store.
    static func server() throws -> HarmonicServer { try HarmonicServer(store: store) }

    static func app(_ server: HarmonicServer) -> some ApplicationProtocol { Application(router: server.router()) }
}

/// A signed-in client: the cookie header and the CSRF token.
struct SignedIn {
    let cookie: String
    let csrf: String
    var headers: HTTPFields { [.cookie: cookie] }
}

extension TestClientProtocol {
    func signIn(_ user: String, password: String = ServerFixture.password) async throws -> SignedIn {
        let body = ByteBuffer(string: #"{"user":"\#(user)","password":"\#(password)"}"#)
        return try await execute(uri: "/api/session", method: .post, headers: [.contentType: "application/json"], body: body) { r in
            #expect(r.status == .ok, "sign-in of \(user): \(String(buffer: r.body))")
            let setCookie = try #require(r.headers[.setCookie])
            let token = try #require(setCookie.split(separator: ";").first)
            let json = try JSONSerialization.jsonObject(with: Data(r.body.readableBytesView)) as? [String: Any]
            return SignedIn(cookie: String(token), csrf: try #require(json?["csrfToken"] as? String))
        }
    }
}

func jsonObject(_ buffer: ByteBuffer) -> [String: Any] {
    (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any] ?? [:]
}
