import Dosimetry
import Foundation
import HarmonicCore
import HarmonicTestSupport
import RTDose
import Registry
import Testing
@testable import Synthesis

@Suite("Synthetic diagnostic imaging of cardiac children: rates, recorded values, true organ doses, and the store reconstruction against them")
struct ImagingTruthTests {
    static let config = SynthesisConfiguration(seed: 23, cardiacChildren: 3000, radiotherapyChildren: 0, corruptFraction: 0)

    static func cardiacRows(_ dir: URL, _ summary: SynthesisSummary, table: String) throws -> [[String: String]] {
        try summary.siteFolders.filter { $0.hasSuffix("-cardiac") }.flatMap { try SynthFixture.rows(dir.appendingPathComponent("\($0)/\(table).csv")) }
    }

    @Test("synth writes CT and chest radiographs from 2000 to 2020 at the cited Norwegian ratio (8.52 radiographs per 0.374 CT, Afroz et al. 2023), CTDIvol recorded from 2010, DLP from 2002 and no dose before, each exam with a truth row")
    func ratesAndRecords() throws {
        let (dir, summary) = try SynthFixture.make(Self.config, name: "imaging-rates")
        let rows = try Self.cardiacRows(dir, summary, table: "diagnostic_imaging")
        let ct = rows.filter { $0["modality"] == "ct" }, xr = rows.filter { $0["modality"] == "radiography" }
        #expect(ct.count > 100 && xr.count > 20 * ct.count / 2, "\(ct.count) CT, \(xr.count) radiographs")
        // Poisson counts with per-country rate factors (GSD 1.5): the ratio is the cited one within 25%.
        let ratio = Double(xr.count) / Double(ct.count)
        #expect(abs(ratio / (8.52 / 0.374) - 1) < 0.25, "radiographs per CT \(ratio), cited 22.8")
        for r in rows {
            let year = Int(r["exam_date"]!.prefix(4))!
            #expect((2000...2020).contains(year), "exam \(r["imaging_id"]!) in \(year)")
            if r["modality"] == "ct" {
                #expect((Double(r["dlp_mgycm"] ?? "") != nil) == (year >= 2002), "DLP recorded from 2002 only (\(r["imaging_id"]!))")
                #expect((Double(r["ctdivol_mgy"] ?? "") != nil) == (year >= 2010), "CTDIvol recorded from 2010 only (\(r["imaging_id"]!))")
            } else {
                #expect((Double(r["entrance_air_kerma_mgy"] ?? "") != nil) == (year >= 2010), "a radiograph's entrance air kerma recorded from 2010 only (\(r["imaging_id"]!))")
            }
        }
        let truth = try SynthFixture.rows(dir.appendingPathComponent("truth/\(DiagnosticImagingSimulator.truthFileName)"))
        #expect(Set(truth.map { $0["imaging_id"]! }) == Set(rows.map { $0["imaging_id"]! }))
        let doses = try SyntheticImagingTruth.write(extract: dir)
        #expect(doses == ct.count + xr.count, "every CT and radiograph has true organ doses")
        let organ = try SynthFixture.rows(dir.appendingPathComponent("truth/\(SyntheticImagingTruth.fileName)"))
        let chest = organ.filter { $0["body_region"] == "chest" && $0["modality"] == "ct" }.compactMap { Double($0["lung_mgy"] ?? "") }
        let head = organ.filter { $0["body_region"] == "head" && $0["modality"] == "ct" }.compactMap { Double($0["brain_mgy"] ?? "") }
        // Lung dose of a paediatric chest CT: a few mGy per mGy CTDIvol(32 cm) times 2.3-10 mGy; brain dose of a head CT ~ CTDIvol(16 cm).
        #expect(SynthFixture.median(chest) > 2 && SynthFixture.median(chest) < 40, "median lung dose of chest CT \(SynthFixture.median(chest)) mGy")
        #expect(SynthFixture.median(head) > 10 && SynthFixture.median(head) < 100, "median brain dose of head CT \(SynthFixture.median(head)) mGy")
        // A chest radiograph: lungs in the field at about 0.1-0.3 of the 77-280 µGy typical entrance air kerma.
        let xrLung = organ.filter { $0["modality"] == "radiography" }.compactMap { Double($0["lung_mgy"] ?? "") }
        #expect(SynthFixture.median(xrLung) > 0.003 && SynthFixture.median(xrLung) < 0.2, "median lung dose of a chest radiograph \(SynthFixture.median(xrLung)) mGy")
    }

