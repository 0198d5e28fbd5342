import DICOM
import Foundation
import GRDB
import HarmonicCore

/// `harmonic ingest-dicom`: a folder of DICOM files into the registry.
///
/// - X-Ray Radiation Dose SRs become one `cardiac_procedures` row (totals, `dose_record_level`
///   = event) keyed by the report's SOP Instance UID, plus its `irradiation_events`, linked to
///   the child through the same keyed pseudonym as the CSV site ids (HMAC of the DICOM Patient ID).
/// - RT Plan, RT Dose and RT Structure Set objects are recorded in `dicom_objects` (keyed hashes
///   of the SOP and Study Instance UIDs, patient pseudonym, study date, a one-line summary) for the
///   radiotherapy courses.
/// - Unreadable, unknown or inconsistent files are listed with the reason; the run goes on.
/// - Only the pseudonym is stored: never the Patient Name, Patient ID or any other header text
///   about the person, nor file paths (folder names often carry names).
/// - Reloading is idempotent: rows are keyed by SOP Instance UID and event UID, both stored only
///   as keyed hashes under the site key, like every identifier column (`RowValidator`).
public struct DICOMIngest: Sendable {
    /// Relative tolerance between the sum of event KAPs and the report's stated total. Events
    /// and totals are rounded independently by the modality; 5 % is far above rounding to three
    /// significant digits (≤0.5 % per value) and below the 16 % discrepancy of the real Philips
    /// Allura Clarity report in shared/data/dicom/rdsr (events 6.59e-6 vs total 7.839e-6 Gy·m²).
    public static let kapSumTolerance = 0.05

    /// Hospital code stored in `cardiac_procedures.hospital`; nil: the Institution Name of the header, else "unknown".
    public var hospital: String?
    /// Files parsed in memory at a time (memory stays bounded whatever the folder size).
    public var batchSize = 512

    /// `procedure_class` (diagnostic or interventional) for reports without a Has Intent modifier
    /// (optional in some vendors' reports); nil: such reports are listed, not loaded.
    public var procedureClassIfMissing: String?

    public init(hospital: String? = nil, procedureClassIfMissing: String? = nil) {
        self.hospital = hospital
        self.procedureClassIfMissing = procedureClassIfMissing
    }

    /// One file that was not (fully) loaded, and why.
    public struct Problem: Sendable, Codable, Hashable {
        public let file: String
        public let reason: String
        public init(file: String, reason: String) { self.file = file; self.reason = reason }
    }

    /// What a run did.
    public struct Summary: Sendable, Codable {
        public var files = 0
        public var doseReports = 0
        public var proceduresInserted = 0, proceduresUpdated = 0, proceduresUnchanged = 0
        public var eventsInserted = 0, eventsUpdated = 0, eventsUnchanged = 0
        public var rtObjects = 0
        public var ignoredImages = 0
        public var problems: [Problem] = []
        /// Values left out of otherwise loaded rows (e.g. table positions in a vendor's own frame).
        public var notes: [Problem] = []
        public var loadIDs: [Int64] = []
        /// Wall time spent parsing files (all cores) and loading rows into the store.
        public var parseSeconds = 0.0, loadSeconds = 0.0

        /// 0: everything loaded; 3: finished, some files listed with problems.
        public var exitCode: Int32 { problems.isEmpty ? 0 : 3 }

        public func text() -> String {
            var s = "\(files) files: \(doseReports) dose reports, \(rtObjects) RT objects, \(ignoredImages) images ignored, \(problems.count) listed with problems\n"
            s += "procedures: \(proceduresInserted) new, \(proceduresUpdated) updated, \(proceduresUnchanged) unchanged\n"
            s += "irradiation events: \(eventsInserted) new, \(eventsUpdated) updated, \(eventsUnchanged) unchanged\n"
            if !notes.isEmpty { s += "\(notes.count) notes on values left empty\n" }
            return s
        }
    }

    /// What one file turned out to be, after parsing (no registry access).
    enum Parsed: Sendable {
        case doseReport(sopUID: String, pseudonym: String, procedure: [String: String], events: [[String: String]], studyDate: String?, notes: [String])
        case rtObject(sopUID: String, sopClass: String, kind: String, pseudonym: String?, studyUID: String?, studyDate: String?, summary: String)
        case image
        case problem(String)
    }

