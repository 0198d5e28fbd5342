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

/// Builds the analysis cohort of the cardiac cohort straight from the store: patients
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
    static func hasOrganDoseRows(_ db: Database) throws -> Bool {
        try db.tableExists("procedure_organ_dose") && (try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM procedure_organ_dose)") ?? false)
    }

    /// True when the store holds reconstructed organ doses.
    public func hasOrganDoses() throws -> Bool {
        try read { db in try Self.hasOrganDoseRows(db) }
    }

    /// The analysis cohort (cardiac children with at least one organ-dose row). `storePath` only
    /// names the store in error messages.
    public func analysisCohort(policy: FlaggedDosePolicy = .censor, storePath: String = "registry store") throws -> AnalysisCohort {
        try read { db in
            guard try Self.hasOrganDoseRows(db) else { throw OrganDosesMissing(storePath: storePath) }
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
            for r in try Row.fetchAll(db, sql: """
                SELECT site, patient_pseudonym, sex, country, birth_date, predisposing_condition, vital_status,
                       emigration_date, last_contact_date, death_date FROM patients WHERE cohort = 'cardiac' ORDER BY site, patient_pseudonym
                """) {
                let key = "\(text(r[0]))/\(text(r[1]))"
                guard let sex = Sex(code: text(r[2])), let country = Country(code: text(r[3])) else {
                    throw InputError(.file("\(storePath), table patients, row \(key)"), field: "sex/country", value: "\(text(r[2]))/\(text(r[3]))", expected: "M or F and a country code")
                }
                patients.append(PatientRecord(key: key, sex: sex, country: country, birth: try date(r[4], table: "patients", key: key, field: "birth_date"),
                                              predisposingCondition: text(r[5]), vitalStatus: text(r[6]), emigration: CalendarDate(iso: text(r[7])),
                                              lastContact: try date(r[8], table: "patients", key: key, field: "last_contact_date"),
                                              death: CalendarDate(iso: text(r[9]))))
            }
            var diagnoses: [DiagnosisRecord] = []
            for r in try Row.fetchAll(db, sql: "SELECT site, patient_pseudonym, diagnosis_date, topography, morphology, behaviour, outcome_id FROM cancer_outcomes") {
                let key = "\(text(r[0]))/\(text(r[1]))"
                diagnoses.append(DiagnosisRecord(patientKey: key, date: try date(r[2], table: "cancer_outcomes", key: "\(text(r[0]))/\(text(r[6]))", field: "diagnosis_date"),
                                                 topography: text(r[3]), morphology: text(r[4]), behaviour: text(r[5])))
            }
            let columns = Set(try db.columns(in: "procedure_organ_dose").map(\.name))
            for needed in ["site", "site_procedure_id", "patient_pseudonym", "procedure_date", "tier"] + Self.organDoseColumns.map(\.column)
            where !columns.contains(needed) {
                throw InputError(.file("\(storePath), table procedure_organ_dose"), field: needed, expected: "a column \(needed) (written by the dose reconstruction)")
            }
            let order = columns.contains("run_id") ? " ORDER BY run_id" : ""
            let organSQL = Self.organDoseColumns.map { "\"\($0.column)\"" }.joined(separator: ", ")
            var latest: [String: ProcedureDoseRecord] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT site, site_procedure_id, patient_pseudonym, procedure_date, tier, \(organSQL) FROM procedure_organ_dose\(order)") {
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
            return AnalysisCohort.build(patients: patients, diagnoses: diagnoses, doses: doses, policy: policy)
        }
    }
}
