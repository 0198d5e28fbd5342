import Foundation
import GRDB
import HarmonicCore

/// Facts about rows already loaded for one site, used by the cross-row checks. Kept in
/// memory for the duration of a load (70,000 children and 150,000 procedures fit in a few
/// tens of MB); irradiation events, the big table, are never cached.
struct LoadCache: Sendable {
    var patients: [String: PatientFacts] = [:]
    /// Parent rows by table name then key (procedures, courses, samples).
    var parents: [String: [String: ParentFacts]] = [:]
    var loadedTables: Set<String> = []
}

/// Thrown to simulate a crash midway through a file (tests of atomicity).
public struct InjectedFailure: Error, Sendable {}

/// Loads the rows of one source into one table, inside the caller's transaction.
struct TableLoader {
    let db: any SQLSession
    let table: TableSpec
    let site: String
    let loadID: Int64
    let pseudonymiser: Pseudonymiser
    /// Throw `InjectedFailure` after this many rows (tests only).
    let failAfterRows: Int?

    static let cachedParents: Set<String> = ["cardiac_procedures", "rt_courses", "biobank_samples"]

    func ensureCache(_ cache: inout LoadCache, for name: String) throws {
        guard !cache.loadedTables.contains(name) else { return }
        cache.loadedTables.insert(name)
        if name == "patients" {
            try db.forEach("SELECT patient_pseudonym, birth_date, last_contact_date, death_date, emigration_date FROM patients WHERE site = ?", [site.databaseValue]) { r in
                guard let key = r.string(0), let b = r.string(1).flatMap({ CalendarDate(iso: $0) }),
                      let l = r.string(2).flatMap({ CalendarDate(iso: $0) }) else { return }
                cache.patients[key] = PatientFacts(birth: b.dayNumber, lastContact: l.dayNumber,
                                                   death: r.string(3).flatMap { CalendarDate(iso: $0)?.dayNumber },
                                                   emigration: r.string(4).flatMap { CalendarDate(iso: $0)?.dayNumber })
            }
        } else if Self.cachedParents.contains(name) {
            let (key, patientCol, dateCol): (String, String, String) = switch name {
            case "cardiac_procedures": ("site_procedure_id", "patient_pseudonym", "procedure_date")
            case "rt_courses": ("course_id", "patient_pseudonym", "start_date")
            default: ("sample_id", "patient_pseudonym", "collection_date")
            }
            var map: [String: ParentFacts] = [:]
            try db.forEach("SELECT \(key), \(patientCol), \(dateCol) FROM \(name) WHERE site = ?", [site.databaseValue]) { r in
                map[r.string(0) ?? ""] = ParentFacts(patient: r.string(1) ?? "", date: r.string(2).flatMap { CalendarDate(iso: $0)?.dayNumber })
            }
            cache.parents[name] = map
        }
    }

