import Dosimetry
import HarmonicCore

/// Tables written by `harmonic rt dose --store` (migration "rt dose 1.0.0", additive):
/// - `rt_course_organ_dose`: one row per radiotherapy course (`rt_courses`) with its tier
///   (`course_record`, `flagged`), flag reason, the organ doses in mGy under the column names of
///   `procedure_organ_dose` (`DoseQuantity.columnNames`, so the per-child total of every exposure
///   can add them), then the other organs of `Organ` (`<organ>_mgy`), the arithmetic mean over the
///   realisations of each. `effective_dose_msv` stays NULL: effective dose is a protection quantity
///   not meant for therapeutic doses (ICRP 103, 2007, §§ 155, 166), so no value is given rather than
///   a misleading one. RT columns: modality, technique, prescribed dose, fractions, the phantom used,
///   and the mean-dose components of the heart, thyroid, breast and red marrow are in
///   `rt_course_organ_component` (one row per course and organ).
/// - `rt_course_organ_component`: per course and organ, the component split (mGy; neutron dose
///   equivalent mSv; imaging NULL until the imaging-dose issue fills it).
/// - `rt_child_organ_dose`: per child, the sums of the course means (cumulative RT organ dose).
/// - `rt_dose_runs`: one row per run.
public enum RTDoseSchema {
    /// Organ columns of `rt_course_organ_dose` after the `DoseQuantity` ones: every other organ of `Organ`.
    static let extraOrgans: [Organ] = Organ.allCases.filter { !DoseQuantity.organs.contains($0) }
    /// Every organ column (mGy) with its organ, `DoseQuantity` organs first.
    public static let organColumns: [(column: String, organ: Organ)] =
        zip(DoseQuantity.columnNames, DoseQuantity.organs).map { ($0, $1) } + extraOrgans.map { ("\($0.rawValue)_mgy", $0) }

    static func create(_ s: any SQLSession) throws {
        let d = s.dialect
        let doses = (DoseQuantity.columnNames + extraOrgans.map { "\($0.rawValue)_mgy" }).map { "\($0) \(d.real)" }.joined(separator: ", ")
        let sums = DoseQuantity.columnNames.map { "\($0) \(d.real)" }.joined(separator: ", ")
            + ", " + extraOrgans.map { "\($0.rawValue)_mgy \(d.real)" }.joined(separator: ", ")
        try s.executeScript("""
            CREATE TABLE rt_course_organ_dose (site TEXT NOT NULL, course_id TEXT NOT NULL,
              patient_pseudonym TEXT NOT NULL, start_date TEXT NOT NULL, tier TEXT NOT NULL, flag_reason TEXT,
              \(doses), run_id \(d.integer) NOT NULL, realisation_row \(d.integer),
              modality TEXT, technique TEXT, target_site TEXT, prescribed_dose_gy \(d.real), fractions \(d.integer),
              geometry TEXT, input_hash TEXT NOT NULL, PRIMARY KEY (site, course_id));
            CREATE INDEX rt_course_organ_dose_child ON rt_course_organ_dose (site, patient_pseudonym, start_date);
            CREATE TABLE rt_course_organ_component (site TEXT NOT NULL, course_id TEXT NOT NULL, organ TEXT NOT NULL,
              in_field_mgy \(d.real), out_of_field_photon_mgy \(d.real), neutron_absorbed_mgy \(d.real),
              neutron_equivalent_msv \(d.real), imaging_mgy \(d.real), run_id \(d.integer) NOT NULL,
              PRIMARY KEY (site, course_id, organ));
            CREATE TABLE rt_child_organ_dose (site TEXT NOT NULL, patient_pseudonym TEXT NOT NULL, courses \(d.integer) NOT NULL,
              flagged_courses \(d.integer) NOT NULL, \(sums), run_id \(d.integer) NOT NULL, PRIMARY KEY (site, patient_pseudonym));
            CREATE TABLE rt_dose_runs (run_id \(d.autoIncrementKey), "user" TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT,
              seed TEXT NOT NULL, realisations \(d.integer) NOT NULL, model TEXT NOT NULL, courses \(d.integer),
              computed \(d.integer), reused \(d.integer), flagged \(d.integer), realisation_file TEXT, status TEXT NOT NULL);
            """)
    }
}
