import Foundation
import HarmonicCore
import RTDose

/// Reconstructed (`rt_course_organ_dose`) against true (`truth/rt_organ_doses.csv` of
/// `harmonic synth`) organ doses of the synthetic radiotherapy registry, per tier and organ:
/// median ratio and the 2.5th-97.5th percentile range of the ratios, over the courses found in both.
public struct RTDoseTruthComparison: Sendable, Codable {
    public struct Ratio: Sendable, Codable {
        public var tier: String, organ: String, n: Int
        public var median: Double, low95: Double, high95: Double
    }
    public var matched = 0
    public var ratios: [Ratio] = []

    /// Organs compared (in-field, near-field and far out-of-field organs of the registry's sites).
    public static let organs: [Organ] = [.brain, .thyroid, .heart, .breast, .lungs, .redMarrow, .kidneys, .bladder, .colon]

    /// `pseudonymisers`: the sites' keys, since the store holds each `course_id` only as its keyed hash.
    public static func compute(store: RegistryStore, truthCSV: URL, pseudonymisers: [String: Pseudonymiser]) throws -> RTDoseTruthComparison {
        let text: String
        do { text = try String(contentsOf: truthCSV, encoding: .utf8) } catch {
            throw InputError(.file(truthCSV.path), expected: "the truth file harmonic synth writes (truth/\(SyntheticRTTruth.fileName))")
        }
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { throw InputError(.file(truthCSV.path), expected: "a header row") }
        let header = lines.removeFirst()
        guard let idColumn = header.firstIndex(of: "course_id") else { throw InputError(.file(truthCSV.path), field: "course_id", expected: "a course_id column") }
        let organColumns = organs.map { o in header.firstIndex(of: "\(o.rawValue)_mgy") }
        let siteColumn = header.firstIndex(of: "site")
        let ids = KeyedIdentifiers(pseudonymisers)
        var truth: [String: [Double?]] = [:]
        for l in lines where l.count == header.count {
            let doses = organColumns.map { $0.flatMap { Double(l[$0]) } }
            for key in ids.storeKeys(of: l[idColumn], column: "course_id", site: siteColumn.map { l[$0] }) { truth[key] = doses }
        }
        let storeColumns = organs.map { o in RTDoseSchema.organColumns.first { $0.organ == o }!.column }
        var byKey: [String: [Double]] = [:]
        var out = RTDoseTruthComparison()
        try store.analystRead("compare RT organ doses with truth") { db in
            try db.forEach("SELECT site, course_id, tier, \(storeColumns.joined(separator: ", ")) FROM rt_course_organ_dose", []) { r in
                guard let site = r.string(0), let id = r.string(1), let t = truth[KeyedIdentifiers.storeKey(site: site, id: id)] else { return }
                out.matched += 1
                let tier = r.string(2) ?? ""
                for (k, o) in organs.enumerated() {
                    guard let rec = r.double(3 + k), let tr = t[k] ?? nil, tr > 0 else { continue }
                    byKey["\(tier)\u{1F}\(o.rawValue)", default: []].append(rec / tr)
                }
            }
        }
        for key in byKey.keys.sorted() {
            var v = byKey[key]!
            v.sort()
            func q(_ p: Double) -> Double { v[min(v.count - 1, max(0, Int((p * Double(v.count - 1)).rounded())))] }
            let parts = key.split(separator: "\u{1F}").map(String.init)
            out.ratios.append(Ratio(tier: parts[0], organ: parts[1], n: v.count, median: q(0.5), low95: q(0.025), high95: q(0.975)))
        }
        return out
    }
}
