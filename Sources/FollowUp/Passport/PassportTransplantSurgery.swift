import Foundation
import HarmonicCore

/// Stem-cell transplants and operations in the survivorship passport, as the PanCare SurPass
/// implementation guide models them (hl7-eu pcsp 1.0.0, GitHub hl7-eu/pcsp release 1.0.0):
///
/// - a transplant is a `Procedure-sct-eu-pcsp` (input/fsh/profiles/ProcedureSctPcsp.fsh): category
///   SNOMED 77465005 "Transplantation", code from `vs-sct-type-eu-pcsp` (50223000 "Allogeneic
///   transplantation", 53088000 "Autogenous transplantation"), `performedDateTime` the reinfusion
///   date, `reasonReference` the primary cancer. A conditioning regimen that included total-body
///   irradiation is a `Procedure-sct-prophylaxis-eu-pcsp` (the logical model StemCellTransplantation
///   maps `conditioningRegimen` to it): category 419815003 "Radiotherapy" of
///   `vs-sct-prophylaxis-cathegory-eu-pcsp`, `reasonReference` the primary cancer and the transplant.
///   They go to the subsection `section-sct` ("Stem Cell Transplantation", `cs-generic-eu-pcsp`).
/// - an operation is a `Procedure-surgery-eu-pcsp` (ProcedureSurgeryPcsp.fsh): category 387713003
///   "Surgical procedure", `performedDateTime`, `reasonReference` the primary cancer, `bodySite` from
///   `vs-affectedOrgan-eu-pcsp` (extensible; the organs of `vs-sacrifiedOrgan-eu-pcsp` where they name
///   the region more closely), in the subsection "Major Surgery" (LOINC 8690-0, CompositionSurPassPcsp.fsh).
///
/// Neither carries an identifier: the registry's rows are keyed by the child's pseudonym only.
extension SurvivorshipPassport {
    /// SNOMED CT body sites of the data dictionary's `surgery.region` codes, with the IG's displays
    /// (vs-affectedOrgan-eu-pcsp: Chest/thorax 51185008, Brain 12738006, Spine 421060004, Abdomen
    /// 818983003, Pelvis 12921003; vs-sacrifiedOrgan-eu-pcsp: Lung 39607008, Hypothalamus/hypophysis
    /// 67923007, Kidney 64033007, Thyroid 69748006). `other` carries its text only.
    static let surgerySites: [String: [(String, String)]] = {
        let thorax = ("51185008", "Thoracic structure")
        return ["lung": [thorax, organStructures[.lungs]!], "chest_wall": [thorax], "mediastinum": [thorax],
                "hypothalamic_pituitary": [("67923007", "Hypothalamic structure")], "brain": [organStructures[.brain]!],
                "spine": [("421060004", "Spine")], "kidney": [organStructures[.kidneys]!], "thyroid": [organStructures[.thyroid]!],
                "abdomen": [("818983003", "Abdomen")], "pelvis": [("12921003", "Pelvis")]]
    }()

    /// A resource of the bundle, named for its fullUrl.
    typealias NamedResource = (name: String, resource: [String: Any])

    /// The transplant Procedures (and TBI conditioning) of a child, and the entries of their subsection.
    static func transplantResources(_ transplants: [TreatmentSummary.Transplant], ref: (String) -> [String: Any]) -> [NamedResource] {
        var out: [NamedResource] = []
        for (k, t) in transplants.enumerated() {
            let code: (String, String, String) = t.isAllogeneic
                ? ("50223000", "Allogeneic transplantation", "Allogeneic haematopoietic stem-cell transplantation")
                : ("53088000", "Autogenous transplantation", "Autologous haematopoietic stem-cell transplantation")
            out.append(("hsct-\(k)", [
                "resourceType": "Procedure", "meta": profile("Procedure-sct-eu-pcsp"), "status": "completed",
                "category": ["coding": [["system": snomed, "code": "77465005", "display": "Transplantation"]]],
                "code": ["coding": [["system": snomed, "code": code.0, "display": code.1]], "text": code.2],
                "subject": ref("patient"), "performedDateTime": t.date, "reasonReference": [ref("primary-cancer")],
            ]))
            if t.tbiConditioning {
                out.append(("hsct-\(k)-conditioning", [
                    "resourceType": "Procedure", "meta": profile("Procedure-sct-prophylaxis-eu-pcsp"), "status": "completed",
                    "category": ["coding": [["system": snomed, "code": "419815003", "display": "Radiotherapy"]]],
                    "code": ["text": "Conditioning regimen including total-body irradiation (TBI)"],
                    "subject": ref("patient"), "reasonReference": [ref("primary-cancer"), ref("hsct-\(k)")],
                ]))
            }
        }
        return out
    }

    /// The operation Procedures of a child.
    static func surgeryResources(_ surgeries: [TreatmentSummary.Surgery], ref: (String) -> [String: Any]) -> [NamedResource] {
        surgeries.enumerated().map { k, op in
            let region = op.region.lowercased()
            var site: [String: Any] = ["text": region.replacingOccurrences(of: "_", with: " ")]
            if let codes = surgerySites[region] { site["coding"] = codes.map { ["system": snomed, "code": $0.0, "display": $0.1] } }
            return ("surgery-\(k)", [
                "resourceType": "Procedure", "meta": profile("Procedure-surgery-eu-pcsp"), "status": "completed",
                "category": ["coding": [["system": snomed, "code": "387713003", "display": "Surgical procedure"]]],
                "code": ["text": "Surgery: \(site["text"] as! String)"],
                "subject": ref("patient"), "performedDateTime": op.date, "reasonReference": [ref("primary-cancer")],
                "bodySite": [site],
            ])
        }
    }

    /// The flt subsections for transplants and operations (none when the child had neither).
    static func transplantSurgerySections(_ s: TreatmentSummary, ref: (String) -> [String: Any]) -> [[String: Any]] {
        var sections: [[String: Any]] = []
        let transplants = transplantResources(s.transplants ?? [], ref: ref)
        if !transplants.isEmpty {
            let text = (s.transplants ?? []).map { "\($0.type) \($0.date)" + ($0.tbiConditioning ? " (TBI conditioning)" : "") }
            sections.append(["title": "Stem Cell Transplantation",
                             "code": ["coding": [["system": genericCodes, "code": "section-sct", "display": "Stem Cell Transplantation"]]],
                             "text": narrative(text.joined(separator: "; ")), "entry": transplants.map { ref($0.name) }])
        }
        let surgeries = surgeryResources(s.surgeries ?? [], ref: ref)
        if !surgeries.isEmpty {
            sections.append(["title": "Major Surgery", "code": ["coding": [["system": loinc, "code": "8690-0"]]],
                             "text": narrative((s.surgeries ?? []).map { "\($0.region) \($0.date)" }.joined(separator: "; ")),
                             "entry": surgeries.map { ref($0.name) }])
        }
        return sections
    }
}
