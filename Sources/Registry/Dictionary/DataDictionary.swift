import FollowUp
import Foundation

/// The Harmonic data dictionary: the single source of truth for the CSV layout of a site
/// extract, the store's schema and the ingest checks. `docs/data-dictionary.md` is generated
/// from it (`harmonic ingest --print-dictionary`); a test keeps the two equal.
public enum DataDictionary {
    /// Bumped whenever a table or column changes; recorded in the store and in every audit entry.
    /// The newest version a table or column was added in (`addedIn`).
    public static var schemaVersion: String { versions.last ?? firstVersion }

    /// The version of the first released dictionary.
    public static let firstVersion = "1.0.0"

    /// Every dictionary version that added tables or columns, oldest first (`firstVersion` included).
    public static var versions: [String] {
        let all = Set([firstVersion] + tables.map(\.addedIn) + tables.flatMap { $0.columns.map(\.addedIn) })
        return all.sorted { versionOrder($0, $1) }
    }

    /// Whether version `a` comes before `b` (numeric by component: 1.10.0 after 1.9.0).
    public static func versionOrder(_ a: String, _ b: String) -> Bool {
        a.compare(b, options: .numeric) == .orderedAscending
    }

    /// All tables in loading order.
    public static let tables: [TableSpec] = [
        patients, cardiacProcedures, irradiationEvents, rtCourses, rtImaging, diagnosticImaging,
        cancerOutcomes, biobankSamples, biomarkerMeasurements, proScores, chemotherapy, hsct, surgery,
    ].sorted { $0.loadOrder < $1.loadOrder }

    public static func table(named name: String) -> TableSpec? { tables.first { $0.name == name } }

    /// Column headers that look like direct identifiers (normalised: lower-case, letters and
    /// digits only). A CSV carrying one is refused whole: such data must never reach the store.
    public static let directIdentifierHeaders: Set<String> = [
        "name", "firstname", "givenname", "forename", "surname", "lastname", "familyname",
        "patientname", "fullname", "middlename", "maidenname", "mothername", "fathername",
        "nhsnumber", "nhsno", "ssn", "socialsecuritynumber", "fodselsnummer", "fødselsnummer",
        "personnummer", "cpr", "cprnumber", "nir", "insee", "codicefiscale", "dni", "nie",
        "nationalid", "nationalidentifier", "nationalidnumber", "personalnumber", "insurancenumber",
        "healthinsurancenumber", "passport", "passportnumber", "address", "streetaddress", "street",
        "postcode", "postalcode", "zipcode", "zip", "phone", "phonenumber", "telephone", "mobile",
        "email", "emailaddress", "mrn", "medicalrecordnumber", "hospitalnumber",
    ]

    /// True when a CSV header names a direct identifier (compared after normalising).
    public static func isDirectIdentifier(header: String) -> Bool {
        let normalised = String(header.lowercased().unicodeScalars.filter {
            ($0.properties.isAlphabetic || ("0"..."9").contains($0))
        }.map(Character.init))
        if directIdentifierHeaders.contains(normalised) { return true }
        return normalised.hasSuffix("surname") || normalised.hasSuffix("firstname")
            || normalised.hasSuffix("email") || normalised.hasSuffix("phone")
            || normalised.hasSuffix("address") && !normalised.hasPrefix("ip")
    }

    // MARK: - Code lists

    static let predisposingConditions = [
        "none", "down_syndrome", "other_chromosomal_syndrome", "cancer_predisposition_syndrome",
        "organ_transplant", "immunodeficiency", "other",
    ]
    /// Procedure types of paediatric cardiac catheterisation (coded list of the cohort
    /// protocols, Harbron et al. 2015 Br J Radiol; Bernier et al. 2012 PLoS One).
    public static let procedureTypes = [
        "diagnostic", "asd_closure", "vsd_closure", "pda_closure", "balloon_valvuloplasty",
        "balloon_angioplasty", "balloon_atrial_septostomy", "stent", "coil_embolisation",
        "ablation", "electrophysiology_study", "biopsy", "valve_implantation", "pacemaker",
        "other_interventional",
    ]
}

// MARK: - Tables

