import Dosimetry
import Foundation
import GRDB
import Registry

/// What `harmonic dose` wrote, summarised for the report: dose distributions by country, era,
/// procedure type and tier; effective dose per KAP by age band against Ubeda et al. 2017; and,
/// for synthetic cohorts, reconstructed against true doses.
public struct OrganDoseSummary: Sendable {
    /// Organs shown in the report, with their `procedure_organ_dose` columns.
    public static let organs: [(name: String, column: String)] = [
        ("Red bone marrow", "red_marrow_mgy"), ("Breast", "breast_mgy"), ("Lungs", "lung_mgy"),
        ("Heart wall", "heart_mgy"), ("Thyroid", "thyroid_mgy"), ("Oesophagus", "oesophagus_mgy"),
    ]
    /// Ubeda et al., Phys Med 2017: median effective dose per KAP, mSv/(Gy·cm²), by age band.
    public static let ubeda2017: [(band: String, low: Double, high: Double, value: Double)] = [
        ("<1 y", 0, 1, 1.70), ("1-<5 y", 1, 5, 0.89), ("5-<10 y", 5, 10, 0.58), ("10-<16 y", 10, 16, 0.40),
    ]

    /// Distribution of one quantity in one group: median, quartiles, n.
    public struct Spread: Sendable {
        public var group: String
        public var n: Int
        public var q1: Double, median: Double, q3: Double
    }

    /// [organ index][group] by each grouping.
    public var byCountry: [[Spread]] = [], byEra: [[Spread]] = [], byType: [[Spread]] = [], byTier: [[Spread]] = []
    public var effectiveByTier: [Spread] = []
    public var tierCounts: [(tier: String, count: Int)] = []
    public var flagReasons: [(reason: String, count: Int)] = []
    /// Median E/KAP (mSv per Gy·cm²) of procedures with a recorded KAP, per Ubeda age band, and n.
    public var effectivePerKAP: [(band: String, median: Double, n: Int, ubeda: Double)] = []
    /// Red marrow doses of all dosed procedures (for the histogram), sampled.
    public var redMarrowSample: [Double] = []
    /// Cumulative mean red marrow dose per child, sampled.
    public var childRedMarrowSample: [Double] = []
    public var run: (runID: Int64, realisations: Int, source: String, seed: String)?

    static func spread(_ group: String, _ v: inout [Double]) -> Spread {
        v.sort()
        func q(_ p: Double) -> Double { v.isEmpty ? .nan : v[min(v.count - 1, Int(p * Double(v.count - 1) + 0.5))] }
        return Spread(group: group, n: v.count, q1: q(0.25), median: q(0.5), q3: q(0.75))
    }

