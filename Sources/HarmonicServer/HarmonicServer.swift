import Dosimetry
import Foundation
import Hummingbird
import Registry
import Reports

/// `harmonic serve`: the consortium's HTTP API (Hummingbird 2) over one registry store, SQLite
/// or PostgreSQL (docs/server.md). Routes: `Routes/`; sessions, CSRF and login throttling:
/// `Security/`. Registry calls block (GRDB, or postgres-nio waited on), so they run on a
/// dispatch queue, off the server's event loops.
public struct HarmonicServer: Sendable {
    /// The store opened as admin: sign-in, and the parent of the per-request stores opened with
    /// each caller's role (`RegistryStore.opened(as:)`), which enforce it.
    public let store: RegistryStore
    public let sessions: SessionStore
    public let limiter: LoginLimiter
    /// Largest JSON body accepted (sign-in): 16 KiB.
    public static let maxJSONBody = 16 * 1024
    /// Background jobs (ingests, dose runs, analyses, RT plans), by id and owner, kept in the store.
    public let jobs: JobStore
    /// The sites' pseudonymisation keys (`harmonic serve --site-keys DIR`).
    public let siteKeys: SiteKeys
    /// Where uploads are written and extracted while their job runs (removed after).
    public let uploadDirectory: URL
    /// Largest upload body accepted, bytes (413 past it).
    public let maxUploadBytes: Int64
    /// What a zip upload may hold (entries, expanded size, expansion ratio).
    public let zipLimits: ZipArchive.Limits
    /// The path dose runs name their realisation file after (`DoseRun.realisationPath`): the SQLite
    /// store's path, or `--dose-files` on PostgreSQL; nil refuses dose runs (409).
    public let doseFilesPath: String?
    /// The reference rates for the SIRs of analyses (`harmonic serve --rates FILE`); nil refuses `sir` (409).
    public let ratesPath: String?

    public init(store: RegistryStore, sessions: SessionStore = SessionStore(), limiter: LoginLimiter = LoginLimiter(),
                siteKeys: SiteKeys = .none, uploadDirectory: URL? = nil, maxUploadBytes: Int64 = 2 << 30,
                zipLimits: ZipArchive.Limits = ZipArchive.Limits(), doseFilesPath: String? = nil, ratesPath: String? = nil) throws {
        self.store = try store.opened(as: .admin)
        self.sessions = sessions
        self.limiter = limiter
        self.siteKeys = siteKeys
        self.uploadDirectory = uploadDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-uploads-\(UUID().uuidString)")
        self.maxUploadBytes = maxUploadBytes
        self.zipLimits = zipLimits
        // Jobs the previous server on this store left running are marked interrupted here.
        self.jobs = try JobStore(store: self.store)
        self.doseFilesPath = doseFilesPath
        self.ratesPath = ratesPath
    }

    /// Every route of the API.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: SessionMiddleware(sessions: sessions))
        HealthRoute(server: self).register(router)
        SessionRoutes(server: self).register(router)
        DoseEstimateRoute().register(router)
        SitePatientsRoute(server: self).register(router)
        UploadRoute(server: self).register(router)
        JobRoute(server: self).register(router)
        QuarantineRoute(server: self).register(router)
        AuditRoute(server: self).register(router)
        DoseRunRoute(server: self).register(router)
        FollowUpRoute(server: self).register(router)
        AnalysisRoute(server: self).register(router)
        AnalysisPage(server: self).register(router)
        SiteQualityRoute(server: self).register(router)
        DRLRoute(server: self).register(router)
        PlanDoseRoute(server: self).register(router)
        PlanDosePage(server: self).register(router)
        DoseRunPage(server: self).register(router)
        PageRoutes(server: self).register(router)
        router.get("/openapi.yaml") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml)))
        }
        return router
    }

    /// The application on `host`:`port` (loopback by default: put a TLS-terminating proxy in front).
    public func application(host: String = "127.0.0.1", port: Int = 8080) -> some ApplicationProtocol {
        Application(router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "harmonic"))
    }

    /// Runs `body` (a blocking registry call) off the event loops.
    static func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { c in
            DispatchQueue.global(qos: .userInitiated).async { c.resume(with: Result { try body() }) }
        }
    }

    /// Records a request in the audit trail (who, what, when, outcome) with the caller's role.
    func audit(_ session: Session?, _ request: Request, target: String, outcome: String) async {
        let store = self.store
        let action = "\(request.method.rawValue) \(request.uri.path)"
        _ = try? await Self.blocking {
            if let session {
                try store.opened(as: session.role).audit(user: session.account.name, action: action, target: target, outcome: outcome)
            } else {
                try store.audit(user: "-", action: action, target: target, outcome: outcome, roleName: "anonymous")
            }
        }
    }
}
