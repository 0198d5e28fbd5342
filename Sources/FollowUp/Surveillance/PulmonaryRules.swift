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
/// Entry into long-term follow-up is not in the store: the start is the end of the last pulmonary-toxic
/// therapy.
extension SurveillanceRules {
    /// Lung mean dose (Gy) from which the lungs count as exposed when organ doses are known
    /// (an operational reading of "a volume exposing the lungs", as for the thyroid and ovaries).
    public static let lungsExposedGy = 1.0
    /// Pulmonary-toxic agents of the PanCare SurPass algorithm (risk factors 32.3-32.6).
    public static let pulmonaryToxicAgents: Set<String> = ["bleomycin", "busulfan", "carmustine", "lomustine"]

    static func pulmonaryItem(_ s: TreatmentSummary, age: (CalendarDate) -> Double) -> SurveillanceItem? {
        let exposed = coursesExposing(s, .lungs, fromGy: lungsExposedGy).filter { $0.element.prescribedDoseGy > 0 }
        let agents = s.chemotherapy.filter { pulmonaryToxicAgents.contains($0.agent.lowercased().trimmingCharacters(in: .whitespaces)) && $0.cumulativeDoseMgPerM2 > 0 }
        guard !exposed.isEmpty || !agents.isEmpty else { return nil }
        var trigger: [String] = [], basis: [String] = []
        if !exposed.isEmpty {
            let l = exposure(s, .lungs)
            trigger.append("radiotherapy to a volume exposing the lungs: lungs \(format(l.doseGy)) Gy")
            basis = l.basis
        }
        if !agents.isEmpty { trigger.append("pulmonary-toxic chemotherapy (" + agents.map { "\($0.agent) \(format($0.cumulativeDoseMgPerM2)) mg/m²" }.joined(separator: ", ") + ")") }
        let ends = exposed.compactMap { CalendarDate(iso: $0.element.endDate) } + agents.compactMap { $0.endDate.flatMap(CalendarDate.init(iso:)) }
        let start = ends.max() ?? (s.radiotherapy.compactMap { CalendarDate(iso: $0.endDate) }.max() ?? CalendarDate(iso: s.birthDate)!)
        let bleomycin = agents.contains { $0.agent.lowercased().trimmingCharacters(in: .whitespaces) == "bleomycin" }
        let advice = bleomycin ? "; bleomycin: caution with general anaesthesia and high oxygen exposure (worsening pulmonary fibrosis), dive-physician assessment before scuba diving (expert opinion)" : ""
        var sources = ["PanCare follow-up recommendations: pulmonary problems (IGHG: Otth M et al., EClinicalMedicine 69 (2024) 102487)"]
        let modality: String
        if !exposed.isEmpty {
            modality = "history with specific attention to pulmonary dysfunction and physical pulmonary examination; no routine pulmonary function tests while asymptomatic; yearly influenza vaccination, pneumococcal vaccination as national guidelines advise; avoid tobacco" + advice
        } else {
            modality = "history with specific attention to pulmonary dysfunction and physical pulmonary examination; pulmonary function tests (spirometry and DLCO) once at entry into long-term follow-up; pneumococcal vaccination as national guidelines advise; avoid tobacco" + advice
            sources.append("PanCare SurPass algorithm (hl7-eu/pcsp): risk factors 32.3-32.6 (bleomycin, busulfan, BCNU, CCNU), recommendation GUIDELINE_T32")
        }
        return SurveillanceItem(
            rule: "pulmonary_dysfunction", lateEffect: "Pulmonary dysfunction (obstructive, restrictive, diffusion impairment)",
            trigger: trigger.joined(separator: " + "), doseBasis: basis.joined(separator: "; "),
            riskGroup: exposed.isEmpty ? "pulmonary-toxic chemotherapy without lung radiotherapy (PanCare SurPass; not a risk group of IGHG 2024)"
                : "radiotherapy exposing the lungs (IGHG 2024)",
            strength: exposed.isEmpty ? "recommended (PanCare SurPass; the strength grade is not in the sources reached)"
                : "recommended (IGHG; the strength grade is not in the sources reached)",
            modality: modality, frequency: "at least every 5 years",
            startAgeYears: age(start), startDate: start.description, sources: sources)
    }
}
