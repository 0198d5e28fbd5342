import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Synthesis
@testable import Epidemiology

/// A synthetic cohort loaded into a registry store, with `procedure_organ_dose` written from
/// synth's true organ doses (truth/organ_doses.csv, mapped to pseudonyms with each site's key),
/// the way the dose reconstruction will write it. Some procedures can be marked `flagged`.
struct StoreFixture: Sendable {
    let directory: URL
    let extract: URL
    let storePath: String
    let keys: [String: Pseudonymiser]

    /// 20,000 children with a true leukaemia ERR of 150/Gy (cardiac red-marrow doses are mGy, so a
    /// large ERR makes the dose-response visible in one cohort); shared by the fit and report tests.
    static let truth20k = Result(catching: { try StoreFixture.make("epi-store-truth", children: 20000, seed: 2024, trueERR: [.leukaemia: 150]) })

    static func key(_ site: String) throws -> Pseudonymiser {
        try Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 7, count: 32))
    }

    /// Synthesises `children` cardiac children and loads patients, procedures and cancers.
    /// `withDoses`: write procedure_organ_dose; `flagEvery`: mark every n-th procedure flagged.
    static func make(_ name: String, children: Int, seed: UInt64, trueERR: [SynthOutcome: Double] = [:],
                     withDoses: Bool = true, flagEvery: Int? = nil) throws -> StoreFixture {
        let dir = try SharedData.temporaryDirectory(name)
        let extract = dir.appendingPathComponent("extract"), storePath = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: seed, cardiacChildren: children, radiotherapyChildren: 0,
                                                                        trueERRPerGy: trueERR), to: extract)
        var keys: [String: Pseudonymiser] = [:]
        for folder in summary.siteFolders {
            let site = String(folder.prefix(2))
            keys[site] = try key(site)
            let store = try RegistryStore(path: storePath, role: .dataManager(site: site))
            let files = ["patients", "cardiac_procedures", "cancer_outcomes"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try store.ingest(files: files, site: site, pseudonymiser: keys[site]!, user: "test")
        }
        let fixture = StoreFixture(directory: dir, extract: extract, storePath: storePath, keys: keys)
        if withDoses { try fixture.writeOrganDoses(flagEvery: flagEvery) }
        return fixture
    }

    /// procedure_organ_dose (the table made by the store's "dose 1.0.0" migration) from
    /// truth/organ_doses.csv, through the sqlite3 shell.
    func writeOrganDoses(flagEvery: Int?) throws {
        let text = try String(contentsOf: extract.appendingPathComponent("truth/organ_doses.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = lines.removeFirst()
        func col(_ n: String) -> Int { h.firstIndex(of: n)! }
        var csv = ""
        for (k, f) in lines.enumerated() {
            let site = String(f[col("patient_id")].prefix(2))
            let flagged = flagEvery.map { k % $0 == $0 - 1 } ?? false
            let doses = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy", "oesophagus_mgy", "brain_mgy"]
                .map { flagged ? "" : f[col($0)] }
            csv += ([site, f[col("procedure_id")], keys[site]!.pseudonym(for: f[col("patient_id")]), f[col("procedure_date")],
                     flagged ? "flagged" : "event", flagged ? "implausible KAP" : "", flagged ? "" : f[col("kap_gy_cm2")]]
                    + doses + [flagged ? "" : f[col("effective_dose_msv")], "h\(k)", "1", "", ""]).joined(separator: ",") + "\n"
        }
        let csvURL = directory.appendingPathComponent("procedure_organ_dose.csv")
        try csv.write(to: csvURL, atomically: true, encoding: .utf8)
        _ = try PeerTool.run("sqlite3", [storePath], stdin: """
            .mode csv
            .import \(csvURL.path) procedure_organ_dose
            UPDATE procedure_organ_dose SET red_marrow_mgy = NULL, breast_mgy = NULL, lung_mgy = NULL, heart_mgy = NULL,
              thyroid_mgy = NULL, oesophagus_mgy = NULL, brain_mgy = NULL, kap_gycm2_used = NULL, effective_dose_msv = NULL
              WHERE tier = 'flagged';
            UPDATE procedure_organ_dose SET realisation_row = NULL, mix_source = NULL;

            """)
    }

    func analystStore() throws -> RegistryStore { try RegistryStore(path: storePath, role: .analyst) }
}
