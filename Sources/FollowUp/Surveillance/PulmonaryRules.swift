import Foundation
import HarmonicCore

/// Pulmonary dysfunction after radiotherapy exposing the lungs or pulmonary-toxic chemotherapy.
///
/// - Radiotherapy to a volume exposing the lungs, TBI included (IGHG: Otth M et al., EClinicalMedicine
///   69 (2024) 102487, as the PanCare "pulmonary problems" page gives it): history with attention to
///   pulmonary dysfunction and physical pulmonary examination at least every 5 years from entry into
///   long-term follow-up; no routine pulmonary function tests while asymptomatic; yearly influenza
///   vaccination; avoid tobacco. The lung mean dose is used where known (exposed from 1 Gy, like the
///   thyroid and ovaries); otherwise a field that includes the lungs (`FieldExposure`).
/// - Bleomycin, busulfan, carmustine (BCNU) or lomustine (CCNU) without lung radiotherapy: a risk group
///   of the PanCare SurPass algorithm (hl7-eu/pcsp risk factors 32.3-32.6, GUIDELINE_T32: history and
///   examination at least every 5 years, pulmonary function tests with spirometry and DLCO once at entry
///   into long-term follow-up) that the 2024 IGHG guideline does not list; the item says which applies.
///   Bleomycin adds the PanCare expert-opinion advice on anaesthesia, high oxygen and diving.
///
/// - Allogeneic haematopoietic stem-cell transplant, and surgery to the lung or chest wall (IGHG 2024 risk
///   groups as PanCare "pulmonary problems" gives them; PanCare SurPass risk factors GUIDELINE_T32_7
///   "Allogenic HSCT" and GUIDELINE_T32_6 "Thoracic surgery", hl7-eu/pcsp `cs-riskfactor-eu-pcsp`; the
///   guideline's own abstract names "allogeneic haematopoietic stem cell transplantation, thoracic
///   radiotherapy, and thoracic surgery", Otth et al. 2024, doi:10.1016/j.eclinm.2024.102487): the
///   same surveillance as the lungs' radiotherapy. Thoracic surgery is the `lung`, `chest_wall` and
///   `mediastinum` regions of the data dictionary's `surgery` table. A transplant whose conditioning
///   included TBI counts as radiotherapy exposing the lungs ("including TBI", GUIDELINE_T32_1) when the
///   TBI course itself is not among the courses; an autologous transplant without TBI is no risk factor.
///
/// Entry into long-term follow-up is not in the store: the start is the end of the last pulmonary-toxic
/// therapy (course, agent, transplant or operation).
extension SurveillanceRules {
    /// Lung mean dose (Gy) from which the lungs count as exposed when organ doses are known
    /// (an operational reading of "a volume exposing the lungs", as for the thyroid and ovaries).
    public static let lungsExposedGy = 1.0
    /// Pulmonary-toxic agents of the PanCare SurPass algorithm (risk factors 32.3-32.6).
    public static let pulmonaryToxicAgents: Set<String> = ["bleomycin", "busulfan", "carmustine", "lomustine"]