    static let rtKinds = ["1.2.840.10008.5.1.4.1.1.481.5": "rt_plan", "1.2.840.10008.5.1.4.1.1.481.2": "rt_dose",
                          "1.2.840.10008.5.1.4.1.1.481.3": "rt_structure_set",
                          "1.2.840.10008.5.1.4.1.1.481.8": "rt_plan"] // RT Ion Plan (proton plans)
    /// X-Ray Radiation Dose SR and Enhanced X-Ray Radiation Dose SR (PS3.4 Annex B).
    static let doseReportClasses: Set<String> = [RadiationDoseReport.sopClassUID, "1.2.840.10008.5.1.4.1.1.88.76"]

    /// Parses one file into what the registry needs; never throws.
    func parse(_ url: URL, pseudonymiser: Pseudonymiser) -> Parsed {
        let file: DICOMFile
        do { file = try DICOMFile(contentsOf: url) } catch { return .problem("unreadable: \(error)") }
        let ds = file.dataSet
        guard let sopClass = ds.string(.sopClassUID) ?? file.meta.string(Tag(0x0002_0002)) else {
            return .problem("not a DICOM object: no SOP Class UID")
        }
        guard let sopUID = ds.string(.sopInstanceUID), !sopUID.isEmpty else {
            return .problem("no SOP Instance UID (0008,0018): cannot be loaded idempotently")
        }
        let patientID = ds.string(.patientID).flatMap { $0.isEmpty ? nil : $0 }
        let pseudonym = patientID.map { pseudonymiser.pseudonym(for: $0) }
        let studyDate = ds.string(Tag(0x0008_0020)).flatMap(DICOMDateTime.date)?.description
        if Self.doseReportClasses.contains(sopClass) {
            return parseDoseReport(file, sopUID: sopUID, patientID: patientID, pseudonym: pseudonym, studyDate: studyDate)
        }
        if let kind = Self.rtKinds[sopClass] {
            return .rtObject(sopUID: sopUID, sopClass: sopClass, kind: kind, pseudonym: pseudonym,
                             studyUID: ds.string(.studyInstanceUID), studyDate: studyDate, summary: Self.rtSummary(kind, ds))
        }
        if sopClass.hasPrefix("1.2.840.10008.5.1.4.1.1.88.") {
            return .problem("structured report of SOP class \(sopClass) is not an X-ray radiation dose report: not used")
        }
        if ds.contains(.pixelData) { return .image }
        return .problem("SOP class \(sopClass) is not one ingest-dicom uses (dose reports, RT plan/dose/structure set)")
    }

