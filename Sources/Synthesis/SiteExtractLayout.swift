/// The CSV layout of a site extract as `harmonic synth` writes it: one folder per country
/// and cohort (`BE-cardiac/`, `DK-radiotherapy/`), one file per table, a header row, comma
/// separated, UTF-8. Column names follow the registry's data dictionary.
public enum SiteExtractTable: String, CaseIterable, Sendable {
    case patients, procedures, irradiationEvents = "irradiation_events", cancers
    case rtCourses = "rt_courses", rtImaging = "rt_imaging"
    case biobankSamples = "biobank_samples", biomarkers, proScores = "pro_scores"

    /// Position in `allCases` (constant-time, for the hot loops).
    var index: Int {
        switch self {
        case .patients: 0
        case .procedures: 1
        case .irradiationEvents: 2
        case .cancers: 3
        case .rtCourses: 4
        case .rtImaging: 5
        case .biobankSamples: 6
        case .biomarkers: 7
        case .proScores: 8
        }
    }
    /// File name within a site folder.
    public var fileName: String { rawValue + ".csv" }

    /// Header columns, in order.
    public var columns: [String] {
        switch self {
        case .patients:
            ["patient_id", "country", "sex", "birth_date", "cohort", "conditions", "vital_status",
             "emigration_date", "last_contact_date", "death_date"]
        case .procedures:
            ["procedure_id", "patient_id", "procedure_date", "hospital", "procedure_type", "procedure_class",
             "weight_kg", "height_cm", "kap_gy_cm2", "ref_air_kerma_mgy", "fluoroscopy_time_s",
             "cine_runs", "cine_frames", "equipment", "dose_record"]
        case .irradiationEvents:
            ["event_uid", "procedure_id", "event_datetime", "event_type", "acquisition_plane", "kvp",
             "tube_current_ma", "pulse_rate", "filter_cu_mm", "primary_angle_deg", "secondary_angle_deg",
             "field_size_cm", "source_detector_cm", "kap_gy_cm2", "ref_air_kerma_mgy", "irradiation_time_s"]
        case .cancers:
            ["cancer_id", "patient_id", "diagnosis_date", "topography", "morphology", "behaviour",
             "basis_of_diagnosis", "source_registry"]
        case .rtCourses:
            ["course_id", "patient_id", "start_date", "end_date", "modality", "technique", "target_site",
             "prescribed_dose_gy", "fractions", "energy"]
        case .rtImaging:
            ["imaging_id", "patient_id", "course_id", "imaging_date", "modality", "count"]
        case .biobankSamples:
            ["sample_id", "patient_id", "sample_type", "time_point", "collection_date", "storage_location"]
        case .biomarkers:
            ["measurement_id", "sample_id", "analyte", "value", "unit", "assay"]
        case .proScores:
            ["score_id", "patient_id", "instrument", "domain", "score", "assessment_date"]
        }
    }
    public var header: String { columns.joined(separator: ",") + "\n" }

    public static let cardiacTables: [SiteExtractTable] = [.patients, .procedures, .irradiationEvents, .cancers]
    public static let radiotherapyTables: [SiteExtractTable] = [
        .patients, .rtCourses, .rtImaging, .cancers, .biobankSamples, .biomarkers, .proScores,
    ]
}
