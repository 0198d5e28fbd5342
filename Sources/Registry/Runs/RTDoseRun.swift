import Dosimetry
import Foundation
import GRDB
import HarmonicCore
import RTDose

/// One radiotherapy course as the store run reads it (`rt_courses` joined with `patients`).
public struct RTCourseInput: Sendable {
    public var site: String, courseID: String, patient: String, startDate: String, endDate: String
    public var modality: String, technique: String, targetSite: String
    public var prescribedDoseGy: Double?, fractions: Int?, energyMeV: Double?
    public var birthDate: String?, sex: String?
    /// `SITE/course_id`: the key of the course in analysis cohorts and realisation files.
    public var key: String { "\(site.uppercased())/\(courseID)" }
}

/// Organ doses for every radiotherapy course of the store (`harmonic rt dose --store`), by tier
/// of record completeness, with uncertainty realisations:
/// - `dicom_rt`: the course's RT Plan, RT Dose and RT Structure Set were loaded by `ingest-dicom`
///   and are linked to it (`RTDICOMLinks`), their files given to the run: `PlanDoseCalculation`
///   (contoured organs from the grid, out-of-field models, other organs on the phantom);
/// - `course_record`: target site, modality, technique and prescription of `rt_courses` give the
///   site-typical fields on the reference phantom of the child's age and sex (`SiteGeometry`,
///   `CourseDoseCache`), the out-of-field model elsewhere;
/// - `flagged`: the course cannot be dosed (unknown target site, electrons, carbon ions,
///   brachytherapy, no birth date or sex); the reason names the row and field. No dose, never zero.
///
/// A linked plan that cannot be used (other frame of reference, uneven slices, ...) falls back to
/// the record, and the reason is kept in `geometry` (or in `flag_reason` when the record fails too).
///
/// Writes `rt_course_organ_dose`, `rt_course_organ_component`, `rt_child_organ_dose`,
/// `rt_dose_runs`, and the realisation file `<store>.rt-realisations` (the cardiac format,
/// `RealisationFile`, one quantity per organ of `RTDoseRun.organs`, values in **Gy**: float16
/// holds at most 65,504, below a prescribed dose in mGy) with its index `.index.csv`.
/// Incremental: a course whose input hash (record, child, model parameters, seed, realisations)
/// matches the stored one keeps its row, and its realisations are copied from the previous file.
public enum RTDoseRun {
    public struct Summary: Sendable, Codable {
        public var runID: Int64 = 0
        public var courses = 0, computed = 0, reused = 0, removed = 0
        public var byTier: [String: Int] = [:]
        /// Flag reasons with their number of courses.
        public var flagReasons: [String: Int] = [:]
        public var realisationFile = ""
        public var seconds = 0.0
        /// Seconds of the write stage (the organ-dose rows, child totals, file and index), as `DoseRun.Summary.writeSeconds`.
        public var writeSeconds = 0.0
    }

    public struct Settings: Sendable {
        public var seed: UInt64
        public var realisations: Int
        /// Errors of the course-record tier (`CourseRealisationModel.standard`).
        public var model: CourseRealisationModel
        /// Errors of the DICOM-RT tier: in-field GSD 1.03 (the planning system's dose, ICRU 24: ±5%
        /// at 95%), out-of-field and neutrons as the record tier (same models), unshared 1.05
        /// (contouring and placement of uncontoured organs: an assumption).
        public var dicomModel: CourseRealisationModel
        /// Folder of DICOM-RT files (`--dicom-rt`): courses linked to plan, dose and structures in
        /// `dicom_objects` whose files are here get the DICOM-RT tier (`RTDICOMLinks`). Nil: none.
        public var dicomFolder: String?
        /// Site → its key (`--dicom-rt-keys DIR`), to find the folder's files by the keyed UIDs the store holds.
        public var dicomKeys: [String: Pseudonymiser]
        public init(seed: UInt64 = 20_261_203, realisations: Int = 1000, model: CourseRealisationModel = .standard,
                    dicomModel: CourseRealisationModel = CourseRealisationModel(inField: 1.03, outOfField: 1.4, neutron: 2.0, unshared: 1.05),
                    dicomFolder: String? = nil, dicomKeys: [String: Pseudonymiser] = [:]) {
            self.seed = seed; self.realisations = realisations; self.model = model; self.dicomModel = dicomModel
            self.dicomFolder = dicomFolder; self.dicomKeys = dicomKeys
        }
    }

