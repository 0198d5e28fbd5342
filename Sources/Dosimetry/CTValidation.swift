import Foundation
import HarmonicCore
import Transport

/// Harmonic's CT coefficients against published paediatric CT coefficients the model was not
/// fitted to, from Lee et al. 2012, Med Phys 39:2129: effective dose per DLP (Table XII "NCI
/// ED103"; `Resources/lee2012-ct-effective-dose-per-dlp.csv`) and chest-scan organ dose per
/// CTDIvol (Table IV; `Resources/lee2012-ct-chest-organ-dose-per-ctdivol.csv`); and against
/// measured paediatric chest CT organ doses (Fujii et al. 2009, Br J Radiol 82:1010, Table 2;
/// `Resources/fujii2009-paediatric-chest-ct-organ-dose.csv`).
public enum CTValidation {
    public struct Row: Sendable, Codable, Equatable {
        public let region: CTRegion
        public let ageYears: Int
        public let kVp: Double
        /// Published E/DLP (mSv per mGy·cm).
        public let published: Double
        /// Harmonic's sex-averaged ICRP 103 E/DLP, CTDIvol in the region's reference phantom
        /// (16 cm head, 32 cm body) and in the 16 cm phantom for every region.
        public let harmonicReference: Double, harmonic16: Double
        public var ratioReference: Double { harmonicReference / published }
        public var ratio16: Double { harmonic16 / published }
    }

    /// The data lines of a committed reference file (comments and the header left out), each with
    /// its 1-based line number and its comma-separated fields, for the parsers below.
    static func referenceRows(_ file: String, header: String) throws -> [(line: Int, text: Substring, fields: [String])] {
        try CoefficientTableCSV.bundled(file, what: "reference table").split(separator: "\n").enumerated()
            .filter { !$0.element.hasPrefix("#") && !$0.element.hasPrefix(header) }
            .map { (line: $0.offset + 1, text: $0.element, fields: $0.element.split(separator: ",").map(String.init)) }
    }

    public static func lee2012() throws -> [(region: CTRegion, age: Int, kVp: Double, value: Double)] {
        let file = "lee2012-ct-effective-dose-per-dlp.csv"
        return try referenceRows(file, header: "region,").map { row in
            let f = row.fields
            guard f.count == 4, let r = CTRegion(rawValue: f[0]), let k = Double(f[1]), let a = Int(f[2]), let v = Double(f[3]) else {
                throw DoseModelError("\(file) line \(row.line): '\(row.text)', expected region,kvp,age_years,value")
            }
            return (r, a, k, v)
        }
    }

    /// One row per published value that the table covers.
    public static func compare(_ table: CTCoefficientTable) throws -> [Row] {
        try lee2012().compactMap { p in
            var ref = 0.0, p16 = 0.0, n = 0.0
            for sex in Sex.allCases {
                guard let e = table.entries[.init(region: p.region, age: p.age, sex: sex, kVp: p.kVp)] else { return nil }
                let perDLP = e.effective103 / e.scanLength
                ref += perDLP
                p16 += e.referencePhantom == 16 ? perDLP : perDLP / e.otherPhantomRatio
                n += 1
            }
            return Row(region: p.region, ageYears: p.age, kVp: p.kVp, published: p.value, harmonicReference: ref / n, harmonic16: p16 / n)
        }
    }

    /// One organ of a chest scan: Lee's dose per CTDIvol against Harmonic's (sex-averaged where
    /// Lee's phantom is one for both sexes), per 32 cm and per 16 cm CTDIvol.
    public struct ChestOrganRow: Sendable, Codable, Equatable {
        public let organ: Organ
        public let ageYears: Int
        /// "M", "F", or nil where Lee's column is one phantom for both sexes.
        public let sex: String?
        public let kVp: Double
        public let published: Double
        public let harmonicReference: Double, harmonic16: Double
        public var ratioReference: Double { harmonicReference / published }
        public var ratio16: Double { harmonic16 / published }
    }

