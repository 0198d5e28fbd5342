import Hummingbird
import Registry

/// `GET /api/health`: the server answers and its store can be read. No sign-in; no registry data.
struct HealthRoute {
    let server: HarmonicServer

    struct Health: Codable { let status: String; let store: String; let schemaVersion: String }

    func register(_ router: Router<ServerContext>) {
        let store = server.store
        router.get("/api/health") { _, _ -> Response in
            do {
                _ = try await HarmonicServer.blocking { try store.backend.read { try $0.scalar("SELECT 1") != nil } }
            } catch {
                throw APIError(.serviceUnavailable, "the registry store cannot be read: \(error)",
                               fix: "check that the store (SQLite file or PostgreSQL server) is reachable, then retry")
            }
            return JSON.response(Health(status: "ok", store: store.backend.dialect.rawValue, schemaVersion: DataDictionary.schemaVersion))
        }
    }
}
