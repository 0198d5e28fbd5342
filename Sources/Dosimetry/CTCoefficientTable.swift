import Foundation
import HarmonicCore
import Phantoms
import Transport

/// Harmonic's CT organ-dose coefficients (organ dose per CTDIvol, from its own Monte Carlo:
/// `CTSimulation`), precomputed by `harmonic library ct` into the committed table
/// `Resources/ct-organ-dose-coefficients.csv` (one row per region, reference age, sex, kVp and
/// organ), looked up with linear interpolation in age and kVp.
public struct CTCoefficientTable: Sendable {
    public struct Key: Hashable, Sendable { public let region: CTRegion; public let age: Int; public let sex: Sex; public let kVp: Double }
    public struct Entry: Sendable {
        public var scanLength: Double
        public var referencePhantom: Double
        public var otherPhantomRatio: Double
        /// Organ → (mGy per mGy CTDIvol, relative 1σ MC uncertainty).
        public var organs: [Organ: (value: Double, sigma: Double)]
        /// ICRP 103 effective dose, mSv per mGy CTDIvol (phantom sex).
        public var effective103: Double
    }
    public let entries: [Key: Entry]
    public let header: [String]
    public var ages: [Int] { Array(Set(entries.keys.map(\.age))).sorted() }
    public var kVps: [Double] { Array(Set(entries.keys.map(\.kVp))).sorted() }

    public static let columns = ["region", "age_years", "sex", "kvp", "scan_length_cm", "reference_phantom_cm",
                                 "other_phantom_ctdi_ratio", "quantity", "per_ctdivol", "relative_uncertainty"]
    public static let effectiveDoseQuantity = "effective_dose_icrp103"

    /// Parses the table; `file` names it in errors.
    public init(csv: String, file: String) throws {
        var entries: [Key: Entry] = [:]
        header = try CoefficientTableCSV.read(csv, file: file, columns: Self.columns) { f in
            guard let region = CTRegion(rawValue: f[0]) else { throw f.invalid(0, expected: "a CT region") }
            guard let age = Int(f[1]), ReferenceAge(rawValue: age) != nil else { throw f.invalid(1, expected: "a reference age 0, 1, 5, 10, 15 or 30") }
            guard let sex = Sex(rawValue: f[2]) else { throw f.invalid(2, expected: "M or F") }
            guard let kvp = Double(f[3]), kvp > 0 else { throw f.invalid(3, expected: "a positive tube voltage") }
            guard let length = Double(f[4]), length > 0 else { throw f.invalid(4, expected: "a positive length") }
            guard let ref = Double(f[5]), ref == 16 || ref == 32 else { throw f.invalid(5, expected: "16 or 32") }
            guard let other = Double(f[6]), other > 0 else { throw f.invalid(6, expected: "a positive ratio") }
            guard let value = Double(f[8]), value >= 0, value.isFinite else { throw f.invalid(8, expected: "a non-negative number") }
            guard let sigma = Double(f[9]), sigma >= 0 else { throw f.invalid(9, expected: "a non-negative number") }
            let key = Key(region: region, age: age, sex: sex, kVp: kvp)
            var e = entries[key] ?? Entry(scanLength: length, referencePhantom: ref, otherPhantomRatio: other, organs: [:], effective103: .nan)
            switch try f.quantity(7) {
            case .effectiveDose103: e.effective103 = value
            case .organ(let organ): e.organs[organ] = (value, sigma)
            }
            entries[key] = e
        }
        self.entries = entries
    }

    public static let fileName = "ct-organ-dose-coefficients.csv"

    /// The committed table of this module.
    public static func loadDefault() throws -> CTCoefficientTable {
        try CTCoefficientTable(csv: CoefficientTableCSV.bundled(fileName, what: "CT coefficient table"), file: fileName)
    }

    /// Writes simulation results in the table's format (`harmonic library ct`).
    public static func render(_ scans: [CTScanDoses], header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        lines.append(columns.joined(separator: ","))
        for s in scans.sorted(by: { ($0.region.rawValue, $0.age, $0.sex.rawValue, $0.kVp) < ($1.region.rawValue, $1.age, $1.sex.rawValue, $1.kVp) }) {
            let prefix = [s.region.rawValue, String(s.age), s.sex.rawValue, String(format: "%g", s.kVp),
                          String(format: "%.2f", s.scanLength), String(format: "%g", s.referencePhantomDiameter),
                          String(format: "%.4f", s.otherPhantomCTDIRatio)].joined(separator: ",")
            for o in s.organs {
                lines.append(prefix + "," + o.organ.rawValue + "," + String(format: "%.5g", o.perCTDIvol) + "," + String(format: "%.3g", o.relativeUncertainty))
            }
            lines.append(prefix + "," + effectiveDoseQuantity + "," + String(format: "%.5g", s.effectiveDose103PerCTDIvol) + ",0")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Coefficients interpolated for an age (years, linear between reference ages; the adult
    /// phantom from 30 years on) and a kVp (linear between table kVps, clamped to the table's
    /// range; `kVpClamped` says when).
    public func lookup(region: CTRegion, ageYears: Double, sex: Sex, kVp: Double) throws -> (entry: Entry, kVpClamped: Bool) {
        guard ageYears.isFinite, ageYears >= 0, ageYears <= 120 else {
            throw DoseModelError("age \(ageYears) years: expected 0-120")
        }
        let ages = self.ages, kvps = self.kVps
        guard let kLo = kvps.first, let kHi = kvps.last else { throw DoseModelError("empty CT coefficient table") }
        let k = min(max(kVp, kLo), kHi)
        func bracket(_ xs: [Double], _ x: Double) -> (Int, Int, Double) {
            guard let i = xs.lastIndex(where: { $0 <= x }) else { return (0, 0, 0) }
            guard i + 1 < xs.count else { return (i, i, 0) }
            return (i, i + 1, (x - xs[i]) / (xs[i + 1] - xs[i]))
        }
        let (a0, a1, fa) = bracket(ages.map(Double.init), ageYears)
        let (k0, k1, fk) = bracket(kvps, k)
        var corners: [(Entry, Double)] = []
        for (ai, wa) in [(a0, 1 - fa), (a1, fa)] where wa > 0 || a0 == a1 {
            for (ki, wk) in [(k0, 1 - fk), (k1, fk)] where wk > 0 || k0 == k1 {
                let key = Key(region: region, age: ages[ai], sex: sex, kVp: kvps[ki])
                guard let e = entries[key] else {
                    throw DoseModelError("CT coefficient table has no \(region.rawValue) entry for age \(ages[ai]), sex \(sex), \(kvps[ki]) kV")
                }
                corners.append((e, (a0 == a1 ? 1 : wa) * (k0 == k1 ? 1 : wk)))
            }
        }
        let total = corners.reduce(0) { $0 + $1.1 }
        var out = corners[0].0
        out.scanLength = corners.reduce(0) { $0 + $1.0.scanLength * $1.1 } / total
        out.otherPhantomRatio = corners.reduce(0) { $0 + $1.0.otherPhantomRatio * $1.1 } / total
        out.effective103 = corners.reduce(0) { $0 + $1.0.effective103 * $1.1 } / total
        var organs: [Organ: (value: Double, sigma: Double)] = [:]
        for organ in out.organs.keys {
            var v = 0.0, s = 0.0
            for (e, w) in corners { if let c = e.organs[organ] { v += c.value * w / total; s += c.sigma * w / total } }
            organs[organ] = (v, s)
        }
        out.organs = organs
        return (out, k != kVp)
    }
}
