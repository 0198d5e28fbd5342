import Foundation
import HarmonicCore

/// The survivorship passport of a child as an HL7 FHIR R4 document Bundle following the PanCare
/// SurPass implementation guide (hl7-eu pcsp 1.0.0, canonical http://hl7.eu/fhir/ig/pcsp):
/// Composition (first entry) with the cancer/treatment section and its radiotherapy and
/// chemotherapy subsections, the organ-at-risk doses and the plan of care; Patient; the primary
/// cancer Condition the treatments refer to; one radiotherapy Procedure per course with its total
/// dose Observation (and fractions as its performed timing); organ-at-risk dose Observations;
/// chemotherapy MedicationAdministrations; stem-cell transplant and surgery Procedures
/// (`PassportTransplantSurgery.swift`); the surveillance CarePlan.
///
/// Privacy: the Patient carries the registry pseudonym only, and its name is present as the
/// data-absent-reason `masked` (the PCSP Patient profile requires a name; Harmonic never holds
/// one). Only the site that holds the key, exporting its own child by its own identifier, adds
/// that identifier (`siteIdentifier`).
public enum SurvivorshipPassport {
    public static let canonical = "http://hl7.eu/fhir/ig/pcsp"
    static let genericCodes = "http://hl7.eu/fhir/ig/pcsp/CodeSystem/cs-generic-eu-pcsp"
    static let snomed = "http://snomed.info/sct"
    static let loinc = "http://loinc.org"
    static let ucum = "http://unitsofmeasure.org"

    /// What the export needs besides the plan.
    public struct Options: Sendable {
        /// The site (country) of the child, e.g. "NO".
        public var site: String
        /// The site's own patient identifier, only when the site holding the key exports it.
        public var siteIdentifier: String?
        /// Export time (fixed in tests).
        public var timestamp: Date
        public init(site: String, siteIdentifier: String? = nil, timestamp: Date = Date()) {
            self.site = site; self.siteIdentifier = siteIdentifier; self.timestamp = timestamp
        }
    }

    /// SNOMED CT body structures of organs a dose Observation names (others carry text only).
    static let organStructures: [Organ: (String, String)] = [
        .heart: ("80891009", "Heart structure"), .breast: ("76752008", "Breast structure"),
        .thyroid: ("69748006", "Thyroid structure"), .lungs: ("39607008", "Lung structure"),
        .brain: ("12738006", "Brain structure"), .redMarrow: ("14016003", "Bone marrow structure"),
        .oesophagus: ("32849002", "Esophageal structure"), .kidneys: ("64033007", "Kidney structure"),
        .liver: ("10200004", "Liver structure"),
    ]

