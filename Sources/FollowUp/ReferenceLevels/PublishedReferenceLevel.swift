import Foundation
import HarmonicCore

/// A published paediatric cardiology dose level for one procedure class and patient band, to set
/// beside a registry's own local DRL (`p75`) or achievable dose (`median`). The built-in set is
/// the committed file `Resources/published-paediatric-cardiology-drl.csv`, whose header names each
/// source: the OPRIPALC regional DRLs (Ubeda et al. 2022), the Australian national survey (2017)
/// and the Greek institutional medians (Kottou et al. 2018).
public struct PublishedReferenceLevel: Sendable, Hashable, Codable {
    public enum Quantity: String, Sendable, Codable { case p75, median }

    public var source: String
    public var citation: String
    public var quantity: Quantity
    /// `diagnostic`, `interventional` or `all`.
    public var procedureClass: String
    public var bandKind: BandKind
    public var lower: Double
    public var upper: Double
    public var bandLabel: String
    public var valueGyCm2: Double

    /// True when the published band lies within `band` of the same kind, for the same class.
    public func matches(procedureClass cls: String, band: PatientBand) -> Bool {
        cls == procedureClass && band.kind == bandKind && lower >= band.lower - 1e-9 && upper <= band.upper + 1e-9
    }

    public func sameLimits(as band: PatientBand) -> Bool {
        band.kind == bandKind && abs(band.lower - lower) < 1e-9 && abs(band.upper - upper) < 1e-9
    }

    /// The committed table shipped with Harmonic.
    public static let builtIn: [PublishedReferenceLevel] = {
        guard let url = Bundle.module.url(forResource: "published-paediatric-cardiology-drl", withExtension: "csv"),
              let text = try? String(contentsOf: url, encoding: .utf8),
              let table = try? parse(text, file: url.lastPathComponent) else {
            preconditionFailure("FollowUp resource published-paediatric-cardiology-drl.csv is missing or invalid")
        }
        return table
    }()

    /// Parses the CSV layout of the built-in table (`#` comment lines, then a header); errors name file, line and field.
    public static func parse(_ text: String, file: String) throws -> [PublishedReferenceLevel] {
        var rows: [PublishedReferenceLevel] = []
        var header: [String]?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = CSVLine.fields(line)
            guard let names = header else { header = fields; continue }
            let at = InputLocation.row(file: file, line: i + 1)
            func field(_ name: String) throws -> String {
                guard let k = names.firstIndex(of: name), k < fields.count else {
                    throw InputError(at, field: name, expected: "a value in column \(name)")
                }
                return fields[k]
            }
            func number(_ name: String) throws -> Double {
                let s = try field(name)
                guard let v = Double(s), v.isFinite, v >= 0 else { throw InputError(at, field: name, value: s, expected: "a non-negative number") }
                return v
            }
            let q = try field("quantity"), k = try field("band_kind")
            guard let quantity = Quantity(rawValue: q) else { throw InputError(at, field: "quantity", value: q, expected: "p75 or median") }
            guard let kind = BandKind(rawValue: k) else { throw InputError(at, field: "band_kind", value: k, expected: "age or weight") }
            let cls = try field("procedure_class")
            guard ["diagnostic", "interventional", "all"].contains(cls) else {
                throw InputError(at, field: "procedure_class", value: cls, expected: "diagnostic, interventional or all")
            }
            let lower = try number("lower"), upper = try number("upper")
            guard upper > lower else { throw InputError(at, field: "upper", value: String(upper), expected: "an upper limit above the lower limit \(lower)") }
            rows.append(PublishedReferenceLevel(source: try field("source"), citation: try field("citation"), quantity: quantity,
                                                procedureClass: cls, bandKind: kind, lower: lower, upper: upper,
                                                bandLabel: try field("band_label"), valueGyCm2: try number("value_gycm2")))
        }
        return rows
    }
}
