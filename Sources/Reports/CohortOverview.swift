import Foundation
import GRDB
import Registry

/// What the store holds, summarised for the main job's report: children, procedures by era,
/// class, type and dose-record completeness, KAP by age and era, and the quarantine.
public struct CohortOverview: Sendable {
    public var childrenByCountry: [(cohort: String, country: String, count: Int)] = []
    /// Procedures per calendar year and class.
    public var proceduresByYear: [(year: Int, procedureClass: String, count: Int)] = []
    public var proceduresByType: [(type: String, count: Int)] = []
    /// Procedures per decade and dose-record completeness (event / totals / none).
    public var completenessByDecade: [(decade: Int, level: String, count: Int)] = []
    /// A sample of procedures with KAP: age (years), weight (kg), KAP (Gy·cm²), decade.
    public var kapSample: [(age: Double, weight: Double, kap: Double, decade: Int)] = []
    /// Median KAP (Gy·cm²) per decade and age band, with the number of procedures.
    public var kapMedianByDecade: [(decade: Int, ageBand: String, median: Double, n: Int)] = []
    public var irradiationEvents = 0
    public var radiotherapyCourses: [(modality: String, technique: String, count: Int)] = []
    /// Quarantined rows grouped by table, field and reason.
    public var quarantineReasons: [(table: String, field: String, reason: String, count: Int)] = []

    static let ageBands: [(String, Double, Double)] = [("<1 y", 0, 1), ("1-4 y", 1, 5), ("5-9 y", 5, 10), ("10-18 y", 10, 19)]

    /// Reads the overview from a store opened with a role that may read all sites (analyst).
    public static func read(from store: RegistryStore, kapSampleSize: Int = 4000) throws -> CohortOverview {
        var o = CohortOverview()
        try store.read { db in
            o.childrenByCountry = try Row.fetchAll(db, sql: "SELECT cohort, country, COUNT(*) FROM patients GROUP BY 1, 2 ORDER BY 1, 2")
                .map { ($0[0], ($0[1] as String).uppercased(), $0[2]) }
            o.proceduresByYear = try Row.fetchAll(db, sql: """
                SELECT CAST(substr(procedure_date, 1, 4) AS INTEGER), procedure_class, COUNT(*) FROM cardiac_procedures GROUP BY 1, 2 ORDER BY 1, 2
                """).map { ($0[0], $0[1], $0[2]) }
            o.proceduresByType = try Row.fetchAll(db, sql: "SELECT procedure_type, COUNT(*) FROM cardiac_procedures GROUP BY 1 ORDER BY 2 DESC")
                .map { ($0[0], $0[1]) }
            o.completenessByDecade = try Row.fetchAll(db, sql: """
                SELECT CAST(substr(procedure_date, 1, 3) AS INTEGER) * 10, dose_record_level, COUNT(*) FROM cardiac_procedures GROUP BY 1, 2 ORDER BY 1, 2
                """).map { ($0[0], $0[1], $0[2]) }
            o.irradiationEvents = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM irradiation_events") ?? 0
            o.radiotherapyCourses = try Row.fetchAll(db, sql: "SELECT modality, technique, COUNT(*) FROM rt_courses GROUP BY 1, 2 ORDER BY 1, 3 DESC")
                .map { ($0[0], $0[1], $0[2]) }
            o.quarantineReasons = try Row.fetchAll(db, sql: """
                SELECT table_name, field, reason, COUNT(*) FROM quarantine GROUP BY 1, 2, 3 ORDER BY 4 DESC
                """).map { ($0[0], $0[1], $0[2], $0[3]) }
            // Age at procedure from birth date (month-precision dates placed on the 15th).
            let rows = try Row.fetchAll(db, sql: """
                SELECT julianday(c.procedure_date) - julianday(CASE WHEN length(p.birth_date) = 7 THEN p.birth_date || '-15' ELSE p.birth_date END),
                       c.weight_kg, c.kap_gycm2, CAST(substr(c.procedure_date, 1, 3) AS INTEGER) * 10
                FROM cardiac_procedures c JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym
                WHERE c.kap_gycm2 IS NOT NULL
                ORDER BY c.site, c.site_procedure_id
                """)
            var all: [(Double, Double, Double, Int)] = []
            all.reserveCapacity(rows.count)
            for r in rows {
                guard let days = r[0] as Double?, let kap = r[2] as Double? else { continue }
                all.append((days / 365.25, (r[1] as Double?) ?? .nan, kap, r[3]))
            }
            let stride = max(1, all.count / max(1, kapSampleSize))
            o.kapSample = Swift.stride(from: 0, to: all.count, by: stride).map { all[$0] }
            var groups: [Int: [Int: [Double]]] = [:]
            for a in all {
                guard let band = ageBands.firstIndex(where: { a.0 >= $0.1 && a.0 < $0.2 }) else { continue }
                groups[a.3, default: [:]][band, default: []].append(a.2)
            }
            for decade in groups.keys.sorted() {
                for band in groups[decade]!.keys.sorted() {
                    let v = groups[decade]![band]!.sorted()
                    let median = v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
                    o.kapMedianByDecade.append((decade, ageBands[band].0, median, v.count))
                }
            }
        }
        return o
    }
}
