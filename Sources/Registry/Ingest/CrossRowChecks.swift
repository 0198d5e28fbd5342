import Foundation
import FollowUp
import GRDB
import HarmonicCore

extension RowValidator {
    /// Checks that involve several fields or other rows: date order, age at exposure, references,
    /// KAP per body weight, ICD-O-3 behaviour consistency.
    func checkCrossRow(_ v: [DatabaseValue], cache: LoadCache) throws(RowProblem) {
        let cols = table.columns
        func i(_ name: String) -> Int { cols.firstIndex { $0.name == name }! }
        func day(_ name: String) -> Int? { IngestRules.day(v[i(name)]) }
        func text(_ name: String) -> String { IngestRules.dateText(v[i(name)]) }
        func real(_ name: String) -> Double? { Double.fromDatabaseValue(v[i(name)]) }
        func fail(_ field: String, _ reason: String) -> RowProblem { RowProblem(field: field, value: IngestRules.valueText(v[i(field)]), reason: reason) }

        func patient(_ field: String = "site_patient_id") throws(RowProblem) -> PatientFacts {
            guard let p = cache.patients[text(field)] else {
                throw RowProblem(field: field, value: text(field), reason: "unknown patient: not in the store nor earlier in this load")
            }
            return p
        }
        /// Exposure date: child aged 0-18, not after last contact or death.
        func exposure(_ field: String, _ p: PatientFacts) throws(RowProblem) {
            guard let d = day(field) else { return }
            let age = Double(d - p.birth) / 365.25
            if age < 0 { throw fail(field, "before the child's birth") }
            if age >= IngestRules.maxAgeYears { throw fail(field, "child aged \(Int(age)) years at exposure; the cohorts cover ages 0-18") }
            if d > p.lastContact { throw fail(field, "after the child's last contact date") }
            if let death = p.death, d > death { throw fail(field, "after the child's death") }
        }
        func withinLife(_ field: String, _ p: PatientFacts) throws(RowProblem) {
            guard let d = day(field) else { return }
            if d < p.birth { throw fail(field, "before the child's birth") }
            if let death = p.death, d > death { throw fail(field, "after the child's death") }
        }
        /// A date of an exposure that ends or continues one (course end, imaging sessions):
        /// within the child's life and not after the last contact.
        func withinFollowUp(_ field: String, _ p: PatientFacts) throws(RowProblem) {
            try withinLife(field, p)
            if let d = day(field), d > p.lastContact { throw fail(field, "after the child's last contact date") }
        }
        func parent(_ field: String, _ table: String) throws(RowProblem) -> ParentFacts {
            guard let p = cache.parents[table]?[text(field)] else {
                throw RowProblem(field: field, value: text(field), reason: "unknown \(table) key: not in the store nor earlier in this load")
            }
            return p
        }

        switch table.name {
        case "patients":
            guard let birth = day("birth_date"), let last = day("last_contact_date") else { return }
            if last < birth { throw fail("last_contact_date", "before the birth date") }
            let death = day("death_date")
            if let death, death < birth { throw fail("death_date", "before the birth date") }
            if let death, last > death { throw fail("last_contact_date", "after the death date (death ends follow-up)") }
            if text("vital_status") == "dead", death == nil { throw fail("death_date", "missing although vital_status is dead") }
            if death != nil, text("vital_status") != "dead" { throw fail("vital_status", "a death date is given but vital_status is not dead") }
            if let e = day("emigration_date") {
                if e < birth { throw fail("emigration_date", "before the birth date") }
                if let death, e > death { throw fail("emigration_date", "after the death date (a child cannot emigrate after death; check both dates)") }
                if last > e { throw fail("last_contact_date", "after the emigration date (emigration ends follow-up)") }
            }
        case "cardiac_procedures":
            let p = try patient()
            try exposure("procedure_date", p)
            if let kap = real("kap_gycm2") {
                if let w = real("weight_kg") {
                    if kap / w > IngestRules.maxKAPPerKg {
                        throw fail("kap_gycm2", "\(kap) Gy·cm² for \(w) kg is over \(Int(IngestRules.maxKAPPerKg)) Gy·cm²/kg: implausible (unit error? KAP must be in Gy·cm²)")
                    }
                } else if let d = day("procedure_date") {
                    // No weight: bound by a heavy child's weight for the age at the procedure.
                    let age = Double(d - p.birth) / 365.25
                    let w = IngestRules.plausibleWeightLimit(age: age)
                    if kap > IngestRules.maxKAPPerKg * w {
                        throw fail("kap_gycm2", "\(kap) Gy·cm² with no weight, at age \(String(format: "%.1f", age)) years, is over \(Int(IngestRules.maxKAPPerKg)) Gy·cm²/kg × \(String(format: "%.0f", w)) kg (1.5 × ICRP 89 reference weight): implausible (unit error? KAP must be in Gy·cm²)")
                    }
                }
            }
        case "irradiation_events":
            let proc = try parent("site_procedure_id", "cardiac_procedures")
            let dt = text("event_datetime")
            if let pd = proc.date, let ed = CalendarDate(iso: dt.prefix(10))?.dayNumber, abs(ed - pd) > 1 {
                throw RowProblem(field: "event_datetime", value: dt, reason: "not within a day of the procedure date \(CalendarDate(dayNumber: pd))")
            }
        case "rt_courses":
            let p = try patient()
            try exposure("start_date", p)
            if let s = day("start_date"), let e = day("end_date"), e < s { throw fail("end_date", "before start_date") }
            try withinFollowUp("end_date", p)
        case "rt_imaging":
            let course = try parent("course_id", "rt_courses")
            if let f = day("first_date"), let l = day("last_date"), l < f { throw fail("last_date", "before first_date") }
            if let p = cache.patients[course.patient] {
                try withinFollowUp("first_date", p)
                try withinFollowUp("last_date", p)
            }
        case "diagnostic_imaging":
            try exposure("exam_date", try patient())
        case "cancer_outcomes":
            try withinLife("diagnosis_date", try patient())
            let m = text("morphology"), b = text("behaviour")
            if m.last.map(String.init) != b { throw fail("behaviour", "does not match the behaviour digit of morphology \(m)") }
        case "biobank_samples":
            try withinLife("collection_date", try patient())
        case "biomarker_measurements":
            _ = try parent("sample_id", "biobank_samples")
        case "chemotherapy":
            let p = try patient()
            try exposure("start_date", p)
            if let s = day("start_date"), let e = day("end_date"), e < s { throw fail("end_date", "before start_date") }
            try withinFollowUp("end_date", p)
            if let dose = real("cumulative_dose_mg_m2"), let factor = AnthracyclineEquivalence.factor(text("agent")),
               dose * factor > IngestRules.maxDoxorubicinEquivalentMgPerM2 {
                throw fail("cumulative_dose_mg_m2", "\(dose) mg/m² of \(text("agent")) is \(Int(dose * factor)) mg/m² doxorubicin-equivalent, over \(Int(IngestRules.maxDoxorubicinEquivalentMgPerM2)): implausible (unit error? the dose must be cumulative mg per m², not mg)")
            }
        case "hsct":
            try exposure("transplant_date", try patient())
        case "surgery":
            try exposure("surgery_date", try patient())
        case "pro_scores":
            try withinLife("score_date", try patient())
        default:
            break
        }
    }
}
