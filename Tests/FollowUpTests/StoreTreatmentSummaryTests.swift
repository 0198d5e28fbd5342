import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Synthesis
import Testing

/// Treatment summaries read from a store holding the synthetic radiotherapy registry, with its
/// chemotherapy (data dictionary 1.1.0), as `harmonic followup --store --all` reads them.
@Suite("Treatment summaries read from the registry store", .serialized)
struct StoreTreatmentSummaryTests {
    /// 150 synthetic radiotherapy children per country, no corrupted rows, loaded site by site.
    static let store = Result(catching: { () throws -> (path: String, extract: URL, folders: [String]) in
        let dir = try SharedData.temporaryDirectory("treatment-store")
        let extract = dir.appendingPathComponent("extract"), path = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 17, cardiacChildren: 0, radiotherapyChildren: 600, corruptFraction: 0), to: extract)
        var folders: [String] = []
        for folder in summary.siteFolders where folder.hasSuffix("radiotherapy") {
            folders.append(folder)
            let site = String(folder.prefix(2)).uppercased()
            let files = try FileManager.default.contentsOfDirectory(atPath: extract.appendingPathComponent(folder).path)
                .filter { $0.hasSuffix(".csv") }.map { extract.appendingPathComponent(folder).appendingPathComponent($0).path }
            let report = try RegistryStore(path: path, role: .dataManager(site: site))
                .ingest(files: files, site: site, pseudonymiser: Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 5, count: 32)), user: "test")
            precondition(report.exitCode == 0, "synthetic RT extract \(folder) loads clean: \(report.files.map { "\($0.file) \($0.status) \($0.rejected)" })")
        }
        return (path, extract, folders)
    })

    @Test("every synthetic chemotherapy row loads, and each child's agents reach its summary with their cumulative doses")
    func chemotherapyReachesSummaries() throws {
        let (path, extract, folders) = try Self.store.get()
        var rows = 0, dose = 0.0
        for folder in folders {
            let csv = try String(contentsOf: extract.appendingPathComponent(folder).appendingPathComponent("chemotherapy.csv"), encoding: .utf8)
            for line in csv.split(separator: "\n").dropFirst() {
                rows += 1; dose += Double(line.split(separator: ",").last!)!
            }
        }
        #expect(rows > 500, "the synthetic registry gives most children chemotherapy")
        let summaries = try RegistryStore(path: path, role: .analyst).treatmentSummaries()
        let agents = summaries.flatMap(\.chemotherapy)
        #expect(agents.count == rows)
        #expect(abs(agents.reduce(0) { $0 + $1.cumulativeDoseMgPerM2 } - dose) < 1e-6 * dose)
    }

    @Test("a child with anthracyclines from the store gets the cardiomyopathy plan with its doxorubicin equivalent named")
    func anthracyclinesGiveCardiomyopathyPlan() throws {
        let (path, _, _) = try Self.store.get()
        let summaries = try RegistryStore(path: path, role: .analyst).treatmentSummaries()
        let treated = summaries.filter { AnthracyclineEquivalence.doxorubicinEquivalent($0.chemotherapy) >= 100 }
        try #require(!treated.isEmpty)
        for s in treated {
            let item = SurveillanceRules.plan(for: s).items.first { $0.rule == "cardiomyopathy" }
            #expect(item != nil, "\(s.child): \(s.chemotherapy)")
            #expect(item?.trigger.contains("mg/m² doxorubicin-equivalent") == true)
        }
    }

    @Test("a site's clinician reads only its own children's treatment, chemotherapy included")
    func clinicianSeesOwnSite() throws {
        let (path, _, folders) = try Self.store.get()
        let site = String(folders[0].prefix(2)).uppercased()
        let own = try RegistryStore(path: path, role: .clinician(site: site)).treatmentSummaries()
        #expect(!own.isEmpty && own.allSatisfy { $0.child.hasPrefix(site + "/") })
        #expect(own.contains { !$0.chemotherapy.isEmpty })
    }
}
