import Foundation
import GRDB
import HarmonicCore
import Registry
import RiskProjection

/// Children's exposures from a store, for the cohort's lifetime attributable risk:
///
/// - **cardiac**: every row of `procedure_organ_dose` (mGy, `harmonic dose`) is an exposure at the
///   child's age on the procedure date; red marrow, breast, lung, thyroid take their sites, and heart,
///   oesophagus and brain form BEIR VII's "other solid" through their mean dose;
/// - **radiotherapy**: every course of `rt_course_organ_dose` whose tier is not `flagged`
///   (`harmonic rt dose --store`) is an exposure at the child's age on the course's start date; each
///   organ's mean dose becomes its risk-equivalent dose by `MeanDoseRiskEquivalent` (linear-exponential
///   OED with a shipped alpha, linear up to 2 Gy, else left out and counted in `leftOut`); "other
///   solid" takes the mean of the ICRP 103 remainder tissues that were not left out.
///
/// Birth dates come from `patients`; a month-only date is taken as the 15th.
public enum CohortRiskDoses {
    /// Which exposures to read.
    public enum ExposureType: String, Sendable, CaseIterable, Codable {
        case cardiac, radiotherapy
    }

    /// Children with their exposures, the cohort each child's exposures come from, and the organ doses
    /// left out of the risk.
    public struct Cohort: Sendable {
        public var children: [CohortRisk.Child] = []
        /// Exposure types of each child (by `CohortRisk.Child.id`).
        public var types: [String: Set<ExposureType>] = [:]
        /// Radiotherapy course organ doses left out (organ → number of courses), with the reason of each organ.
        public var leftOut: [String: Int] = [:]
        /// Radiotherapy courses read, and those flagged (not dosed) and so not included.
        public var radiotherapyCourses = 0, flaggedCourses = 0
        /// Children whose exposures include `type`.
        public func children(of type: ExposureType) -> [CohortRisk.Child] { children.filter { types[$0.id]?.contains(type) == true } }
    }

    /// Cardiac exposures only (the shape `harmonic risk cohort` had before radiotherapy doses existed).
    public static func read(storePath: String) throws -> [CohortRisk.Child] {
        try read(storePath: storePath, exposures: [.cardiac]).children
    }

    /// Every child with at least one exposure of `exposures`, each child's exposures in date order.
    public static func read(storePath: String, exposures: Set<ExposureType>, parameters: OEDParameters? = nil) throws -> Cohort {
        guard FileManager.default.fileExists(atPath: storePath) else { throw InputError(.file(storePath), expected: "an existing registry store") }
        let registry = try RegistryStore(path: storePath, role: .analyst)
        let oed = try parameters ?? OEDParameters.shipped()
        var cohort = Cohort()
        var byChild: [String: (sex: Sex, exposures: [(day: Int, exposure: Exposure)])] = [:]
        func add(_ key: String, _ sex: Sex, day: Int, _ x: Exposure, _ type: ExposureType) {
            byChild[key, default: (sex, [])].exposures.append((day, x))
            cohort.types[key, default: []].insert(type)
        }
        try registry.read { db in
            if exposures.contains(.cardiac) {
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT d.site, d.patient_pseudonym, p.sex, p.birth_date, d.procedure_date,
                           d.red_marrow_mgy, d.breast_mgy, d.lung_mgy, d.heart_mgy, d.thyroid_mgy, d.oesophagus_mgy, d.brain_mgy
                    FROM procedure_organ_dose d JOIN patients p ON p.site = d.site AND p.patient_pseudonym = d.patient_pseudonym
                    ORDER BY d.site, d.patient_pseudonym, d.procedure_date
                    """)
                let cols: [(Int, Organ)] = [(5, .redMarrow), (6, .breast), (7, .lungs), (8, .heart), (9, .thyroid), (10, .oesophagus), (11, .brain)]
                while let r = try rows.next() {
                    guard let sex = Sex(code: r[2] as String), let birth = dayNumber(r[3] as String), let day = dayNumber(r[4] as String) else { continue }
                    var organs: [Organ: Gray] = [:]
                    for (i, o) in cols { if let v = r[i] as Double? { organs[o] = Gray(milligray: v) } }
                    // BEIR VII "other solid": mean of the dosed organs without a site of their own.
                    let other = [Organ.heart, .oesophagus, .brain].compactMap { organs[$0] }
                    add("\(r[0] as String)/\(r[1] as String)", sex, day: day,
                        Exposure(ageYears: max(0, Double(day - birth) / 365.25), organDoses: organs, sex: sex,
                                 otherDose: other.isEmpty ? nil : other.reduce(Gray.zero, +) / Double(other.count)), .cardiac)
                }
            }
            if exposures.contains(.radiotherapy) {
                let organColumns = RTDoseSchema.organColumns
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT d.site, d.patient_pseudonym, p.sex, p.birth_date, d.start_date, d.tier,
                           \(organColumns.map { "d.\($0.column)" }.joined(separator: ", "))
                    FROM rt_course_organ_dose d JOIN patients p ON p.site = d.site AND p.patient_pseudonym = d.patient_pseudonym
                    ORDER BY d.site, d.patient_pseudonym, d.start_date, d.course_id
                    """)
                while let r = try rows.next() {
                    cohort.radiotherapyCourses += 1
                    guard (r[5] as String?) != "flagged" else { cohort.flaggedCourses += 1; continue }
                    guard let sex = Sex(code: r[2] as String), let birth = dayNumber(r[3] as String), let day = dayNumber(r[4] as String) else { continue }
                    var organs: [Organ: Gray] = [:]
                    for (k, c) in organColumns.enumerated() {
                        guard let mGy = r[6 + k] as Double? else { continue }
                        let equivalent = MeanDoseRiskEquivalent.dose(organ: c.organ, meanGy: mGy / 1000, parameters: oed)
                        if let g = equivalent.doseGy { organs[c.organ] = Gray(g) } else { cohort.leftOut[c.organ.rawValue, default: 0] += 1 }
                    }
                    add("\(r[0] as String)/\(r[1] as String)", sex, day: day,
                        Exposure(ageYears: max(0, Double(day - birth) / 365.25), organDoses: organs, sex: sex), .radiotherapy)
                }
            }
        }
        cohort.children = byChild.keys.sorted().map { key in
            let c = byChild[key]!
            return CohortRisk.Child(id: key, sex: c.sex, exposures: c.exposures.sorted { $0.day < $1.day }.map(\.exposure))
        }
        return cohort
    }

    /// Day number of YYYY-MM-DD, or of the 15th for YYYY-MM (CalendarDate's month precision).
    static func dayNumber(_ s: String) -> Int? {
        CalendarDate(iso: s)?.dayNumber
    }
}
