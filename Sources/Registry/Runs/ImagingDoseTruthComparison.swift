import Dosimetry
import Foundation
import GRDB
import HarmonicCore

/// Reconstructed (`imaging_exam_organ_dose`, written by `harmonic dose --store`) against true
/// (`truth/imaging_organ_doses.csv` of `harmonic synth`) doses of the synthetic diagnostic imaging,
/// per exam type (modality and body region), tier and dose quantity: the median ratio
/// reconstructed/true and its 2.5th-97.5th percentile range over the exams found in both.
///
/// Exams are matched on (site, child's pseudonym, exam date, modality): synth writes at most one
/// diagnostic exam per child and day and one planning CT per course, and the store holds no raw site identifier (imaging ids may be keyed hashes), so
/// the truth's child id is hashed with the site's pseudonymiser.
public struct ImagingDoseTruthComparison: Sendable, Codable {
    public struct Ratio: Sendable, Codable {
        /// `modality/region`, e.g. `ct/chest`.
        public var examType: String, tier: String, quantity: String, n: Int
        public var median: Double, low95: Double, high95: Double
    }
    /// Truth rows found in the store, and not found (rows the registry rejected).
    public var matched = 0, unmatched = 0
    /// Matched exams per exam type and tier (including tiers without a dose: flagged, not modelled).
    public var examsByTypeAndTier: [String: Int] = [:]
    public var ratios: [Ratio] = []

    /// `truthCSV`: `truth/imaging_organ_doses.csv` (diagnostic imaging) or `truth/rt_imaging_organ_doses.csv`
    /// (RT planning CTs, `source`: `.radiotherapy`).
    public static func compute(store: RegistryStore, truthCSV: URL, pseudonymisers: [String: Pseudonymiser],
                               source: ImagingExamInput.SourceTable = .diagnostic) throws -> ImagingDoseTruthComparison {
        let text: String
        do { text = try String(contentsOf: truthCSV, encoding: .utf8) } catch {
            throw InputError(.file(truthCSV.path), expected: "the truth file harmonic synth writes (truth/\(SyntheticImagingTruth.fileName))")
        }
        var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { throw InputError(.file(truthCSV.path), expected: "a header row") }
        let header = lines.removeFirst()
        func col(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw InputError(.file(truthCSV.path), field: name, expected: "a \(name) column") }
            return i
        }
        let site = try col("site"), pid = try col("patient_id"), date = try col("exam_date")
        let modality = try col("modality"), region = try col("body_region")
        let quantities = try DoseQuantity.columnNames.map { try col($0) }
        var truth: [String: (type: String, doses: [Double?])] = [:]
        for (n, l) in lines.enumerated() {
            guard l.count == header.count else {
                throw InputError(.row(file: truthCSV.path, line: n + 2), expected: "\(header.count) fields, found \(l.count)")
            }
            let s = l[site].uppercased()
            guard let p = pseudonymisers[s] else {
                throw InputError(.row(file: truthCSV.path, line: n + 2), field: "site", value: l[site], expected: "a site with a pseudonymiser given")
            }
            truth[s + "\u{1F}" + p.pseudonym(for: l[pid]) + "\u{1F}" + l[date] + "\u{1F}" + l[modality]] = (l[modality] + "/" + l[region], quantities.map { Double(l[$0]) })
        }
        var out = ImagingDoseTruthComparison()
        var byKey: [String: [Double]] = [:]
        try store.analystRead("compare imaging organ doses with truth") { db in
            try db.forEach("""
                SELECT site, patient_pseudonym, exam_date, tier, \(DoseQuantity.columnNames.joined(separator: ", ")), modality
                FROM imaging_exam_organ_dose WHERE source_table = ?
                """, [source.rawValue.databaseValue]) { r in
                let key = (r.string(0) ?? "").uppercased() + "\u{1F}" + (r.string(1) ?? "") + "\u{1F}" + (r.string(2) ?? "") + "\u{1F}" + (r.string(4 + DoseQuantity.count) ?? "")
                guard let t = truth[key] else { return }
                out.matched += 1
                let tier = r.string(3) ?? ""
                out.examsByTypeAndTier[t.type + " " + tier, default: 0] += 1
                for (k, q) in DoseQuantity.columnNames.enumerated() {
                    guard let rec = r.double(4 + k), rec.isFinite, let tr = t.doses[k] ?? nil, tr > 0 else { continue }
                    byKey[[t.type, tier, q].joined(separator: "\u{1F}"), default: []].append(rec / tr)
                }
            }
        }
        out.unmatched = truth.count - out.matched
        for key in byKey.keys.sorted() {
            var v = byKey[key]!
            v.sort()
            func q(_ p: Double) -> Double { v[min(v.count - 1, max(0, Int((p * Double(v.count - 1)).rounded())))] }
            let parts = key.split(separator: "\u{1F}").map(String.init)
            out.ratios.append(Ratio(examType: parts[0], tier: parts[1], quantity: parts[2], n: v.count, median: q(0.5), low95: q(0.025), high95: q(0.975)))
        }
        return out
    }

    /// One line per exam type, tier and quantity.
    public func table(quantities: Set<String> = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "brain_mgy", "effective_dose_msv"]) -> String {
        var lines = ["exam type       tier              quantity             n   median ratio  95% range"]
        for r in ratios where quantities.contains(r.quantity) {
            func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
            lines.append(pad(r.examType, 15) + " " + pad(r.tier, 17) + " " + pad(r.quantity, 18)
                         + String(format: " %5d   %6.3f       %.3f-%.3f", r.n, r.median, r.low95, r.high95))
        }
        return lines.joined(separator: "\n")
    }
}
