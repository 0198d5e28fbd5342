import GRDB

/// One child of a site as the platform shows it: pseudonymised key and the patients row
/// (no site patient id is ever stored).
public struct PatientSummary: Sendable, Hashable, Codable {
    public let site: String
    public let pseudonym: String
    public let country: String
    public let sex: String
    public let birthDate: String
    public let cohort: String
    public let vitalStatus: String
    public let lastContactDate: String
    public let deathDate: String?
}

extension RegistryStore {
    /// The children of `site`, by pseudonym, `limit` from `offset`. Analysts: any site; data
    /// managers and clinicians: their own site only (a user of site NO never sees a row of site FR);
    /// admins and auditors: no data rows.
    public func patients(ofSite site: String, limit: Int = 100, offset: Int = 0) throws -> [PatientSummary] {
        let site = site.uppercased()
        let allowed = switch role {
        case .analyst: true
        case .dataManager(let own), .clinician(let own): own == site
        default: false
        }
        try require(allowed, "read the patients of site \(site)")
        return try backend.read { db in
            try db.fetch("""
                SELECT site, patient_pseudonym, country, sex, birth_date, cohort, vital_status, last_contact_date, death_date
                FROM patients WHERE site = ? ORDER BY patient_pseudonym LIMIT ? OFFSET ?
                """, [site.databaseValue, max(0, limit).databaseValue, max(0, offset).databaseValue]).map {
                PatientSummary(site: $0.string(0) ?? "", pseudonym: $0.string(1) ?? "", country: $0.string(2) ?? "", sex: $0.string(3) ?? "",
                               birthDate: $0.string(4) ?? "", cohort: $0.string(5) ?? "", vitalStatus: $0.string(6) ?? "",
                               lastContactDate: $0.string(7) ?? "", deathDate: $0.string(8))
            }
        }
    }
}
