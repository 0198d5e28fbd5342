import FollowUp
import Foundation
import GRDB
import HarmonicCore

/// Biomarker and patient-reported-outcome data of the radiotherapy registry with each child's
/// reconstructed organ dose, for `OutcomeDoseResponse` (`harmonic biomarkers`).
///
/// A child's dose is the sum over its courses of the organ's mean dose in `rt_course_organ_dose`
/// (mGy → Gy). A child with a course that has no dose row or a flagged one is left out (its dose is
/// unknown, not zero), and counted. Ages are at the start of the first course.
/// - Biomarkers (`biomarker_measurements` through `biobank_samples`): the baseline is the first
///   value of a `before_rt` sample; the outcome the first value at `timePoint` (default `end_of_rt`).
/// - Scores (`pro_scores`): every score dated on or after the start of RT.
/// An analyst reads every site, a data manager only its own.
public struct OutcomeObservations: Sendable {
    public enum Kind: String, Sendable, Codable { case biomarker, score }
    public var kind: Kind
    public var observations: [OutcomeObservation]
    /// Children with the outcome but no usable dose (a course undosed or flagged).
    public var childrenWithoutDose: Int
    /// Unit of a biomarker (as stored).
    public var unit: String?
}

extension RegistryStore {
    /// Observations of `outcome` (an analyte of `biomarker_measurements` or an instrument of
    /// `pro_scores`) against the mean dose of `organ`.
    public func outcomeObservations(outcome: String, organ: Organ, timePoint: String = "end_of_rt") throws -> OutcomeObservations {
        let site: String?
        switch role {
        case .dataManager(let s): site = s.uppercased()
        case .analyst: site = nil
        default: throw AccessDenied(role: role, action: "read biomarkers and patient-reported outcomes (data rows)")
        }
        guard let column = RTDoseSchema.organColumns.first(where: { $0.organ == organ })?.column else {
            throw InputError(.file("store table rt_course_organ_dose"), field: "organ", value: organ.rawValue, expected: "an organ with a dose column")
        }
        let siteFilter = site == nil ? "" : " AND x.site = ?"
        let siteArgs: [DatabaseValue] = site.map { [$0.databaseValue] } ?? []
        return try backend.read { db in
            // Children: sex, birth, first RT start, summed organ dose (nil when any course lacks a usable dose).
            var child: [String: (female: Bool, birth: Int, start: Int, doseGy: Double?)] = [:]
            try db.forEach("""
                SELECT x.site, x.patient_pseudonym, p.sex, p.birth_date, x.start_date, d.tier, d.\(column)
                FROM rt_courses x JOIN patients p ON p.site = x.site AND p.patient_pseudonym = x.patient_pseudonym
                LEFT JOIN rt_course_organ_dose d ON d.site = x.site AND d.course_id = x.course_id
                WHERE 1 = 1\(siteFilter)
                """, siteArgs) { r in
                guard let s = r.string(0), let pid = r.string(1), let birth = r.string(3).flatMap({ CalendarDate(iso: $0) }),
                      let start = r.string(4).flatMap({ CalendarDate(iso: $0) }) else { return }
                let key = "\(s)/\(pid)"
                let usable: Double? = (r.string(5) != nil && r.string(5) != "flagged") ? r.double(6).map { $0 / 1000 } : nil
                if var c = child[key] {
                    c.start = min(c.start, start.dayNumber)
                    c.doseGy = c.doseGy.flatMap { d in usable.map { d + $0 } }
                    child[key] = c
                } else {
                    child[key] = (r.string(2)?.uppercased() == "F", birth.dayNumber, start.dayNumber, usable)
                }
            }
            func observation(_ key: String, baseline: Double?, value: Double, day: Int) -> OutcomeObservation? {
                guard let c = child[key], let dose = c.doseGy else { return nil }
                return OutcomeObservation(child: key, doseGy: dose, ageAtRTYears: Double(c.start - c.birth) / 365.25, female: c.female,
                                          baseline: baseline, value: value, yearsSinceRT: Double(day - c.start) / 365.25)
            }
            let isBiomarker = (try db.fetch("SELECT 1 FROM biomarker_measurements WHERE analyte = ? LIMIT 1", [outcome.databaseValue])).count > 0
            let isScore = (try db.fetch("SELECT 1 FROM pro_scores WHERE instrument = ? LIMIT 1", [outcome.databaseValue])).count > 0
            if isBiomarker {
                var before: [String: Double] = [:], after: [String: (Double, Int)] = [:], units: Set<String> = []
                try db.forEach("""
                    SELECT x.site, x.patient_pseudonym, x.time_point, x.collection_date, b.value, b.unit
                    FROM biomarker_measurements b JOIN biobank_samples x ON x.site = b.site AND x.sample_id = b.sample_id
                    WHERE b.analyte = ?\(siteFilter) ORDER BY x.site, x.patient_pseudonym, x.collection_date, b.measurement_id
                    """, [outcome.databaseValue] + siteArgs) { r in
                    guard let s = r.string(0), let pid = r.string(1), let tp = r.string(2), let v = r.double(4),
                          let day = r.string(3).flatMap({ CalendarDate(iso: $0) }) else { return }
                    let key = "\(s)/\(pid)"
                    if let u = r.string(5) { units.insert(u) }
                    if tp == "before_rt", before[key] == nil { before[key] = v }
                    if tp == timePoint, after[key] == nil { after[key] = (v, day.dayNumber) }
                }
                guard units.count <= 1 else {
                    throw InputError(.file("store table biomarker_measurements"), field: "unit", value: units.sorted().joined(separator: ", "),
                                     expected: "one unit for \(outcome) across sites (convert before loading)")
                }
                var out = OutcomeObservations(kind: .biomarker, observations: [], childrenWithoutDose: 0, unit: units.first)
                for key in after.keys.sorted() {
                    let (v, day) = after[key]!
                    if let o = observation(key, baseline: before[key], value: v, day: day) { out.observations.append(o) }
                    else if child[key] != nil { out.childrenWithoutDose += 1 }
                }
                return out
            }
            if isScore {
                var out = OutcomeObservations(kind: .score, observations: [], childrenWithoutDose: 0, unit: nil)
                var undosed: Set<String> = []
                try db.forEach("""
                    SELECT x.site, x.patient_pseudonym, x.score, x.score_date FROM pro_scores x
                    WHERE x.instrument = ?\(siteFilter) ORDER BY x.site, x.patient_pseudonym, x.score_date, x.score_id
                    """, [outcome.databaseValue] + siteArgs) { r in
                    guard let s = r.string(0), let pid = r.string(1), let v = r.double(2),
                          let day = r.string(3).flatMap({ CalendarDate(iso: $0) }) else { return }
                    let key = "\(s)/\(pid)"
                    guard let c = child[key], day.dayNumber >= c.start else { return }
                    if let o = observation(key, baseline: nil, value: v, day: day.dayNumber) { out.observations.append(o) } else { undosed.insert(key) }
                }
                out.childrenWithoutDose = undosed.count
                return out
            }
            let analytes = try db.fetch("SELECT DISTINCT analyte FROM biomarker_measurements ORDER BY 1", []).compactMap { String.fromDatabaseValue($0[0]) }
            let instruments = try db.fetch("SELECT DISTINCT instrument FROM pro_scores ORDER BY 1", []).compactMap { String.fromDatabaseValue($0[0]) }
            throw InputError(.file("store tables biomarker_measurements and pro_scores"), field: "outcome", value: outcome,
                             expected: "an analyte (\(analytes.joined(separator: ", "))) or an instrument (\(instruments.joined(separator: ", "))) of this store")
        }
    }
}