    /// `patientID` goes into the row as `site_patient_id`, which the loader replaces by its pseudonym
    /// (the same HMAC as for CSV rows); it is never stored.
    func parseDoseReport(_ file: DICOMFile, sopUID: String, patientID: String?, pseudonym: String?, studyDate: String?) -> Parsed {
        let ds = file.dataSet
        let report: RadiationDoseReport
        do { report = try RadiationDoseReport(file: file) } catch { return .problem("dose report not readable: \(error)") }
        guard let patientID, let pseudonym else { return .problem("dose report without Patient ID (0010,0020): cannot be linked to a child") }
        guard !report.events.isEmpty else {
            return .problem("dose report without projection X-ray irradiation events (TID 10003); CT dose reports are not used")
        }
        if !report.unconvertedUnits.isEmpty {
            return .problem("units not understood: \(report.unconvertedUnits.joined(separator: ", "))")
        }
        let eventKAP = report.events.compactMap(\.doseAreaProduct?.value).reduce(0, +)
        if let total = report.totalDoseAreaProduct?.value, total > 0,
           abs(eventKAP - total) > Self.kapSumTolerance * total {
            return .problem(String(format: "inconsistent: irradiation events sum to %.6g Gy·cm² but the accumulated total states %.6g Gy·cm² (%+.1f %%, tolerance %.0f %%)",
                                   eventKAP, total, 100 * (eventKAP - total) / total, 100 * Self.kapSumTolerance))
        }
        // Procedure class from the Has Intent modifier of Procedure Reported (TID 10001 row 3):
        // diagnostic intent → diagnostic; therapeutic or combined → interventional.
        let procedureClass: String
        switch report.procedureIntent?.value {
        case "R-408C3", "261004008": procedureClass = "diagnostic"
        case "R-41531", "262202000", "R-002E9", "399159005": procedureClass = "interventional"
        default:
            guard let fallback = procedureClassIfMissing else {
                return .problem("procedure class unknown: no Has Intent (diagnostic/therapeutic) under Procedure Reported (give --procedure-class-if-missing to load such reports)")
            }
            procedureClass = fallback
        }
        guard let date = studyDate ?? report.events.compactMap({ $0.dateTimeStarted.flatMap(DICOMDateTime.isoDateTime) }).min().map({ String($0.prefix(10)) }) else {
            return .problem("no Study Date (0008,0020) nor event date: the procedure date is unknown")
        }
        var row: [String: String] = [
            "site_procedure_id": sopUID, "site_patient_id": patientID, "procedure_date": date,
            "hospital": hospital ?? ds.string(Tag(0x0008_0080)).flatMap { $0.isEmpty ? nil : $0 } ?? "unknown",
            "procedure_type": procedureClass == "diagnostic" ? "diagnostic" : "other_interventional",
            "procedure_class": procedureClass, "dose_record_level": "event",
        ]
        func put(_ key: String, _ v: Double?) { if let v, v.isFinite { row[key] = String(v) } }
        put("kap_gycm2", report.totalDoseAreaProduct?.value)
        put("ref_air_kerma_mgy", report.totalDoseAtReferencePoint?.milligray)
        let fluoro = report.accumulated.compactMap(\.totalFluoroTime?.value)
        put("fluoro_time_s", fluoro.isEmpty ? nil : fluoro.reduce(0, +))
        let acquisitions = report.events.filter { $0.type != .fluoroscopy && $0.type != .other }.count
        row["cine_runs"] = String(acquisitions)
        let frames = report.accumulated.compactMap(\.totalNumberOfRadiographicFrames)
        if !frames.isEmpty { row["cine_frames"] = String(Int(frames.reduce(0, +).rounded())) }
        // Patient Weight (0010,1030) in kg and Patient Size (0010,1020) in m (PS3.3 C.7.2.2).
        put("weight_kg", ds.double(Tag(0x0010_1030)).flatMap { $0 > 0 ? $0 : nil })
        put("height_cm", ds.double(Tag(0x0010_1020)).flatMap { $0 > 0 ? $0 * 100 : nil })
        let equipment = [report.manufacturer, report.modelName].compactMap { $0 }.joined(separator: " ")
        if !equipment.isEmpty { row["equipment"] = equipment }
        var notes: [String] = []
        let events = report.irradiationEventRows(siteProcedureID: sopUID).map { Self.droppingOffScaleTablePositions($0, notes: &notes) }
        return .doseReport(sopUID: sopUID, pseudonym: pseudonym, procedure: row, events: events, studyDate: date, notes: notes)
    }

    /// Table positions are given relative to a vendor-chosen origin (TID 10003B); a value outside
    /// the dictionary's plausible range (e.g. Philips Allura's lateral 1818.6 mm) is dropped from the
    /// event, with a note, rather than losing the event's dose.
    static func droppingOffScaleTablePositions(_ row: [String: String], notes: inout [String]) -> [String: String] {
        var row = row
        for column in ["table_longitudinal_mm", "table_lateral_mm", "table_height_mm"] {
            guard let text = row[column], let v = Double(text),
                  let range = DataDictionary.table(named: "irradiation_events")?.column(column)?.range, !range.contains(v) else { continue }
            row[column] = nil
            let note = "\(column) \(text) outside \(range.lowerBound)...\(range.upperBound) mm (vendor table reference): left empty"
            if !notes.contains(note) { notes.append(note) }
        }
        return row
    }