    /// The Bundle as a JSON object (serialise with `json(_:)`).
    public static func bundle(summary s: TreatmentSummary, plan: SurveillancePlan, options o: Options) -> [String: Any] {
        let stamp = iso(o.timestamp)
        func uuid(_ name: String) -> String { "urn:uuid:" + deterministicUUID("\(s.child)|\(name)|\(stamp)") }
        func ref(_ name: String) -> [String: Any] { ["reference": uuid(name)] }
        var entries: [(String, [String: Any])] = []

        // Patient: pseudonym only; masked name.
        let pseudonym = s.child.split(separator: "/").last.map(String.init) ?? s.child
        var identifiers: [[String: Any]] = [["system": "urn:harmonic:pseudonym:\(o.site.uppercased())", "value": pseudonym]]
        if let id = o.siteIdentifier { identifiers.append(["system": "urn:harmonic:site-patient-id:\(o.site.uppercased())", "value": id]) }
        let masked: [String: Any] = ["extension": [["url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "masked"]]]
        entries.append(("patient", ["resourceType": "Patient", "meta": profile("Patient-eu-pcsp"), "identifier": identifiers,
                                    "name": [["_family": masked, "_given": [masked]]],
                                    "gender": s.sex.uppercased() == "F" ? "female" : "male", "birthDate": s.birthDate]))
        entries.append(("site", ["resourceType": "Organization", "name": "Harmonic registry site \(o.site.uppercased())",
                                 "identifier": [["system": "urn:harmonic:site", "value": o.site.uppercased()]]]))
        let sites = Array(Set(s.radiotherapy.map(\.targetSite))).sorted()
        entries.append(("primary-cancer", ["resourceType": "Condition", "meta": profile("Condition-primaryCancer-eu-pcsp"),
                                           "subject": ref("patient"),
                                           "code": ["text": "Primary childhood cancer (diagnosis held by the treating centre, not by the Harmonic registry)"],
                                           "bodySite": sites.map { ["text": $0] }]))

        // Radiotherapy: one Procedure per course with its total dose; organ-at-risk doses.
        var rtRefs: [[String: Any]] = [], oarRefs: [[String: Any]] = []
        for (k, c) in s.radiotherapy.enumerated() {
            let device: (String, String) = switch (c.modality ?? "photon").lowercased() {
            case "proton": ("proton-beam", "Proton Beam")
            case "electron": ("linac-el", "Linac electrons")
            default: ("linac-mv", "Linac MV")
            }
            var procedure: [String: Any] = [
                "resourceType": "Procedure", "meta": profile("Procedure-radiotheraphy-eu-pcsp"), "status": "completed",
                "category": ["coding": [["system": snomed, "code": "108290001", "display": "Radiotherapy"]]],
                "code": ["coding": [["system": snomed, "code": "33195004", "display": "External beam radiotherapy"]]],
                "subject": ref("patient"), "performedPeriod": ["start": c.startDate, "end": c.endDate],
                "reasonReference": [ref("primary-cancer")], "bodySite": [["text": c.targetSite]],
                "usedCode": [["coding": [["system": genericCodes, "code": device.0, "display": device.1]], "text": c.modality ?? "photon"]],
            ]
            var ext: [[String: Any]] = [["url": "\(canonical)/StructureDefinition/resource-relatedInfo", "valueReference": ref("rt-\(k)-dose")]]
            if let f = c.fractions {
                ext.append(["url": "\(canonical)/StructureDefinition/procedure-performedTiming", "valueTiming": ["repeat": ["count": f]]])
            }
            procedure["extension"] = ext
            entries.append(("rt-\(k)", procedure))
            rtRefs.append(ref("rt-\(k)"))
            entries.append(("rt-\(k)-dose", [
                "resourceType": "Observation", "meta": profile("Observation-totalDoseRad-eu-pcsp"), "status": "final",
                "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "procedure"]]]],
                "code": ["coding": [["system": snomed, "code": "445461008", "display": "Total radiation dose delivered"]]],
                "subject": ref("patient"), "partOf": [ref("rt-\(k)")], "effectivePeriod": ["start": c.startDate, "end": c.endDate],
                "valueQuantity": quantity(c.prescribedDoseGy, "Gy"), "bodySite": ["text": c.targetSite],
            ]))
            for (organName, dose) in (c.organMeanDoseGy ?? [:]).sorted(by: { $0.key < $1.key }) {
                guard let organ = Organ(rawValue: organName) else { continue }
                var site: [String: Any] = ["text": organ.displayName]
                if let sct = organStructures[organ] { site["coding"] = [["system": snomed, "code": sct.0, "display": sct.1]] }
                let name = "rt-\(k)-oar-\(organName)"
                entries.append((name, [
                    "resourceType": "Observation", "status": "final",
                    "category": [["coding": [["system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "procedure"]]]],
                    "code": ["text": "Mean absorbed dose to an organ at risk"], "subject": ref("patient"), "partOf": [ref("rt-\(k)")],
                    "effectivePeriod": ["start": c.startDate, "end": c.endDate], "valueQuantity": quantity(dose, "Gy"), "bodySite": site,
                    "method": ["text": "Harmonic radiotherapy organ-dose reconstruction (mean dose over the organ)"],
                ]))
                oarRefs.append(ref(name))
            }
        }

        // Chemotherapy.
        var chemoRefs: [[String: Any]] = []
        for (k, c) in s.chemotherapy.enumerated() {
            guard let end = c.endDate else { continue }
            entries.append(("chemo-\(k)", [
                "resourceType": "MedicationAdministration", "meta": profile("MedicationAdministration-eu-pcsp"), "status": "completed",
                "medicationCodeableConcept": ["text": c.agent], "subject": ref("patient"), "effectiveDateTime": end,
                "reasonReference": [ref("primary-cancer")],
                "dosage": ["text": "cumulative dose", "dose": quantity(c.cumulativeDoseMgPerM2, "mg/m2")],
            ]))
            chemoRefs.append(ref("chemo-\(k)"))
        }

        // Stem-cell transplants and operations (PassportTransplantSurgery.swift).
        entries += transplantResources(s.transplants ?? [], ref: ref).map { ($0.name, $0.resource) }
        entries += surgeryResources(s.surgeries ?? [], ref: ref).map { ($0.name, $0.resource) }

        // Plan of care.
        let activities: [[String: Any]] = plan.items.map { i in
            var detail: [String: Any] = [
                "kind": "ServiceRequest", "status": "scheduled", "code": ["text": i.modality],
                "description": "\(i.lateEffect) [\(i.strength)]: \(i.modality), \(i.frequency), from \(i.startDate). Trigger: \(i.trigger). Sources: \(i.sources.joined(separator: "; "))",
            ]
            if let years = yearsBetween(i.frequency) {
                detail["scheduledTiming"] = ["repeat": ["boundsPeriod": ["start": i.startDate], "frequency": 1, "period": years, "periodUnit": "a"]]
            } else {
                detail["scheduledString"] = "\(i.frequency) from \(i.startDate)"
            }
            return ["detail": detail]
        }
        let planText = plan.items.isEmpty ? "No dose- or field-dependent surveillance applies."
            : plan.items.map { "\($0.lateEffect): \($0.modality), \($0.frequency), from \($0.startDate) [\($0.strength)]" }.joined(separator: "; ")
        if !activities.isEmpty {
            entries.append(("care-plan", [
                "resourceType": "CarePlan", "meta": profile("CarePlan-eu-pcsp"), "text": narrative(planText), "status": "active",
                "intent": "plan", "subject": ref("patient"), "created": String(stamp.prefix(10)), "author": ref("site"),
                "addresses": [ref("primary-cancer")], "activity": activities,
                "note": plan.notes.map { ["text": $0] },
            ]))
        }

        // Composition.
        var treatmentSubsections: [[String: Any]] = []
        if !rtRefs.isEmpty {
            treatmentSubsections.append(["title": "Radiotherapy", "code": ["coding": [["system": genericCodes, "code": "section-rt", "display": "Radiotherapy"]]],
                                         "text": narrative(s.radiotherapy.map { "\($0.targetSite) \(format($0.prescribedDoseGy)) Gy" + ($0.fractions.map { " in \($0) fractions" } ?? "") + " (\($0.modality ?? "photon"), \($0.startDate) to \($0.endDate))" }.joined(separator: "; ")),
                                         "entry": rtRefs])
        }
        if !chemoRefs.isEmpty {
            treatmentSubsections.append(["title": "Chemotherapy", "code": ["coding": [["system": loinc, "code": "11486-8"]]],
                                         "text": narrative(s.chemotherapy.map { "\($0.agent) \(format($0.cumulativeDoseMgPerM2)) mg/m²" }.joined(separator: "; ")),
                                         "entry": chemoRefs])
        }
        treatmentSubsections += transplantSurgerySections(s, ref: ref)
        var flt: [String: Any] = ["title": "Cancer diagnosis and treatment", "code": ["coding": [["system": loinc, "code": "72135-7"]]],
                                  "text": narrative("Primary cancer treated at \(sites.joined(separator: ", "))."), "entry": [ref("primary-cancer")]]
        if !treatmentSubsections.isEmpty { flt["section"] = treatmentSubsections }
        var sections: [[String: Any]] = [flt]
        if !oarRefs.isEmpty {
            sections.append(["title": "Organ-at-risk doses", "code": ["coding": [["system": "urn:harmonic:codes", "code": "organ-at-risk-doses"]], "text": "Organ-at-risk doses"],
                             "text": narrative("Mean organ doses of the radiotherapy courses (Gy)."), "entry": oarRefs])
        }
        sections.append(["title": "Plan of care", "code": ["coding": [["system": loinc, "code": "18776-5"]]], "text": narrative(planText)]
            .merging(activities.isEmpty ? ["emptyReason": ["text": "No surveillance applies"]] : ["entry": [ref("care-plan")]]) { a, _ in a })
        let composition: [String: Any] = [
            "resourceType": "Composition", "meta": profile("Composition-surpass-eu-pcsp"), "status": "final",
            "type": ["coding": [["system": genericCodes, "code": "surpass", "display": "Childhood Cancer Survivor Passport"]]],
            "subject": ref("patient"), "date": stamp, "author": [ref("site")], "title": "Childhood Cancer Survivor Passport",
            "section": sections,
        ]
        let all = [("composition", composition)] + entries
        return [
            "resourceType": "Bundle", "meta": profile("Bundle-eu-pcsp"),
            "identifier": ["system": "urn:harmonic:surpass", "value": deterministicUUID("\(s.child)|bundle|\(stamp)")],
            "type": "document", "timestamp": stamp,
            "entry": all.map { name, resource in ["fullUrl": uuid(name), "resource": resource] },
        ]
    }

    /// Pretty, key-sorted JSON of a Bundle.
    public static func json(_ bundle: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: bundle, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    }

    /// The `meta` of a resource claiming a PCSP profile.
    static func profile(_ id: String) -> [String: Any] { ["profile": ["\(canonical)/StructureDefinition/\(id)"]] }

    /// A generated XHTML narrative of one paragraph.
    static func narrative(_ text: String) -> [String: Any] {
        ["status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>\(escape(text))</p></div>"]
    }

    static func quantity(_ value: Double, _ unit: String) -> [String: Any] {
        ["value": (value * 1000).rounded() / 1000, "unit": unit, "system": ucum, "code": unit]
    }

    /// "every 2 years" → 2; "every year" → 1; other wordings → nil.
    static func yearsBetween(_ frequency: String) -> Int? {
        if frequency == "every year" { return 1 }
        let words = frequency.split(separator: " ")
        if words.count == 3, words[0] == "every", words[2] == "years", let n = Int(words[1]) { return n }
        return nil
    }

    static func format(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v) }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter(); f.formatOptions = [.withInternetDateTime]; f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d)
    }

    /// A UUID-shaped name derived from `text` (two 64-bit FNV-1a hashes), so the same export gives the same ids.
    static func deterministicUUID(_ text: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h: UInt64 = 0xcbf29ce484222325 ^ seed
            for b in text.utf8 { h ^= UInt64(b); h = h &* 0x100000001b3 }
            return h
        }
        let a = fnv(0), b = fnv(0x9e3779b97f4a7c15)
        let hex = String(format: "%016llx%016llx", a, b)
        let c = Array(hex)
        var s = String(c[0..<8]) + "-" + String(c[8..<12]) + "-5" + String(c[13..<16]) + "-"
        let variant = "89ab"[String.Index(utf16Offset: Int(b & 3), in: "89ab")]
        s += String(variant) + String(c[17..<20]) + "-" + String(c[20..<32])
        return s
    }
}
