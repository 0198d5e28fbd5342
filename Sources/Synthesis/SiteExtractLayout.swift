/// The CSV layout of a site extract as `harmonic synth` writes it: one folder per country
/// and cohort (`BE-cardiac/`, `DK-radiotherapy/`), one file per table, a header row, comma
/// separated, UTF-8. Column names follow the registry's data dictionary.
public enum SiteExtractTable: String, CaseIterable, Sendable {
    case patients, procedures = "cardiac_procedures", irradiationEvents = "irradiation_events", cancers = "cancer_outcomes"
    case rtCourses = "rt_courses", rtImaging = "rt_imaging"
    case biobankSamples = "biobank_samples", biomarkers = "biomarker_measurements", proScores = "pro_scores"
    case chemotherapy
    case diagnosticImaging = "diagnostic_imaging"
    case hsct, surgery

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
        case .chemotherapy: 9
        case .diagnosticImaging: 10
        case .hsct: 11
        case .surgery: 12
        }
    }
    /// File name within a site folder.
    public var fileName: String { rawValue + ".csv" }

    /// Header columns, in order.
    public var columns: [String] {
        switch self {
        case .patients:
            ["site_patient_id", "country", "sex", "birth_date", "cohort", "predisposing_condition", "vital_status",
             "emigration_date", "last_contact_date", "death_date"]
        case .procedures:
            ["site_procedure_id", "site_patient_id", "procedure_date", "hospital", "procedure_type", "procedure_class",
             "weight_kg", "height_cm", "kap_gycm2", "ref_air_kerma_mgy", "fluoro_time_s",
             "cine_runs", "cine_frames", "equipment", "dose_record_level"]
        case .irradiationEvents:
            ["event_uid", "site_procedure_id", "event_datetime", "event_type", "plane", "kap_gycm2", "ref_air_kerma_mgy",
             "primary_angle_deg", "secondary_angle_deg", "kvp", "tube_current_ma", "pulse_width_ms", "exposure_time_s",
             "pulses", "filter_material", "filter_thickness_mm", "field_area_cm2", "source_detector_distance_mm"]
        case .cancers:
            ["outcome_id", "site_patient_id", "diagnosis_date", "topography", "morphology", "behaviour",
             "basis_of_diagnosis", "source_registry"]
        case .rtCourses:
            ["course_id", "site_patient_id", "start_date", "end_date", "modality", "technique", "target_site",
             "prescribed_dose_gy", "fractions", "energy_mev"]
        case .rtImaging:
            ["imaging_id", "course_id", "modality", "first_date", "last_date", "sessions", "dose_per_session_mgy"]
        case .biobankSamples:
            ["sample_id", "site_patient_id", "sample_type", "collection_date", "time_point", "storage_location"]
        case .biomarkers:
            ["measurement_id", "sample_id", "analyte", "value", "unit", "assay", "measurement_date"]
        case .proScores:
            ["score_id", "site_patient_id", "instrument", "score", "score_date"]
        case .chemotherapy:
            ["chemo_id", "site_patient_id", "agent", "start_date", "end_date", "cumulative_dose_mg_m2"]
        case .diagnosticImaging:
            ["imaging_id", "site_patient_id", "exam_date", "modality", "body_region", "ctdivol_mgy", "dlp_mgycm",
             "effective_dose_msv", "kvp", "scanner", "ctdi_phantom_cm", "entrance_air_kerma_mgy"]
        case .hsct:
            ["hsct_id", "site_patient_id", "transplant_date", "hsct_type", "tbi_conditioning"]
        case .surgery:
            ["surgery_id", "site_patient_id", "surgery_date", "region"]
        }
    }
    public var header: String { columns.joined(separator: ",") + "\n" }

    public static let cardiacTables: [SiteExtractTable] = [.patients, .procedures, .irradiationEvents, .cancers, .diagnosticImaging]
    public static let radiotherapyTables: [SiteExtractTable] = [
        .patients, .rtCourses, .rtImaging, .cancers, .biobankSamples, .biomarkers, .proScores, .chemotherapy, .hsct, .surgery,
    ]
}
