import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Reports
import Synthesis
import Testing

/// `harmonic synth` gives the RT registry's biomarkers and PedsQL scores a known dose effect
/// (`OutcomeDoseEffects`), and the store-to-fit path (`outcomeObservations` + `OutcomeDoseResponse`)
/// recovers it. True doses are written by hand here (heart 0-40 Gy, brain 0-60 Gy by child number),
/// so the test is independent of the RT dose models.
@Suite("Synthetic biomarker and PRO dose effects are recovered from the store", .serialized)
struct SyntheticOutcomeEffectTests {
    static func heartGy(_ k: Int) -> Double { Double(k * 37 % 41) }
    static func brainGy(_ k: Int) -> Double { Double(k * 53 % 61) }

    /// (store, extract, biomarker values before the effects were applied keyed by measurement id).
    static let fixture = Result(catching: { () throws -> (store: String, extract: URL, before: [String: Double], index: [String: Int]) in
        let dir = try SharedData.temporaryDirectory("outcome-effects")
        let extract = dir.appendingPathComponent("extract"), storePath = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: storePath + suffix) }
        try? FileManager.default.removeItem(at: extract)
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 21, cardiacChildren: 0, radiotherapyChildren: 2000, corruptFraction: 0), to: extract)
        // Hand-made truth: one dose per child.
        var truth = "course_id,patient_id,heart_mgy,brain_mgy\n", before: [String: Double] = [:]
        var patientIndex: [String: Int] = [:]
        for folder in summary.siteFolders where folder.hasSuffix("radiotherapy") {
            let patients = try String(contentsOf: extract.appendingPathComponent(folder).appendingPathComponent("patients.csv"), encoding: .utf8)
            for line in patients.split(separator: "\n").dropFirst() {
                let pid = String(line.split(separator: ",")[0])
                let k = patientIndex.count
                patientIndex[pid] = k
                truth += "\(pid)-RT1,\(pid),\(Self.heartGy(k) * 1000),\(Self.brainGy(k) * 1000)\n"
            }
            let bio = try String(contentsOf: extract.appendingPathComponent(folder).appendingPathComponent("biomarker_measurements.csv"), encoding: .utf8)
            for line in bio.split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",").map(String.init)
                before[f[0]] = Double(f[3])
            }
        }
        try FileManager.default.createDirectory(at: extract.appendingPathComponent("truth"), withIntermediateDirectories: true)
        try truth.write(to: extract.appendingPathComponent("truth/rt_organ_doses.csv"), atomically: true, encoding: .utf8)
        try OutcomeDoseEffects.apply(extract: extract)
        var keys: [String: Pseudonymiser] = [:]
        for folder in summary.siteFolders where folder.hasSuffix("radiotherapy") {
            let site = String(folder.prefix(2)).uppercased()
            keys[site] = try Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 3, count: 32))
            let files = ["patients", "rt_courses", "biobank_samples", "biomarker_measurements", "pro_scores"]
                .map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            let report = try RegistryStore(path: storePath, role: .dataManager(site: site))
                .ingest(files: files, site: site, pseudonymiser: keys[site]!, user: "test")
            precondition(report.exitCode == 0, "\(folder) loads clean")
        }
        // The same true doses as `harmonic rt dose --store` rows (mGy), keyed by course (the store
        // holds each course id as its keyed hash under the site key).
        var childOfCourse: [String: Int] = [:]
        for (pid, k) in patientIndex { childOfCourse[keys[String(pid.prefix(2))]!.pseudonym(for: pid + "-RT1", column: "course_id")] = k }
        try RegistryStore(path: storePath, role: .analyst).backend.write { db in
            for r in try db.fetch("SELECT site, course_id, patient_pseudonym, start_date FROM rt_courses", []) {
                let k = childOfCourse[String.fromDatabaseValue(r[1])!]!
                try db.execute("""
                    INSERT INTO rt_course_organ_dose (site, course_id, patient_pseudonym, start_date, tier, heart_mgy, brain_mgy, run_id, input_hash)
                    VALUES (?, ?, ?, ?, 'course_record', ?, ?, 1, 'test')
                    """, [r[0], r[1], r[2], r[3], (Self.heartGy(k) * 1000).databaseValue, (Self.brainGy(k) * 1000).databaseValue])
            }
        }
        return (storePath, extract, before, patientIndex)
    })

    @Test("after-RT NT-proBNP and troponin T values are multiplied by exp(0.02 and 0.01 x heart dose); before-RT values, TSH and CRP are unchanged")
    func effectsAreApplied() throws {
        let (_, extract, before, index) = try Self.fixture.get()
        var checked = 0, unchanged = 0
        for folder in try FileManager.default.contentsOfDirectory(atPath: extract.path) where folder.hasSuffix("-radiotherapy") {
            let dir = extract.appendingPathComponent(folder)
            var timePoint: [String: String] = [:], patientOf: [String: String] = [:]
            for line in try String(contentsOf: dir.appendingPathComponent("biobank_samples.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",").map(String.init); timePoint[f[0]] = f[4]; patientOf[f[0]] = f[1]
            }
            for line in try String(contentsOf: dir.appendingPathComponent("biomarker_measurements.csv"), encoding: .utf8).split(separator: "\n").dropFirst() {
                let f = line.split(separator: ",").map(String.init)
                let old = try #require(before[f[0]]), new = Double(f[3])!
                let effects: [String: Double] = ["nt_probnp": 0.02, "troponin_t": 0.01]
                let perGy = effects[f[2]] ?? 0
                if perGy != 0, timePoint[f[1]] != "before_rt" {
                    let patient = try #require(patientOf[f[1]])
                    let heart = Self.heartGy(try #require(index[patient]))
                    #expect(abs(new - old * exp(perGy * heart)) <= 0.005 + 1e-9, "\(f[0]) \(f[2]): \(old) -> \(new) at \(heart) Gy")
                    checked += 1
                } else {
                    #expect(new == old, "\(f[0]) \(f[2]) at \(timePoint[f[1]] ?? "?") is unchanged")
                    unchanged += 1
                }
            }
        }
        #expect(checked > 200 && unchanged > 1000)
        #expect(throws: InputError.self) { try OutcomeDoseEffects.apply(extract: extract) }   // not twice
    }

    @Test("NT-proBNP against heart dose recovers the true +0.02 per Gy within its 95% interval, and TSH (no effect) covers 0")
    func biomarkerEffectIsRecovered() throws {
        let (store, _, _, _) = try Self.fixture.get()
        let registry = try RegistryStore(path: store, role: .analyst)
        let nt = try OutcomeDoseResponse.biomarkerChange(outcome: "nt_probnp", organ: "heart", registry.outcomeObservations(outcome: "nt_probnp", organ: .heart).observations)
        #expect(nt.children > 150)
        #expect(nt.lower95 <= 0.02 && 0.02 <= nt.upper95, "\(nt.perGy) (\(nt.lower95)-\(nt.upper95))")
        #expect(nt.lower95 > 0, "the effect is detected")
        let tsh = try OutcomeDoseResponse.biomarkerChange(outcome: "tsh", organ: "heart", registry.outcomeObservations(outcome: "tsh", organ: .heart).observations)
        #expect(tsh.lower95 <= 0 && 0 <= tsh.upper95, "\(tsh.perGy) (\(tsh.lower95)-\(tsh.upper95))")
    }

    @Test("PedsQL against brain dose recovers the true -0.15 points per Gy within its 95% interval")
    func scoreEffectIsRecovered() throws {
        let (store, _, _, _) = try Self.fixture.get()
        let data = try RegistryStore(path: store, role: .analyst).outcomeObservations(outcome: "pedsql_total", organ: .brain)
        #expect(data.kind == .score)
        let fit = try OutcomeDoseResponse.repeatedScores(outcome: "pedsql_total", organ: "brain", data.observations)
        #expect(fit.observations > fit.children, "repeated scores per child")
        #expect(fit.lower95 <= -0.15 && -0.15 <= fit.upper95, "\(fit.perGy) (\(fit.lower95)-\(fit.upper95))")
        #expect(fit.upper95 < 0, "the effect is detected")
    }

    @Test("an outcome the store does not hold is an error listing the analytes and instruments it does hold")
    func unknownOutcome() throws {
        let (store, _, _, _) = try Self.fixture.get()
        do {
            _ = try RegistryStore(path: store, role: .analyst).outcomeObservations(outcome: "bnp", organ: .heart)
            Issue.record("expected an error")
        } catch let e as InputError {
            #expect("\(e)".contains("nt_probnp") && "\(e)".contains("pedsql_total") && "\(e)".contains("bnp"))
        }
    }

    @Test("a child whose course is flagged has no dose and is left out and counted, not given zero")
    func flaggedCourseLeavesChildOut() throws {
        let (store, _, _, _) = try Self.fixture.get()
        let dir = try SharedData.temporaryDirectory("outcome-effects-flagged")
        let copy = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        let registry = try RegistryStore(path: copy, role: .analyst)
        let before = try registry.outcomeObservations(outcome: "pedsql_total", organ: .brain)
        let child = try #require(before.observations.first?.child)
        let parts = child.split(separator: "/").map(String.init)
        try registry.backend.write { db in
            try db.execute("UPDATE rt_course_organ_dose SET tier = 'flagged', brain_mgy = NULL WHERE site = ? AND patient_pseudonym = ?",
                           [parts[0].databaseValue, parts[1].databaseValue])
        }
        let after = try registry.outcomeObservations(outcome: "pedsql_total", organ: .brain)
        #expect(!after.observations.contains { $0.child == child })
        #expect(after.childrenWithoutDose == before.childrenWithoutDose + 1)
    }

    @Test("the report section tabulates each outcome's dose coefficient beside the synthetic truth and plots three of them")
    func reportSection() throws {
        let (store, extract, _, _) = try Self.fixture.get()
        let section = OutcomeDoseSection.compute(store: try RegistryStore(path: store, role: .analyst),
                                                 truthFile: extract.appendingPathComponent("truth/\(OutcomeDoseEffects.truthFileName)"))
        #expect(section.rows.map(\.outcome) == ["nt_probnp", "troponin_t", "tsh", "pedsql_total"])
        #expect(section.rows.allSatisfy { $0.fit != nil })
        #expect(section.rows.map { $0.truePerGy } == [0.02, 0.01, 0, -0.15])
        var report = HTMLReport(title: "t")
        section.append(to: &report)
        let html = report.html()
        #expect(html.components(separatedBy: "<svg").count - 1 == 3)
        #expect(html.contains("Synthetic truth"))
    }
}