    static func rtSummary(_ kind: String, _ ds: DataSet) -> String {
        switch kind {
        case "rt_plan":
            guard let p = try? RTPlan(ds) else { return "RT plan (beams not readable)" }
            let types = Set(p.beams.compactMap { $0.radiationType?.lowercased() }).sorted().joined(separator: "/")
            return "\(p.beams.count) beams \(types), \(p.fractionsPlanned.map(String.init) ?? "?") fractions"
        case "rt_dose":
            guard let g = try? RTDoseGrid(ds) else { return "RT dose (grid not readable)" }
            return "grid \(g.columns)x\(g.rows)x\(g.frames), \(g.units ?? "?"), \(g.summationType ?? "?")"
        default:
            guard let s = try? RTStructureSet(ds) else { return "RT structure set (ROIs not readable)" }
            return "\(s.structures.count) ROIs"
        }
    }

    /// Every regular file under `directory`, recursively, in path order.
    public static func files(in directory: URL) -> [URL] { DirectoryScan.files(in: directory) }

    /// The SOP Instance UID as `dicom_objects` stores it: its keyed hash under the site key (DICOM
    /// PS3.15 Annex E lists the UIDs among the attributes a de-identification replaces; the hash
    /// keeps them unique and lets the site that holds the key find its files again, see `RTDICOMLinks`).
    public static func keyedUID(_ sopInstanceUID: String, _ pseudonymiser: Pseudonymiser) -> String {
        pseudonymiser.pseudonym(for: sopInstanceUID, column: "sop_instance_uid")
    }

    /// Walks `urls` in batches: parses each batch on all cores, then loads it (procedures, then
    /// events, then the RT object records). `progress(done, total)` after each batch.
    public func run(_ urls: [URL], store: RegistryStore, site: String, pseudonymiser: Pseudonymiser, user: String,
                    progress: ((Int, Int) -> Void)? = nil) throws -> Summary {
        let site = site.uppercased()
        try store.require(store.role == .dataManager(site: site), "load data for site \(site)")
        try store.backend.write { db in
            try RegistrySchema.requireKeyedRecordIdentifiers(db, store: store.storeDescription)
            try db.executeScript(Self.objectTableSQL)
        }
        var known = Set(try store.backend.read { db in
            try db.strings("SELECT patient_pseudonym FROM patients WHERE site = ?", [site.databaseValue])
        })
        var summary = Summary()
        summary.files = urls.count
        var start = 0
        while start < urls.count {
            let batch = Array(urls[start ..< min(urls.count, start + batchSize)])
            let parsed = ParsedBox(count: batch.count)
            let t0 = Date()
            DispatchQueue.concurrentPerform(iterations: batch.count) { i in parsed.set(i, parse(batch[i], pseudonymiser: pseudonymiser)) }
            let t1 = Date()
            summary.parseSeconds += t1.timeIntervalSince(t0)
            defer { summary.loadSeconds += Date().timeIntervalSince(t1) }
            try load(batch, parsed.values.map { $0! }, store: store, site: site, pseudonymiser: pseudonymiser, user: user,
                     known: &known, summary: &summary)
            start += batch.count
            progress?(start, urls.count)
        }
        return summary
    }