    @Test("harmonic dose --store reconstructs the synthetic CT doses per exam type: median reconstructed/true within 0.75-1.33 (head scans from DLP alone too, with the clinical skull-base-to-vertex scan length) and the 95% range within 0.4-2.5 (CTDIvol display GSD 1.10, body size, and for 2000-2009 the DLP's scan length)")
    func reconstructionAgainstTruth() throws {
        let (dir, summary) = try SynthFixture.make(Self.config, name: "imaging-truth")
        try SyntheticImagingTruth.write(extract: dir)
        let (path, pseudonymisers) = try SynthFixture.ingestAll(dir, summary, name: "imaging-truth-store") {
            try Pseudonymiser(keyBytes: Array(repeating: UInt8($0.utf8.first!), count: 32))
        }
        let store = try RegistryStore(path: path, role: .analyst)
        _ = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let comparison = try ImagingDoseTruthComparison.compute(store: store, truthCSV: dir.appendingPathComponent("truth/\(SyntheticImagingTruth.fileName)"),
                                                                pseudonymisers: pseudonymisers)
        #expect(comparison.unmatched == 0, "every synthetic exam loads and is dosed or classified")
        let ctTiers = comparison.examsByTypeAndTier.filter { $0.key.hasPrefix("ct/") }
        #expect(ctTiers.keys.allSatisfy { $0.hasSuffix("ctdivol_recorded") || $0.hasSuffix("dlp_only") || $0.hasSuffix("typical_technique") || $0.hasSuffix("flagged") },
                "CT tiers \(ctTiers)")
        #expect(ctTiers.keys.contains { $0.hasSuffix("typical_technique") }, "CT exams before 2002 keep no dose and take the typical CTDIvol of their era (\(ctTiers))")
        let flagged = ctTiers.filter { $0.key.hasSuffix("flagged") }.values.reduce(0, +)
        #expect(flagged * 50 < ctTiers.values.reduce(0, +), "fewer than 2% of synthetic CTs flagged (\(flagged))")
        let xrTiers = comparison.examsByTypeAndTier.filter { $0.key.hasPrefix("radiography/") }
        #expect(xrTiers.keys.allSatisfy { $0.hasSuffix("xray_dose_recorded") || $0.hasSuffix("typical_technique") }, "radiography tiers \(xrTiers)")
        var checked = 0
        // Radiographs: from 2010 the recorded entrance air kerma (room display GSD 1.10, body size): as CT; before, the
        // FDA typical value against hospitals' techniques (GSD 2.0 by hospital and era, 1.3 by exam): unbiased, wide.
        for r in comparison.ratios where r.examType == "radiography/chest" && r.n >= 20 && ["red_marrow_mgy", "lung_mgy", "effective_dose_msv"].contains(r.quantity) {
            checked += 1
            if r.tier == "xray_dose_recorded" {
                #expect(r.median > 0.75 && r.median < 1.33, "\(r.tier) \(r.quantity): median \(r.median) over \(r.n)")
                #expect(r.low95 > 0.4 && r.high95 < 2.5, "\(r.tier) \(r.quantity): 95% range \(r.low95)-\(r.high95)")
            } else {
                #expect(r.median > 0.5 && r.median < 2, "\(r.tier) \(r.quantity): median \(r.median) over \(r.n)")
                #expect(r.low95 > 0.05 && r.high95 < 20 && r.high95 / r.low95 > 4, "\(r.tier) \(r.quantity): 95% range \(r.low95)-\(r.high95), as wide as the hospitals' spread")
            }
        }
        #expect(checked == 6, "both radiography tiers compared on three quantities (\(checked))")
        for r in comparison.ratios where r.examType.hasPrefix("ct/") && r.n >= 20 && ["red_marrow_mgy", "lung_mgy", "breast_mgy", "brain_mgy", "effective_dose_msv"].contains(r.quantity) {
            // Only in-field organs of each region (out-of-field organs carry large Monte Carlo noise in the committed table).
            let inField = r.examType == "ct/head" ? ["red_marrow_mgy", "brain_mgy", "effective_dose_msv"].contains(r.quantity)
                : r.examType == "ct/chest" ? r.quantity != "brain_mgy" : ["red_marrow_mgy", "effective_dose_msv"].contains(r.quantity)
            guard inField else { continue }
            checked += 1
            if r.tier == "typical_technique" {
                // No dose recorded (before 2002): the typical CTDIvol of the era against the child's true one (within-group
                // GSD 1.5, display, body size): unbiased within the two P75 readings' difference, and wide.
                #expect(r.median > 0.67 && r.median < 1.5, "\(r.examType) \(r.tier) \(r.quantity): median \(r.median) over \(r.n)")
                #expect(r.low95 > 0.2 && r.high95 < 5 && r.high95 / r.low95 > 2.5, "\(r.examType) \(r.tier) \(r.quantity): 95% range \(r.low95)-\(r.high95)")
                continue
            }
            // Head exams from DLP alone divide by the clinical head scan length (skull base to vertex, 0.69 of the
            // phantom's whole head: CTRegion.clinicalHeadScanFraction); before, by the whole head, their median was ~0.8.
            #expect(r.median > 0.75 && r.median < 1.33, "\(r.examType) \(r.tier) \(r.quantity): median \(r.median) over \(r.n)")
            #expect(r.low95 > 0.4 && r.high95 < 2.5, "\(r.examType) \(r.tier) \(r.quantity): 95% range \(r.low95)-\(r.high95)")
        }
        #expect(checked >= 12, "enough exam types and tiers compared (\(checked))")
    }

    @Test("the RT registry's planning CTs get true organ doses (display factor per site and era, body size), and the store reconstructs them with a median reconstructed/true within 0.75-1.33 per target site")
    func rtPlanningCT() throws {
        let config = SynthesisConfiguration(seed: 29, cardiacChildren: 0, radiotherapyChildren: 120, corruptFraction: 0)
        let (dir, summary) = try SynthFixture.make(config, name: "rt-imaging-truth")
        let dosed = try SyntheticImagingTruth.writeRT(extract: dir, seed: config.seed)
        let (path, pseudonymisers) = try SynthFixture.ingestAll(dir, summary, name: "rt-imaging-truth-store") {
            try Pseudonymiser(keyBytes: Array(repeating: UInt8($0.utf8.last!), count: 32))
        }
        let store = try RegistryStore(path: path, role: .analyst)
        _ = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let c = try ImagingDoseTruthComparison.compute(store: store, truthCSV: dir.appendingPathComponent("truth/\(SyntheticImagingTruth.rtFileName)"),
                                                       pseudonymisers: pseudonymisers, source: .radiotherapy)
        #expect(c.unmatched == 0 && c.matched == 360, "one planning CT, one CBCT and one planar kV row per course: \(c.matched) matched")
        #expect(dosed == c.examsByTypeAndTier.filter { $0.key.hasSuffix("ctdivol_recorded") || $0.key.hasSuffix("kv_index_recorded") }.values.reduce(0, +),
                "every truth dose is reconstructed: \(c.examsByTypeAndTier)")
        #expect(c.examsByTypeAndTier.filter { $0.key.contains("/extremity") }.keys.allSatisfy { $0.hasSuffix("flagged") })
        var checked = 0
        for r in c.ratios where r.n >= 8 && r.examType.hasPrefix("ct/") && ["red_marrow_mgy", "effective_dose_msv"].contains(r.quantity) {
            checked += 1
            #expect(r.median > 0.75 && r.median < 1.33, "\(r.examType) \(r.quantity): median \(r.median) over \(r.n)")
            #expect(r.low95 > 0.4 && r.high95 < 2.5, "\(r.examType) \(r.quantity): 95% range \(r.low95)-\(r.high95)")
        }
        #expect(checked >= 4)
    }

    @Test("the RT registry's CBCT and planar kV rows get true organ doses (display factor per site and era, body size), and the store reconstructs them with a median reconstructed/true within 0.75-1.33 per modality and target site")
    func rtKVImaging() throws {
        let config = SynthesisConfiguration(seed: 31, cardiacChildren: 0, radiotherapyChildren: 120, corruptFraction: 0)
        let (dir, summary) = try SynthFixture.make(config, name: "rt-kv-imaging-truth")
        try SyntheticImagingTruth.writeRT(extract: dir, seed: config.seed)
        let (path, pseudonymisers) = try SynthFixture.ingestAll(dir, summary, name: "rt-kv-imaging-truth-store") {
            try Pseudonymiser(keyBytes: Array(repeating: UInt8($0.utf8.last!), count: 32))
        }
        let store = try RegistryStore(path: path, role: .analyst)
        _ = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let c = try ImagingDoseTruthComparison.compute(store: store, truthCSV: dir.appendingPathComponent("truth/\(SyntheticImagingTruth.rtFileName)"),
                                                       pseudonymisers: pseudonymisers, source: .radiotherapy)
        let kv = c.examsByTypeAndTier.filter { $0.key.hasPrefix("cbct/") || $0.key.hasPrefix("planar_kv/") }
        #expect(kv.values.reduce(0, +) == 240, "every course's CBCT and planar kV row matched: \(kv)")
        #expect(kv.filter { !$0.key.contains("/extremity") }.keys.allSatisfy { $0.hasSuffix("kv_index_recorded") }, "\(kv)")
        var checked = 0
        for r in c.ratios where r.n >= 8 && !r.examType.hasPrefix("ct/") && ["red_marrow_mgy", "effective_dose_msv"].contains(r.quantity) {
            checked += 1
            // Display factor (GSD 1.10) and body size (size age vs. age) are the only differences: unbiased, the range theirs.
            #expect(r.median > 0.75 && r.median < 1.33, "\(r.examType) \(r.quantity): median \(r.median) over \(r.n)")
            #expect(r.low95 > 0.4 && r.high95 < 2.5, "\(r.examType) \(r.quantity): 95% range \(r.low95)-\(r.high95)")
        }
        #expect(checked >= 6, "enough modalities and target sites compared (\(checked))")
    }

    /// How the synthesis skews a red-marrow ratio at one site: reconstructed (the site-typical
    /// port) over true (the course's own port, `SyntheticRTTruth.variation`: boxes scaled GSD 1.15
    /// per axis about their centre, shifted 10 mm), over `ports` varied ports of girls of `ages`;
    /// returns the median ratio and the log-SD with the display factor (GSD 1.10) added.
    /// A marrow cut by a field edge responds to the port unevenly (a port narrowed about the
    /// field's centre draws its edge back into the bone; a widened one adds soft tissue), so the
    /// ratio's median is not 1: about 1.1-1.2 for the abdominal flank, with a log-SD of about 0.4.
    static func marrowPortSkew(site: String, ages: [Double], ports: Int, seed: UInt64, cache: CourseDoseCache) throws -> (median: Double, logSD: Double) {
        var logs: [Double] = []
        for age in ages {
            let typical = try MVPortalImagingDose.doses(site: site, ageYears: age, sex: .female, isocentreDoseMGy: 1, cache: cache)
            for i in 0..<ports {
                let v = SyntheticRTTruth.variation(courseID: "skew-\(site)-\(i)", technique: .conformal3D, seed: seed)
                let varied = try MVPortalImagingDose.doses(site: site, ageYears: age, sex: .female, isocentreDoseMGy: 1, cache: cache,
                                                           port: FieldVariation(scale: v.scale, shiftMillimetres: v.shiftMillimetres))
                logs.append(log(typical.organs[.redMarrow]! / varied.organs[.redMarrow]!))
            }
        }
        logs.sort()
        let mean = logs.reduce(0, +) / Double(logs.count)
        let variance = logs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logs.count - 1)
        return (exp(logs[logs.count / 2]), (variance + pow(log(1.10), 2)).squareRoot())
    }

    @Test("the RT registry's MV portal images (photon courses, mostly before 2010) get true organ doses through each course's own port, and the store's mv_dose_recorded tier reconstructs them: effective dose with a median reconstructed/true within 0.67-1.5, red marrow within the sampling range of the ports' own skew, each 95% range containing 1")
    func rtMVPortal() throws {
        let config = SynthesisConfiguration(seed: 33, cardiacChildren: 0, radiotherapyChildren: 300, corruptFraction: 0)
        let (dir, summary) = try SynthFixture.make(config, name: "rt-mv-imaging-truth")
        let written = try SyntheticMVImagingTruth.write(extract: dir, seed: config.seed)
        #expect(written >= 25, "photon courses with MV portal images among 300 children: \(written)")
        let (path, pseudonymisers) = try SynthFixture.ingestAll(dir, summary, name: "rt-mv-imaging-truth-store") {
            try Pseudonymiser(keyBytes: Array(repeating: UInt8($0.utf8.last!), count: 32))
        }
        let store = try RegistryStore(path: path, role: .analyst)
        _ = try ImagingDoseRun.run(store: store, storePath: path, settings: .init(realisations: 16))
        let c = try ImagingDoseTruthComparison.compute(store: store, truthCSV: dir.appendingPathComponent("truth/\(SyntheticMVImagingTruth.fileName)"),
                                                       pseudonymisers: pseudonymisers, source: .radiotherapy)
        #expect(c.unmatched == 0 && c.matched == written)
        #expect(c.examsByTypeAndTier.keys.allSatisfy { $0.hasPrefix("planar_mv/") && $0.hasSuffix("mv_dose_recorded") }, "\(c.examsByTypeAndTier)")
        // Display factor (GSD 1.10) and the course's own port are the only differences: the effective
        // dose, mostly in the field, is unbiased; the marrow, cut by the field's edges, is skewed by the
        // ports themselves (`marrowPortSkew`), so its median is held to that skew within 3 standard
        // errors of a median of n (1.2533 σ / √n). Until session 17 the marrow was held to 0.67-1.5
        // and the abdominal portal's 1.55 over 6 exams (then 1.51) stood as a known issue. Session 17,
        // 300 children, the ports' skew over 80 ports of a 4-y and a 10-y girl against the exams' median:
        // abdomen 1.13 / 1.12 (n 10), brain 0.97 / 0.89 (19), craniospinal 1.10 / 1.18 (17), extremity
        // 1.49 / 1.15 (12), head and neck 1.06 / 1.06 (15), pelvis 1.12 / 1.51 (9), thorax 0.87 / 0.95 (11).
        let cache = try CourseDoseCache()
        var checked = 0
        for r in c.ratios where r.n >= 5 && ["effective_dose_msv", "red_marrow_mgy"].contains(r.quantity) {
            checked += 1
            if r.quantity == "red_marrow_mgy" {
                let site = String(r.examType.dropFirst("planar_mv/".count))
                let ports = 24
                let skew = try Self.marrowPortSkew(site: site, ages: [8], ports: ports, seed: config.seed, cache: cache)
                // Both medians are estimates: the exams' (n) and the model's (24 ports).
                let band = 3 * 1.2533 * skew.logSD * (1 / Double(r.n) + 1 / Double(ports)).squareRoot()
                #expect(abs(log(r.median / skew.median)) < band,
                        "\(r.examType) marrow: median \(r.median) over \(r.n), the ports' skew \(skew.median) (log-SD \(skew.logSD)): allowed ×/÷ \(exp(band))")
            } else {
                #expect(r.median > 0.67 && r.median < 1.5, "\(r.examType) \(r.quantity): median \(r.median) over \(r.n)")
            }
            #expect(r.low95 <= 1.05 && r.high95 >= 0.95, "\(r.examType) \(r.quantity): 95% range \(r.low95)-\(r.high95) should contain 1")
        }
        #expect(checked >= 2, "enough target sites compared (\(checked))")
    }
}
