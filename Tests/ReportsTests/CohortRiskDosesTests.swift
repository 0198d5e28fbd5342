import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
import Registry
import Reports
import RiskProjection
import Synthesis

/// `harmonic risk cohort` reads children's exposures from a store: a small synthetic cohort loaded with
/// validation, and procedure_organ_dose written from synth's true organ doses through sqlite3.
@Suite("Cohort risk from a store")
struct CohortRiskDosesTests {
    static func store() throws -> (path: String, truth: [[String]], header: [String], key: Pseudonymiser) {
        let dir = try SharedData.temporaryDirectory("risk-cohort-store")
        let extract = dir.appendingPathComponent("extract"), storePath = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 15, cardiacChildren: 300, radiotherapyChildren: 0), to: extract)
        let key = try Pseudonymiser(keyBytes: [UInt8](repeating: 9, count: 32))
        for folder in summary.siteFolders {
            let site = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: site))
            let files = ["patients", "cardiac_procedures"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try store.ingest(files: files, site: site, pseudonymiser: key, user: "test")
        }
        let text = try String(contentsOf: extract.appendingPathComponent("truth/organ_doses.csv"), encoding: .utf8)
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let h = lines.removeFirst()
        func col(_ n: String) -> Int { h.firstIndex(of: n)! }
        var csv = ""
        for (k, f) in lines.enumerated() {
            let site = String(f[col("patient_id")].prefix(2))
            let doses = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy", "oesophagus_mgy", "brain_mgy"].map { f[col($0)] }
            csv += ([site, f[col("procedure_id")], key.pseudonym(for: f[col("patient_id")]), f[col("procedure_date")], "event", "", f[col("kap_gy_cm2")]]
                    + doses + [f[col("effective_dose_msv")], "h\(k)", "1", "", ""]).joined(separator: ",") + "\n"
        }
        let csvURL = dir.appendingPathComponent("procedure_organ_dose.csv")
        try csv.write(to: csvURL, atomically: true, encoding: .utf8)
        _ = try PeerTool.run("sqlite3", [storePath], stdin: ".mode csv\n.import \(csvURL.path) procedure_organ_dose\nUPDATE procedure_organ_dose SET realisation_row = NULL, mix_source = NULL;\n")
        return (storePath, lines, h, key)
    }

    @Test("every child with procedures is read with one exposure per procedure, at the age on its date, doses in Gy")
    func read() throws {
        let s = try Self.store()
        let children = try CohortRiskDoses.read(storePath: s.path)
        let col = { (n: String) in s.header.firstIndex(of: n)! }
        let patients = Set(s.truth.map { $0[col("patient_id")] })
        // Rows synth corrupts on purpose are quarantined at ingest; their children have no patients row.
        #expect(children.count <= patients.count && Double(children.count) >= 0.95 * Double(patients.count))
        let ids = Set(children.map(\.id))
        let readable = s.truth.filter { ids.contains("\($0[col("patient_id")].prefix(2))/\(s.key.pseudonym(for: $0[col("patient_id")]))") }
        #expect(children.reduce(0) { $0 + $1.exposures.count } == readable.count)
        #expect(children.allSatisfy { c in c.exposures.allSatisfy { (0..<19.1).contains($0.ageYears) } })
        // One procedure checked against the truth file: lung dose mGy -> Gy.
        let row = readable[0]
        let id = "\(row[col("patient_id")].prefix(2))/\(s.key.pseudonym(for: row[col("patient_id")]))"
        let child = try #require(children.first { $0.id == id })
        let lung = Double(row[col("lung_mgy")])! / 1000
        #expect(child.exposures.contains { abs(($0.doses[.lung]?.value ?? -1) - lung) < 1e-12 })
        #expect(child.exposures.allSatisfy { $0.doses[.other] != nil })   // heart, oesophagus, brain -> other solid
    }
}