    public static func lee2012ChestOrgans() throws -> [(organ: Organ, age: Int, sex: Sex?, kVp: Double, value: Double)] {
        let file = "lee2012-ct-chest-organ-dose-per-ctdivol.csv"
        return try referenceRows(file, header: "organ,").map { row in
            let f = row.fields
            guard f.count == 5, let o = Organ(rawValue: f[0]), let k = Double(f[1]), let a = Int(f[2]),
                  f[3] == "both" || Sex(rawValue: f[3]) != nil, let v = Double(f[4]), v > 0 else {
                throw DoseModelError("\(file) line \(row.line): '\(row.text)', expected organ,kvp,age_years,sex (M, F or both),dose_per_ctdivol")
            }
            return (o, a, Sex(rawValue: f[3]), k, v)
        }
    }

    /// One row per published chest-scan organ value that the table covers.
    public static func compareChestOrgans(_ table: CTCoefficientTable) throws -> [ChestOrganRow] {
        try lee2012ChestOrgans().compactMap { p in
            var ref = 0.0, p16 = 0.0, n = 0.0
            for sex in p.sex.map({ [$0] }) ?? Sex.allCases {
                guard let e = table.entries[.init(region: .chest, age: p.age, sex: sex, kVp: p.kVp)],
                      let c = e.organs[p.organ] else { return nil }
                ref += c.value
                p16 += c.value / e.otherPhantomRatio
                n += 1
            }
            return ChestOrganRow(organ: p.organ, ageYears: p.age, sex: p.sex?.rawValue, kVp: p.kVp, published: p.value,
                                 harmonicReference: ref / n, harmonic16: p16 / n)
        }
    }

    /// One quantity of Fujii et al.'s measured paediatric chest CT: dose per displayed CTDIvol on
    /// each of their four scanners, against Harmonic's chest scan of a 6-year-old (interpolated
    /// between the 5 and 10 y phantoms, sex mean, 120 kV) per 32 cm CTDIvol.
    public struct MeasuredChestRow: Sendable, Codable, Equatable {
        /// An organ's raw value, or "effective_dose_icrp103".
        public let quantity: String
        /// Measured dose per CTDIvol on each scanner (mGy or mSv per mGy).
        public let measured: [Double]
        public let harmonic: Double
        /// Geometric mean of the scanners' values.
        public var measuredGeometricMean: Double { exp(measured.map(log).reduce(0, +) / Double(measured.count)) }
        public var ratio: Double { harmonic / measuredGeometricMean }
    }

    /// The age of Fujii et al.'s paediatric phantom (a 6-year-old) and their tube voltage.
    public static let fujii2009Age = 6.0, fujii2009KVp = 120.0

    public static func compareFujii2009(_ table: CTCoefficientTable) throws -> [MeasuredChestRow] {
        let file = "fujii2009-paediatric-chest-ct-organ-dose.csv"
        let values: [(String, [Double])] = try referenceRows(file, header: "quantity,").map { row in
            let f = row.fields
            let v = f.dropFirst().compactMap(Double.init)
            guard f.count == 5, v.count == 4, v.allSatisfy({ $0 > 0 }),
                  f[0] == "ctdivol" || f[0] == effectiveDoseQuantity || Organ(rawValue: f[0]) != nil else {
                throw DoseModelError("\(file) line \(row.line): '\(row.text)', expected an organ, effective_dose_icrp103 or ctdivol, then 4 positive values")
            }
            return (f[0], v)
        }
        guard let ctdi = values.first(where: { $0.0 == "ctdivol" })?.1 else { throw DoseModelError("\(file) has no ctdivol row") }
        let entries = try Sex.allCases.map { try table.lookup(region: .chest, ageYears: fujii2009Age, sex: $0, kVp: fujii2009KVp).entry }
        return try values.filter { $0.0 != "ctdivol" }.map { q, v in
            let h = try entries.map { e -> Double in
                if q == effectiveDoseQuantity { return e.effective103 }
                guard let o = Organ(rawValue: q), let c = e.organs[o] else {
                    throw DoseModelError("\(file): the CT table has no chest \(q)")
                }
                return c.value
            }
            return MeasuredChestRow(quantity: q, measured: zip(v, ctdi).map { $0 / $1 }, harmonic: h.reduce(0, +) / Double(h.count))
        }
    }

    static let effectiveDoseQuantity = CTCoefficientTable.effectiveDoseQuantity
}
