import Foundation
import HarmonicCore

/// True effects of organ dose on the synthetic registry's biomarkers and patient-reported outcomes,
/// so that the dose-response analysis of the study's biology work package (`harmonic biomarkers`)
/// can be checked against a known truth, as the cardiac and RT dose reconstructions are.
///
/// `harmonic synth` first writes biomarker values and PedsQL scores without any dose effect
/// (`RadiotherapyChildSimulator`: lognormal biomarkers with GSD e^0.5 per sample, ×1.3 at the end of
/// RT; PedsQL 72 ± 14), then the true organ doses (`truth/rt_organ_doses.csv`), then this pass:
///
/// - a biomarker measured on a sample taken after the start of RT (`end_of_rt`, `after_rt`,
///   `follow_up`) is multiplied by `exp(perGy × D)`, `D` the child's true mean dose (Gy, summed over
///   its courses) of the effect's organ: a log-linear effect, so `perGy` is the change in the log
///   of the value per Gy;
/// - a PRO score is shifted by `perGy × D` points and kept within the instrument's 0-100 scale.
///
/// The sizes are **synthesis assumptions** chosen to be detectable in a registry of ~2,300 children
/// (no published dose-response slope was used): NT-proBNP +2%/Gy and troponin T +1%/Gy of mean heart
/// dose, PedsQL total −0.15 points/Gy of mean brain dose; TSH and CRP carry no effect (negative controls).
/// `truth/outcome_dose_effects.json` records them.
public enum OutcomeDoseEffects {
    public struct Effect: Sendable, Codable, Hashable {
        /// Analyte (`biomarker_measurements.analyte`) or instrument (`pro_scores.instrument`).
        public var outcome: String
        /// `biomarker_measurements` or `pro_scores`.
        public var table: String
        /// Organ whose mean dose drives the effect (`Organ` raw value).
        public var organ: String
        /// `log` (change of the natural log of the value per Gy) or `points` (score points per Gy).
        public var scale: String
        public var perGy: Double
    }

    public static let effects: [Effect] = [
        Effect(outcome: "nt_probnp", table: "biomarker_measurements", organ: "heart", scale: "log", perGy: 0.02),
        Effect(outcome: "troponin_t", table: "biomarker_measurements", organ: "heart", scale: "log", perGy: 0.01),
        Effect(outcome: "tsh", table: "biomarker_measurements", organ: "heart", scale: "log", perGy: 0),
        Effect(outcome: "crp", table: "biomarker_measurements", organ: "heart", scale: "log", perGy: 0),
        Effect(outcome: "pedsql_total", table: "pro_scores", organ: "brain", scale: "points", perGy: -0.15),
    ]
    public static let truthFileName = "outcome_dose_effects.json"
    /// Time points of `biobank_samples` taken after RT started.
    public static let afterRT: Set<String> = ["end_of_rt", "after_rt", "follow_up"]