extension DataDictionary {
    static let patients = TableSpec(
        name: "patients",
        description: "One row per child. The site id is replaced by its keyed pseudonym before storage.",
        key: "site_patient_id",
        columns: [
            ColumnSpec("site_patient_id", .identifier, required: true,
                       "Site's own patient identifier (not a national id); stored only as an HMAC-SHA-256 pseudonym."),
            ColumnSpec("country", .code, required: true, codes: ["be", "de", "dk", "es", "fr", "it", "no", "uk"],
                       "ISO 3166-1 alpha-2 country of the site (UK for GB)."),
            ColumnSpec("sex", .code, required: true, codes: ["m", "f"], "Sex as recorded: M or F."),
            ColumnSpec("birth_date", .date, required: true, monthPrecision: true,
                       "Date of birth, YYYY-MM-DD or YYYY-MM when only the month is known."),
            ColumnSpec("cohort", .code, required: true, codes: ["cardiac", "radiotherapy"],
                       "Study cohort of the child."),
            ColumnSpec("predisposing_condition", .code, required: true, codes: predisposingConditions,
                       "Condition that predisposes to cancer or changes follow-up; `none` if none."),
            ColumnSpec("vital_status", .code, required: true, codes: ["alive", "dead", "emigrated", "lost"],
                       "Status at the last follow-up."),
            ColumnSpec("emigration_date", .date, "Date of emigration (ends follow-up), if any."),
            ColumnSpec("last_contact_date", .date, required: true,
                       "Date of last contact or end of follow-up; not after death or emigration."),
            ColumnSpec("death_date", .date, "Date of death (required when vital_status is dead)."),
        ],
        references: [], loadOrder: 0)