    func load(_ urls: [URL], _ parsed: [Parsed], store: RegistryStore, site: String, pseudonymiser: Pseudonymiser, user: String,
              known: inout Set<String>, summary: inout Summary) throws {
        var procedures: [[String: String]] = [], procedureFiles: [Int] = []
        var objects: [[DatabaseValue]] = []
        var events: [Int: [[String: String]]] = [:]
        var seenSOP = Set<String>()
        for (i, p) in parsed.enumerated() {
            let path = urls[i].path
            switch p {
            case .problem(let reason): summary.problems.append(Problem(file: path, reason: reason))
            case .image: summary.ignoredImages += 1
            case let .rtObject(sopUID, sopClass, kind, pseudonym, studyUID, studyDate, text):
                summary.rtObjects += 1
                objects.append([site, Self.keyedUID(sopUID, pseudonymiser), sopClass, kind, pseudonym,
                                studyUID.map { pseudonymiser.pseudonym(for: $0, column: "study_instance_uid") }, studyDate, text].map { $0.databaseValue })
            case let .doseReport(sopUID, pseudonym, procedure, eventRows, studyDate, notes):
                summary.doseReports += 1
                for n in notes { summary.notes.append(Problem(file: path, reason: n)) }
                guard known.contains(pseudonym) else {
                    summary.problems.append(Problem(file: path, reason: "child not in the registry (patient pseudonym \(pseudonym.prefix(12))…): load patients.csv first; a DICOM header lacks the required predisposing_condition, vital_status and last_contact_date, so no patient row is made from it"))
                    continue
                }
                guard seenSOP.insert(sopUID).inserted else {
                    summary.problems.append(Problem(file: path, reason: "duplicate: SOP Instance UID \(sopUID) already given by another file of this batch"))
                    continue
                }
                procedures.append(procedure); procedureFiles.append(i)
                events[procedures.count - 1] = eventRows
                objects.append([site, Self.keyedUID(sopUID, pseudonymiser), RadiationDoseReport.sopClassUID, "dose_report", pseudonym, nil, studyDate,
                                "\(eventRows.count) irradiation events"].map { $0.databaseValue })
            }
        }
        guard !procedures.isEmpty || !objects.isEmpty else { return }
        var accepted = Set(0 ..< procedures.count)
        if !procedures.isEmpty {
            let r = try store.load(rows: procedures, into: "cardiac_procedures", source: "ingest-dicom", site: site,
                                   pseudonymiser: pseudonymiser, user: user)
            summary.loadIDs.append(r.loadID)
            for f in r.files { summary.proceduresInserted += f.inserted; summary.proceduresUpdated += f.updated; summary.proceduresUnchanged += f.unchanged }
            // DictionaryRowSource numbers rows like CSV lines: header 1, first row 2.
            for q in r.problems {
                let k = q.line - 2
                guard procedures.indices.contains(k) else { continue }
                accepted.remove(k)
                summary.problems.append(Problem(file: urls[procedureFiles[k]].path, reason: "procedure row rejected: \(q.field)='\(q.value)': \(q.reason)"))
            }
        }
        var eventRows: [[String: String]] = [], eventFiles: [Int] = []
        for k in accepted.sorted() { for e in events[k] ?? [] { eventRows.append(e); eventFiles.append(procedureFiles[k]) } }
        if !eventRows.isEmpty {
            let r = try store.load(rows: eventRows, into: "irradiation_events", source: "ingest-dicom", site: site,
                                   pseudonymiser: pseudonymiser, user: user)
            summary.loadIDs.append(r.loadID)
            for f in r.files { summary.eventsInserted += f.inserted; summary.eventsUpdated += f.updated; summary.eventsUnchanged += f.unchanged }
            for q in r.problems where eventRows.indices.contains(q.line - 2) {
                summary.problems.append(Problem(file: urls[eventFiles[q.line - 2]].path, reason: "irradiation event rejected: \(q.field)='\(q.value)': \(q.reason)"))
            }
        }
        let loadID = summary.loadIDs.last ?? 0
        try store.backend.write { db in
            let st = try db.prepare(db.dialect.insertOrReplace("dicom_objects", columns: ["site", "sop_instance_uid", "sop_class_uid", "kind", "patient_pseudonym",
                                                                                          "study_instance_uid", "study_date", "summary", "load_id"],
                                                               key: ["site", "sop_instance_uid"]))
            for o in objects { try st.run(o + [loadID.databaseValue]) }
        }
    }

    /// DICOM objects kept by `ingest-dicom` (dose reports loaded, RT plan/dose/structure sets for the
    /// radiotherapy courses), one row per SOP instance; no file paths or person names.
    static let objectTableSQL = """
        CREATE TABLE IF NOT EXISTS dicom_objects (site TEXT NOT NULL, sop_instance_uid TEXT NOT NULL,
          sop_class_uid TEXT NOT NULL, kind TEXT NOT NULL, patient_pseudonym TEXT, study_instance_uid TEXT,
          study_date TEXT, summary TEXT NOT NULL, load_id INTEGER NOT NULL, PRIMARY KEY (site, sop_instance_uid))
        """
}

final class ParsedBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [DICOMIngest.Parsed?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: DICOMIngest.Parsed) { lock.lock(); values[i] = v; lock.unlock() }
}