    /// Loads every row; rejected rows go to quarantine and `problems`.
    func load(_ source: RowSource, cache: inout LoadCache, result: inout FileLoadResult,
              problems: inout [QuarantineEntry]) throws {
        let header = try source.readHeader()
        for h in header where DataDictionary.isDirectIdentifier(header: h) {
            throw InputError(.file(source.name), field: h, expected: "no direct identifier: column '\(h)' looks like a name, national id, address, phone or email; remove it from the extract (nothing of this file was stored)")
        }
        let known = Set(table.columns.map(\.name))
        for h in header where !h.isEmpty && !known.contains(h.lowercased()) {
            result.warnings.append("unknown column '\(h)' ignored (not in the data dictionary for table \(table.name); its values are not stored)")
        }
        var index: [Int?] = []
        for c in table.columns {
            let i = header.firstIndex { $0.lowercased() == c.name }
            if i == nil && c.required {
                throw InputError(.file(source.name), field: c.name, expected: "a column '\(c.name)' (required by the data dictionary for table \(table.name)); header has: \(header.joined(separator: ", "))")
            }
            index.append(i)
        }
        try ensureCache(&cache, for: "patients")
        for r in table.references { try ensureCache(&cache, for: r.table) }
        try ensureCache(&cache, for: table.name)

        let storeCols = table.columns.map { RegistrySchema.storeColumn($0.name) }
        let keyPos = table.columns.firstIndex { $0.name == table.key }!
        let merge = try db.prepareMerge(MergeTarget(table: table.name, columns: storeCols, keyPosition: keyPos))
        let quarantineInsert = try db.prepare("INSERT INTO quarantine (site, table_name, row_key, file, line, field, value, reason, load_id) VALUES (?,?,?,?,?,?,?,?,?)")
        let quarantineDeleteOld = try db.prepare("DELETE FROM quarantine WHERE site = ? AND table_name = ? AND row_key = ? AND load_id <> ?")
        let change = try db.prepare("INSERT INTO audit_changes (load_id, site, table_name, row_key, action) VALUES (?,?,?,?,?)")
        var quarantined = Set(try db.strings("SELECT DISTINCT row_key FROM quarantine WHERE site = ? AND table_name = ?", [site.databaseValue, table.name.databaseValue]))
        let siteValue = site.databaseValue, tableValue = table.name.databaseValue, loadValue = loadID.databaseValue

        // Rows are parsed and checked on another core (RowValidator) while this thread writes.
        let validator = RowValidator(table: table, site: site, pseudonymiser: pseudonymiser, index: index, headerCount: header.count,
                                     keyPos: keyPos, cache: cache, failAfterRows: failAfterRows)
        let channel = BatchChannel()
        let producerDone = DispatchSemaphore(value: 0)
        let handover = Handover(source)
        DispatchQueue.global(qos: .userInitiated).async {
            do { try validator.run(handover.value) { channel.put($0) }; channel.finish(nil) } catch { channel.finish(error) }
            producerDone.signal()
        }
        defer { channel.cancel(); producerDone.wait() }

        let n = table.columns.count
        let remembers = Self.cachedParents.contains(table.name) || table.name == "patients"
        while let batch = try channel.take() {
            // Good rows are written in runs (one statement per run on PostgreSQL); a rejected row
            // first flushes the run before it, so quarantine and audit see rows in file order.
            var good = 0, runStart = 0, runRows: [Int] = []
            func flush() throws {
                guard !runRows.isEmpty else { return }
                let outcomes = try merge.merge(site: site, values: batch.values[(runStart * n)..<(good * n)], rows: runRows.count, loadID: loadID)
                for (j, r) in runRows.enumerated() {
                    let rowKey = batch.keys[r]
                    let changed: Bool
                    switch outcomes[j] {
                    case .inserted: result.inserted += 1; changed = true
                    case .updated:
                        result.updated += 1; changed = true
                        try change.run([loadValue, siteValue, tableValue, rowKey.databaseValue, "updated".databaseValue])
                    case .unchanged: result.unchanged += 1; changed = false
                    }
                    if remembers { remember(Array(batch.values[((runStart + j) * n)..<((runStart + j) * n + n)]), key: rowKey, cache: &cache) }
                    if changed, quarantined.contains(rowKey) {
                        if try quarantineDeleteOld.run([siteValue, tableValue, rowKey.databaseValue, loadValue]) > 0 {
                            result.replaced += 1
                            try change.run([loadValue, siteValue, tableValue, rowKey.databaseValue, "quarantine_resolved".databaseValue])
                        }
                    }
                }
                runRows.removeAll(keepingCapacity: true)
                runStart = good
            }
            for r in 0..<batch.keys.count {
                let rowKey = batch.keys[r]
                if let entry = batch.problems[r] {
                    try flush()
                    result.rejected += 1
                    if quarantined.contains(rowKey) {
                        try quarantineDeleteOld.run([siteValue, tableValue, rowKey.databaseValue, loadValue])
                    }
                    quarantined.insert(rowKey)
                    try quarantineInsert.run([siteValue, tableValue, rowKey.databaseValue, entry.file.databaseValue, entry.line.databaseValue,
                                              entry.field.databaseValue, entry.value.databaseValue, entry.reason.databaseValue, loadValue])
                    problems.append(entry)
                    continue
                }
                runRows.append(r)
                good += 1
            }
            try flush()
        }
    }

    func remember(_ v: [DatabaseValue], key: String, cache: inout LoadCache) {
        func day(_ name: String) -> Int? { table.columns.firstIndex { $0.name == name }.flatMap { IngestRules.day(v[$0]) } }
        func text(_ name: String) -> String { table.columns.firstIndex { $0.name == name }.map { IngestRules.dateText(v[$0]) } ?? "" }
        switch table.name {
        case "patients":
            cache.patients[key] = PatientFacts(birth: day("birth_date") ?? 0, lastContact: day("last_contact_date") ?? 0,
                                               death: day("death_date"), emigration: day("emigration_date"))
        case "cardiac_procedures": cache.parents[table.name, default: [:]][key] = ParentFacts(patient: text("site_patient_id"), date: day("procedure_date"))
        case "rt_courses": cache.parents[table.name, default: [:]][key] = ParentFacts(patient: text("site_patient_id"), date: day("start_date"))
        case "biobank_samples": cache.parents[table.name, default: [:]][key] = ParentFacts(patient: text("site_patient_id"), date: day("collection_date"))
        default: break
        }
    }
}