    /// Applies the effects to every `*-radiotherapy/` folder of a synthetic extract whose
    /// `truth/rt_organ_doses.csv` exists (a child without a true dose row keeps its values), and writes
    /// the truth file. Returns the number of values changed. Applying twice is refused: the truth file
    /// marks an extract that has its effects.
    @discardableResult
    public static func apply(extract: URL, effects: [Effect] = effects) throws -> Int {
        let fm = FileManager.default
        let truthDir = extract.appendingPathComponent("truth")
        let marker = truthDir.appendingPathComponent(truthFileName)
        guard !fm.fileExists(atPath: marker.path) else {
            throw InputError(.file(marker.path), expected: "an extract without outcome effects (they were applied already; synthesise again)")
        }
        let doses = try trueDoses(truthDir.appendingPathComponent("rt_organ_doses.csv"))
        var changed = 0
        for folder in try fm.contentsOfDirectory(atPath: extract.path).filter({ $0.hasSuffix("-radiotherapy") }).sorted() {
            let dir = extract.appendingPathComponent(folder)
            // sample -> (child, time point)
            var samples: [String: (child: String, timePoint: String)] = [:]
            let samplesFile = dir.appendingPathComponent("biobank_samples.csv")
            if fm.fileExists(atPath: samplesFile.path) {
                try rewrite(samplesFile, columns: ["sample_id", "site_patient_id", "time_point"]) { f, c in
                    samples[f[c[0]]] = (f[c[1]], f[c[2]]); return false
                }
            }
            let biomarkers = dir.appendingPathComponent("biomarker_measurements.csv")
            if fm.fileExists(atPath: biomarkers.path) {
                try rewrite(biomarkers, columns: ["sample_id", "analyte", "value"]) { f, c in
                    guard let e = effects.first(where: { $0.table == "biomarker_measurements" && $0.outcome == f[c[1]] }), e.perGy != 0,
                          let s = samples[f[c[0]]], afterRT.contains(s.timePoint),
                          let d = doses[s.child]?[e.organ], let v = Double(f[c[2]]) else { return false }
                    f[c[2]] = String(format: "%.2f", v * exp(e.perGy * d)); changed += 1
                    return true
                }
            }
            let pro = dir.appendingPathComponent("pro_scores.csv")
            if fm.fileExists(atPath: pro.path) {
                try rewrite(pro, columns: ["site_patient_id", "instrument", "score"]) { f, c in
                    guard let e = effects.first(where: { $0.table == "pro_scores" && $0.outcome == f[c[1]] }), e.perGy != 0,
                          let d = doses[f[c[0]]]?[e.organ], let v = Double(f[c[2]]) else { return false }
                    f[c[2]] = String(format: "%.1f", min(100, max(0, v + e.perGy * d))); changed += 1
                    return true
                }
            }
        }
        try fm.createDirectory(at: truthDir, withIntermediateDirectories: true)
        let encoder = JSONEncoder(); encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(effects).write(to: marker)
        return changed
    }

    /// True mean organ doses (Gy) per child, summed over its courses, from `rt_organ_doses.csv`.
    static func trueDoses(_ url: URL) throws -> [String: [String: Double]] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw InputError(.file(url.path), expected: "the true RT organ doses (harmonic synth writes them before the outcome effects)")
        }
        var lines = text.split(separator: "\n").map { CSVLine.fields($0) }
        guard !lines.isEmpty, let pid = lines[0].firstIndex(of: "patient_id") else {
            throw InputError(.file(url.path), field: "patient_id", expected: "a header with patient_id and <organ>_mgy columns")
        }
        let header = lines.removeFirst()
        let organs = header.enumerated().compactMap { i, name in name.hasSuffix("_mgy") ? (i, String(name.dropLast(4))) : nil }
        var out: [String: [String: Double]] = [:]
        for f in lines where f.count == header.count {
            for (i, organ) in organs { if let mGy = Double(f[i]) { out[f[pid], default: [:]][organ, default: 0] += mGy / 1000 } }
        }
        return out
    }

    /// Reads a synthetic CSV (header row, no quoted commas) and calls `body` with each row's fields and
    /// the indices of `columns`; rewrites the file if any call returned true.
    static func rewrite(_ url: URL, columns: [String], _ body: (inout [String], [Int]) throws -> Bool) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let header = lines.first.map({ CSVLine.fields($0) }) else { return }
        let idx = try columns.map { name in
            guard let i = header.firstIndex(of: name) else { throw InputError(.file(url.path), field: name, expected: "a column \(name)") }
            return i
        }
        var dirty = false
        for k in 1..<lines.count where !lines[k].isEmpty {
            var f = CSVLine.fields(lines[k])
            guard f.count == header.count else { continue }
            if try body(&f, idx) {
                lines[k] = f.map(CSVLine.quoted).joined(separator: ",")
                dirty = true
            }
        }
        if dirty { try lines.joined(separator: "\n").write(to: url, atomically: true, encoding: .utf8) }
    }
}
