import Foundation
import HarmonicCore
import Phantoms
import Transport

/// Harmonic's organ-dose coefficients of radiotherapy kV imaging: a CBCT rotation per its weighted
/// CTDI (`CBCTSimulation`) and a planar kV pair per entrance air kerma of each image
/// (`PlanarKVSimulation`), precomputed by `harmonic library kv-imaging` into the committed table
/// `Resources/kv-imaging-organ-dose-coefficients.csv` (one row per modality, region, reference
/// age, sex and organ, at the default protocol's tube voltage), looked up with linear
/// interpolation in age.
public struct KVImagingCoefficientTable: Sendable {
    public struct Key: Hashable, Sendable { public let modality: KVImagingDoses.Modality; public let region: CTRegion; public let age: Int; public let sex: Sex }
    public struct Entry: Sendable {
        public var kVp: Double
        public var index: KVImagingDoses.Index
        /// The index per mAs (mGy/mAs; CBCT) or NaN.
        public var indexPerMAs: Double
        /// Organ → (mGy per mGy of index, relative 1σ Monte Carlo uncertainty).
        public var organs: [Organ: (value: Double, sigma: Double)]
        public var effective103: Double
    }
    public let entries: [Key: Entry]
    public let header: [String]
    public var ages: [Int] { Array(Set(entries.keys.map(\.age))).sorted() }

    public static let fileName = "kv-imaging-organ-dose-coefficients.csv"
    public static let columns = ["modality", "region", "age_years", "sex", "kvp", "index", "index_per_mas", "quantity", "per_index", "relative_uncertainty"]

    /// Parses the table; `file` names it in errors.
    public init(csv: String, file: String) throws {
        var entries: [Key: Entry] = [:]
        header = try CoefficientTableCSV.read(csv, file: file, columns: Self.columns) { f in
            guard let modality = KVImagingDoses.Modality(rawValue: f[0]) else { throw f.invalid(0, expected: "cbct or planar_kv") }
            guard let region = CTRegion(rawValue: f[1]) else { throw f.invalid(1, expected: "a CT region") }
            guard let age = Int(f[2]), ReferenceAge(rawValue: age) != nil else { throw f.invalid(2, expected: "a reference age 0, 1, 5, 10, 15 or 30") }
            guard let sex = Sex(rawValue: f[3]) else { throw f.invalid(3, expected: "M or F") }
            guard let kvp = Double(f[4]), kvp > 0 else { throw f.invalid(4, expected: "a positive tube voltage") }
            guard let index = KVImagingDoses.Index(rawValue: f[5]) else { throw f.invalid(5, expected: "ctdiw_16, ctdiw_32 or entrance_air_kerma") }
            guard let perMAs = Double(f[6]) else { throw f.invalid(6, expected: "a number or nan") }
            guard let value = Double(f[8]), value >= 0, value.isFinite else { throw f.invalid(8, expected: "a non-negative number") }
            guard let sigma = Double(f[9]), sigma >= 0 else { throw f.invalid(9, expected: "a non-negative number or inf") }
            let key = Key(modality: modality, region: region, age: age, sex: sex)
            var e = entries[key] ?? Entry(kVp: kvp, index: index, indexPerMAs: perMAs, organs: [:], effective103: .nan)
            switch try f.quantity(7) {
            case .effectiveDose103: e.effective103 = value
            case .organ(let organ): e.organs[organ] = (value, sigma)
            }
            entries[key] = e
        }
        self.entries = entries
    }

    /// The committed table of this module.
    public static func loadDefault() throws -> KVImagingCoefficientTable {
        try KVImagingCoefficientTable(csv: CoefficientTableCSV.bundled(fileName, what: "kV imaging coefficient table"), file: fileName)
    }

    /// Writes simulation results in the table's format (`harmonic library kv-imaging`).
    public static func render(_ results: [KVImagingDoses], header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        lines.append(columns.joined(separator: ","))
        for s in results.sorted(by: { ($0.modality.rawValue, $0.region.rawValue, $0.age, $0.sex.rawValue) < ($1.modality.rawValue, $1.region.rawValue, $1.age, $1.sex.rawValue) }) {
            let prefix = [s.modality.rawValue, s.region.rawValue, String(s.age), s.sex.rawValue, String(format: "%g", s.kVp), s.index.rawValue,
                          s.indexPerMAs.isFinite ? String(format: "%.5g", s.indexPerMAs) : "nan"].joined(separator: ",")
            for o in s.organs {
                lines.append(prefix + "," + o.organ.rawValue + "," + String(format: "%.5g", o.perCTDIvol) + ","
                             + (o.relativeUncertainty.isFinite ? String(format: "%.3g", o.relativeUncertainty) : "inf"))
            }
            lines.append(prefix + "," + CTCoefficientTable.effectiveDoseQuantity + "," + String(format: "%.5g", s.effectiveDose103) + ",0")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Coefficients for an age (years; linear between reference ages, the adult phantom from 30 y).
    public func lookup(_ modality: KVImagingDoses.Modality, region: CTRegion, ageYears: Double, sex: Sex) throws -> Entry {
        let (a, b, f) = try bracketByAge(ages: ages, ageYears: ageYears, table: "kV imaging coefficient table",
                                         entry: { entries[Key(modality: modality, region: region, age: $0, sex: sex)] },
                                         missing: { "\(modality.rawValue) \(region.rawValue) entry for age \($0), sex \(sex)" })
        var out = a
        out.indexPerMAs = a.indexPerMAs * (1 - f) + b.indexPerMAs * f
        out.effective103 = a.effective103 * (1 - f) + b.effective103 * f
        for (organ, c) in a.organs {
            let d = b.organs[organ] ?? c
            out.organs[organ] = (c.value * (1 - f) + d.value * f, c.sigma * (1 - f) + d.sigma * f)
        }
        return out
    }
}
