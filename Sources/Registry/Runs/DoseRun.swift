import Dosimetry
import Foundation
import GRDB
import HarmonicCore

/// Organ doses for every cardiac procedure of the store (`harmonic dose --store`): reads the
/// procedures and irradiation events, reconstructs each procedure by its tier with uncertainty
/// realisations, writes `procedure_organ_dose`, `child_organ_dose` and `dose_runs`, and the
/// realisation side file `<store>.realisations` with its index `<store>.realisations.index.csv`.
///
/// Incremental: a procedure whose input hash (record, events, model part, seed, source) matches
/// the stored one keeps its row and its realisations are copied from the previous file.
public struct DoseRun: Sendable {
    public struct Summary: Sendable {
        public var runID: Int64 = 0
        public var procedures = 0, events = 0, computed = 0, reused = 0, removed = 0
        public var byTier: [DoseTier: Int] = [:]
        public var realisationFile = ""
        public var readSeconds = 0.0, modelSeconds = 0.0, computeSeconds = 0.0, writeSeconds = 0.0
    }

    /// Path of the realisation file of a store.
    public static func realisationPath(store: String) -> String { store + ".realisations" }
    public static func indexPath(realisationFile: String) -> String { realisationFile + ".index.csv" }

    /// Runs over the whole store. Only the analyst role (pooled data of all sites) may run it.
    /// `progress` hears stage names and the fraction of procedures done.
    public static func run(store: RegistryStore, storePath: String, source: any OrganDoseCoefficientSource,
                           settings: ReconstructionSettings, user: String = NSUserName(),
                           stage: (String) -> Void = { _ in }, progress: (Double) -> Void = { _ in }) throws -> Summary {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "compute organ doses for the pooled registry") }
        var summary = Summary()
        let started = UTCTimestamp.string(from: Date())
        summary.runID = try store.backend.write { db in
            try db.insertReturningID("INSERT INTO dose_runs (\"user\", started_at, seed, realisations, coefficient_source, status) VALUES (?,?,?,?,?, 'running')",
                                     [user.databaseValue, started.databaseValue, String(settings.seed).databaseValue, settings.realisations.databaseValue,
                                      settings.sourceIdentity.databaseValue], idColumn: "run_id")
        }
        var t = Date()
        stage("reading procedures and irradiation events")
        let (procedures, events, dates) = try DoseInputs.read(store)
        summary.procedures = procedures.count; summary.events = events.count
        summary.readSeconds = Date().timeIntervalSince(t); t = Date()

        stage("fitting the projection-mix and KAP-imputation models")
        let engine = DoseReconstruction(procedures: procedures, events: events, source: source, settings: settings)
        let hashes = (0..<procedures.count).map { engine.inputHash($0) }
        // Previous results: hashes in the table, rows in the previous realisation file.
        let realisationPath = realisationPath(store: storePath)
        let previous: [String: (hash: String, row: Int?)] = try store.backend.read { db in
            var out: [String: (String, Int?)] = [:]
            try db.forEach("SELECT site, site_procedure_id, input_hash, realisation_row FROM procedure_organ_dose", []) { r in
                out[(r.string(0) ?? "") + "\u{1F}" + (r.string(1) ?? "")] = (r.string(2) ?? "", r.int(3))
            }
            return out
        }
        let oldReader = try? RealisationReader(path: realisationPath)
        let usableOld = oldReader.map { $0.realisations == settings.realisations && $0.quantities == DoseQuantity.count } ?? false
        var compute = [Bool](repeating: true, count: procedures.count)
        var oldRow = [Int](repeating: -1, count: procedures.count)
        for (i, p) in procedures.enumerated() {
            guard let prev = previous[p.site + "\u{1F}" + p.procedureID], prev.hash == hex(hashes[i]) else { continue }
            if let row = prev.row, usableOld, row < oldReader!.rows { compute[i] = false; oldRow[i] = row }
        }
        // Nothing new, changed or moved: the previous realisation file is kept as it is.
        let keepFile = usableOld && oldReader!.rows == procedures.count && oldRow.enumerated().allSatisfy { $0.offset == $0.element }
        summary.modelSeconds = Date().timeIntervalSince(t); t = Date()

        stage("drawing \(settings.realisations) realisations per procedure")
        let temporary = realisationPath + ".tmp"
        var doses = [ProcedureDose?](repeating: nil, count: procedures.count)
        if !keepFile {
            let writer = try RealisationWriter(path: temporary, rows: procedures.count, realisations: settings.realisations, seed: settings.seed)
            let perRow = DoseQuantity.count * settings.realisations
            let blockRows = max(1, min(4096, (64 << 20) / (perRow * 2)))
            // Two blocks: the next is computed while the previous is written (a serial writer queue).
            let background = BackgroundWriter(writer: writer)
            let buffers = (0..<2).map { _ in UnsafeMutableBufferPointer<Float16>.allocate(capacity: blockRows * perRow) }
            defer { background.drain(); buffers.forEach { $0.deallocate() } }
            var lo = 0, k = 0
            while lo < procedures.count {
                let hi = min(procedures.count, lo + blockRows)
                let b = buffers[k % 2]
                background.reserve()
                doses.withUnsafeMutableBufferPointer { d in engine.compute(lo..<hi, compute: compute, doses: d, block: b) }
                for i in lo..<hi where !compute[i] {
                    let slot = UnsafeMutableBufferPointer(rebasing: b[(i - lo) * perRow ..< (i - lo + 1) * perRow])
                    if oldRow[i] >= 0 { oldReader!.copyRow(oldRow[i], into: slot) } else { slot.initialize(repeating: .nan) }
                }
                background.write(UnsafeBufferPointer(rebasing: b[0 ..< (hi - lo) * perRow]))
                progress(Double(hi) / Double(max(1, procedures.count)))
                lo = hi; k += 1
            }
            try background.finish()
        } else {
            summary.reused = procedures.count
        }
        summary.computeSeconds = Date().timeIntervalSince(t); t = Date()

        stage("writing procedure_organ_dose and child_organ_dose")
        let runID = summary.runID
        var index: [RealisationIndexEntry] = []
        index.reserveCapacity(procedures.count)
        try store.backend.write { db in
            let keep = Set(procedures.map { $0.site + "\u{1F}" + $0.procedureID })
            for key in previous.keys where !keep.contains(key) {
                let parts = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                try db.execute("DELETE FROM procedure_organ_dose WHERE site = ? AND site_procedure_id = ?", [parts[0].databaseValue, parts[1].databaseValue])
                summary.removed += 1
            }
            // Batched (PostgreSQL: 1,000 rows a statement; SQLite: row by row on a prepared statement).
            let insert = try db.prepareBatch(BatchTarget(table: "procedure_organ_dose", columns: [
                "site", "site_procedure_id", "patient_pseudonym", "procedure_date", "tier", "flag_reason", "kap_gycm2_used"]
                + DoseQuantity.columnNames + ["input_hash", "run_id", "realisation_row", "mix_source"], key: ["site", "site_procedure_id"], mode: .upsert))
            let moveRow = try db.prepareBatch(BatchTarget(table: "procedure_organ_dose", columns: ["realisation_row", "patient_pseudonym", "procedure_date", "site", "site_procedure_id"],
                                                          key: ["site", "site_procedure_id"], mode: .update))
            for (i, p) in procedures.enumerated() {
                let tier: DoseTier
                if let dose = doses[i] {
                    tier = dose.tier
                    let finite: (Double) -> DatabaseValueConvertible? = { $0.isFinite ? $0 : nil }
                    var args: [DatabaseValueConvertible?] = [p.site, p.procedureID, p.patient, dates[i], dose.tier.rawValue, dose.flagReason,
                                                             finite(dose.kapUsed)]
                    args += dose.mean.map(finite)
                    args += [hex(hashes[i]), runID, i, dose.mixSource]
                    try insert.add(args.map { $0?.databaseValue ?? .null })
                    summary.computed += 1
                } else {
                    tier = engine.tiers[i]
                    try moveRow.add([i.databaseValue, p.patient.databaseValue, dates[i].databaseValue, p.site.databaseValue, p.procedureID.databaseValue])
                    if !keepFile { summary.reused += 1 }
                }
                summary.byTier[tier, default: 0] += 1
                index.append(RealisationIndexEntry(row: i, site: p.site, procedureID: p.procedureID, patient: p.patient,
                                                   date: dates[i], tier: tier, inputHash: hashes[i]))
            }
            try insert.finish(); try moveRow.finish()
            let sums = DoseQuantity.columnNames.map { "SUM(\($0))" }.joined(separator: ", ")
            try db.execute("DELETE FROM child_organ_dose")
            try db.execute("""
                INSERT INTO child_organ_dose (site, patient_pseudonym, procedures, flagged_procedures, \(DoseQuantity.columnNames.joined(separator: ", ")), run_id)
                SELECT site, patient_pseudonym, COUNT(*), SUM(CASE WHEN tier = 'flagged' THEN 1 ELSE 0 END), \(sums), ? FROM procedure_organ_dose GROUP BY site, patient_pseudonym
                """, [runID.databaseValue])
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        if !keepFile {
            try? FileManager.default.removeItem(atPath: realisationPath)
            try FileManager.default.moveItem(atPath: temporary, toPath: realisationPath)
        }
        try RealisationIndex.write(index, to: indexPath(realisationFile: realisationPath))
        summary.realisationFile = realisationPath
        try store.backend.write { db in
            let values: [any DatabaseValueConvertible] = [UTCTimestamp.string(from: Date()), summary.procedures, summary.computed, summary.reused,
                                                          summary.byTier[.flagged] ?? 0, realisationPath, runID]
            try db.execute("""
                UPDATE dose_runs SET finished_at = ?, procedures = ?, computed = ?, reused = ?, flagged = ?, realisation_file = ?, status = 'finished'
                WHERE run_id = ?
                """, values.map(\.databaseValue))
        }
        summary.writeSeconds = Date().timeIntervalSince(t)
        return summary
    }

    /// Forgets every computed dose (tables and side files) so that the next run recomputes all.
    public static func clear(store: RegistryStore, storePath: String) throws {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "clear the organ doses") }
        try store.backend.write { db in
            try db.execute("DELETE FROM procedure_organ_dose")
            try db.execute("DELETE FROM child_organ_dose")
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        let path = realisationPath(store: storePath)
        for f in [path, indexPath(realisationFile: path)] { try? FileManager.default.removeItem(atPath: f) }
    }

    static func hex(_ v: UInt64) -> String { String(format: "%016llx", v) }
}

