import Dosimetry
import Foundation
import GRDB
import HarmonicCore

/// What dominates the cohort's dose (issue 19, "know what dominates"): for each study cohort,
/// the fraction of the collective red-marrow and breast dose (sum over every child's exposures
/// of the mean organ dose) from each exposure type and era, and the distribution over children
/// of the share of each child's dose from each type. It tells the study whether imaging could
/// confound the cardiac dose-response. Read from `procedure_organ_dose`,
/// `imaging_exam_organ_dose` and `rt_course_organ_dose` (flagged and undosed exposures add nothing).
public struct ExposureShares: Sendable, Codable {
    public struct Collective: Sendable, Codable {
        public var cohort: String, exposureType: String, era: String, organ: String
        /// Sum of the exposures' mean organ doses (mGy, person·mGy).
        public var collectiveMGy: Double
        /// Fraction of the cohort's collective dose to the organ (all types and eras).
        public var fraction: Double
        public var exposures: Int
    }
    public struct ChildShare: Sendable, Codable {
        public var cohort: String, exposureType: String, organ: String
        /// Children with a positive dose to the organ (the denominator).
        public var children: Int
        /// Quantiles of the share of each child's organ dose from this type (0-1).
        public var median: Double, p05: Double, p95: Double, mean: Double
        /// Fraction of children for whom this type gives more than half of their dose.
        public var dominantFraction: Double
    }
    public var collective: [Collective]
    public var childShares: [ChildShare]
    public static let organs: [(column: String, name: String)] = [("red_marrow_mgy", "red_marrow"), ("breast_mgy", "breast")]

    /// A plain-text table for the CLI and the report.
    public var text: String {
        var lines = ["Fraction of the collective dose by exposure type and era (person·mGy; flagged and undosed exposures add nothing)",
                     "cohort        organ       type     era        exposures  collective_mGy  fraction"]
        for c in collective {
            lines.append([c.cohort.padding(toLength: 13, withPad: " ", startingAt: 0), c.organ.padding(toLength: 11, withPad: " ", startingAt: 0),
                          c.exposureType.padding(toLength: 8, withPad: " ", startingAt: 0), c.era.padding(toLength: 10, withPad: " ", startingAt: 0),
                          String(format: "%9d  %14.4g  %8.4f", c.exposures, c.collectiveMGy, c.fraction)].joined(separator: " "))
        }
        lines += ["", "Share of each child's dose from each exposure type (children with a dose to the organ)",
                  "cohort        organ       type     children  median    p05     p95    mean   >half"]
        for s in childShares {
            lines.append([s.cohort.padding(toLength: 13, withPad: " ", startingAt: 0), s.organ.padding(toLength: 11, withPad: " ", startingAt: 0),
                          s.exposureType.padding(toLength: 8, withPad: " ", startingAt: 0),
                          String(format: "%8d  %6.3f  %6.3f  %6.3f  %6.3f  %6.3f", s.children, s.median, s.p05, s.p95, s.mean, s.dominantFraction)].joined(separator: " "))
        }
        return lines.joined(separator: "\n")
    }
}

extension RegistryStore {
    /// The exposure shares of the store's doses (analyst role: pooled data).
    public func exposureShares() throws -> ExposureShares {
        try analystRead("read the pooled organ doses by exposure type") { db in
            var cohortOf: [String: String] = [:]
            try db.forEach("SELECT site, patient_pseudonym, cohort FROM patients", []) { r in
                cohortOf[(r.string(0) ?? "") + "/" + (r.string(1) ?? "")] = r.string(2) ?? "?"
            }
            struct Key: Hashable { var cohort, type, era, organ: String }
            var collective: [Key: (Double, Int)] = [:]
            // child → type → organ → dose
            var perChild: [String: [String: [String: Double]]] = [:]
            let sources = [("cardiac", "procedure_organ_dose", "procedure_date"), ("imaging", "imaging_exam_organ_dose", "exam_date"),
                           ("rt", "rt_course_organ_dose", "start_date")]
            for (type, table, dateColumn) in sources {
                try db.forEach("SELECT site, patient_pseudonym, \(dateColumn), red_marrow_mgy, breast_mgy FROM \(table)", []) { r in
                    let child = (r.string(0) ?? "") + "/" + (r.string(1) ?? "")
                    let cohort = cohortOf[child] ?? "?"
                    let era = CalendarDate(iso: r.string(2) ?? "").map { DoseEra(year: 1970 + Double($0.dayNumber) / 365.25).description } ?? "unknown"
                    for (k, organ) in ExposureShares.organs.enumerated() {
                        guard let v = r.double(3 + k), v.isFinite, v >= 0 else { continue }
                        let key = Key(cohort: cohort, type: type, era: era, organ: organ.name)
                        let c = collective[key] ?? (0, 0)
                        collective[key] = (c.0 + v, c.1 + 1)
                        perChild[child, default: [:]][type, default: [:]][organ.name, default: 0] += v
                    }
                }
            }
            var totals: [String: Double] = [:] // cohort|organ
            for (k, v) in collective { totals[k.cohort + "|" + k.organ, default: 0] += v.0 }
            let rows = collective.map { k, v in
                ExposureShares.Collective(cohort: k.cohort, exposureType: k.type, era: k.era, organ: k.organ, collectiveMGy: v.0,
                                          fraction: (totals[k.cohort + "|" + k.organ] ?? 0) > 0 ? v.0 / totals[k.cohort + "|" + k.organ]! : 0, exposures: v.1)
            }.sorted { ($0.cohort, $0.organ, $0.exposureType, $0.era) < ($1.cohort, $1.organ, $1.exposureType, $1.era) }
            var shares: [ExposureShares.ChildShare] = []
            let cohorts = Set(cohortOf.values).sorted()
            for cohort in cohorts {
                for organ in ExposureShares.organs.map(\.name) {
                    let children = perChild.filter { cohortOf[$0.key] == cohort }
                    let totalsByChild = children.mapValues { $0.values.reduce(0.0) { $0 + ($1[organ] ?? 0) } }.filter { $0.value > 0 }
                    guard !totalsByChild.isEmpty else { continue }
                    for type in ["cardiac", "imaging", "rt"] {
                        let s = totalsByChild.map { (children[$0.key]?[type]?[organ] ?? 0) / $0.value }.sorted()
                        guard s.contains(where: { $0 > 0 }) else { continue }
                        func q(_ p: Double) -> Double { s[min(s.count - 1, Int((p * Double(s.count - 1)).rounded()))] }
                        shares.append(ExposureShares.ChildShare(cohort: cohort, exposureType: type, organ: organ, children: s.count,
                                                                median: q(0.5), p05: q(0.05), p95: q(0.95), mean: s.reduce(0, +) / Double(s.count),
                                                                dominantFraction: Double(s.filter { $0 > 0.5 }.count) / Double(s.count)))
                    }
                }
            }
            return ExposureShares(collective: rows, childShares: shares)
        }
    }
}
