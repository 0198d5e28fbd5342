import Foundation
import HarmonicCore
import Phantoms
import Transport

/// Harmonic's organ-dose coefficients of projection radiography and fluoroscopy by body region
/// (`RadiographySimulation`), per kerma-area product and per entrance air kerma, precomputed by
/// `harmonic library radiography` into the committed table
/// `Resources/radiography-organ-dose-coefficients.csv` (one row per modality, region, reference
/// age, sex and organ, with the technique simulated), looked up with linear interpolation in age.
public struct RadiographyCoefficientTable: Sendable {
    public struct Key: Hashable, Sendable { public let modality: RadiographyDoses.Modality; public let region: CTRegion; public let age: Int; public let sex: Sex }
    public struct Coefficient: Sendable, Equatable {
        /// mGy per Gy·cm² of KAP, mGy per mGy of entrance air kerma, relative 1σ Monte Carlo uncertainty.
        public var perKAP: Double, perEntranceAirKerma: Double, sigma: Double
    }
    public struct Entry: Sendable {
        /// Tube voltage and view of the reference age's simulated technique (the lower age's when interpolated).
        public var kVp: Double, view: String, fieldSide: Double
        public var organs: [Organ: Coefficient]
        /// ICRP 103 effective dose per KAP (mSv per Gy·cm²) and per entrance air kerma (mSv per mGy).
        public var effective103: Coefficient
    }
    public let entries: [Key: Entry]
    public let header: [String]
    public var ages: [Int] { Array(Set(entries.keys.map(\.age))).sorted() }

    public static let fileName = "radiography-organ-dose-coefficients.csv"
    public static let columns = ["modality", "region", "age_years", "sex", "view", "kvp", "copper_mm", "focus_isocentre_cm", "field_cm",
                                 "quantity", "per_kap", "per_entrance_air_kerma", "relative_uncertainty"]

    /// Parses the table; `file` names it in errors.
    public init(csv: String, file: String) throws {
        var entries: [Key: Entry] = [:]
        header = try CoefficientTableCSV.read(csv, file: file, columns: Self.columns) { f in
            guard let modality = RadiographyDoses.Modality(rawValue: f[0]) else { throw f.invalid(0, expected: "radiography or fluoroscopy") }
            guard let region = CTRegion(rawValue: f[1]), RadiographySimulation.regions.contains(region) else {
                throw f.invalid(1, expected: RadiographySimulation.regions.map(\.rawValue).joined(separator: ", "))
            }
            guard let age = Int(f[2]), ReferenceAge(rawValue: age) != nil else { throw f.invalid(2, expected: "a reference age 0, 1, 5, 10, 15 or 30") }
            guard let sex = Sex(rawValue: f[3]) else { throw f.invalid(3, expected: "M or F") }
            guard f[4] == "ap" || f[4] == "pa" else { throw f.invalid(4, expected: "ap or pa") }
            guard let kvp = Double(f[5]), kvp > 0 else { throw f.invalid(5, expected: "a positive tube voltage") }
            guard let field = Double(f[8]), field > 0 else { throw f.invalid(8, expected: "a positive field side in cm") }
            guard let perKAP = Double(f[10]), perKAP >= 0, perKAP.isFinite else { throw f.invalid(10, expected: "a non-negative number") }
            guard let perESAK = Double(f[11]), perESAK >= 0, perESAK.isFinite else { throw f.invalid(11, expected: "a non-negative number") }
            guard let sigma = Double(f[12]), sigma >= 0 else { throw f.invalid(12, expected: "a non-negative number or inf") }
            let key = Key(modality: modality, region: region, age: age, sex: sex)
            let c = Coefficient(perKAP: perKAP, perEntranceAirKerma: perESAK, sigma: sigma)
            var e = entries[key] ?? Entry(kVp: kvp, view: f[4], fieldSide: field, organs: [:], effective103: Coefficient(perKAP: .nan, perEntranceAirKerma: .nan, sigma: 0))
            switch try f.quantity(9) {
            case .effectiveDose103: e.effective103 = c
            case .organ(let organ): e.organs[organ] = c
            }
            entries[key] = e
        }
        self.entries = entries
    }

    /// The committed table of this module.
    public static func loadDefault() throws -> RadiographyCoefficientTable {
        try RadiographyCoefficientTable(csv: CoefficientTableCSV.bundled(fileName, what: "radiography coefficient table"), file: fileName)
    }

    /// Writes simulation results in the table's format (`harmonic library radiography`).
    public static func render(_ results: [RadiographyDoses], header: [String]) -> String {
        var lines = header.map { "# " + $0 }
        lines.append(columns.joined(separator: ","))
        func number(_ x: Double) -> String { String(format: "%.5g", x) }
        for s in results.sorted(by: { ($0.modality.rawValue, $0.region.rawValue, $0.age, $0.sex.rawValue) < ($1.modality.rawValue, $1.region.rawValue, $1.age, $1.sex.rawValue) }) {
            let t = s.technique
            let prefix = [s.modality.rawValue, s.region.rawValue, String(s.age), s.sex.rawValue, t.view, String(format: "%g", t.kVp),
                          String(format: "%g", t.copperMillimetres), String(format: "%g", t.focusToIsocentre), String(format: "%.1f", t.fieldSide)].joined(separator: ",")
            for o in s.organs {
                lines.append([prefix, o.organ.rawValue, number(o.perKAP), number(o.perEntranceAirKerma),
                              o.relativeUncertainty.isFinite ? String(format: "%.3g", o.relativeUncertainty) : "inf"].joined(separator: ","))
            }
            lines.append([prefix, CTCoefficientTable.effectiveDoseQuantity, number(s.effectiveDose103PerKAP), number(s.effectiveDose103PerEntranceAirKerma), "0"].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Coefficients for an age (years; linear between reference ages, the adult phantom from 30 y).
    public func lookup(_ modality: RadiographyDoses.Modality, region: CTRegion, ageYears: Double, sex: Sex) throws -> Entry {
        let (a, b, f) = try bracketByAge(ages: ages, ageYears: ageYears, table: "radiography coefficient table",
                                         entry: { entries[Key(modality: modality, region: region, age: $0, sex: sex)] },
                                         missing: { "\(modality.rawValue) \(region.rawValue) entry for age \($0), sex \(sex)" })
        func mix(_ c: Coefficient, _ d: Coefficient) -> Coefficient {
            Coefficient(perKAP: c.perKAP * (1 - f) + d.perKAP * f, perEntranceAirKerma: c.perEntranceAirKerma * (1 - f) + d.perEntranceAirKerma * f,
                        sigma: c.sigma * (1 - f) + d.sigma * f)
        }
        var out = a
        out.effective103 = mix(a.effective103, b.effective103)
        for (organ, c) in a.organs { out.organs[organ] = mix(c, b.organs[organ] ?? c) }
        return out
    }
}
