import FollowUp
import GRDB
import HarmonicCore

/// Cardiac procedures as dose monitoring reads them (`harmonic drl`): each procedure with the
/// child's age at the procedure (from `patients.birth_date`), the recorded weight, KAP,
/// fluoroscopy time, cine frames, hospital and X-ray system, and, where the dose reconstruction
/// has run, its organ doses (`procedure_organ_dose`, latest run). An analyst reads all sites; a data
/// manager only their own site; an auditor reads no data rows.
extension RegistryStore {
    public func procedureDoses() throws -> [ProcedureDose] {
        let site: String?
        switch role {
        case .auditor: throw AccessDenied(role: role, action: "read procedure doses (data rows)")
        case .dataManager(let s): site = s.uppercased()
        case .analyst: site = nil
        }
        return try writer.read { db in
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
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: site.map { [$0] } ?? [])
            while let r = try cursor.next() {
                let s: String = r[0]
                guard let date = CalendarDate(iso: r[3] as String), let birth = CalendarDate(iso: r[4] as String) else { continue }
                var doses: [String: Double] = [:]
                if hasDoses {
                    for (k, c) in doseColumns.enumerated() { if let v = r[13 + k] as Double? { doses[c] = v } }
                }
                out.append(ProcedureDose(site: s, child: "\(s)/\(r[1] as String)", procedure: "\(s)/\(r[2] as String)", date: date,
                                         hospital: r[5], equipment: r[6], procedureType: r[7], procedureClass: r[8],
                                         ageYears: birth.years(to: date), weightKg: r[9], kapGyCm2: r[10],
                                         fluoroTimeS: r[11], cineFrames: (r[12] as Int?).map(Double.init), organDoses: doses))
            }
            return out
        }
    }
}
