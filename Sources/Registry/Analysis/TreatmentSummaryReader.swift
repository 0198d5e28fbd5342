import FollowUp
import GRDB
import HarmonicCore

/// Treatment summaries of the radiotherapy registry's children for their follow-up plans
/// (`harmonic followup --store`): sex, birth date and every course of `rt_courses` (target site,
/// prescribed dose, fractions, modality), every agent of `chemotherapy` (cumulative mg/m²), every
/// transplant of `hsct` and every operation of `surgery`.
/// A course dosed by `harmonic rt dose --store` (a row of `rt_course_organ_dose` whose tier is
/// not `flagged`) carries the mean dose of every organ (the mean over the realisations, mGy → Gy),
/// so the rules use organ doses (IGHG prefers the mean heart dose to the prescribed dose); a course
/// without one, or flagged, carries none and the rules fall back to the prescribed dose of fields
/// that expose each organ; the plan says which basis each rule used. An analyst
/// reads all sites, a data manager or clinician only their own, an auditor or admin none.
extension RegistryStore {
    /// Summaries of `children` (`SITE/pseudonym` or a bare pseudonym), or of every child with a
    /// radiotherapy course, chemotherapy, transplant or operation when `children` is nil.
    public func treatmentSummaries(children: [String]? = nil) throws -> [TreatmentSummary] {
        let site: String?
        switch role {
        case .dataManager(let s), .clinician(let s): site = s.uppercased()
        case .analyst: site = nil
        default: throw AccessDenied(role: role, action: "read treatment summaries (data rows)")
        }
        let wanted: Set<String>? = children.map { Set($0.map { $0.contains("/") ? $0.split(separator: "/").last.map(String.init)! : $0 }) }
        let organColumns = RTDoseSchema.organColumns
        return try backend.read { db in
            var summaries: [String: TreatmentSummary] = [:]
            var order: [String] = []
            let sql = """
                SELECT r.site, r.patient_pseudonym, p.sex, p.birth_date, r.start_date, r.end_date, r.target_site,
                       r.prescribed_dose_gy, r.fractions, r.modality, d.tier, \(organColumns.map { "d.\($0.column)" }.joined(separator: ", "))
                FROM rt_courses r JOIN patients p ON p.site = r.site AND p.patient_pseudonym = r.patient_pseudonym
                LEFT JOIN rt_course_organ_dose d ON d.site = r.site AND d.course_id = r.course_id AND d.tier <> 'flagged'
                """ + (site == nil ? "" : " WHERE r.site = ?") + " ORDER BY r.site, r.patient_pseudonym, r.start_date, r.course_id"
            let arguments = site.map { [$0.databaseValue] } ?? []
            func summary(_ siteCode: String, _ pseudonym: String, sex: String?, birth: String?) -> String? {
                if let wanted, !wanted.contains(pseudonym) { return nil }
                let key = "\(siteCode)/\(pseudonym)"
                if summaries[key] == nil {
                    summaries[key] = TreatmentSummary(child: key, sex: (sex ?? "").uppercased(), birthDate: birth ?? "")
                    order.append(key)
                }
                return key
            }
            try db.forEach(sql, arguments) { r in
                guard let siteCode = r.string(0), let pseudonym = r.string(1),
                      let key = summary(siteCode, pseudonym, sex: r.string(2), birth: r.string(3)) else { return }
                var organDoses: [String: Double]?
                if r.string(10) != nil {
                    var doses: [String: Double] = [:]
                    for (k, c) in organColumns.enumerated() {
                        if let mGy = r.double(11 + k), mGy.isFinite { doses[c.organ.rawValue] = mGy / 1000 }
                    }
                    organDoses = doses
                }
                summaries[key]!.radiotherapy.append(.init(startDate: r.string(4) ?? "", endDate: r.string(5) ?? "", targetSite: r.string(6) ?? "",
                                                          prescribedDoseGy: r.double(7) ?? 0, fractions: r.int(8), modality: r.string(9),
                                                          organMeanDoseGy: organDoses))
            }
            let chemoSQL = """
                SELECT c.site, c.patient_pseudonym, p.sex, p.birth_date, c.agent, c.cumulative_dose_mg_m2, c.end_date
                FROM chemotherapy c JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym
                """ + (site == nil ? "" : " WHERE c.site = ?") + " ORDER BY c.site, c.patient_pseudonym, c.start_date, c.chemo_id"
            try db.forEach(chemoSQL, arguments) { r in
                guard let siteCode = r.string(0), let pseudonym = r.string(1),
                      let key = summary(siteCode, pseudonym, sex: r.string(2), birth: r.string(3)) else { return }
                summaries[key]!.chemotherapy.append(.init(agent: r.string(4) ?? "", cumulativeDoseMgPerM2: r.double(5) ?? 0, endDate: r.string(6)))
            }
            // Transplants and operations (dictionary 1.3.0): the pulmonary rule's allogeneic HSCT, TBI conditioning
            // and thoracic surgery.
            for (table, columns) in [("hsct", "x.transplant_date, x.hsct_type, x.tbi_conditioning"), ("surgery", "x.surgery_date, x.region, NULL")] {
                let sql = """
                    SELECT x.site, x.patient_pseudonym, p.sex, p.birth_date, \(columns)
                    FROM \(table) x JOIN patients p ON p.site = x.site AND p.patient_pseudonym = x.patient_pseudonym
                    """ + (site == nil ? "" : " WHERE x.site = ?") + " ORDER BY x.site, x.patient_pseudonym, 5"
                try db.forEach(sql, arguments) { r in
                    guard let siteCode = r.string(0), let pseudonym = r.string(1),
                          let key = summary(siteCode, pseudonym, sex: r.string(2), birth: r.string(3)) else { return }
                    if table == "hsct" {
                        summaries[key]!.transplants = (summaries[key]!.transplants ?? [])
                            + [.init(date: r.string(4) ?? "", type: r.string(5) ?? "", tbiConditioning: r.string(6) == "yes")]
                    } else {
                        summaries[key]!.surgeries = (summaries[key]!.surgeries ?? []) + [.init(date: r.string(4) ?? "", region: r.string(5) ?? "")]
                    }
                }
            }
            return order.sorted().map { summaries[$0]! }
        }
    }
}
