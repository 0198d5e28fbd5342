import Dosimetry
import GRDB

/// Each child's cumulative organ dose by exposure type, `child_exposure_organ_dose`: one row per
/// (site, child, exposure type) with the number of exposures, how many are flagged (bad input)
/// or not dosed (a modality not modelled), the sums of the exposures' mean organ doses (mGy;
/// effective dose mSv, none for radiotherapy) and the realisation file of that type, whose rows
/// for the child summed within each realisation give the child's realisations:
/// - `cardiac`: `procedure_organ_dose` (`harmonic dose --store`, `STORE.realisations`);
/// - `imaging`: `imaging_exam_organ_dose` (the same run, `STORE.imaging-realisations`);
/// - `rt`: `rt_course_organ_dose` (`harmonic rt dose --store`, `STORE.rt-realisations`, Gy).
/// The total of a child is the sum over its rows; the type of each component stays visible.
/// Rebuilt by each of the three runs.
public enum ChildExposureTotals {
    public static let exposureTypes = ["cardiac", "imaging", "rt"]

    static func rebuild(_ db: any SQLSession, storePath: String) throws {
        let columns = DoseQuantity.columnNames
        let sums = columns.map { "SUM(\($0))" }.joined(separator: ", ")
        let list = columns.joined(separator: ", ")
        try db.execute("DELETE FROM child_exposure_organ_dose")
        let sources: [(type: String, table: String, flagged: String, undosed: String, file: String)] = [
            ("cardiac", "procedure_organ_dose", "tier = 'flagged'", "1 = 0", DoseRun.realisationPath(store: storePath)),
            ("imaging", "imaging_exam_organ_dose", "tier = 'flagged'", "tier IN ('not_modelled', 'effective_recorded')",
             ImagingDoseRun.realisationPath(store: storePath)),
            ("rt", "rt_course_organ_dose", "tier = 'flagged'", "1 = 0", RTDoseRun.realisationPath(store: storePath)),
        ]
        for s in sources {
            try db.execute("""
                INSERT INTO child_exposure_organ_dose (site, patient_pseudonym, exposure_type, exposures, flagged_exposures, undosed_exposures, \(list), realisation_file)
                SELECT site, patient_pseudonym, ?, COUNT(*), SUM(CASE WHEN \(s.flagged) THEN 1 ELSE 0 END), SUM(CASE WHEN \(s.undosed) THEN 1 ELSE 0 END), \(sums), ?
                FROM \(s.table) GROUP BY site, patient_pseudonym
                """, [s.type.databaseValue, s.file.databaseValue])
        }
    }
}
