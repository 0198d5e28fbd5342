import Epidemiology
import Foundation
import GRDB
import HarmonicCore

/// The kinds of exposure a child's cumulative organ dose sums (`child_exposure_organ_dose`,
/// `harmonic analyze --exposures`).
public enum ExposureType: String, Sendable, CaseIterable, Codable {
    /// Cardiac catheterisations (`procedure_organ_dose`).
    case cardiac
    /// Diagnostic imaging and radiotherapy imaging (`imaging_exam_organ_dose`).
    case imaging
    /// Radiotherapy courses (`rt_course_organ_dose`).
    case rt

    /// Parses "cardiac,imaging,rt"; errors name the value and the accepted ones.
    public static func parseList(_ text: String) throws -> Set<ExposureType> {
        var out: Set<ExposureType> = []
        for part in text.split(separator: ",") {
            let t = part.trimmingCharacters(in: .whitespaces).lowercased()
            guard let e = ExposureType(rawValue: t) else {
                throw InputError(.file("command line option --exposures"), field: "exposure type", value: t, expected: "a comma-separated list of cardiac, imaging, rt")
            }
            out.insert(e)
        }
        guard !out.isEmpty else { throw InputError(.file("command line option --exposures"), value: text, expected: "at least one of cardiac, imaging, rt") }
        return out
    }

    /// "cardiac, imaging" in the fixed order of the cases.
    public static func describe(_ set: Set<ExposureType>) -> String { allCases.filter(set.contains).map(\.rawValue).joined(separator: ", ") }
}

/// Reading the exposures other than a study's own into its analysis cohort.
enum SecondaryExposures {
    /// Per-exam dose records of `imaging_exam_organ_dose` for the children `keys` (`SITE/pseudonym`):
    /// tiers with organ doses give a record, flagged exams a record without dose (the flagged
    /// policy applies), exams not dosed (not modelled, effective dose only) none: they are counted
    /// in `left`. Imaging never defines cohort entry.
    static func imaging(_ db: any SQLSession, keys: Set<String>, storePath: String) throws -> (records: [ProcedureDoseRecord], dosed: Int, flagged: Int, left: Int) {
        var out: [ProcedureDoseRecord] = [], dosed = 0, flagged = 0, left = 0
        let columns = RegistryStore.organDoseColumns
        try db.forEach("SELECT site, source_table, imaging_id, patient_pseudonym, exam_date, tier, \(columns.map { "\"\($0.column)\"" }.joined(separator: ", ")) "
                       + "FROM imaging_exam_organ_dose", []) { r in
            let site = r.string(0) ?? "", child = "\(site)/\(r.string(3) ?? "")"
            guard keys.contains(child) else { return }
            let key = "\(site)/\(r.string(1) ?? "")/\(r.string(2) ?? "")"
            let tier = r.string(5) ?? ""
            guard let date = CalendarDate(iso: r.string(4) ?? "") else {
                throw InputError(.file("\(storePath), table imaging_exam_organ_dose, row \(key)"), field: "exam_date", value: r.string(4) ?? "", expected: "a date YYYY-MM-DD")
            }
            if tier == "flagged" {
                flagged += 1
                out.append(ProcedureDoseRecord(patientKey: child, procedureKey: key, date: date, tier: tier, doses: nil, definesEntry: false))
                return
            }
            var doses: [Organ: Gray] = [:]
            for (k, c) in columns.enumerated() {
                guard let v = r.double(6 + k) else { continue }
                guard v.isFinite, v >= 0 else {
                    throw InputError(.file("\(storePath), table imaging_exam_organ_dose, row \(key)"), field: c.column, value: "\(v)", expected: "a dose in mGy ≥ 0")
                }
                doses[c.organ] = Gray(v / 1000)
            }
            guard !doses.isEmpty else { left += 1; return }
            dosed += 1
            out.append(ProcedureDoseRecord(patientKey: child, procedureKey: key, date: date, tier: tier, doses: doses, definesEntry: false))
        }
        return (out, dosed, flagged, left)
    }

    /// Cardiac procedures (`procedure_organ_dose`, latest run) or radiotherapy courses
    /// (`rt_course_organ_dose`) of the children `keys`, as exposures that do not define entry.
    static func other(_ db: any SQLSession, table: String, idColumn: String, dateColumn: String, keys: Set<String>, storePath: String) throws -> [ProcedureDoseRecord] {
        var latest: [String: ProcedureDoseRecord] = [:]
        let columns = RegistryStore.organDoseColumns
        try db.forEach("SELECT site, \(idColumn), patient_pseudonym, \(dateColumn), tier, \(columns.map { "\"\($0.column)\"" }.joined(separator: ", ")) "
                       + "FROM \(table) ORDER BY run_id", []) { r in
            let site = r.string(0) ?? "", child = "\(site)/\(r.string(2) ?? "")"
            guard keys.contains(child) else { return }
            let key = "\(site)/\(r.string(1) ?? "")"
            guard let date = CalendarDate(iso: r.string(3) ?? "") else {
                throw InputError(.file("\(storePath), table \(table), row \(key)"), field: dateColumn, value: r.string(3) ?? "", expected: "a date YYYY-MM-DD")
            }
            var doses: [Organ: Gray] = [:]
            for (k, c) in columns.enumerated() { if let v = r.double(5 + k), v.isFinite, v >= 0 { doses[c.organ] = Gray(v / 1000) } }
            let tier = r.string(4) ?? ""
            latest[key] = ProcedureDoseRecord(patientKey: child, procedureKey: key, date: date, tier: tier,
                                              doses: tier == "flagged" || doses.isEmpty ? nil : doses, definesEntry: false)
        }
        return latest.keys.sorted().map { latest[$0]! }
    }

    /// Adds the selected secondary exposures to a study's own records and says what was summed.
    /// When the study's own type is not selected, its records stay (they define entry) at zero dose.
    static func combine(_ db: any SQLSession, own: [ProcedureDoseRecord], ownType: ExposureType, selected: Set<ExposureType>,
                        patientKeys: Set<String>, storePath: String) throws -> (records: [ProcedureDoseRecord], description: String) {
        var records = selected.contains(ownType) ? own
            : own.map { ProcedureDoseRecord(patientKey: $0.patientKey, procedureKey: $0.procedureKey, date: $0.date, tier: "not summed", doses: [:]) }
        var notes: [String] = []
        if !selected.contains(ownType) { notes.append("\(ownType.rawValue) exposures define entry but are not summed (zero dose)") }
        let keys = Set(own.map(\.patientKey)).intersection(patientKeys)
        if selected.contains(.imaging) {
            let x = try imaging(db, keys: keys, storePath: storePath)
            records += x.records
            notes.append("imaging: \(x.dosed) exams with organ doses summed, \(x.flagged) flagged (--flagged policy), \(x.left) not dosed and left out (modality not modelled or effective dose only; imaging_exam_organ_dose.flag_reason)")
        }
        if selected.contains(.cardiac) && ownType != .cardiac {
            let x = try other(db, table: "procedure_organ_dose", idColumn: "site_procedure_id", dateColumn: "procedure_date", keys: keys, storePath: storePath)
            records += x
            notes.append("cardiac: \(x.count) procedures")
        }
        if selected.contains(.rt) && ownType != .rt {
            let x = try other(db, table: "rt_course_organ_dose", idColumn: "course_id", dateColumn: "start_date", keys: keys, storePath: storePath)
            records += x
            notes.append("rt: \(x.count) radiotherapy courses")
        }
        return (records, "exposures summed: \(ExposureType.describe(selected))" + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")"))
    }
}
