import HarmonicCore

/// Stem-cell transplants and operations of the radiotherapy registry's children (data dictionary
/// 1.3.0 tables `hsct` and `surgery`), by the target site that stands for the primary tumour.
///
/// **Synthesis assumptions, not published rates**: the shares are chosen so that the pulmonary
/// rule's transplant and thoracic-surgery triggers occur in a registry of a few thousand children;
/// the treatments they stand for are real:
/// - extremity (Ewing sarcoma): autologous transplant after busulfan-melphalan high-dose chemotherapy
///   for high-risk localised disease (Euro-EWING 99 / Ewing 2008 R2loc: Whelan J et al., J Clin Oncol
///   36 (2018) 3110), no TBI, 25%; lung metastasectomy 10%. The conditioning agents are not drawn
///   into `chemotherapy`.
/// - thorax (Hodgkin lymphoma): autologous transplant at relapse, no TBI, 5%; diagnostic mediastinal
///   surgery (mediastinoscopy or thoracoscopic biopsy) 20%.
/// - abdomen (Wilms tumour): nephrectomy, 90% (SIOP 2001: surgery after pre-operative chemotherapy).
/// - any site: allogeneic transplant with TBI conditioning (a therapy-related leukaemia), 1%; its TBI
///   course is not drawn into `rt_courses`, so the store holds the TBI only as the transplant's flag.
/// - brain (focal brain tumours): surgery near or within the hypothalamic-pituitary region, 10%, standing
///   for the suprasellar tumours among them (craniopharyngioma, optic pathway glioma, germ cell tumours:
///   resection or biopsy before radiotherapy); it triggers the HP rule's surgery group (PanCare HP axis
///   problems; PanCare SurPass risk factor 15.2). Drawn last, so every earlier draw stays as before.
enum TransplantSurgeryDraws {
    struct Transplant { let dayOffset: Int, type: String, tbi: Bool }
    struct Operation { let dayOffset: Int, region: String }

    /// Transplants and operations of one child, with day offsets from the start of radiotherapy
    /// (negative: before it), drawn from `rng`.
    static func draw(site: String, rng: inout RandomStream) -> (transplants: [Transplant], operations: [Operation]) {
        var transplants: [Transplant] = [], operations: [Operation] = []
        switch site {
        case "extremity":
            if rng.uniform() < 0.25 { transplants.append(Transplant(dayOffset: -30, type: "autologous", tbi: false)) }
            if rng.uniform() < 0.10 { operations.append(Operation(dayOffset: 120, region: "lung")) }
        case "thorax":
            if rng.uniform() < 0.05 { transplants.append(Transplant(dayOffset: 240, type: "autologous", tbi: false)) }
            if rng.uniform() < 0.20 { operations.append(Operation(dayOffset: -60, region: "mediastinum")) }
        case "abdomen":
            if rng.uniform() < 0.90 { operations.append(Operation(dayOffset: -14, region: "kidney")) }
        default:
            break
        }
        if rng.uniform() < 0.01 { transplants.append(Transplant(dayOffset: 300, type: "allogeneic", tbi: true)) }
        if site == "brain", rng.uniform() < 0.10 { operations.append(Operation(dayOffset: -21, region: "hypothalamic_pituitary")) }
        return (transplants, operations)
    }
}
