import FollowUp
import GRDB
import HarmonicCore

/// Cardiac procedures as dose monitoring reads them (`harmonic drl`): each procedure with the
/// child's age at the procedure (from `patients.birth_date`), the recorded weight, KAP,
/// fluoroscopy time, cine frames, hospital and X-ray system, and, where the dose reconstruction
/// has run, its organ doses (`procedure_organ_dose`, latest run). An analyst reads all sites; a data
/// manager or clinician only their own site; an auditor or admin reads no data rows.
extension RegistryStore {
    public func procedureDoses() throws -> [ProcedureDose] {
        let site: String?
        switch role {
        case .dataManager(let s), .clinician(let s): site = s.uppercased()
        case .analyst: site = nil
        default: throw AccessDenied(role: role, action: "read procedure doses (data rows)")
        }
        return try backend.read { db in
            let hasDoses = try Self.hasOrganDoseRows(db)
            let doseColumns = AlertThresholds.doseColumns
            let doseSelect = hasDoses ? ", " + doseColumns.map { "d.\($0)" }.joined(separator: ", ") : ""
            let doseJoin = hasDoses ? " LEFT JOIN procedure_organ_dose d ON d.site = c.site AND d.site_procedure_id = c.site_procedure_id" : ""
            let sql = """
                SELECT c.site, c.patient_pseudonym, c.site_procedure_id, c.procedure_date, p.birth_date, c.hospital, c.equipment,
                       c.procedure_type, c.procedure_class, c.weight_kg, c.kap_gycm2, c.fluoro_time_s, c.cine_frames\(doseSelect)
                FROM cardiac_procedures c JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym\(doseJoin)
                """ + (site == nil ? "" : " WHERE c.site = ?") + " ORDER BY c.site, c.site_procedure_id"
            var out: [ProcedureDose] = []
            try db.forEach(sql, site.map { [$0.databaseValue] } ?? []) { r in
                guard let s = r.string(0), let pseudonym = r.string(1), let id = r.string(2),
                      let date = r.string(3).flatMap({ CalendarDate(iso: $0) }), let birth = r.string(4).flatMap({ CalendarDate(iso: $0) }) else { return }
                var doses: [String: Double] = [:]
                if hasDoses {
                    for (k, c) in doseColumns.enumerated() { if let v = r.double(13 + k) { doses[c] = v } }
                }
                out.append(ProcedureDose(site: s, child: "\(s)/\(pseudonym)", procedure: "\(s)/\(id)", date: date,
                                         hospital: r.string(5) ?? "", equipment: r.string(6), procedureType: r.string(7) ?? "",
                                         procedureClass: r.string(8) ?? "", ageYears: birth.years(to: date), weightKg: r.double(9),
                                         kapGyCm2: r.double(10), fluoroTimeS: r.double(11), cineFrames: r.double(12), organDoses: doses))
            }
            return out
        }
    }
}
