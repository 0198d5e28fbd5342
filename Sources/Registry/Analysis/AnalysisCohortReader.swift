import Epidemiology
import Foundation
import GRDB
import HarmonicCore

/// The store's `procedure_organ_dose` is missing or empty: the dose reconstruction has not run on it.
public struct OrganDosesMissing: Error, CustomStringConvertible {
    public var storePath: String
    public init(storePath: String) { self.storePath = storePath }
    public var description: String {
        "\(storePath): no organ doses in this store (table procedure_organ_dose is missing or empty). Run the dose reconstruction "
            + "on the store first (`harmonic dose --store \(storePath)`; the `harmonic demo` pipeline does it in its dose stage), then analyse again."
    }
}

/// The store's `rt_course_organ_dose` is empty: `harmonic rt dose --store` has not run on it.
public struct RadiotherapyOrganDosesMissing: Error, CustomStringConvertible {
    public var storePath: String
    public init(storePath: String) { self.storePath = storePath }
    public var description: String {
        "\(storePath): no radiotherapy organ doses in this store (table rt_course_organ_dose is empty). Run "
            + "`harmonic rt dose --store \(storePath)` first, or analyse the prescribed target dose with --dose prescribed."
    }
}

/// Which dose a radiotherapy-registry analysis uses.
public enum RadiotherapyDose: String, Sendable {
    /// The organ doses of `rt_course_organ_dose` (`harmonic rt dose --store`), mGy → Gy.
    case organ
    /// The prescribed target dose of `rt_courses`, standing in for every organ (not an organ dose).
    case prescribed
}

/// The store holds no radiotherapy courses (table rt_courses empty): nothing to analyse for that cohort.
public struct RadiotherapyCoursesMissing: Error, CustomStringConvertible {
    public var storePath: String
    public init(storePath: String) { self.storePath = storePath }
    public var description: String {
        "\(storePath): no radiotherapy courses in this store (table rt_courses is empty). Load the radiotherapy sites' "
            + "rt_courses.csv with harmonic ingest (docs/data-dictionary.md), then analyse again."
    }
}

/// Builds the analysis cohort of the cardiac cohort (or, with `cohort: .radiotherapy`, of the
/// radiotherapy registry: see `analysisCohort(policy:storePath:cohort:)`) straight from the store: patients
/// (birth, sex, country, predisposing condition, vital status, emigration, last contact, death),
/// cancer outcomes (ICD-O-3 codes → `OutcomeGroup`), and per-procedure organ doses from
/// `procedure_organ_dose` (mGy, written by the dose reconstruction). Children are keyed
/// `SITE/pseudonym`, procedures `SITE/site_procedure_id` (the keys of dose realisation files).
///
/// Rows of `procedure_organ_dose` with tier `flagged` (or without any dose value) have no dose;
/// `policy` says what that does to the child (`FlaggedDosePolicy`, default: censor follow-up at
/// the first flagged procedure). When the table holds several runs of the reconstruction, the
/// row of the greatest `run_id` is used for each procedure.
extension RegistryStore {
    /// Column of `procedure_organ_dose` per analysed organ (mGy).
    public static let organDoseColumns: [(column: String, organ: Organ)] = [
        ("red_marrow_mgy", .redMarrow), ("breast_mgy", .breast), ("lung_mgy", .lungs), ("heart_mgy", .heart),
        ("thyroid_mgy", .thyroid), ("oesophagus_mgy", .oesophagus), ("brain_mgy", .brain),
    ]

    /// The table exists from the store's "dose 1.0.0" migration on; it holds rows once `harmonic dose` has run.
    static func hasOrganDoseRows(_ db: any SQLSession) throws -> Bool {
        try db.scalar("SELECT COUNT(*) FROM (SELECT 1 FROM procedure_organ_dose LIMIT 1) AS any_row").flatMap { Int.fromDatabaseValue($0) } == 1
    }

    /// True when the store holds reconstructed organ doses.
    public func hasOrganDoses() throws -> Bool {
        try analystRead("read the organ doses") { db in try Self.hasOrganDoseRows(db) }
    }

    /// What the organ dose of a radiotherapy-registry analysis is (printed with the cohort summary).
    public static let radiotherapyOrganDoseDescription = "organ doses of each radiotherapy course from rt_course_organ_dose "
        + "(harmonic rt dose --store: course-record tier, site-typical fields on the age-matched phantom plus out-of-field models; mGy → Gy), "
        + "cumulated over a child's courses and lagged; flagged courses have no dose."

    /// What the prescribed dose of a radiotherapy-registry analysis is (printed with the cohort summary).
    public static let radiotherapyDoseDescription = "prescribed target dose of each radiotherapy course (rt_courses.prescribed_dose_gy, Gy), "
        + "cumulated over a child's courses (--dose prescribed). This is NOT an organ dose (organ doses: --dose ORGAN after harmonic rt dose --store): "
        + "it stands in for every organ and measures treatment intensity at the target, not the dose to the organ of the outcome."

