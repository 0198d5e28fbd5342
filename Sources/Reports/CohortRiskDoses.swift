import Foundation
import GRDB
import HarmonicCore
import Registry
import RiskProjection

/// Children's exposures from a store: every row of procedure_organ_dose (mGy) at the child's age on the
/// procedure date (birth_date of patients; a month-only date is taken as the 15th).
public enum CohortRiskDoses {
    public static func read(storePath: String) throws -> [CohortRisk.Child] {
        guard FileManager.default.fileExists(atPath: storePath) else { throw InputError(.file(storePath), expected: "an existing registry store") }
        let registry = try RegistryStore(path: storePath, role: .analyst)
        return try registry.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT d.site, d.patient_pseudonym, p.sex, p.birth_date, d.procedure_date,
                       d.red_marrow_mgy, d.breast_mgy, d.lung_mgy, d.heart_mgy, d.thyroid_mgy, d.oesophagus_mgy, d.brain_mgy
                FROM procedure_organ_dose d JOIN patients p ON p.site = d.site AND p.patient_pseudonym = d.patient_pseudonym
                ORDER BY d.site, d.patient_pseudonym, d.procedure_date
                """)
            var out: [CohortRisk.Child] = []
            var current: (key: String, sex: Sex, exposures: [Exposure])?
            for r in rows {
                let key = "\(r[0] as String)/\(r[1] as String)"
                guard let sex = Sex(code: r[2] as String) else { continue }
                guard let birth = dayNumber(r[3] as String), let day = dayNumber(r[4] as String) else { continue }
                let age = max(0, Double(day - birth) / 365.25)
                var organs: [Organ: Gray] = [:]
                let cols: [(Int, Organ)] = [(5, .redMarrow), (6, .breast), (7, .lungs), (8, .heart), (9, .thyroid), (10, .oesophagus), (11, .brain)]
                for (i, o) in cols { if let v = r[i] as Double? { organs[o] = Gray(milligray: v) } }
                // BEIR VII "other solid": mean of the dosed organs without a site of their own.
                let other = [Organ.heart, .oesophagus, .brain].compactMap { organs[$0] }
                let x = Exposure(ageYears: age, organDoses: organs, sex: sex,
                                 otherDose: other.isEmpty ? nil : other.reduce(Gray.zero, +) / Double(other.count))
                if current?.key == key { current!.exposures.append(x) } else {
                    if let c = current { out.append(CohortRisk.Child(id: c.key, sex: c.sex, exposures: c.exposures)) }
                    current = (key, sex, [x])
                }
            }
            if let c = current { out.append(CohortRisk.Child(id: c.key, sex: c.sex, exposures: c.exposures)) }
            return out
        }
    }

    /// Day number of YYYY-MM-DD, or of the 15th for YYYY-MM (CalendarDate's month precision).
    static func dayNumber(_ s: String) -> Int? {
        CalendarDate(iso: s)?.dayNumber
    }
}
