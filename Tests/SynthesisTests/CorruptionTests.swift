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

    /// Loads `folders` of a synthetic extract and checks that ingest rejects exactly the rows that
    /// truth/corrupted_rows.csv lists for them; returns the corruption kinds seen there.
    @discardableResult
    func expectRejectedExactlyCorrupted(_ config: SynthesisConfiguration, name: String, folders: [String]) throws -> Set<String> {
        let (dir, _) = try SynthFixture.make(config, name: name)
        let corrupted = try SynthFixture.rows(dir.appendingPathComponent("truth/corrupted_rows.csv"))
        let keyDir = try SharedData.temporaryDirectory("synth-keys-\(name)")
        for folder in folders {
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
        return Set(corrupted.filter { folders.contains($0["site"]!) }.map { $0["kind"]! })
    }

    @Test("ingest rejects exactly the rows synth corrupted, and nothing else")
    func everyCorruptedRowIsRejected() throws {
        try expectRejectedExactlyCorrupted(SynthesisConfiguration(seed: 9, cardiacChildren: 700, corruptFraction: 0.02),
                                           name: "ingest", folders: ["NO-cardiac", "FR-radiotherapy"])
    }

    @Test("rows with swapped birth and last-contact dates, and their procedures and cancers, are rejected exactly")
    func everyKindIsRejected() throws {
        // 20% corruption of 400 children: NO and BE have dozens of corrupted rows, swapped dates among them.
        let kinds = try expectRejectedExactlyCorrupted(SynthesisConfiguration(seed: 4, cardiacChildren: 400, corruptFraction: 0.2),
                                                       name: "kinds", folders: ["NO-cardiac", "BE-cardiac"])
        // The procedures and cancers of a child with swapped dates are the cardiac `child_of_corrupted_row` rows.
        #expect(kinds.isSuperset(of: ["swapped_dates", "child_of_corrupted_row", "duplicate_row", "unknown_patient"]), "kinds seen: \(kinds.sorted())")
    }
}