    /// The analysis cohort. `cohort: .cardiac` (default): cardiac children with at least one
    /// organ-dose row. `cohort: .radiotherapy`: children of the radiotherapy registry with at least
    /// one course in `rt_courses`; each course is an exposure on its `start_date` (key
    /// `SITE/course_id`) whose dose is its `prescribed_dose_gy` for every organ — the store has no
    /// organ doses for radiotherapy (`radiotherapyDoseDescription`); entry is the first course;
    /// diagnoses before the first course (the cancer treated) are not counted as outcomes.
    /// `storePath` only names the store in error messages.
    public func analysisCohort(policy: FlaggedDosePolicy = .censor, storePath: String = "registry store",
                               cohort study: StudyCohort = .cardiac, radiotherapyDose: RadiotherapyDose = .prescribed,
                               exposures: Set<ExposureType>? = nil) throws -> AnalysisCohort {
        try analystRead("read the pooled analysis cohort") { db in
            switch study {
            case .cardiac: guard try Self.hasOrganDoseRows(db) else { throw OrganDosesMissing(storePath: storePath) }
            case .radiotherapy:
                guard try db.scalar("SELECT COUNT(*) FROM (SELECT 1 FROM rt_courses LIMIT 1) AS any_row").flatMap({ Int.fromDatabaseValue($0) }) == 1 else {
                    throw RadiotherapyCoursesMissing(storePath: storePath)
                }
            }
            func text(_ v: DatabaseValue) -> String {
                switch v.storage {
                case .string(let s): s
                case .int64(let i): String(i)
                case .double(let d): String(d)
                default: ""
                }
            }
            func number(_ v: DatabaseValue) -> Double? {
                switch v.storage {
                case .double(let d): d
                case .int64(let i): Double(i)
                case .string(let s): Double(s.trimmingWhitespace())
                default: nil
                }
            }
            func date(_ v: DatabaseValue, table: String, key: String, field: String) throws -> CalendarDate {
                guard let d = CalendarDate(iso: text(v)) else {
                    throw InputError(.file("\(storePath), table \(table), row \(key)"), field: field, value: text(v), expected: "a date YYYY-MM-DD")
                }
                return d
            }
            var patients: [PatientRecord] = []
            for r in try db.fetch("""
                SELECT site, patient_pseudonym, sex, country, birth_date, predisposing_condition, vital_status,
                       emigration_date, last_contact_date, death_date FROM patients WHERE cohort = ? ORDER BY site, patient_pseudonym
                """, [study.rawValue.databaseValue]) {
                let key = "\(text(r[0]))/\(text(r[1]))"
                guard let sex = Sex(code: text(r[2])), let country = Country(code: text(r[3])) else {
                    throw InputError(.file("\(storePath), table patients, row \(key)"), field: "sex/country", value: "\(text(r[2]))/\(text(r[3]))", expected: "M or F and a country code")
                }
                patients.append(PatientRecord(key: key, sex: sex, country: country, birth: try date(r[4], table: "patients", key: key, field: "birth_date"),
                                              predisposingCondition: text(r[5]), vitalStatus: text(r[6]), emigration: CalendarDate(iso: text(r[7])),
                                              lastContact: try date(r[8], table: "patients", key: key, field: "last_contact_date"),
                                              death: CalendarDate(iso: text(r[9]))))
            }
            let cohortKeys = Set(patients.map(\.key))
            var diagnoses: [DiagnosisRecord] = []
            for r in try db.fetch("SELECT site, patient_pseudonym, diagnosis_date, topography, morphology, behaviour, outcome_id FROM cancer_outcomes") {
                let key = "\(text(r[0]))/\(text(r[1]))"
                guard cohortKeys.contains(key) else { continue } // a child of the other study cohort
                diagnoses.append(DiagnosisRecord(patientKey: key, date: try date(r[2], table: "cancer_outcomes", key: "\(text(r[0]))/\(text(r[6]))", field: "diagnosis_date"),
                                                 topography: text(r[3]), morphology: text(r[4]), behaviour: text(r[5])))
            }
            if study == .radiotherapy && radiotherapyDose == .organ {
                guard try db.scalar("SELECT COUNT(*) FROM (SELECT 1 FROM rt_course_organ_dose LIMIT 1) AS any_row").flatMap({ Int.fromDatabaseValue($0) }) == 1 else {
                    throw RadiotherapyOrganDosesMissing(storePath: storePath)
                }
                let columns = RTDoseSchema.organColumns
                var courses: [ProcedureDoseRecord] = []
                for r in try db.fetch("SELECT site, course_id, patient_pseudonym, start_date, tier, \(columns.map { "\"\($0.column)\"" }.joined(separator: ", ")) "
                                      + "FROM rt_course_organ_dose ORDER BY site, course_id") {
                    let site = text(r[0]), courseKey = "\(site)/\(text(r[1]))"
                    var doses: [Organ: Gray] = [:]
                    for (k, c) in columns.enumerated() {
                        guard let v = number(r[5 + k]) else { continue }
                        guard v.isFinite, v >= 0 else {
                            throw InputError(.file("\(storePath), table rt_course_organ_dose, row \(courseKey)"), field: c.column, value: text(r[5 + k]), expected: "a dose in mGy ≥ 0")
                        }
                        doses[c.organ] = Gray(v / 1000)
                    }
                    let tier = text(r[4])
                    courses.append(ProcedureDoseRecord(patientKey: "\(site)/\(text(r[2]))", procedureKey: courseKey,
                                                       date: try date(r[3], table: "rt_course_organ_dose", key: courseKey, field: "start_date"),
                                                       tier: tier, doses: tier == "flagged" || doses.isEmpty ? nil : doses))
                }
                let summed = try SecondaryExposures.combine(db, own: courses, ownType: .rt, selected: exposures ?? Set(ExposureType.allCases),
                                                            patientKeys: cohortKeys, storePath: storePath)
                var c = AnalysisCohort.build(patients: patients, diagnoses: diagnoses, doses: summed.records, policy: policy,
                                             study: .radiotherapy, dropDiagnosesBeforeEntry: true)
                c.doseDescription = Self.radiotherapyOrganDoseDescription + " " + summed.description + "."
                return c
            }
            if study == .radiotherapy {
                if let e = exposures, e != [.rt] {
                    throw InputError(.file("command line option --exposures"), value: ExposureType.describe(e),
                                     expected: "rt only with the prescribed dose (a target dose cannot be summed with organ doses): give an organ as the dose")
                }
                var courses: [ProcedureDoseRecord] = []
                for r in try db.fetch("SELECT site, course_id, patient_pseudonym, start_date, prescribed_dose_gy FROM rt_courses ORDER BY site, course_id") {
                    let site = text(r[0]), courseKey = "\(site)/\(text(r[1]))"
                    guard let gy = number(r[4]), gy.isFinite, gy >= 0 else {
                        throw InputError(.file("\(storePath), table rt_courses, row \(courseKey)"), field: "prescribed_dose_gy", value: text(r[4]), expected: "a dose in Gy ≥ 0")
                    }
                    let dose = Gray(gy)
                    courses.append(ProcedureDoseRecord(patientKey: "\(site)/\(text(r[2]))", procedureKey: courseKey,
                                                       date: try date(r[3], table: "rt_courses", key: courseKey, field: "start_date"),
                                                       tier: "prescribed", doses: Dictionary(uniqueKeysWithValues: Organ.allCases.map { ($0, dose) })))
                }
                var c = AnalysisCohort.build(patients: patients, diagnoses: diagnoses, doses: courses, policy: policy,
                                             study: .radiotherapy, dropDiagnosesBeforeEntry: true)
                c.doseDescription = Self.radiotherapyDoseDescription
                return c
            }
            // The columns are those of migration "dose 1.0.0" (DoseSchema), present in every store.
            let order = " ORDER BY run_id"
            let organSQL = Self.organDoseColumns.map { "\"\($0.column)\"" }.joined(separator: ", ")
            var latest: [String: ProcedureDoseRecord] = [:]
            for r in try db.fetch("SELECT site, site_procedure_id, patient_pseudonym, procedure_date, tier, \(organSQL) FROM procedure_organ_dose\(order)") {
                let site = text(r[0]), procKey = "\(site)/\(text(r[1]))"
                let tier = text(r[4])
                var doses: [Organ: Gray] = [:]
                for (k, c) in Self.organDoseColumns.enumerated() {
                    guard let v = number(r[5 + k]) else { continue }
                    guard v.isFinite, v >= 0 else {
                        throw InputError(.file("\(storePath), table procedure_organ_dose, row \(procKey)"), field: c.column, value: text(r[5 + k]), expected: "a dose in mGy ≥ 0")
                    }
                    doses[c.organ] = Gray(v / 1000)
                }
                let flagged = tier == "flagged" || doses.isEmpty
                latest[procKey] = ProcedureDoseRecord(patientKey: "\(site)/\(text(r[2]))", procedureKey: procKey,
                                                      date: try date(r[3], table: "procedure_organ_dose", key: procKey, field: "procedure_date"),
                                                      tier: tier, doses: flagged ? nil : doses)
            }
            let doses = latest.keys.sorted().map { latest[$0]! }
            let summed = try SecondaryExposures.combine(db, own: doses, ownType: .cardiac, selected: exposures ?? Set(ExposureType.allCases),
                                                        patientKeys: cohortKeys, storePath: storePath)
            var c = AnalysisCohort.build(patients: patients, diagnoses: diagnoses, doses: summed.records, policy: policy)
            c.doseDescription = "organ doses of each procedure from procedure_organ_dose (dose reconstruction, mGy → Gy), cumulated and lagged; " + summed.description + "."
            return c
        }
    }
}
