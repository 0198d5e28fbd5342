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

    @Test("every synthetic transplant and operation loads and reaches its child's summary; thoracic surgery and allogeneic transplants give the pulmonary plan, HP surgery the high-risk HP plan")
    func transplantsAndSurgeryReachSummaries() throws {
        let (path, extract, folders) = try Self.store.get()
        var transplants = 0, operations = 0
        for folder in folders {
            for (file, count) in [("hsct.csv", 0), ("surgery.csv", 1)] {
                let csv = try String(contentsOf: extract.appendingPathComponent(folder).appendingPathComponent(file), encoding: .utf8)
                let rows = csv.split(separator: "\n").count - 1
                if count == 0 { transplants += rows } else { operations += rows }
            }
        }
        #expect(transplants > 5 && operations > 20, "the synthetic registry draws transplants and operations")
        let summaries = try RegistryStore(path: path, role: .analyst).treatmentSummaries()
        #expect(summaries.reduce(0) { $0 + ($1.transplants?.count ?? 0) } == transplants)
        #expect(summaries.reduce(0) { $0 + ($1.surgeries?.count ?? 0) } == operations)
        let atRisk = summaries.filter { s in (s.transplants ?? []).contains(where: \.isAllogeneic) || (s.surgeries ?? []).contains(where: \.isThoracic) }
        try #require(!atRisk.isEmpty)
        for s in atRisk {
            let item = SurveillanceRules.plan(for: s).items.first { $0.rule == "pulmonary_dysfunction" }
            #expect(item?.riskGroup?.contains("IGHG 2024") == true, "\(s.child)")
        }
        let hpSurgery = summaries.filter { ($0.surgeries ?? []).contains { $0.region == "hypothalamic_pituitary" } }
        try #require(!hpSurgery.isEmpty, "the synthetic registry draws surgery near the HP region")
        for s in hpSurgery {
            let item = SurveillanceRules.plan(for: s).items.first { $0.rule == "hypothalamic_pituitary" }
            #expect(item?.riskGroup?.contains("surgery near or within the HP region") == true, "\(s.child)")
        }
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

    @Test("a course with reconstructed RT organ doses carries them in Gy, a flagged or undosed course none, and the plan says it used them")
    func reconstructedOrganDosesReachSummaries() throws {
        let (path, _, _) = try Self.store.get()
        let dir = try SharedData.temporaryDirectory("treatment-store-rt")
        let copy = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        let analyst = try RegistryStore(path: copy, role: .analyst)
        // Rows as `harmonic rt dose --store` writes them (`rt_course_organ_dose`, mGy): course k gets
        // heart 1000 + k mGy and breast 12,000 mGy; every third is flagged; every fifth has no row.
        var expected: [String: Double?] = [:], seen: [String: Int] = [:]
        try analyst.backend.write { db in
            let courses = try db.fetch("SELECT site, course_id, patient_pseudonym, start_date FROM rt_courses ORDER BY site, course_id", [])
            for (k, c) in courses.enumerated() {
                let key = "\(String.fromDatabaseValue(c[0])!)/\(String.fromDatabaseValue(c[2])!) \(String.fromDatabaseValue(c[3])!)"
                seen[key, default: 0] += 1
                if k % 5 == 4 { expected[key] = .some(nil); continue }
                let flagged = k % 3 == 2
                try db.execute("""
                    INSERT INTO rt_course_organ_dose (site, course_id, patient_pseudonym, start_date, tier, flag_reason, heart_mgy, breast_mgy, run_id, input_hash)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 'test')
                    """, [c[0], c[1], c[2], c[3], (flagged ? "flagged" : "course_record").databaseValue,
                          flagged ? "target site unknown".databaseValue : .null, Double(1000 + k).databaseValue, 12_000.0.databaseValue])
                expected[key] = flagged ? .some(nil) : .some(Double(1000 + k) / 1000)
            }
        }
        let summaries = try analyst.treatmentSummaries()
        var dosed = 0, undosed = 0
        for s in summaries {
            for course in s.radiotherapy {
                let key = "\(s.child) \(course.startDate)"
                guard seen[key] == 1, let want = expected[key] else { continue }  // two courses on one day: ambiguous by date
                if let want {
                    let heart = try #require(course.organMeanDoseGy?["heart"], "\(key)")
                    #expect(abs(heart - want) < 1e-12, "\(key): heart in Gy")
                    #expect(course.organMeanDoseGy?["breast"] == 12)
                    dosed += 1
                } else {
                    #expect(course.organMeanDoseGy == nil, "\(key): a flagged or undosed course has no organ doses")
                    undosed += 1
                }
            }
        }
        #expect(dosed > 100 && undosed > 50)
        let breastPlans = summaries.compactMap { s in SurveillanceRules.plan(for: s).items.first { $0.rule == "breast_cancer" } }
        #expect(breastPlans.contains { $0.doseBasis.contains("breast mean dose 12.0 Gy from the RT organ doses") }, "the breast rule uses the reconstructed breast dose")
    }
}