    /// The organs of the realisation file, in quantity order (`RTDoseSchema.organColumns`).
    public static let organs: [Organ] = RTDoseSchema.organColumns.map(\.organ)
    public static func realisationPath(store: String) -> String { store + ".rt-realisations" }
    public static func indexPath(realisationFile: String) -> String { realisationFile + ".index.csv" }
    public static let indexHeader = "row,site,course_id,patient_pseudonym,start_date,tier,input_hash"

    /// Runs over every course of the store. Only the analyst role (pooled data) may run it.
    public static func run(store: RegistryStore, storePath: String, settings: Settings = Settings(), user: String = NSUserName(),
                           stage: (String) -> Void = { _ in }) throws -> Summary {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "compute radiotherapy organ doses for the pooled registry") }
        let started = Date()
        var summary = Summary()
        let photon = try ModelParameters.resource(ModelParameters.photonFile), proton = try ModelParameters.resource(ModelParameters.protonFile)
        let modelIdentity = Self.modelIdentity(photon, proton, settings)
        summary.runID = try store.backend.write { db in
            try db.insertReturningID("INSERT INTO rt_dose_runs (\"user\", started_at, seed, realisations, model, status) VALUES (?,?,?,?,?, 'running')",
                                     [user.databaseValue, UTCTimestamp.string(from: started).databaseValue, String(settings.seed).databaseValue,
                                      settings.realisations.databaseValue, modelIdentity.databaseValue], idColumn: "run_id")
        }
        stage("reading radiotherapy courses")
        let courses = try readCourses(store)
        summary.courses = courses.count
        let links = try settings.dicomFolder.map { try RTDICOMLinks.find(store: store, courses: courses, folder: $0, keys: settings.dicomKeys) } ?? RTDICOMLinks()
        let hashes = courses.map { c in inputHash(c, model: modelIdentity + "|" + (links.links[c.site + "\u{1F}" + c.courseID]?.identity ?? "no DICOM-RT")) }

        let realisationPath = realisationPath(store: storePath)
        let previous: [String: (hash: String, row: Int?, tier: String)] = try store.backend.read { db in
            var out: [String: (String, Int?, String)] = [:]
            try db.forEach("SELECT site, course_id, input_hash, realisation_row, tier FROM rt_course_organ_dose", []) { r in
                out[(r.string(0) ?? "") + "\u{1F}" + (r.string(1) ?? "")] = (r.string(2) ?? "", r.int(3), r.string(4) ?? "")
            }
            return out
        }
        let file = IncrementalRealisationFile(path: realisationPath, quantities: organs.count, realisations: settings.realisations,
                                              keys: courses.map { $0.site + "\u{1F}" + $0.courseID }, hashes: hashes.map(DoseRun.hex),
                                              previous: previous.mapValues { ($0.hash, $0.row) })
        let oldRow = file.previousRow

        stage("organ doses: DICOM-RT plans, and course records by site, age, sex, radiation and technique")
        let cache = try CourseDoseCache()
        // Absolute organ dose components (Gy; neutron dose equivalent Sv) in `organs` order; NaN: organ absent.
        var doses = [[OrganComponentsPerGy]?](repeating: nil, count: courses.count)
        var flag = [String?](repeating: nil, count: courses.count)
        var tiers = [String](repeating: "flagged", count: courses.count)
        var geometry = [String?](repeating: nil, count: courses.count)
        let storeName = (storePath as NSString).lastPathComponent
        func aligned(_ d: [OrganComponentsPerGy], scale: Double) -> [OrganComponentsPerGy] {
            var byOrgan = organs.map { OrganComponentsPerGy(organ: $0, inField: .nan, outOfField: .nan, neutronAbsorbed: .nan, neutronEquivalent: .nan) }
            for x in d { if let k = organs.firstIndex(of: x.organ) {
                byOrgan[k] = OrganComponentsPerGy(organ: x.organ, inField: x.inField * scale, outOfField: x.outOfField * scale,
                                                  neutronAbsorbed: x.neutronAbsorbed * scale, neutronEquivalent: x.neutronEquivalent * scale)
            } }
            return byOrgan
        }
        for (i, c) in courses.enumerated() where oldRow[i] < 0 {
            let location = InputLocation.file("\(storeName), table rt_courses, row \(c.key)")
            let key = c.site + "\u{1F}" + c.courseID
            var dicomNote: String? = links.unlinked[key]
            if let link = links.links[key] {
                do {
                    let (age, sex) = try Self.child(c, location: location)
                    let files = try PlanFiles(plan: link.plan, dose: link.dose, structures: link.structures)
                    var options = PlanDoseOptions()
                    options.prescribedDoseGy = c.prescribedDoseGy
                    let plan = try PlanDoseCalculation.run(files, patient: PatientDescription(ageYears: age, sex: sex), options: options)
                    doses[i] = aligned(plan.organs.map { o in
                        OrganComponentsPerGy(organ: o.organ, inField: o.components.inFieldGy, outOfField: o.components.patientScatterGy + o.components.headScatterLeakageGy,
                                             neutronAbsorbed: o.components.neutronAbsorbedGy, neutronEquivalent: o.components.neutronEquivalentSv)
                    }, scale: 1)
                    tiers[i] = "dicom_rt"
                    geometry[i] = "DICOM-RT \(files.radiation.rawValue) \(files.technique.rawValue): \(plan.organs.filter { $0.source == .contoured }.count) organs contoured, "
                        + "others placed on the phantom (plan \(link.identity.split(separator: "|").first ?? ""))"
                    continue
                } catch let e as InputError {
                    dicomNote = "DICOM-RT linked but not usable: \(e.description)"
                } catch {
                    dicomNote = "DICOM-RT linked but not usable: \(error)"
                }
            }
            do {
                let (record, age, sex) = try Self.record(c, location: location)
                doses[i] = aligned(try cache.dosesPerGy(record, ageYears: age, sex: sex), scale: record.prescribedDoseGy)
                tiers[i] = "course_record"
                geometry[i] = "course record: site-typical fields on the ICRP reference phantom of the nearest age" + (dicomNote.map { "; \($0)" } ?? "")
            } catch let e as InputError {
                flag[i] = e.description + (dicomNote.map { "; \($0)" } ?? "")
            }
        }

        stage("drawing \(settings.realisations) realisations per course")
        let n = settings.realisations, perRow = organs.count * n
        // Realisations per tier (its own error model), shared errors by (target site, era, modality, technique).
        var drawnRow = [Int](repeating: -1, count: courses.count)
        var drawnBy: [[Float]] = []
        for (t, tier) in ["course_record", "dicom_rt"].enumerated() {
            let todo = courses.indices.filter { oldRow[$0] < 0 && doses[$0] != nil && tiers[$0] == tier }
            var groupIndex: [String: Int] = [:]
            let group = todo.map { i -> Int in
                let c = courses[i]
                let era = CalendarDate(iso: c.startDate).map { DoseEra(year: 1970 + Double($0.dayNumber) / 365.25).description } ?? "?"
                let key = "\(c.targetSite.lowercased())|\(era)|\(c.modality.lowercased())|\(c.technique.lowercased())"
                if let g = groupIndex[key] { return g }
                groupIndex[key] = groupIndex.count
                return groupIndex.count - 1
            }
            // Absent organs (other sex, no phantom region) carry NaN: drawn as 0, written back as NaN.
            let zeroed = todo.map { doses[$0]!.map { d in d.inField.isNaN ? OrganComponentsPerGy(organ: d.organ, inField: 0, outOfField: 0, neutronAbsorbed: 0, neutronEquivalent: 0) : d } }
            drawnBy.append(CourseRealisations.generate(doses: zeroed, prescribedGy: todo.map { _ in 1 }, group: group, realisations: n,
                                                       model: t == 0 ? settings.model : settings.dicomModel, seed: settings.seed &+ UInt64(t),
                                                       streams: todo.map { StableHash.of(courses[$0].key) }))
            for (k, i) in todo.enumerated() { drawnRow[i] = k }
        }

        stage("writing the realisation file")
        var means = [[Double]?](repeating: nil, count: courses.count)
        try file.write(rows: courses.count, seed: settings.seed) { range, block in
            for i in range where drawnRow[i] >= 0 {
                let k = drawnRow[i], course = doses[i]!, drawn = drawnBy[tiers[i] == "dicom_rt" ? 1 : 0]
                let base = (i - range.lowerBound) * perRow
                var m = [Double](repeating: .nan, count: organs.count)
                for o in organs.indices {
                    guard !course[o].inField.isNaN else { continue } // absent organ: NaN, as the block starts
                    var sum = 0.0
                    for r in 0..<n { let v = drawn[(k * organs.count + o) * n + r]; block[base + o * n + r] = Float16(v); sum += Double(v) }
                    m[o] = sum / Double(n) * 1000
                }
                means[i] = m
            }
        }

        stage("writing rt_course_organ_dose and rt_child_organ_dose")
        let writeStarted = Date()
        let runID = summary.runID
        var index = [indexHeader]
        try store.backend.write { db in
            let keep = Set(courses.map { $0.site + "\u{1F}" + $0.courseID })
            for key in previous.keys where !keep.contains(key) {
                let p = key.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
                for t in ["rt_course_organ_dose", "rt_course_organ_component"] {
                    try db.execute("DELETE FROM \(t) WHERE site = ? AND course_id = ?", [p[0].databaseValue, p[1].databaseValue])
                }
                summary.removed += 1
            }
            let organColumns = RTDoseSchema.organColumns.map(\.column)
            // Batched, as the cardiac run (PostgreSQL: 1,000 rows a statement; SQLite: row by row on a prepared statement).
            let key = ["site", "course_id"]
            let insert = try db.prepareBatch(BatchTarget(table: "rt_course_organ_dose", columns: key + [
                "patient_pseudonym", "start_date", "tier", "flag_reason"] + organColumns + ["effective_dose_msv",
                "run_id", "realisation_row", "modality", "technique", "target_site", "prescribed_dose_gy", "fractions", "geometry", "input_hash"],
                key: key, mode: .upsert))
            let component = try db.prepareBatch(BatchTarget(table: "rt_course_organ_component", columns: key + [
                "organ", "in_field_mgy", "out_of_field_photon_mgy", "neutron_absorbed_mgy", "neutron_equivalent_msv", "imaging_mgy", "run_id"],
                key: key + ["organ"], mode: .upsert))
            let moveRow = try db.prepareBatch(BatchTarget(table: "rt_course_organ_dose", columns: ["realisation_row", "patient_pseudonym", "start_date"] + key,
                                                          key: key, mode: .update))
            for (i, c) in courses.enumerated() {
                let tier: String
                if oldRow[i] >= 0 {
                    tier = previous[c.site + "\u{1F}" + c.courseID]?.tier ?? "course_record"
                    try moveRow.add([i.databaseValue, c.patient.databaseValue, c.startDate.databaseValue, c.site.databaseValue, c.courseID.databaseValue])
                    summary.reused += 1
                } else {
                    tier = means[i] == nil ? "flagged" : tiers[i]
                    let finite: (Double) -> DatabaseValueConvertible? = { $0.isFinite ? $0 : nil }
                    var args: [DatabaseValueConvertible?] = [c.site, c.courseID, c.patient, c.startDate, tier, flag[i]]
                    args += (means[i] ?? [Double](repeating: .nan, count: organs.count)).map(finite)
                    args += [nil, runID, i, c.modality, c.technique, c.targetSite, c.prescribedDoseGy, c.fractions,
                             means[i] == nil ? nil : geometry[i],
                             DoseRun.hex(hashes[i])]
                    try insert.add(args.map { $0?.databaseValue ?? .null })
                    if let doses = doses[i] {
                        for d in doses where !d.inField.isNaN {
                            let v: [DatabaseValueConvertible?] = [c.site, c.courseID, d.organ.rawValue, d.inField * 1000, d.outOfField * 1000,
                                                                  d.neutronAbsorbed * 1000, d.neutronEquivalent * 1000, nil, runID]
                            try component.add(v.map { $0?.databaseValue ?? .null })
                        }
                    }
                    summary.computed += 1
                    if let f = flag[i] { summary.flagReasons[Self.reasonKind(f), default: 0] += 1 }
                }
                summary.byTier[tier, default: 0] += 1
                index.append([String(i), csv(c.site), csv(c.courseID), csv(c.patient), c.startDate, tier, DoseRun.hex(hashes[i])].joined(separator: ","))
            }
            try insert.finish(); try component.finish(); try moveRow.finish()
            // A recomputed course (its row now of this run) keeps only this run's components: an organ an
            // earlier run split and this one did not (or a course now flagged) loses its old row. One
            // statement for the run, where a DELETE per course cost a round trip each on PostgreSQL.
            try db.execute("""
                DELETE FROM rt_course_organ_component WHERE run_id <> ? AND EXISTS (SELECT 1 FROM rt_course_organ_dose d
                  WHERE d.site = rt_course_organ_component.site AND d.course_id = rt_course_organ_component.course_id AND d.run_id = ?)
                """, [runID.databaseValue, runID.databaseValue])
            let columns = (DoseQuantity.columnNames + RTDoseSchema.extraOrgans.map { "\($0.rawValue)_mgy" })
            try db.execute("DELETE FROM rt_child_organ_dose")
            try db.execute("""
                INSERT INTO rt_child_organ_dose (site, patient_pseudonym, courses, flagged_courses, \(columns.joined(separator: ", ")), run_id)
                SELECT site, patient_pseudonym, COUNT(*), SUM(CASE WHEN tier = 'flagged' THEN 1 ELSE 0 END), \(columns.map { "SUM(\($0))" }.joined(separator: ", ")), ?
                FROM rt_course_organ_dose GROUP BY site, patient_pseudonym
                """, [runID.databaseValue])
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        try file.commit()
        try (index.joined(separator: "\n") + "\n").write(toFile: indexPath(realisationFile: realisationPath), atomically: true, encoding: .utf8)
        summary.realisationFile = realisationPath
        try store.backend.write { db in
            let v: [any DatabaseValueConvertible] = [UTCTimestamp.string(from: Date()), summary.courses, summary.computed, summary.reused,
                                                     summary.byTier["flagged"] ?? 0, realisationPath, runID]
            try db.execute("""
                UPDATE rt_dose_runs SET finished_at = ?, courses = ?, computed = ?, reused = ?, flagged = ?, realisation_file = ?, status = 'finished'
                WHERE run_id = ?
                """, v.map(\.databaseValue))
        }
        summary.writeSeconds = Date().timeIntervalSince(writeStarted)
        summary.seconds = Date().timeIntervalSince(started)
        return summary
    }

    /// Forgets every RT dose (tables and side files) so that the next run recomputes all.
    public static func clear(store: RegistryStore, storePath: String) throws {
        guard case .analyst = store.role else { throw AccessDenied(role: store.role, action: "clear the radiotherapy organ doses") }
        try store.backend.write { db in
            for t in ["rt_course_organ_dose", "rt_course_organ_component", "rt_child_organ_dose"] { try db.execute("DELETE FROM \(t)") }
            try ChildExposureTotals.rebuild(db, storePath: storePath)
        }
        let path = realisationPath(store: storePath)
        for f in [path, indexPath(realisationFile: path)] { try? FileManager.default.removeItem(atPath: f) }
    }

    /// The child's age at the first fraction and sex; errors name the row and field.
    static func child(_ c: RTCourseInput, location: InputLocation) throws -> (Double, Sex) {
        guard let sexCode = c.sex, let sex = Sex(code: sexCode) else {
            throw InputError(location, field: "patients.sex", value: c.sex ?? "", expected: "the child's sex (M or F) in patients")
        }
        guard let birth = c.birthDate.flatMap(CalendarDate.init(iso:)), let start = CalendarDate(iso: c.startDate), start.dayNumber >= birth.dayNumber else {
            throw InputError(location, field: "patients.birth_date", value: c.birthDate ?? "",
                             expected: "the child's birth date, on or before the course's start_date \(c.startDate)")
        }
        return (Double(start.dayNumber - birth.dayNumber) / 365.25, sex)
    }

    /// The course record of a row, the child's age at the first fraction and sex; errors name the row and field.
    static func record(_ c: RTCourseInput, location: InputLocation) throws -> (CourseRecord, Double, Sex) {
        guard let dose = c.prescribedDoseGy else { throw InputError(location, field: "prescribed_dose_gy", value: "", expected: "a prescribed dose (Gy)") }
        guard let fractions = c.fractions else { throw InputError(location, field: "fractions", value: "", expected: "a number of fractions") }
        let record = try CourseRecord(targetSite: c.targetSite, modality: c.modality, technique: c.technique, prescribedDoseGy: dose,
                                      fractions: fractions, energyMeV: c.energyMeV, location: location)
        let (age, sex) = try child(c, location: location)
        return (record, age, sex)
    }

    /// Short class of a flag reason for the summary (the field it names).
    static func reasonKind(_ reason: String) -> String {
        for f in ["target_site", "modality", "technique", "prescribed_dose_gy", "fractions", "patients.sex", "patients.birth_date"] where reason.contains(f) { return f }
        return "other"
    }

    static func inputHash(_ c: RTCourseInput, model: String) -> UInt64 {
        var h = StableHash()
        for s in [c.site, c.courseID, c.patient, c.startDate, c.modality, c.technique, c.targetSite, c.birthDate ?? "", c.sex ?? "", model] { h.add(s) }
        h.add(c.prescribedDoseGy ?? .nan); h.add(c.fractions ?? -1); h.add(c.energyMeV ?? .nan)
        return h.value
    }

    /// Identity of the models and settings: parameter values of both out-of-field files, the GSDs, seed and realisations.
    static func modelIdentity(_ photon: ModelParameters, _ proton: ModelParameters, _ s: Settings) -> String {
        var h = StableHash()
        for p in [photon, proton] { for k in p.values.keys.sorted() { h.add(k); h.add(p.values[k]!) } }
        for g in [s.model.inField, s.model.outOfField, s.model.neutron, s.model.unshared] { h.add(g) }
        h.add(Int(bitPattern: UInt(s.seed))); h.add(s.realisations)
        return "rtdose course-record 1; parameters \(DoseRun.hex(h.value))"
    }

    static func csv(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Courses with their child, in the order child by child, by start date.
    public static func readCourses(_ store: RegistryStore) throws -> [RTCourseInput] {
        try store.analystRead("read the pooled radiotherapy courses") { db in
            var out: [RTCourseInput] = []
            try db.forEach("""
                SELECT r.site, r.course_id, r.patient_pseudonym, r.start_date, r.modality, r.technique, r.target_site,
                       r.prescribed_dose_gy, r.fractions, r.energy_mev, p.birth_date, p.sex, r.end_date
                FROM rt_courses r LEFT JOIN patients p ON p.site = r.site AND p.patient_pseudonym = r.patient_pseudonym
                ORDER BY r.site, r.patient_pseudonym, r.start_date, r.course_id
                """, []) { r in
                out.append(RTCourseInput(site: r.string(0) ?? "", courseID: r.string(1) ?? "", patient: r.string(2) ?? "", startDate: r.string(3) ?? "", endDate: r.string(12) ?? "",
                                         modality: r.string(4) ?? "", technique: r.string(5) ?? "", targetSite: r.string(6) ?? "",
                                         prescribedDoseGy: r.double(7), fractions: r.int(8), energyMeV: r.double(9), birthDate: r.string(10), sex: r.string(11)))
            }
            return out
        }
    }
}
