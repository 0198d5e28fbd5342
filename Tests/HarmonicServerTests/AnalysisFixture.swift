import Foundation
import HarmonicServer
import HarmonicTestSupport
import Registry
import Synthesis

/// A file store with a small synthetic cardiac cohort (patients, procedures, cancers) and its
/// organ doses in `procedure_organ_dose` (synth's true doses, imported with the sqlite3 shell as
/// the epidemiology tests' StoreFixture does), plus an account per role and a second analyst:
/// what `POST /api/analyses` and `harmonic analyze --store` both read.
enum AnalysisFixture {
    static let accounts: [(name: String, role: Role)] = ServerFixture.accounts + [("bea", .analyst)]

    struct Made: Sendable { let path: String; let store: RegistryStore }

    static let made: Result<Made, any Error> = Result {
        let dir = try SharedData.temporaryDirectory("server-analysis")
        let extract = dir.appendingPathComponent("extract"), path = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 17, cardiacChildren: 3000, radiotherapyChildren: 0,
                                                                        trueERRPerGy: [.leukaemia: 150]), to: extract)
        var keys: [String: Pseudonymiser] = [:]
        for folder in summary.siteFolders {
            let site = String(folder.prefix(2))
            keys[site] = try Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 7, count: 32))
            let files = ["patients", "cardiac_procedures", "cancer_outcomes"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try RegistryStore(path: path, role: .dataManager(site: site)).ingest(files: files, site: site, pseudonymiser: keys[site]!, user: "fixture")
        }
        let text = try String(contentsOf: extract.appendingPathComponent("truth/organ_doses.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = lines.removeFirst()
        func col(_ n: String) -> Int { h.firstIndex(of: n)! }
        var csv = ""
        for (k, f) in lines.enumerated() {
            let site = String(f[col("patient_id")].prefix(2))
            let doses = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy", "oesophagus_mgy", "brain_mgy"].map { f[col($0)] }
            csv += ([site, f[col("procedure_id")], keys[site]!.pseudonym(for: f[col("patient_id")]), f[col("procedure_date")], "event", "", f[col("kap_gy_cm2")]]
                    + doses + [f[col("effective_dose_msv")], "h\(k)", "1", "", ""]).joined(separator: ",") + "\n"
        }
        let csvURL = dir.appendingPathComponent("procedure_organ_dose.csv")
        try csv.write(to: csvURL, atomically: true, encoding: .utf8)
        _ = try PeerTool.run("sqlite3", [path], stdin: ".mode csv\n.import \(csvURL.path) procedure_organ_dose\nUPDATE procedure_organ_dose SET realisation_row = NULL, mix_source = NULL;\n")
        let store = try RegistryStore(path: path, role: .admin)
        for a in accounts { try store.addUser(name: a.name, role: a.role, password: ServerFixture.password, actor: "fixture") }
        return Made(path: path, store: store)
    }

    static func server() throws -> HarmonicServer { try HarmonicServer(store: try made.get().store) }
}
