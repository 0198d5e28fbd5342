import Foundation
import HarmonicTestSupport
import Registry
import Testing
@testable import Synthesis

@Suite("Corrupted rows exercise validation")
struct CorruptionTests {
    @Test("--corrupt injects about the requested share of bad rows")
    func shareOfCorruptedRows() throws {
        let (_, s) = try SynthFixture.make(SynthesisConfiguration(seed: 5, cardiacChildren: 1500, corruptFraction: 0.02), name: "share")
        let total = s.rows.values.reduce(0, +)
        let share = Double(s.corruptedRows) / Double(total)
        // Requested 2%; procedures with event rows are never corrupted (no cascade), so the
        // realised share is somewhat lower or higher but of that order.
        #expect(share > 0.012 && share < 0.03, "corrupted share \(share)")
    }

    @Test("ingest rejects exactly the rows synth corrupted, and nothing else")
    func everyCorruptedRowIsRejected() throws {
        let (dir, _) = try SynthFixture.make(SynthesisConfiguration(seed: 9, cardiacChildren: 700, corruptFraction: 0.02), name: "ingest")
        let corrupted = try SynthFixture.rows(dir.appendingPathComponent("truth/corrupted_rows.csv"))
        let keyDir = try SharedData.temporaryDirectory("synth-keys")
        for folder in ["NO-cardiac", "FR-radiotherapy"] {
            let country = String(folder.prefix(2))
            let store = try RegistryStore.inMemory(role: .dataManager(site: country))
            let keyFile = keyDir.appendingPathComponent("\(country).key").path
            try? FileManager.default.removeItem(atPath: keyFile)
            try Pseudonymiser.writeNewKey(to: keyFile)
            let siteDir = dir.appendingPathComponent(folder)
            let files = try FileManager.default.contentsOfDirectory(atPath: siteDir.path).map { siteDir.appendingPathComponent($0).path }
            let report = try store.ingest(files: files, site: country, pseudonymiser: Pseudonymiser(keyFile: keyFile), user: "test")
            let rejected = Set(report.problems.map { "\(URL(fileURLWithPath: $0.file).lastPathComponent):\($0.line)" })
            let expected = Set(corrupted.filter { $0["site"] == folder }.map { "\($0["file"]!):\($0["line"]!)" })
            #expect(report.refusedFiles.isEmpty)
            #expect(rejected == expected, "\(folder): rejected but not corrupted \(rejected.subtracting(expected).sorted().prefix(5)); corrupted but accepted \(expected.subtracting(rejected).sorted().prefix(5))")
        }
    }
}
