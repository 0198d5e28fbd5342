import Foundation
import GRDB
import Registry

/// The report's radiotherapy section: what `harmonic rt dose --store` wrote (tiers, flag reasons),
/// organ-dose distributions by modality and technique, the in-field against out-of-field split,
/// and, for synthetic registries, reconstructed against true organ doses.
public enum RTDoseSection {
    /// Organs shown, with their `rt_course_organ_dose` columns.
    static let organs: [(name: String, organ: String, column: String)] = [
        ("Heart", "heart", "heart_mgy"), ("Thyroid", "thyroid", "thyroid_mgy"), ("Breast", "breast", "breast_mgy"),
        ("Red bone marrow", "red_marrow", "red_marrow_mgy"), ("Brain", "brain", "brain_mgy"), ("Bladder", "bladder", "bladder_mgy"),
    ]

    public static func append(to r: inout HTMLReport, store: RegistryStore, truth: RTDoseTruthComparison?) throws {
        r.section("Radiotherapy organ doses")
        var tiers: [(String, Int)] = [], reasons: [(String, Int)] = []
        var byTechnique: [String: [[Double]]] = [:]
        var split: [String: (inField: [Double], outOfField: [Double])] = [:]
        try store.read { db in
            tiers = try Row.fetchAll(db, sql: "SELECT tier, COUNT(*) FROM rt_course_organ_dose GROUP BY 1 ORDER BY 1").map { ($0[0], $0[1]) }
            reasons = try Row.fetchAll(db, sql: "SELECT flag_reason, COUNT(*) FROM rt_course_organ_dose WHERE tier = 'flagged' GROUP BY 1 ORDER BY 2 DESC LIMIT 10")
                .map { ($0[0], $0[1]) }
            let columns = organs.map(\.column).joined(separator: ", ")
            for row in try Row.fetchAll(db, sql: "SELECT modality, technique, \(columns) FROM rt_course_organ_dose WHERE tier <> 'flagged'") {
                let key = "\(row[0] as String? ?? "?") / \(row[1] as String? ?? "?")"
                var lists = byTechnique[key] ?? Array(repeating: [], count: organs.count)
                for k in organs.indices { if let v: Double = row[2 + k] { lists[k].append(v) } }
                byTechnique[key] = lists
            }
            for row in try Row.fetchAll(db, sql: """
                SELECT d.modality, c.organ, c.in_field_mgy, c.out_of_field_photon_mgy + c.neutron_absorbed_mgy
                FROM rt_course_organ_component c JOIN rt_course_organ_dose d ON d.site = c.site AND d.course_id = c.course_id
                WHERE c.organ IN ('heart', 'thyroid', 'red_marrow', 'bladder')
                """) {
                let key = "\(row[0] as String? ?? "?")|\(row[1] as String? ?? "?")"
                var s = split[key] ?? ([], [])
                if let a: Double = row[2] { s.inField.append(a) }
                if let b: Double = row[3] { s.outOfField.append(b) }
                split[key] = s
            }
        }
        r.paragraph("Organ doses of every radiotherapy course (harmonic rt dose --store; docs/rt-dose.md): dicom_rt from the linked plan's dose grid, course_record from site-typical fields on the age-matched phantom with the out-of-field models, flagged courses not dosed. Doses are total absorbed dose in mGy (neutron absorbed dose included; effective dose is not given for therapeutic doses). The photon out-of-field parameters are provisional (not validated against published measurements) and the proton secondary-photon component lies 6-10 times below Stolarczyk et al. 2018.")
        r.table(caption: "Courses by tier", header: ["Tier", "Courses"], rows: tiers.map { [$0.0, formatNumber(Double($0.1))] })
        if !reasons.isEmpty {
            r.table(caption: "Flagged courses by reason (not dosed)", header: ["Reason", "Courses"], rows: reasons.map { [$0.0, formatNumber(Double($0.1))] })
        }
        func median(_ v: [Double]) -> String {
            guard !v.isEmpty else { return "–" }
            let s = v.sorted()
            return formatDose(s[s.count / 2])
        }
        r.table(caption: "Median organ dose (mGy) per course by modality and technique", header: ["Modality / technique", "Courses"] + organs.map(\.name),
                rows: byTechnique.keys.sorted().map { k in [k, formatNumber(Double(byTechnique[k]!.map(\.count).max() ?? 0))] + byTechnique[k]!.map(median) })
        r.table(caption: "In-field against out-of-field dose (median mGy per course): photon against proton",
                header: ["Modality", "Organ", "In-field", "Out-of-field (scatter, leakage, neutrons)"],
                rows: split.keys.sorted().map { k in
                    let p = k.split(separator: "|").map(String.init)
                    return [p[0], p[1], median(split[k]!.inField), median(split[k]!.outOfField)]
                })
        if let truth, !truth.ratios.isEmpty {
            r.table(caption: "Reconstructed / true organ dose per course (synthetic registry, \(truth.matched) courses): median and 95% range",
                    header: ["Tier", "Organ", "Courses", "Median", "95% range"],
                    rows: truth.ratios.map { [$0.tier, $0.organ, formatNumber(Double($0.n)), String(format: "%.2f", $0.median), String(format: "%.2f-%.2f", $0.low95, $0.high95)] })
            r.paragraph("The synthetic truth treats each course with its own field size, position and monitor units but the same models and reference phantom, so the course_record rows measure that tier's geometry error only, and the dicom_rt rows (courses given synthetic DICOM-RT planned with their true fields, loaded with ingest-dicom) the error of the DICOM-RT path itself: the 5 mm dose grid, rasterised contours and the field edge found from the 50% isodose.")
        }
        r.endSection()
    }

    static func formatDose(_ v: Double) -> String { v >= 100 ? String(format: "%.0f", v) : v >= 1 ? String(format: "%.1f", v) : String(format: "%.3g", v) }
}