/// Reads the reconstruction's inputs from the store: procedures (joined with their child) in the
/// order child by child, by date; events in one contiguous array in the same order.
public enum DoseInputs {
    public static func read(_ store: RegistryStore) throws -> (procedures: [ProcedureInput], events: [EventInput], dates: [String]) {
        try store.analystRead("read the pooled procedures") { db in
            var procedures: [ProcedureInput] = [], dates: [String] = []
            var position: [String: Int] = [:]
            try db.forEach("""
                SELECT c.site, c.site_procedure_id, c.patient_pseudonym, c.procedure_date, p.birth_date, p.sex, p.country,
                       c.weight_kg, c.height_cm, c.hospital, c.procedure_type, c.kap_gycm2, c.fluoro_time_s, c.cine_frames
                FROM cardiac_procedures c JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym
                ORDER BY c.site, c.patient_pseudonym, c.procedure_date, c.site_procedure_id
                """, []) { r in
                let site = r.string(0) ?? "", id = r.string(1) ?? "", date = r.string(3) ?? "", birthText = r.string(4) ?? ""
                let day = CalendarDate(iso: date)?.dayNumber ?? Int.min
                let birth = CalendarDate(iso: birthText)?.dayNumber ?? Int.max
                let age = day == Int.min || birth == Int.max ? Double.nan : Double(day - birth) / 365.25
                position[site + "\u{1F}" + id] = procedures.count
                procedures.append(ProcedureInput(
                    site: site, procedureID: id, patient: r.string(2) ?? "", day: day == Int.min ? 0 : day, ageYears: age,
                    sex: Sex(code: r.string(5) ?? "") ?? .female, weightKg: r.double(7) ?? .nan, heightCm: r.double(8) ?? .nan,
                    hospital: r.string(9) ?? "", country: (r.string(6) ?? "").uppercased(), procedureType: r.string(10) ?? "", totalKAP: r.double(11) ?? .nan,
                    fluoroSeconds: r.double(12) ?? .nan, cineFrames: r.double(13) ?? .nan))
                dates.append(date)
            }
            // Events in table order, with their procedure's position; then a counting sort by position.
            var owner: [Int32] = [], unsorted: [EventInput] = []
            var lastKey = "", lastPosition = -1
            try db.forEach("""
                SELECT site, site_procedure_id, kap_gycm2, primary_angle_deg, secondary_angle_deg, kvp, filter_material,
                       filter_thickness_mm, field_area_cm2 FROM irradiation_events
                """, []) { r in
                let key = (r.string(0) ?? "") + "\u{1F}" + (r.string(1) ?? "")
                if key != lastKey { lastKey = key; lastPosition = position[key] ?? -1 }
                guard lastPosition >= 0 else { return }
                let material: String? = r.string(6)
                let thickness: Double? = r.double(7)
                let copper: Double = switch material {
                case "copper": thickness ?? .nan
                case "none", "aluminum": 0
                default: .nan
                }
                owner.append(Int32(lastPosition))
                unsorted.append(EventInput(kapGyCm2: r.double(2) ?? .nan, primaryDegrees: r.double(3) ?? .nan, secondaryDegrees: r.double(4) ?? .nan,
                                           kVp: r.double(5) ?? .nan, copperMillimetres: copper, fieldAreaCm2: r.double(8) ?? .nan))
            }
            var counts = [Int](repeating: 0, count: procedures.count + 1)
            for o in owner { counts[Int(o) + 1] += 1 }
            for i in 0..<procedures.count { counts[i + 1] += counts[i] }
            for i in 0..<procedures.count { procedures[i].eventStart = counts[i]; procedures[i].eventCount = counts[i + 1] - counts[i] }
            var sorted = [EventInput](repeating: EventInput(kapGyCm2: 0), count: unsorted.count)
            var next = counts
            for (k, o) in owner.enumerated() { sorted[next[Int(o)]] = unsorted[k]; next[Int(o)] += 1 }
            return (procedures, sorted, dates)
        }
    }
}


/// Writes realisation blocks on a serial background queue, at most two in flight (one being
/// written while the caller fills the other). Errors surface at `finish()`.
final class BackgroundWriter: @unchecked Sendable {
    private let writer: RealisationWriter
    private let queue = DispatchQueue(label: "harmonic.realisation-writer")
    private let slots = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var failure: Error?

    init(writer: RealisationWriter) { self.writer = writer }

    /// Waits until a block buffer is free (its previous write finished).
    func reserve() { slots.wait() }

    func write(_ values: UnsafeBufferPointer<Float16>) {
        let box = UnsafeSendable(values)
        queue.async {
            do { try self.writer.append(box.value) } catch { self.lock.lock(); if self.failure == nil { self.failure = error }; self.lock.unlock() }
            self.slots.signal()
        }
    }

    /// Waits for every pending write.
    func drain() { queue.sync {} }

    func finish() throws {
        drain()
        lock.lock(); let f = failure; lock.unlock()
        if let f { throw f }
        try writer.finish()
    }
}

struct UnsafeSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