    /// Reads the summary from a store where `harmonic dose` has run (analyst role).
    public static func read(from store: RegistryStore, sampleSize: Int = 4000) throws -> OrganDoseSummary {
        var s = OrganDoseSummary()
        try store.read { db in
            if let r = try Row.fetchOne(db, sql: "SELECT run_id, realisations, coefficient_source, seed FROM dose_runs WHERE status = 'finished' ORDER BY run_id DESC LIMIT 1") {
                s.run = (r[0], r[1], r[2], r[3])
            }
            s.tierCounts = try Row.fetchAll(db, sql: "SELECT tier, COUNT(*) FROM procedure_organ_dose GROUP BY 1 ORDER BY 1").map { ($0[0], $0[1]) }
            s.flagReasons = try Row.fetchAll(db, sql: """
                SELECT flag_reason, COUNT(*) FROM procedure_organ_dose WHERE tier = 'flagged' GROUP BY 1 ORDER BY 2 DESC LIMIT 20
                """).map { ($0[0], $0[1]) }
            let columns = organs.map { "d." + $0.column }.joined(separator: ", ")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT p.country, CAST(substr(d.procedure_date, 1, 3) AS INTEGER) * 10, c.procedure_type, d.tier, d.kap_gycm2_used,
                       d.effective_dose_msv,
                       julianday(d.procedure_date) - julianday(CASE WHEN length(p.birth_date) = 7 THEN p.birth_date || '-15' ELSE p.birth_date END),
                       \(columns)
                FROM procedure_organ_dose d
                JOIN cardiac_procedures c ON c.site = d.site AND c.site_procedure_id = d.site_procedure_id
                JOIN patients p ON p.site = d.site AND p.patient_pseudonym = d.patient_pseudonym
                WHERE d.tier != 'flagged'
                """)
            var country: [String: [[Double]]] = [:], era: [String: [[Double]]] = [:], type: [String: [[Double]]] = [:], tier: [String: [[Double]]] = [:]
            var effective: [String: [Double]] = [:]
            var perKAP = [[Double]](repeating: [], count: ubeda2017.count)
            var marrow: [Double] = []
            let empty = [[Double]](repeating: [], count: organs.count)
            while let r = try rows.next() {
                let c = (r[0] as String).uppercased(), e = "\(r[1] as Int)s", t: String = r[2], tr: String = r[3]
                for k in 0..<organs.count {
                    guard let v = r[7 + k] as Double? else { continue }
                    country[c, default: empty][k].append(v); era[e, default: empty][k].append(v)
                    type[t, default: empty][k].append(v); tier[tr, default: empty][k].append(v)
                }
                if let v = r[5] as Double? { effective[tr, default: []].append(v) }
                if let m = r[7] as Double? { marrow.append(m) }
                if tr != "imputed", let kap = r[4] as Double?, kap > 0, let eff = r[5] as Double?, let days = r[6] as Double? {
                    let age = days / 365.25
                    if let b = ubeda2017.firstIndex(where: { age >= $0.low && age < $0.high }) { perKAP[b].append(eff / kap) }
                }
            }
            func spreads(_ d: [String: [[Double]]], order: [String]? = nil) -> [[Spread]] {
                let keys = order ?? d.keys.sorted()
                return (0..<organs.count).map { k in keys.filter { d[$0] != nil }.map { key in var v = d[key]![k]; return spread(key, &v) } }
            }
            s.byCountry = spreads(country); s.byEra = spreads(era); s.byType = spreads(type)
            s.byTier = spreads(tier, order: DoseTier.allCases.map(\.rawValue))
            s.effectiveByTier = DoseTier.allCases.compactMap { t in effective[t.rawValue].map { var v = $0; return spread(t.rawValue, &v) } }
            s.effectivePerKAP = ubeda2017.enumerated().map { b, u in var v = perKAP[b]; return (u.band, spread(u.band, &v).median, v.count, u.value) }
            let stride = max(1, marrow.count / max(1, sampleSize))
            s.redMarrowSample = Swift.stride(from: 0, to: marrow.count, by: stride).map { marrow[$0] }
            let children = try Double.fetchAll(db, sql: "SELECT red_marrow_mgy FROM child_organ_dose WHERE red_marrow_mgy IS NOT NULL")
            let cs = max(1, children.count / max(1, sampleSize))
            s.childRedMarrowSample = Swift.stride(from: 0, to: children.count, by: cs).map { children[$0] }
        }
        return s
    }
}

/// Reconstructed versus true organ doses of a synthetic cohort (`truth/organ_doses.csv` of `harmonic synth`).
public struct DoseTruthComparison: Sendable {
    /// Per tier and quantity: procedures compared and quantiles of reconstructed / true.
    public struct Ratio: Sendable {
        public var tier: String, quantity: String
        public var n: Int
        public var p10: Double, median: Double, p90: Double
    }
    public var ratios: [Ratio] = []
    public var matched = 0, unmatched = 0

    static let quantities: [(truth: String, store: String)] = [
        ("effective_dose_msv", "effective_dose_msv"), ("red_marrow_mgy", "red_marrow_mgy"), ("lung_mgy", "lung_mgy"),
        ("breast_mgy", "breast_mgy"), ("thyroid_mgy", "thyroid_mgy"), ("brain_mgy", "brain_mgy"),
        ("oesophagus_mgy", "oesophagus_mgy"), ("heart_mgy", "heart_mgy"),
    ]

    /// Compares the store's `procedure_organ_dose` with the truth file, matching by procedure id:
    /// the store holds each id only as its keyed hash, so the truth's ids are hashed with the
    /// sites' keys (`pseudonymisers`, by site code; `KeyedIdentifiers`).
    public static func compute(store: RegistryStore, truthCSV: URL, pseudonymisers: [String: Pseudonymiser]) throws -> DoseTruthComparison {
        let text = try String(contentsOf: truthCSV, encoding: .utf8)
        var lines = text.split(separator: "\n").makeIterator()
        guard let header = lines.next()?.split(separator: ",").map(String.init) else { throw DoseModelError("\(truthCSV.path): empty") }
        let cols = quantities.map { q in header.firstIndex(of: q.truth) }
        guard let idCol = header.firstIndex(of: "procedure_id"), !cols.contains(where: { $0 == nil }) else {
            throw DoseModelError("\(truthCSV.path) line 1: expected the columns procedure_id, \(quantities.map(\.truth).joined(separator: ", "))")
        }
        let siteCol = header.firstIndex(of: "site")
        let ids = KeyedIdentifiers(pseudonymisers)
        var truth: [String: [Double]] = [:]
        truth.reserveCapacity(200_000)
        while let line = lines.next() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == header.count else { continue }
            let doses = cols.map { Double(f[$0!]) ?? .nan }
            for key in ids.storeKeys(of: String(f[idCol]), column: "site_procedure_id", site: siteCol.map { String(f[$0]) }) { truth[key] = doses }
        }
        var out = DoseTruthComparison()
        var ratios: [String: [[Double]]] = [:]
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT site, site_procedure_id, tier, \(quantities.map(\.store).joined(separator: ", ")) FROM procedure_organ_dose WHERE tier != 'flagged'")
            while let r = try rows.next() {
                let site: String = r[0], id: String = r[1], tier: String = r[2]
                guard let t = truth[KeyedIdentifiers.storeKey(site: site, id: id)] else { out.unmatched += 1; continue }
                out.matched += 1
                for (k, tv) in t.enumerated() {
                    guard let v = r[3 + k] as Double?, tv > 0 else { continue }
                    ratios[tier, default: [[Double]](repeating: [], count: quantities.count)][k].append(v / tv)
                }
            }
        }
        for tier in DoseTier.allCases.map(\.rawValue) {
            guard let per = ratios[tier] else { continue }
            for (k, q) in quantities.enumerated() {
                var v = per[k]
                guard !v.isEmpty else { continue }
                v.sort()
                func p(_ x: Double) -> Double { v[min(v.count - 1, Int(x * Double(v.count - 1) + 0.5))] }
                out.ratios.append(Ratio(tier: tier, quantity: q.truth, n: v.count, p10: p(0.1), median: p(0.5), p90: p(0.9)))
            }
        }
        return out
    }
}
