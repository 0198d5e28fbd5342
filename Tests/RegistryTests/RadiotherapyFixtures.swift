import Foundation
@testable import Registry

/// The radiotherapy side of the small valid Norwegian extract of `Fixture`: two courses, their
/// imaging, biobank samples with a biomarker each, and patient-reported outcome scores, one row
/// per child (P1 alive, born 2001-03-04; P2 born 1995-06, dead 2010-05-01).
extension Fixture {
    static let courses = """
    course_id,site_patient_id,start_date,end_date,modality,technique,target_site,prescribed_dose_gy,fractions,energy_mev
    R1,P1,2010-01-04,2010-02-12,proton,pencil_beam_scanning,brain,54,30,160
    R2,P2,2005-03-01,2005-04-10,photon,imrt,abdomen,30,20,6
    """
    static let rtImaging = """
    imaging_id,course_id,modality,first_date,last_date,sessions,dose_per_session_mgy
    I1,R1,cbct,2010-01-04,2010-02-12,30,1.5
    I2,R2,ct,2005-02-20,,1,20
    """
    static let samples = """
    sample_id,site_patient_id,sample_type,collection_date,time_point,storage_location
    S1,P1,blood,2010-01-03,before_rt,OUS-F1-A3
    S2,P2,plasma,2005-04-11,end_of_rt,OUS-F2-B1
    """
    static let biomarkers = """
    measurement_id,sample_id,analyte,value,unit,assay,measurement_date
    M1,S1,troponin_t,5.2,ng/L,Roche Elecsys hs-TnT,2010-01-05
    M2,S2,nt_probnp,120,ng/L,Roche Elecsys proBNP II,2005-04-12
    """
    static let proScores = """
    score_id,site_patient_id,instrument,score,score_date
    Q1,P1,pedsql_total,82.5,2015-06-01
    Q2,P2,pedsql_total,70,2008-01-15
    """
    /// Chemotherapy: P1 an anthracycline and ifosfamide (month-precision dates), P2 vincristine.
    static let chemotherapy = """
    chemo_id,site_patient_id,agent,start_date,end_date,cumulative_dose_mg_m2
    C1,P1,doxorubicin,2009-11-02,2010-03-01,240
    C2,P1,ifosfamide,2009-11,2010-03,54000
    C3,P2,vincristine,2005-01-10,2005-06-30,27
    """
    /// Transplants (dictionary 1.3.0): P1 an allogeneic transplant with TBI, P2 an autologous one without.
    static let hsct = """
    hsct_id,site_patient_id,transplant_date,hsct_type,tbi_conditioning
    H1,P1,2010-06-15,allogeneic,yes
    H2,P2,2005-08,autologous,no
    """
    /// Operations (dictionary 1.3.0): P1 a lung metastasectomy, P2 a nephrectomy.
    static let surgery = """
    surgery_id,site_patient_id,surgery_date,region
    O1,P1,2011-02-01,lung
    O2,P2,2005-02-15,kidney
    """
    /// Cancer outcomes with one row per child (P2's before its death).
    static let outcomesBothChildren = outcomes + "\nO2,P2,2008-03-01,C71.9,9470/3,3,7,Cancer Registry of Norway"

    /// Every table of the radiotherapy extract, clean.
    static var radiotherapyExtract: [String: String] {
        ["patients": patients, "rt_courses": courses, "rt_imaging": rtImaging, "biobank_samples": samples,
         "biomarker_measurements": biomarkers, "pro_scores": proScores, "cancer_outcomes": outcomesBothChildren,
         "chemotherapy": chemotherapy]
    }
}
