/// The patient groups of paediatric diagnostic reference levels.
///
/// Children differ in size by two orders of magnitude, so a paediatric DRL is set per group of
/// similar children. European Commission Radiation Protection No 185 (2018), "European Guidelines
/// on Diagnostic Reference Levels for Paediatric Imaging", section 3.3, recommends weight bands
/// for body examinations and, where weight is not recorded, age bands; both are used here, with
/// the same limits as RP 185 and as the OPRIPALC paediatric cardiology DRLs (Ubeda et al.,
/// J Radiol Prot 42 (2022) 031511, doi:10.1088/1361-6498/ac87b7).
public enum BandKind: String, Sendable, Codable, CaseIterable {
    case age
    case weight
}

/// One patient group: an age band (years) or a weight band (kg), lower limit inclusive, upper exclusive.
public struct PatientBand: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let kind: BandKind
    public let lower: Double
    public let upper: Double

    public init(kind: BandKind, lower: Double, upper: Double) {
        self.kind = kind; self.lower = lower; self.upper = upper
    }

    /// Age bands of RP 185 for children's examinations: <1, 1-<5, 5-<10, 10-<16 years.
    public static let ageBands: [PatientBand] = [(0, 1), (1, 5), (5, 10), (10, 16)].map { PatientBand(kind: .age, lower: $0.0, upper: $0.1) }
    /// Weight bands of RP 185 for body examinations: <5, 5-<15, 15-<30, 30-<50, 50-<80 kg.
    public static let weightBands: [PatientBand] = [(0, 5), (5, 15), (15, 30), (30, 50), (50, 80)].map { PatientBand(kind: .weight, lower: $0.0, upper: $0.1) }

    public static func bands(_ kind: BandKind) -> [PatientBand] { kind == .age ? ageBands : weightBands }

    /// The band of `kind` that holds `value` (age in years or weight in kg), or nil outside every band.
    public static func band(_ kind: BandKind, containing value: Double) -> PatientBand? {
        guard value.isFinite else { return nil }
        return bands(kind).first { value >= $0.lower && value < $0.upper }
    }

    /// "<1 y", "1-<5 y", "<5 kg", "50-<80 kg".
    public var description: String {
        let unit = kind == .age ? "y" : "kg"
        func n(_ v: Double) -> String { v == v.rounded() ? String(Int(v)) : String(v) }
        return lower == 0 ? "<\(n(upper)) \(unit)" : "\(n(lower))-<\(n(upper)) \(unit)"
    }

    public static func < (a: PatientBand, b: PatientBand) -> Bool {
        a.kind != b.kind ? a.kind == .age : a.lower < b.lower
    }
}
