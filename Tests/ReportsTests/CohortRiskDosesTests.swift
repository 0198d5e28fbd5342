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

/// Radiotherapy courses in the cohort risk: a synthetic RT registry loaded with validation, and
/// `rt_course_organ_dose` rows written as `harmonic rt dose --store` writes them.
@Suite("Cohort risk from a store: radiotherapy courses")
struct CohortRiskRadiotherapyTests {
    /// Store path and, per course key (`SITE/pseudonym start`), the child's age at the start.
    static let store = Result(catching: { () throws -> String in
        let dir = try SharedData.temporaryDirectory("risk-cohort-rt")
        let extract = dir.appendingPathComponent("extract"), storePath = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 16, cardiacChildren: 0, radiotherapyChildren: 120, corruptFraction: 0), to: extract)
        let key = try Pseudonymiser(keyBytes: [UInt8](repeating: 7, count: 32))
        for folder in summary.siteFolders where folder.hasSuffix("radiotherapy") {
            let site = String(folder.prefix(2)).uppercased()
            let files = ["patients", "rt_courses"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try RegistryStore(path: storePath, role: .dataManager(site: site)).ingest(files: files, site: site, pseudonymiser: key, user: "test")
        }
        // Course k: lung 10 Gy, heart 20 Gy, red marrow 0.5 Gy, thyroid 0.1 Gy; every fourth flagged.
        try RegistryStore(path: storePath, role: .analyst).backend.write { db in
            let courses = try db.fetch("SELECT site, course_id, patient_pseudonym, start_date FROM rt_courses ORDER BY site, course_id", [])
            for (k, c) in courses.enumerated() {
                let flagged = k % 4 == 3
                try db.execute("""
                    INSERT INTO rt_course_organ_dose (site, course_id, patient_pseudonym, start_date, tier, lung_mgy, heart_mgy, red_marrow_mgy, thyroid_mgy, run_id, input_hash)
                    VALUES (?, ?, ?, ?, ?, 10000, 20000, 500, 100, 1, 'test')
                    """, [c[0], c[1], c[2], c[3], (flagged ? "flagged" : "course_record").databaseValue])
            }
        }
        return storePath
    })

    @Test("each dosed course is one exposure at the child's age at its start; flagged courses are counted and left out")
    func coursesBecomeExposures() throws {
        let path = try Self.store.get()
        let cohort = try CohortRiskDoses.read(storePath: path, exposures: [.radiotherapy])
        #expect(cohort.radiotherapyCourses > 100)
        #expect(cohort.flaggedCourses == cohort.radiotherapyCourses / 4)
        #expect(cohort.children.reduce(0) { $0 + $1.exposures.count } == cohort.radiotherapyCourses - cohort.flaggedCourses)
        #expect(cohort.children.allSatisfy { c in c.exposures.allSatisfy { (0..<19).contains($0.ageYears) } })
        #expect(cohort.children.allSatisfy { cohort.types[$0.id] == [.radiotherapy] })
        #expect(try CohortRiskDoses.read(storePath: path, exposures: [.cardiac]).children.isEmpty)
    }

    @Test("therapeutic mean doses go through the OED rules: lung 10 Gy -> 10 e^(-1.29) Gy, marrow 0.5 Gy linear, heart 20 Gy left out")
    func organDosesFollowTheRules() throws {
        let path = try Self.store.get()
        let cohort = try CohortRiskDoses.read(storePath: path, exposures: [.radiotherapy])
        let x = try #require(cohort.children.first?.exposures.first)
        #expect(abs((x.doses[.lung]?.value ?? -1) - 10 * exp(-0.129 * 10)) < 1e-9)   // shipped alpha 0.129 (Schneider 2005)
        #expect(abs((x.doses[.leukaemia]?.value ?? -1) - 0.5) < 1e-12)
        #expect(abs((x.doses[.thyroid]?.value ?? -1) - 0.1 * exp(-0.033 * 0.1)) < 1e-12)   // shipped alpha 0.033
        #expect(cohort.leftOut["heart"] == cohort.radiotherapyCourses - cohort.flaggedCourses)
    }

    @Test("the report's risk section shows the radiotherapy children by risk band and the organ doses left out")
    func reportSection() throws {
        let path = try Self.store.get()
        let section = CohortRiskSection.compute(storePath: path, draws: 50)
        #expect(section.notComputed == nil, "\(section.notComputed ?? "")")
        #expect(section.groups.map(\.label) == ["Radiotherapy"])
        var report = HTMLReport(title: "t")
        section.append(to: &report)
        let html = report.html()
        #expect(html.contains("Children per risk band"))
        #expect(html.contains("<svg"))
        #expect(html.contains("heart \(section.radiotherapyCourses - section.flaggedCourses)"))
        // A 10 Gy lung course at age < 19 gives an LAR well above 1 in 1,000: no child in the lowest band.
        #expect(section.groups[0].risks.allSatisfy { $0.estimate > 1e-3 })
    }

    @Test("harmonic risk lar --store --child projects the child's stored exposures: the same total LAR as the cohort projection")
    func larOfOneChildFromTheStore() throws {
        let path = try Self.store.get()
        let cohort = try CohortRiskDoses.read(storePath: path, exposures: Set(CohortRiskDoses.ExposureType.allCases))
        let child = try #require(cohort.children.first)
        let harmonic = SharedData.repositoryRoot.appendingPathComponent(".build/debug/harmonic").path
        try #require(FileManager.default.isExecutableFile(atPath: harmonic), "the harmonic executable is built with the tests")
        let out = try PeerTool.run(harmonic, ["risk", "lar", "--store", path, "--child", child.id, "--draws", "50", "--json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        let total = try #require((json["total"] as? [String: Any])?["incidence"] as? [String: Any])
        let estimate = try #require(total["estimate"] as? Double)
        let models = try Beir7Models.beir7()
        let model = LifetimeRiskModel(models: models, baseline: try Baseline.load("who-region1"),
                                      draws: ParameterDraws(models: models, count: 50, seed: 20_051_115))
        let expected = try #require(CohortRisk(model: model).risks([child]).first).estimate
        #expect(abs(estimate - expected) <= 1e-9 * max(expected, 1e-12), "CLI \(estimate), cohort \(expected)")
        let unknown = try? PeerTool.run(harmonic, ["risk", "lar", "--store", path, "--child", "XX/nobody"])
        #expect(unknown == nil, "an unknown child is an error")
    }
}
