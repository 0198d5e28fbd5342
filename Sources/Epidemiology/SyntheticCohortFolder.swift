import Foundation
import HarmonicCore

/// Reads the output folder of `harmonic synth` straight into analysis records: every site
/// folder's patients.csv and cancer_outcomes.csv, and the true per-procedure organ doses of
/// truth/organ_doses.csv (mGy), with the true ERR/Gy of truth/truth.json. Coverage studies use
/// it to fit many synthetic cohorts against their truth without loading a store; the registry
/// path (`RegistryStore.analysisCohort`) builds the same records from the store.
public enum SyntheticCohortFolder {
    /// Organ columns of truth/organ_doses.csv (and of the store's procedure_organ_dose) in mGy.
    public static let organColumns: [(column: String, organ: Organ)] = [
        ("red_marrow_mgy", .redMarrow), ("lung_mgy", .lungs), ("breast_mgy", .breast), ("thyroid_mgy", .thyroid),
        ("brain_mgy", .brain), ("oesophagus_mgy", .oesophagus), ("heart_mgy", .heart),
    ]

    public struct Contents: Sendable {
        public var patients: [PatientRecord] = []
        public var diagnoses: [DiagnosisRecord] = []
        public var doses: [ProcedureDoseRecord] = []
    }

    /// The true ERR per Gy of `outcome` (truth.json `outcomes.<name>.true_err_per_gy`); synth names
    /// the CNS group `brain`.
    public static func trueERRPerGy(truthFile url: URL, outcome: OutcomeGroup) throws -> Double {
        guard let data = try? Data(contentsOf: url),
              let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let outcomes = json["outcomes"] as? [String: Any] else {
            throw InputError(.file(url.path), expected: "a harmonic-synth-truth/1 JSON file with an 'outcomes' object")
        }
        let name = outcome == .cns ? "brain" : outcome.rawValue
        guard let o = outcomes[name] as? [String: Any], let v = o["true_err_per_gy"] as? Double else {
            throw InputError(.file(url.path), field: "outcomes.\(name).true_err_per_gy", expected: "the true ERR per Gy of \(name)")
        }
        return v
    }

    /// Reads `directory` (a synth output folder). Child keys are `SITE/site_patient_id`, procedure
    /// keys `SITE/procedure_id`, with SITE the two-letter country prefix of the site folder.
    public static func read(directory: URL) throws -> Contents {
        var out = Contents()
        let fm = FileManager.default
        let folders = try fm.contentsOfDirectory(atPath: directory.path).filter {
            $0 != "truth" && fm.fileExists(atPath: directory.appendingPathComponent($0).appendingPathComponent("patients.csv").path)
        }.sorted()
        for folder in folders {
            let site = String(folder.prefix(2)).uppercased()
            let pf = directory.appendingPathComponent(folder).appendingPathComponent("patients.csv")
            let (ph, pr) = try AnalysisExtract.rows(pf)
            let c = try ["site_patient_id", "country", "sex", "birth_date", "predisposing_condition", "vital_status",
                         "emigration_date", "last_contact_date", "death_date"].map { try AnalysisExtract.column($0, ph, pf.path) }
            for (line, f) in pr {
                func v(_ i: Int) -> String { c[i] < f.count ? f[c[i]] : "" }
                func date(_ i: Int, _ name: String) throws -> CalendarDate {
                    guard let d = CalendarDate(iso: v(i)) else { throw InputError(.row(file: pf.path, line: line), field: name, value: v(i), expected: "a date YYYY-MM-DD or YYYY-MM") }
                    return d
                }
                guard let sex = Sex(code: v(2)) else { throw InputError(.row(file: pf.path, line: line), field: "sex", value: v(2), expected: "M or F") }
                guard let country = Country(code: v(1)) else { throw InputError(.row(file: pf.path, line: line), field: "country", value: v(1), expected: "a country code") }
                out.patients.append(PatientRecord(key: "\(site)/\(v(0))", sex: sex, country: country, birth: try date(3, "birth_date"),
                                                  predisposingCondition: v(4), vitalStatus: v(5), emigration: CalendarDate(iso: v(6)),
                                                  lastContact: try date(7, "last_contact_date"), death: CalendarDate(iso: v(8))))
            }
            let cf = directory.appendingPathComponent(folder).appendingPathComponent("cancer_outcomes.csv")
            guard fm.fileExists(atPath: cf.path) else { continue }
            let (ch, cr) = try AnalysisExtract.rows(cf)
            let k = try ["site_patient_id", "diagnosis_date", "topography", "morphology", "behaviour"].map { try AnalysisExtract.column($0, ch, cf.path) }
            for (line, f) in cr {
                func v(_ i: Int) -> String { k[i] < f.count ? f[k[i]] : "" }
                guard let d = CalendarDate(iso: v(1)) else { throw InputError(.row(file: cf.path, line: line), field: "diagnosis_date", value: v(1), expected: "a date YYYY-MM-DD") }
                out.diagnoses.append(DiagnosisRecord(patientKey: "\(site)/\(v(0))", date: d, topography: v(2), morphology: v(3), behaviour: v(4)))
            }
        }
        let of = directory.appendingPathComponent("truth/organ_doses.csv")
        let (oh, orows) = try AnalysisExtract.rows(of)
        let pid = try AnalysisExtract.column("procedure_id", oh, of.path), pat = try AnalysisExtract.column("patient_id", oh, of.path)
        let pdate = try AnalysisExtract.column("procedure_date", oh, of.path)
        let organs = try organColumns.map { (try AnalysisExtract.column($0.column, oh, of.path), $0.organ) }
        out.doses.reserveCapacity(orows.count)
        for (line, f) in orows {
            guard f.count == oh.count else { throw InputError(.row(file: of.path, line: line), expected: "\(oh.count) fields (found \(f.count))") }
            guard let d = CalendarDate(iso: f[pdate]) else { throw InputError(.row(file: of.path, line: line), field: "procedure_date", value: f[pdate], expected: "a date YYYY-MM-DD") }
            var doses: [Organ: Gray] = [:]
            for (i, organ) in organs {
                guard let mGy = Double(f[i]), mGy >= 0 else { throw InputError(.row(file: of.path, line: line), field: oh[i], value: f[i], expected: "a dose in mGy ≥ 0") }
                doses[organ] = Gray(mGy / 1000)
            }
            let site = String(f[pat].prefix(2)).uppercased()
            out.doses.append(ProcedureDoseRecord(patientKey: "\(site)/\(f[pat])", procedureKey: "\(site)/\(f[pid])", date: d, tier: "truth", doses: doses))
        }
        return out
    }
}
