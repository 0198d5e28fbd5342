import Dosimetry
import GRDB

/// Tables written by `harmonic dose` (migration "dose 1.0.0", additive):
/// - `procedure_organ_dose`: one row per cardiac procedure with its tier, flag reason, KAP used,
///   the arithmetic mean over the realisations of each organ dose (mGy) and effective dose (mSv),
///   the input hash (incremental runs) and the run that computed it. Read by the epidemiology layer.
/// - `child_organ_dose`: per child, the sums of the procedure means (cumulative mean dose).
/// - `dose_runs`: one row per run (seed, realisations, coefficient source, counts, realisation file).
enum DoseSchema {
    static func create(_ s: any SQLSession) throws {
        let d = s.dialect
        let doses = DoseQuantity.columnNames.map { "\($0) \(d.real)" }.joined(separator: ", ")
        try s.executeScript("""
            CREATE TABLE procedure_organ_dose (site TEXT NOT NULL, site_procedure_id TEXT NOT NULL,
              patient_pseudonym TEXT NOT NULL, procedure_date TEXT NOT NULL, tier TEXT NOT NULL, flag_reason TEXT,
              kap_gycm2_used \(d.real), \(doses), input_hash TEXT NOT NULL, run_id \(d.integer) NOT NULL,
              realisation_row \(d.integer), mix_source TEXT, PRIMARY KEY (site, site_procedure_id));
            CREATE INDEX procedure_organ_dose_child ON procedure_organ_dose (site, patient_pseudonym, procedure_date);
            CREATE TABLE child_organ_dose (site TEXT NOT NULL, patient_pseudonym TEXT NOT NULL, procedures \(d.integer) NOT NULL,
              flagged_procedures \(d.integer) NOT NULL, \(doses), run_id \(d.integer) NOT NULL, PRIMARY KEY (site, patient_pseudonym));
            CREATE TABLE dose_runs (run_id \(d.autoIncrementKey), "user" TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
              seed TEXT NOT NULL, realisations \(d.integer) NOT NULL, coefficient_source TEXT NOT NULL, procedures \(d.integer),
              computed \(d.integer), reused \(d.integer), flagged \(d.integer), realisation_file TEXT, status TEXT NOT NULL);
            """)
    }
}
