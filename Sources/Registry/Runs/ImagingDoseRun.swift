import Dosimetry
import Foundation
import GRDB
import HarmonicCore
import RTDose

/// Organ doses for every imaging row of the store (`diagnostic_imaging` and `rt_imaging`), part
/// of `harmonic dose --store`: each row gets a tier (`ImagingDoseTier`: CTDIvol recorded, DLP
/// only, effective dose recorded, no ionising radiation, not modelled, flagged), central organ
/// doses from Harmonic's CT coefficients (`ImagingDoseCalculator`) and uncertainty realisations
/// with errors shared by (site, era, scanner) and by body region (`ImagingRealisations`).
///
/// Writes `imaging_exam_organ_dose`, `imaging_dose_runs`, the realisation file
/// `<store>.imaging-realisations` (the cardiac format, `DoseQuantity` order, mGy and mSv) with
/// its index `.index.csv`, and rebuilds `child_exposure_organ_dose` (`ChildExposureTotals`).
/// Incremental: an exam whose input hash (row, child, model tables, seed, realisations) matches
/// the stored one keeps its row and its realisations are copied (`IncrementalRealisationFile`).
public enum ImagingDoseRun {
    public struct Summary: Sendable, Codable {
        public var runID: Int64 = 0
        public var exams = 0, computed = 0, reused = 0, removed = 0
        public var byTier: [String: Int] = [:]
        /// Short flag and not-modelled reasons (modality or field) with their number of exams.
        public var reasons: [String: Int] = [:]
        public var realisationFile = ""
        public var seconds = 0.0
        /// Seconds of the write stage (the organ-dose rows, child totals, file and index), as `DoseRun.Summary.writeSeconds`.
        public var writeSeconds = 0.0
    }

    public struct Settings: Sendable {
        public var seed: UInt64
        public var realisations: Int
        public init(seed: UInt64 = 20_261_203, realisations: Int = 1000) { self.seed = seed; self.realisations = realisations }
    }

    public static func realisationPath(store: String) -> String { store + ".imaging-realisations" }
    public static func indexPath(realisationFile: String) -> String { realisationFile + ".index.csv" }
    public static let indexHeader = "row,site,source_table,imaging_id,patient_pseudonym,exam_date,tier,input_hash"

