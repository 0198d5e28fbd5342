import Dosimetry

/// Tables written by the imaging dose run (`harmonic dose --store`, migration "imaging dose 1.0.0", additive):
/// - `imaging_exam_organ_dose`: one row per `diagnostic_imaging` and `rt_imaging` row (key: site,
///   source table, imaging id) with the child, exam date, modality, body region, tier, flag reason,
///   the CTDIvol used (mGy per session) and sessions, the arithmetic mean over the realisations of
///   each organ dose (mGy) and effective dose (mSv) under the column names of
///   `procedure_organ_dose` (`DoseQuantity.columnNames`), the input hash, run and realisation row.
/// - `imaging_dose_runs`: one row per run.
/// - `child_exposure_organ_dose`: per child and exposure type (`cardiac`, `imaging`, `rt`), the
///   number of exposures, how many are flagged or not dosed, the sums of their mean organ doses and
///   the realisation file holding the exposures' realisations (`ChildExposureTotals`).
enum ImagingDoseSchema {
    static func create(_ s: any SQLSession) throws {
        let d = s.dialect
        let doses = DoseQuantity.columnNames.map { "\($0) \(d.real)" }.joined(separator: ", ")
        try s.executeScript("""
            CREATE TABLE imaging_exam_organ_dose (site TEXT NOT NULL, source_table TEXT NOT NULL, imaging_id TEXT NOT NULL,
              patient_pseudonym TEXT NOT NULL, exam_date TEXT NOT NULL, modality TEXT NOT NULL, region TEXT, tier TEXT NOT NULL,
              flag_reason TEXT, ctdivol_mgy_used \(d.real), sessions \(d.integer), \(doses), input_hash TEXT NOT NULL,
              run_id \(d.integer) NOT NULL, realisation_row \(d.integer), PRIMARY KEY (site, source_table, imaging_id));
            CREATE INDEX imaging_exam_organ_dose_child ON imaging_exam_organ_dose (site, patient_pseudonym, exam_date);
            CREATE TABLE imaging_dose_runs (run_id \(d.autoIncrementKey), "user" TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
              seed TEXT NOT NULL, realisations \(d.integer) NOT NULL, model TEXT NOT NULL, exams \(d.integer),
              computed \(d.integer), reused \(d.integer), flagged \(d.integer), realisation_file TEXT, status TEXT NOT NULL);
            CREATE TABLE child_exposure_organ_dose (site TEXT NOT NULL, patient_pseudonym TEXT NOT NULL, exposure_type TEXT NOT NULL,
              exposures \(d.integer) NOT NULL, flagged_exposures \(d.integer) NOT NULL, undosed_exposures \(d.integer) NOT NULL,
              \(doses), realisation_file TEXT, PRIMARY KEY (site, patient_pseudonym, exposure_type));
            """)
    }
}