    static let cardiacProcedures = TableSpec(
        name: "cardiac_procedures",
        description: "One row per X-ray guided cardiac catheterisation, with its dose totals.",
        key: "site_procedure_id",
        columns: [
            ColumnSpec("site_procedure_id", .identifier, required: true, "Site's procedure identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("procedure_date", .date, required: true, "Date of the procedure; child aged 0-18."),
            ColumnSpec("hospital", .text, required: true, "Hospital code of the site."),
            ColumnSpec("procedure_type", .code, required: true, codes: procedureTypes, "Main procedure performed."),
            ColumnSpec("procedure_class", .code, required: true, codes: ["diagnostic", "interventional"],
                       "Diagnostic or interventional."),
            // Weight and height ranges: WHO child growth standards, 0.3 kg (extreme preterm) to
            // 150 kg, 20-210 cm, widened so that only unit errors fall outside.
            ColumnSpec("weight_kg", .real, unit: "kg", range: 0.3...150, "Body weight at the procedure."),
            ColumnSpec("height_cm", .real, unit: "cm", range: 20...210, "Body height at the procedure."),
            ColumnSpec("kap_gycm2", .real, unit: "Gy.cm2", range: 0...2000,
                       "Total kerma-area product; also checked against body weight (see ingest checks)."),
            ColumnSpec("ref_air_kerma_mgy", .real, unit: "mGy", range: 0...30000,
                       "Total air kerma at the interventional reference point."),
            ColumnSpec("fluoro_time_s", .real, unit: "s", range: 0...36000, "Total fluoroscopy time."),
            ColumnSpec("cine_runs", .integer, range: 0...1000, "Number of cine (acquisition) runs."),
            ColumnSpec("cine_frames", .integer, range: 0...200000, "Number of cine frames."),
            ColumnSpec("equipment", .text, "Manufacturer and model of the X-ray system."),
            ColumnSpec("dose_record_level", .code, required: true, codes: ["event", "totals", "none"],
                       "Completeness of the dose record: event-level report, procedure totals, or none."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    static let irradiationEvents = TableSpec(
        name: "irradiation_events",
        description: "One row per irradiation event of a radiation dose structured report (DICOM TID 10003).",
        key: "event_uid",
        columns: [
            ColumnSpec("event_uid", .identifier, required: true, "Irradiation Event UID (or a site-unique id)."),
            ColumnSpec("site_procedure_id", .identifier, required: true, "The procedure (cardiac_procedures)."),
            ColumnSpec("event_datetime", .dateTime, required: true, "Start of the event, YYYY-MM-DDTHH:MM:SS."),
            ColumnSpec("event_type", .code, required: true,
                       codes: ["fluoroscopy", "stationary_acquisition", "rotational_acquisition", "stepping_acquisition"],
                       "Irradiation event type (DICOM CID 10002)."),
            ColumnSpec("plane", .code, required: true, codes: ["single", "a", "b"], "Acquisition plane."),
            ColumnSpec("kap_gycm2", .real, unit: "Gy.cm2", required: true, range: 0...500, "Kerma-area product of the event."),
            ColumnSpec("ref_air_kerma_mgy", .real, unit: "mGy", range: 0...10000, "Air kerma at the reference point."),
            ColumnSpec("primary_angle_deg", .real, unit: "deg", range: -180...180, "Positioner primary angle (LAO +)."),
            ColumnSpec("secondary_angle_deg", .real, unit: "deg", range: -90...90, "Positioner secondary angle (CRA +)."),
            ColumnSpec("kvp", .real, unit: "kV", range: 40...150, "Tube voltage."),
            ColumnSpec("tube_current_ma", .real, unit: "mA", range: 0...2000, "Tube current."),
            ColumnSpec("pulse_width_ms", .real, unit: "ms", range: 0...1000, "Pulse width."),
            ColumnSpec("exposure_time_s", .real, unit: "s", range: 0...7200, "Irradiation duration."),
            ColumnSpec("pulses", .integer, range: 0...1_000_000, "Number of pulses."),
            ColumnSpec("filter_material", .code, codes: ["none", "copper", "aluminum", "molybdenum", "other"],
                       "Added filter material."),
            ColumnSpec("filter_thickness_mm", .real, unit: "mm", range: 0...10, "Added filter thickness."),
            ColumnSpec("field_area_cm2", .real, unit: "cm2", range: 0...2500, "Collimated field area at the detector."),
            ColumnSpec("field_height_mm", .real, unit: "mm", range: 0...500, "Collimated field height."),
            ColumnSpec("field_width_mm", .real, unit: "mm", range: 0...500, "Collimated field width."),
            ColumnSpec("source_detector_distance_mm", .real, unit: "mm", range: 500...1500, "Source to detector distance."),
            ColumnSpec("table_longitudinal_mm", .real, unit: "mm", range: -3000...3000, "Table longitudinal position."),
            ColumnSpec("table_lateral_mm", .real, unit: "mm", range: -1000...1000, "Table lateral position."),
            ColumnSpec("table_height_mm", .real, unit: "mm", range: -1000...2000, "Table height position."),
            ColumnSpec("target_region", .text, "Anatomical target region (e.g. chest, heart)."),
        ],
        references: [ReferenceSpec(column: "site_procedure_id", table: "cardiac_procedures")], loadOrder: 2)

    static let rtCourses = TableSpec(
        name: "rt_courses",
        description: "One row per radiotherapy course.",
        key: "course_id",
        columns: [
            ColumnSpec("course_id", .identifier, required: true, "Site's course identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("start_date", .date, required: true, "First fraction; child aged 0-18."),
            ColumnSpec("end_date", .date, required: true, "Last fraction; not before start_date."),
            ColumnSpec("modality", .code, required: true, codes: ["photon", "proton", "electron", "carbon"], "Beam particle."),
            ColumnSpec("technique", .code, required: true,
                       codes: ["3d_crt", "imrt", "vmat", "tomotherapy", "stereotactic", "passive_scattering",
                               "pencil_beam_scanning", "brachytherapy", "other"], "Delivery technique."),
            ColumnSpec("target_site", .text, required: true, "Target site (e.g. brain, abdomen, craniospinal)."),
            ColumnSpec("prescribed_dose_gy", .real, unit: "Gy", required: true, range: 0...80, "Prescribed dose."),
            ColumnSpec("fractions", .integer, required: true, range: 1...60, "Number of fractions."),
            ColumnSpec("energy_mev", .real, unit: "MeV", range: 0...250, "Nominal beam energy (MV for photons)."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    static let rtImaging = TableSpec(
        name: "rt_imaging",
        description: "Imaging for planning and verification during or around a radiotherapy course.",
        key: "imaging_id",
        columns: [
            ColumnSpec("imaging_id", .identifier, required: true, "Site's imaging record identifier."),
            ColumnSpec("course_id", .identifier, required: true, "The course (rt_courses)."),
            ColumnSpec("modality", .code, required: true, codes: ["ct", "cbct", "planar_kv", "planar_mv", "mri", "pet_ct"],
                       "Imaging modality."),
            ColumnSpec("first_date", .date, required: true, "Date of the first session."),
            ColumnSpec("last_date", .date, "Date of the last session."),
            ColumnSpec("sessions", .integer, required: true, range: 1...200, "Number of sessions."),
            ColumnSpec("dose_per_session_mgy", .real, unit: "mGy", range: 0...200, "Dose or CTDIvol per session."),
        ],
        references: [ReferenceSpec(column: "course_id", table: "rt_courses")], loadOrder: 2)

    static let diagnosticImaging = TableSpec(
        name: "diagnostic_imaging",
        description: "Other diagnostic imaging exposures (CT, radiography, nuclear medicine).",
        key: "imaging_id",
        columns: [
            ColumnSpec("imaging_id", .identifier, required: true, "Site's imaging record identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("exam_date", .date, required: true, "Date of the examination; child aged 0-18."),
            ColumnSpec("modality", .code, required: true,
                       codes: ["ct", "radiography", "fluoroscopy", "nuclear_medicine", "pet_ct", "mammography"], "Modality."),
            ColumnSpec("body_region", .text, required: true, "Examined body region."),
            ColumnSpec("ctdivol_mgy", .real, unit: "mGy", range: 0...200, "CT dose index (volume)."),
            ColumnSpec("dlp_mgycm", .real, unit: "mGy.cm", range: 0...10000, "Dose-length product."),
            ColumnSpec("effective_dose_msv", .real, unit: "mSv", range: 0...100, "Effective dose if reported."),
            ColumnSpec("kvp", .real, unit: "kV", range: 40...150, addedIn: "1.2.0", "CT tube voltage (organ doses interpolate in kV; 120 kV assumed and stated when empty)."),
            ColumnSpec("scanner", .text, addedIn: "1.2.0",
                       "Scanner (or room) identifier at the site: exams of one scanner and era share the CTDIvol calibration error of the dose reconstruction."),
            ColumnSpec("ctdi_phantom_cm", .real, unit: "cm", range: 16...32, addedIn: "1.2.0",
                       "CTDI phantom of the recorded CTDIvol, 16 or 32 (DICOM dose SR CTDIw Phantom Type); empty: 16 cm for head and neck, 32 cm for the body."),
            ColumnSpec("kap_gycm2", .real, unit: "Gy.cm2", range: 0...500, addedIn: "1.4.0",
                       "Kerma-area product of a radiograph or a fluoroscopy (DICOM Image and Fluoroscopy Area Dose Product, 0018,115E, in dGy.cm2: divide by 10); organ doses scale with it."),
            ColumnSpec("entrance_air_kerma_mgy", .real, unit: "mGy", range: 0...100, addedIn: "1.4.0",
                       "Entrance air kerma of a radiograph, free in air at the skin (DICOM Entrance Dose in mGy, 0040,8302), used when no KAP is recorded; a radiograph with neither takes the typical value for its region and age (docs/imaging-dose.md)."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    static let cancerOutcomes = TableSpec(
        name: "cancer_outcomes",
        description: "Cancers diagnosed during follow-up (linkage with cancer registries).",
        key: "outcome_id",
        columns: [
            ColumnSpec("outcome_id", .identifier, required: true, "Site's outcome record identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("diagnosis_date", .date, required: true, "Date of diagnosis; after birth, not after death."),
            ColumnSpec("topography", .code, required: true,
                       "ICD-O-3 topography Cxx.x, a code of the WHO ICD-O-3 topography list (e.g. C71.9, C42.1)."),
            ColumnSpec("morphology", .code, required: true,
                       "ICD-O-3 morphology dddd/b: an ICD-O-3 or ICD-O-3.2 histology code, slash, behaviour 0,1,2,3,6,9 (e.g. 9861/3)."),
            ColumnSpec("behaviour", .code, required: true, codes: ["0", "1", "2", "3", "6", "9"],
                       "ICD-O-3 behaviour code; must equal the morphology's behaviour digit."),
            ColumnSpec("basis_of_diagnosis", .code, required: true,
                       codes: ["0", "1", "2", "4", "5", "6", "7", "9"],
                       "ENCR/IARC basis of diagnosis (0 death certificate only ... 7 histology of primary, 9 unknown)."),
            ColumnSpec("source_registry", .text, required: true, "Cancer registry that reported the case."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    static let biobankSamples = TableSpec(
        name: "biobank_samples",
        description: "Biological samples of the radiotherapy cohort.",
        key: "sample_id",
        columns: [
            ColumnSpec("sample_id", .identifier, required: true, "Site's sample identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("sample_type", .code, required: true,
                       codes: ["blood", "plasma", "serum", "saliva", "urine", "dna", "buffy_coat", "tissue"], "Sample type."),
            ColumnSpec("collection_date", .date, required: true, "Date of collection."),
            ColumnSpec("time_point", .code, required: true,
                       codes: ["before_rt", "during_rt", "end_of_rt", "after_rt", "follow_up"], "Time point relative to radiotherapy."),
            ColumnSpec("storage_location", .text, required: true, "Biobank and freezer location code."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    static let biomarkerMeasurements = TableSpec(
        name: "biomarker_measurements",
        description: "Biomarker measurements made on biobank samples.",
        key: "measurement_id",
        columns: [
            ColumnSpec("measurement_id", .identifier, required: true, "Site's measurement identifier."),
            ColumnSpec("sample_id", .identifier, required: true, "The sample (biobank_samples)."),
            ColumnSpec("analyte", .text, required: true, "Analyte measured (e.g. troponin_t, nt_probnp)."),
            ColumnSpec("value", .real, required: true, range: -1e9...1e9, "Measured value, in `unit`."),
            ColumnSpec("unit", .text, required: true, "Unit of the value (UCUM)."),
            ColumnSpec("assay", .text, required: true, "Assay and platform."),
            ColumnSpec("measurement_date", .date, "Date of the measurement."),
        ],
        references: [ReferenceSpec(column: "sample_id", table: "biobank_samples")], loadOrder: 2)

    static let proScores = TableSpec(
        name: "pro_scores",
        description: "Patient-reported outcome scores.",
        key: "score_id",
        columns: [
            ColumnSpec("score_id", .identifier, required: true, "Site's score record identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, "The child (patients.site_patient_id)."),
            ColumnSpec("instrument", .text, required: true, "Instrument and scale (e.g. pedsql_total)."),
            ColumnSpec("score", .real, required: true, range: 0...1000, "Score on the instrument's scale."),
            ColumnSpec("score_date", .date, required: true, "Date the questionnaire was completed."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1)

    /// Agents of `chemotherapy.agent`: the agents the late-effects guidelines dose (IGHG/PanCare:
    /// anthracyclines and mitoxantrone for cardiomyopathy, alkylating agents and platinum for
    /// gonadal and hearing toxicity, epipodophyllotoxins for second leukaemia, bleomycin for the
    /// lung) and the other common childhood-cancer agents; `other` for the rest.
    public static let chemotherapyAgents = [
        "doxorubicin", "daunorubicin", "epirubicin", "idarubicin", "mitoxantrone",
        "cyclophosphamide", "ifosfamide", "busulfan", "carmustine", "lomustine", "melphalan", "procarbazine",
        "chlorambucil", "thiotepa", "mechlorethamine", "dacarbazine", "temozolomide",
        "cisplatin", "carboplatin", "etoposide", "teniposide", "bleomycin",
        "vincristine", "vinblastine", "methotrexate", "cytarabine", "dactinomycin", "other",
    ]

    static let chemotherapy = TableSpec(
        name: "chemotherapy",
        description: "Chemotherapy of the radiotherapy registry's children: one row per agent with its cumulative dose (the cardiac and other follow-up rules need it).",
        key: "chemo_id",
        columns: [
            ColumnSpec("chemo_id", .identifier, required: true, addedIn: "1.1.0", "Site's chemotherapy record identifier (one agent of one child)."),
            ColumnSpec("site_patient_id", .identifier, required: true, addedIn: "1.1.0", "The child (patients.site_patient_id)."),
            ColumnSpec("agent", .code, required: true, codes: chemotherapyAgents, addedIn: "1.1.0",
                       "Agent, generic name in lower case (adriamycin is doxorubicin, daunomycin daunorubicin, actinomycin D dactinomycin)."),
            ColumnSpec("start_date", .date, required: true, monthPrecision: true, addedIn: "1.1.0", "First dose; child aged 0-18."),
            ColumnSpec("end_date", .date, monthPrecision: true, addedIn: "1.1.0", "Last dose; not before start_date."),
            // 150 g/m²: above the highest cumulative ifosfamide doses of sarcoma protocols (about 100 g/m²),
            // so that only unit errors fall outside; anthracyclines get a tighter check at ingest.
            ColumnSpec("cumulative_dose_mg_m2", .real, unit: "mg/m2", required: true, range: 0...150_000, addedIn: "1.1.0",
                       "Cumulative dose over the whole treatment, mg per m² of body surface (convert mg/kg by × 30 under 12 kg, per protocol)."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1, addedIn: "1.1.0")

    /// Haematopoietic stem-cell transplants: allogeneic HSCT is a risk group of the IGHG pulmonary
    /// guideline (Otth M et al., EClinicalMedicine 69 (2024) 102487, as PanCare's "pulmonary problems"
    /// gives it; PanCare SurPass risk factor GUIDELINE_T32_7 "Allogenic HSCT", hl7-eu/pcsp
    /// `cs-riskfactor-eu-pcsp`), and TBI conditioning is radiotherapy exposing the lungs (GUIDELINE_T32_1).
    static let hsct = TableSpec(
        name: "hsct",
        description: "Haematopoietic stem-cell transplants of the radiotherapy registry's children, with the type and whether the conditioning included total-body irradiation (the pulmonary follow-up rule needs them).",
        key: "hsct_id",
        columns: [
            ColumnSpec("hsct_id", .identifier, required: true, addedIn: "1.3.0", "Site's transplant record identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, addedIn: "1.3.0", "The child (patients.site_patient_id)."),
            ColumnSpec("transplant_date", .date, required: true, monthPrecision: true, addedIn: "1.3.0", "Date of the stem-cell infusion; child aged 0-18."),
            ColumnSpec("hsct_type", .code, required: true, codes: ["allogeneic", "autologous"], addedIn: "1.3.0",
                       "Allogeneic (a donor's cells, any donor) or autologous (the child's own)."),
            ColumnSpec("tbi_conditioning", .code, required: true, codes: ["yes", "no"], addedIn: "1.3.0",
                       "Whether the conditioning included total-body irradiation (record the TBI course itself in rt_courses, target_site tbi, when its dose is known)."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1, addedIn: "1.3.0")

    /// Regions of `surgery.region` (`TreatmentSummary.Surgery.regions`). Thoracic (`lung`, `chest_wall`,
    /// `mediastinum`): "surgery to the lung or chest wall" of the IGHG pulmonary guideline (PanCare
    /// pulmonary problems; Otth et al. 2024) and "thoracic surgery" of the PanCare SurPass algorithm
    /// (GUIDELINE_T32_6); the other regions are risk factors of other PanCare SurPass conditions
    /// (surgery near the HP region T15_2, read by the hypothalamic-pituitary rule; of the spine T26_1,
    /// nephrectomy T12_3, thyroidectomy T19_6, which no rule reads yet).
    public static var surgeryRegions: [String] { TreatmentSummary.Surgery.regions }

    static let surgery = TableSpec(
        name: "surgery",
        description: "Cancer surgery of the radiotherapy registry's children: one row per operation, with the region operated on (thoracic surgery is a risk factor of the pulmonary follow-up rule, surgery in the hypothalamic-pituitary region of the hypothalamic-pituitary rule).",
        key: "surgery_id",
        columns: [
            ColumnSpec("surgery_id", .identifier, required: true, addedIn: "1.3.0", "Site's surgery record identifier."),
            ColumnSpec("site_patient_id", .identifier, required: true, addedIn: "1.3.0", "The child (patients.site_patient_id)."),
            ColumnSpec("surgery_date", .date, required: true, monthPrecision: true, addedIn: "1.3.0", "Date of the operation; child aged 0-18."),
            ColumnSpec("region", .code, required: true, codes: surgeryRegions, addedIn: "1.3.0",
                       "Region operated on: lung (resection, metastasectomy), chest_wall, mediastinum (thoracic: the pulmonary rule), hypothalamic_pituitary (the hypothalamic-pituitary rule), or the region of another operation."),
        ],
        references: [ReferenceSpec(column: "site_patient_id", table: "patients")], loadOrder: 1, addedIn: "1.3.0")
}