    /// Runs over every imaging row of the store. Only the analyst role (pooled data) may run it.
    public static func run(store: RegistryStore, storePath: String, settings: Settings = Settings(),
                           calculator: ImagingDoseCalculator? = nil, user: String = NSUserName(),
                           stage: (String) -> Void = { _ in }) throws -> Summary {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "compute imaging organ doses for the pooled registry") }
        let started = Date()
        var summary = Summary()
        let calc = try calculator ?? ImagingDoseCalculator.loadDefault()
        let model = try ImagingRealisationModel(calc)
        // MV portal images: organ dose per Gy of the treatment field (RTDose course-record tier), one phantom per age and sex.
        let courses = try CourseDoseCache()
        let identity = modelIdentity(calc, model, settings)
        summary.runID = try store.backend.write { db in
            try db.insertReturningID("INSERT INTO imaging_dose_runs (\"user\", started_at, seed, realisations, model, status) VALUES (?,?,?,?,?, 'running')",
                                     [user.databaseValue, UTCTimestamp.string(from: started).databaseValue, String(settings.seed).databaseValue,
                                      settings.realisations.databaseValue, identity.databaseValue], idColumn: "run_id")
        }
        stage("reading diagnostic_imaging and rt_imaging")
        let exams = try ImagingExamInput.read(store)
        summary.exams = exams.count
        let hashes = exams.map { DoseRun.hex($0.inputHash(model: identity)) }
        let previous: [String: (hash: String, row: Int?, tier: String)] = try store.backend.read { db in
            var out: [String: (String, Int?, String)] = [:]
            try db.forEach("SELECT site, source_table, imaging_id, input_hash, realisation_row, tier FROM imaging_exam_organ_dose", []) { r in
                out[(r.string(0) ?? "") + "\u{1F}" + (r.string(1) ?? "") + "\u{1F}" + (r.string(2) ?? "")] = (r.string(3) ?? "", r.int(4), r.string(5) ?? "")
            }
            return out
        }
        let path = realisationPath(store: storePath)
        let storeName = (storePath as NSString).lastPathComponent
        var evaluations = [ImagingExamEvaluation?](repeating: nil, count: exams.count)
        func evaluate(_ i: Int) {
            let e = exams[i]
            evaluations[i] = ImagingExamEvaluation.evaluate(e, calculator: calc, courses: courses, where: "\(storeName), table \(e.source.rawValue), row \(e.site)/\(e.imagingID)")
        }
        // Only exams with a value (dosed, recorded, zero) have a row in the realisation file: flagged and
        // not-modelled exams would hold NaN rows (a synthetic registry's radiographs alone would make
        // the file ten times larger). An unchanged exam without a value is not touched at all.
        var hasRow = [Bool](repeating: false, count: exams.count)
        stage("organ doses of the exams by tier")
        for (i, e) in exams.enumerated() {
            if let p = previous[e.lookupKey], p.hash == hashes[i] {
                if !Self.holdsRealisations(p.tier) { continue }
                if p.row != nil { hasRow[i] = true; continue }
            }
            evaluate(i)
            hasRow[i] = Self.holdsRealisations(evaluations[i]!.tier.rawValue)
        }
        let fileExams = exams.indices.filter { hasRow[$0] }
        var fileRow = [Int?](repeating: nil, count: exams.count)
        for (r, i) in fileExams.enumerated() { fileRow[i] = r }
        let file = IncrementalRealisationFile(path: path, quantities: DoseQuantity.count, realisations: settings.realisations,
                                              keys: fileExams.map { exams[$0].lookupKey }, hashes: fileExams.map { hashes[$0] },
                                              previous: previous.mapValues { ($0.hash, $0.row) })
        for (r, i) in fileExams.enumerated() where !file.isUnchanged(r) && evaluations[i] == nil { evaluate(i) }

        var displayKeys: [String] = [], modelKeys: [String] = []
        var displayIndex: [String: Int] = [:], modelIndex: [String: Int] = [:]
        var modelGSD: [String: Double] = [:], displayGSD: [String: Double] = [:]
        guard let typicalTechniqueGSD = calc.componentGSD("radiography_typical_technique") else {
            throw DoseModelError("imaging-dose-uncertainty.csv: no component 'radiography_typical_technique' (needed by the realisations of radiographs without a recorded dose)")
        }
        guard let typicalCTGSD = calc.componentGSD("ct_typical_technique") else {
            throw DoseModelError("imaging-dose-uncertainty.csv: no component 'ct_typical_technique' (needed by the realisations of CT exams without a recorded dose)")
        }
        var draws = [ImagingExamDraw?](repeating: nil, count: exams.count)
        for (i, e) in exams.enumerated() {
            guard let ev = evaluations[i], ev.tier != .flagged && ev.tier != .notModelled else { continue }
            let year = CalendarDate(iso: e.date).map { 1970 + Double($0.dayNumber) / 365.25 } ?? 2000
            let imager = ev.tier.isRadiotherapyImager
            let xray = ev.tier == .xrayDoseRecorded || (ev.tier == .typicalTechnique && e.modality != "ct")
            let imagerName = ev.tier == .mvDoseRecorded ? "radiotherapy MV imager" : "radiotherapy kV imager"
            var dk = "\(e.site)|\(DoseEra(year: year))|\(e.scanner ?? (e.source == .radiotherapy ? (imager ? imagerName : "radiotherapy planning CT") : xray ? "X-ray room not recorded" : "scanner not recorded"))"
            // An exam without a recorded dose: the hospital's technique vs. the typical one, shared by site, era and modality.
            if ev.tier == .typicalTechnique {
                let ct = e.modality == "ct"
                dk = "\(e.site)|\(DoseEra(year: year))|" + (ct ? "typical CT technique" : "typical radiographic technique")
                if displayGSD[dk] == nil { displayGSD[dk] = ct ? typicalCTGSD : typicalTechniqueGSD }
            }
            // RT kV and MV imaging, radiography and fluoroscopy have their own models (and GSDs): a group per modality and region.
            let mk = imager || xray ? "\(e.modality):\(ev.region.lowercased())" : ev.region.lowercased()
            if imager || xray, modelGSD[mk] == nil, let m = ImagingModality(rawValue: e.modality), let g = calc.modelGSD(m) { modelGSD[mk] = g }
            let d = displayIndex[dk] ?? { displayIndex[dk] = displayKeys.count; displayKeys.append(dk); return displayKeys.count - 1 }()
            let m = modelIndex[mk] ?? { modelIndex[mk] = modelKeys.count; modelKeys.append(mk); return modelKeys.count - 1 }()
            draws[i] = ImagingExamDraw(central: ev.central, monteCarloSigma: ev.monteCarloSigma, displayGroup: d, modelGroup: m, fromDLP: ev.fromDLP,
                                       uncertain: ev.tier.isModelled, stream: StableHash.of(e.key))
        }

        stage("drawing \(settings.realisations) realisations per exam")
        let generator = ImagingRealisations(displayKeys: displayKeys, modelKeys: modelKeys, realisations: settings.realisations, model: model, seed: settings.seed,
                                             modelGSDs: modelGSD, displayGSDs: displayGSD)
        let perRow = DoseQuantity.count * settings.realisations
        var means = [[Double]?](repeating: nil, count: exams.count)
        let allDraws = fileExams.map { draws[$0] }
        try file.write(rows: fileExams.count, seed: settings.seed) { range, block in
            let box = UnsafeSendable(block)
            let blockMeans = UnsafeMutableBufferPointer<Double>.allocate(capacity: range.count * DoseQuantity.count)
            defer { blockMeans.deallocate() }
            blockMeans.initialize(repeating: .nan)
            let meansBox = UnsafeSendable(blockMeans)
            DispatchQueue.concurrentPerform(iterations: range.count) { k in
                guard let draw = allDraws[range.lowerBound + k] else { return }
                let row = UnsafeMutableBufferPointer(rebasing: box.value[k * perRow ..< (k + 1) * perRow])
                generator.fill(draw, into: row)
                for q in 0..<DoseQuantity.count {
                    var sum = 0.0
                    for r in 0..<settings.realisations { sum += Double(row[q * settings.realisations + r]) }
                    meansBox.value[k * DoseQuantity.count + q] = sum / Double(settings.realisations)
                }
            }
            for k in 0..<range.count where allDraws[range.lowerBound + k] != nil {
                means[fileExams[range.lowerBound + k]] = Array(blockMeans[k * DoseQuantity.count ..< (k + 1) * DoseQuantity.count])
            }
        }

        stage("writing imaging_exam_organ_dose and child_exposure_organ_dose")
        let writeStarted = Date()
        let runID = summary.runID
        var index = [indexHeader]
        try store.backend.write { db in
            let keep = Set(exams.map(\.lookupKey))
            for key in previous.keys where !keep.contains(key) {
                let p = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                try db.execute("DELETE FROM imaging_exam_organ_dose WHERE site = ? AND source_table = ? AND imaging_id = ?",
                               [p[0].databaseValue, p[1].databaseValue, p[2].databaseValue])
                summary.removed += 1
            }
            // Batched, as the cardiac run (PostgreSQL: 1,000 rows a statement; SQLite: row by row on a prepared statement).
            let key = ["site", "source_table", "imaging_id"]
            let insert = try db.prepareBatch(BatchTarget(table: "imaging_exam_organ_dose", columns: key + [
                "patient_pseudonym", "exam_date", "modality", "region", "tier", "flag_reason",
                "ctdivol_mgy_used", "sessions"] + DoseQuantity.columnNames + ["input_hash", "run_id", "realisation_row"], key: key, mode: .upsert))
            let moveRow = try db.prepareBatch(BatchTarget(table: "imaging_exam_organ_dose", columns: ["realisation_row"] + key, key: key, mode: .update))
            for (i, e) in exams.enumerated() {
                let tier: String
                if let ev = evaluations[i] {
                    tier = ev.tier.rawValue
                    let finite: (Double) -> DatabaseValueConvertible? = { $0.isFinite ? $0 : nil }
                    // The mean over realisations; for exams drawn without error (effective recorded, no ionising) it is the value itself.
                    let values = ev.tier.isModelled ? (means[i] ?? ev.central) : ev.central
                    var args: [DatabaseValueConvertible?] = [e.site, e.source.rawValue, e.imagingID, e.patient, e.date, e.modality, ev.region, tier, ev.reason,
                                                             ev.ctdivolUsed.flatMap(finite), e.sessions ?? 1]
                    args += (ev.tier.hasOrganDoses || ev.tier == .effectiveRecorded ? values : ImagingExamEvaluation.nothing).map(finite)
                    args += [hashes[i], runID, fileRow[i]]
                    try insert.add(args.map { $0?.databaseValue ?? .null })
                    summary.computed += 1
                    if let r = ev.reason, ev.tier == .flagged || ev.tier == .notModelled { summary.reasons[reasonKind(r), default: 0] += 1 }
                } else {
                    let key = e.lookupKey
                    tier = previous[key]?.tier ?? "flagged"
                    if let row = fileRow[i] {
                        try moveRow.add([row.databaseValue, e.site.databaseValue, e.source.rawValue.databaseValue, e.imagingID.databaseValue])
                    }
                    summary.reused += 1
                }
                summary.byTier[tier, default: 0] += 1
                if let row = fileRow[i] {
                    index.append([String(row), RTDoseRun.csv(e.site), e.source.rawValue, RTDoseRun.csv(e.imagingID), RTDoseRun.csv(e.patient), e.date, tier, hashes[i]]
                        .joined(separator: ","))
                }
            }
            try insert.finish(); try moveRow.finish()
            // Rows of an earlier format pointed every exam into the file: exams without a value point nowhere.
            try db.execute("UPDATE imaging_exam_organ_dose SET realisation_row = NULL WHERE tier IN ('flagged', 'not_modelled') AND realisation_row IS NOT NULL")
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        try file.commit()
        try (index.joined(separator: "\n") + "\n").write(toFile: indexPath(realisationFile: path), atomically: true, encoding: .utf8)
        summary.realisationFile = path
        try store.backend.write { db in
            let v: [any DatabaseValueConvertible] = [UTCTimestamp.string(from: Date()), summary.exams, summary.computed, summary.reused,
                                                     summary.byTier["flagged"] ?? 0, path, runID]
            try db.execute("""
                UPDATE imaging_dose_runs SET finished_at = ?, exams = ?, computed = ?, reused = ?, flagged = ?, realisation_file = ?, status = 'finished'
                WHERE run_id = ?
                """, v.map(\.databaseValue))
        }
        summary.writeSeconds = Date().timeIntervalSince(writeStarted)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Whether exams of a tier have a row in the realisation file (a dose, a recorded value or a true zero).
    static func holdsRealisations(_ tier: String) -> Bool { tier != ImagingDoseTier.flagged.rawValue && tier != ImagingDoseTier.notModelled.rawValue }

    /// Forgets every imaging dose (table and side files) so that the next run recomputes all.
    public static func clear(store: RegistryStore, storePath: String) throws {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "clear the imaging organ doses") }
        try store.backend.write { db in
            try db.execute("DELETE FROM imaging_exam_organ_dose")
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        let path = realisationPath(store: storePath)
        for f in [path, indexPath(realisationFile: path)] { try? FileManager.default.removeItem(atPath: f) }
    }

    /// Short class of a reason for the summary: the modality not modelled or the field named.
    static func reasonKind(_ reason: String) -> String {
        if let r = reason.range(of: "modality '") { return "not modelled: " + reason[r.upperBound...].prefix { $0 != "'" } }
        if reason.contains("rt_imaging records no effective dose") { return "not modelled: RT PET-CT" }
        if let r = reason.range(of: "field '") { return String(reason[r.upperBound...].prefix { $0 != "'" }) }
        return "other"
    }

    /// Identity of the models and settings: CT table header, uncertainty GSDs, seed and realisations.
    static func modelIdentity(_ calc: ImagingDoseCalculator, _ model: ImagingRealisationModel, _ s: Settings) -> String {
        var h = StableHash()
        for line in calc.ct.header { h.add(line) }
        h.add(calc.ct.entries.count)
        for line in calc.kv?.header ?? [] { h.add(line) }
        h.add(calc.kv?.entries.count ?? 0)
        for c in calc.components { h.add(c.component); h.add(c.gsd) }
        for g in [model.display, model.model, model.scanRange, model.lengthFromDLP] { h.add(g) }
        h.add(calc.reference.identity)
        // planar MV: the RTDose course-record photon model's parameters.
        h.add("planar_mv 1")
        if let photon = try? ModelParameters.resource(ModelParameters.photonFile) {
            for k in photon.values.keys.sorted() { h.add(k); h.add(photon.values[k]!) }
        }
        h.add(Int(bitPattern: UInt(s.seed))); h.add(s.realisations)
        return "imaging 1; CT coefficients and uncertainty \(DoseRun.hex(h.value))"
    }
}