    static func pulmonaryItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let exposed = coursesExposing(s, .lungs, fromGy: lungsExposedGy).filter { $0.element.prescribedDoseGy > 0 }
        let agents = s.chemotherapy.filter { pulmonaryToxicAgents.contains($0.agent.lowercased().trimmingCharacters(in: .whitespaces)) && $0.cumulativeDoseMgPerM2 > 0 }
        let hasTBICourse = s.radiotherapy.contains { $0.prescribedDoseGy > 0 && FieldExposure.matches(targetSite: $0.targetSite, ["tbi", "total_body"]) }
        let tbiConditioning = (s.transplants ?? []).filter { $0.tbiConditioning && !hasTBICourse }
        let allogeneic = (s.transplants ?? []).filter(\.isAllogeneic)
        let thoracic = (s.surgeries ?? []).filter(\.isThoracic)
        let ighg = !exposed.isEmpty || !tbiConditioning.isEmpty || !allogeneic.isEmpty || !thoracic.isEmpty
        guard ighg || !agents.isEmpty else { return nil }
        var trigger: [String] = [], basis: [String] = [], groups: [String] = []
        if !exposed.isEmpty {
            let l = exposure(s, .lungs)
            trigger.append("radiotherapy to a volume exposing the lungs: lungs \(format(l.doseGy)) Gy")
            basis = l.basis
        }
        if !exposed.isEmpty || !tbiConditioning.isEmpty { groups.append("radiotherapy exposing the lungs") }
        if !tbiConditioning.isEmpty {
            trigger.append("TBI in the conditioning of the transplant of " + tbiConditioning.map(\.date).joined(separator: ", "))
            basis.append("TBI conditioning recorded with the transplant, no TBI course with its dose: radiotherapy exposing the lungs, including TBI")
        }
        if !allogeneic.isEmpty {
            groups.append("allogeneic HSCT")
            trigger.append("allogeneic HSCT (" + allogeneic.map(\.date).joined(separator: ", ") + ")")
        }
        if !thoracic.isEmpty {
            groups.append("thoracic surgery")
            trigger.append("thoracic surgery (" + thoracic.map { "\($0.region) \($0.date)" }.joined(separator: ", ") + ")")
        }
        if !agents.isEmpty { trigger.append("pulmonary-toxic chemotherapy (" + agents.map { "\($0.agent) \(format($0.cumulativeDoseMgPerM2)) mg/m²" }.joined(separator: ", ") + ")") }
        let ends = exposed.compactMap { CalendarDate(iso: $0.element.endDate) } + agents.compactMap { $0.endDate.flatMap(CalendarDate.init(iso:)) }
            + (tbiConditioning + allogeneic).compactMap { CalendarDate(iso: $0.date) } + thoracic.compactMap { CalendarDate(iso: $0.date) }
        let start = ends.max() ?? (s.radiotherapy.compactMap { CalendarDate(iso: $0.endDate) }.max() ?? CalendarDate(iso: s.birthDate)!)
        let bleomycin = agents.contains { $0.agent.lowercased().trimmingCharacters(in: .whitespaces) == "bleomycin" }
        let advice = bleomycin ? "; bleomycin: caution with general anaesthesia and high oxygen exposure (worsening pulmonary fibrosis), dive-physician assessment before scuba diving (expert opinion)" : ""
        var sources = ["PanCare follow-up recommendations: pulmonary problems (IGHG: Otth M et al., EClinicalMedicine 69 (2024) 102487)"]
        let modality: String
        if ighg {
            modality = "history with specific attention to pulmonary dysfunction and physical pulmonary examination; no routine pulmonary function tests while asymptomatic; yearly influenza vaccination, pneumococcal vaccination as national guidelines advise; avoid tobacco" + advice
            if !allogeneic.isEmpty || !thoracic.isEmpty || !tbiConditioning.isEmpty {
                sources.append("PanCare SurPass algorithm (hl7-eu/pcsp, cs-riskfactor-eu-pcsp): GUIDELINE_T32_1 (including TBI), GUIDELINE_T32_6 (thoracic surgery), GUIDELINE_T32_7 (allogeneic HSCT)")
            }
        } else {
            modality = "history with specific attention to pulmonary dysfunction and physical pulmonary examination; pulmonary function tests (spirometry and DLCO) once at entry into long-term follow-up; pneumococcal vaccination as national guidelines advise; avoid tobacco" + advice
            sources.append("PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 32.3-32.6 (bleomycin, busulfan, BCNU, CCNU), recommendation GUIDELINE_T32")
        }
        return SurveillanceItem(
            rule: "pulmonary_dysfunction", lateEffect: "Pulmonary dysfunction (obstructive, restrictive, diffusion impairment)",
            trigger: trigger.joined(separator: " + "), doseBasis: basis.joined(separator: "; "),
            riskGroup: ighg ? groups.joined(separator: ", ") + " (IGHG 2024)"
                : "pulmonary-toxic chemotherapy without lung radiotherapy (PanCare SurPass; not a risk group of IGHG 2024)",
            strength: ighg ? "recommended (IGHG; the strength grade is not in the sources reached)"
                : "recommended (PanCare SurPass; the strength grade is not in the sources reached)",
            modality: modality, frequency: "at least every 5 years",
            startAgeYears: age(start), startDate: start.description, sources: sources)
    }
}
