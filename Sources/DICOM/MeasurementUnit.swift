/// Converts UCUM unit codes found in dose SR measurements to SI-based factors
/// (UCUM specification, https://ucum.org; DICOM PS3.16 CID 7181 ff.). Vendors use different
/// units for the same concept: Siemens "Gym2", Canon "dGy.cm2" and "mGy", others "Gy.m2".
enum MeasurementUnit {
    private static let prefixes: [(String, Double)] = [("u", 1e-6), ("µ", 1e-6), ("m", 1e-3), ("c", 1e-2), ("d", 1e-1), ("", 1)]

    /// Factor to gray (absorbed dose / air kerma).
    static func toGray(_ code: String) -> Double? {
        let c = code.replacingOccurrences(of: ".", with: "")
        for (p, f) in prefixes where c == p + "Gy" { return f }
        return nil
    }

    /// Factor to Gy·cm² (dose area product): "[prefix]Gy" followed by "[prefix]m2".
    static func toGrayCm2(_ code: String) -> Double? {
        let c = code.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: "^", with: "")
        guard let r = c.range(of: "Gy") else { return nil }
        let dosePrefix = String(c[..<r.lowerBound]), area = String(c[r.upperBound...])
        guard let df = prefixes.first(where: { $0.0 == dosePrefix })?.1 else { return nil }
        let areaFactors: [String: Double] = ["m2": 1e4, "dm2": 1e2, "cm2": 1, "mm2": 1e-2]
        guard let af = areaFactors[area] else { return nil }
        return df * af
    }

    static func toSeconds(_ code: String) -> Double? {
        ["s": 1, "ms": 1e-3, "us": 1e-6, "min": 60, "h": 3600][code]
    }
    static func toCentimetres(_ code: String) -> Double? {
        ["mm": 0.1, "cm": 1, "m": 100, "um": 1e-4][code]
    }
    static func toSquareCentimetres(_ code: String) -> Double? {
        ["mm2": 0.01, "cm2": 1, "m2": 1e4].first { $0.key == code.replacingOccurrences(of: ".", with: "") }?.value
    }
    static func toMilliampere(_ code: String) -> Double? { ["mA": 1, "A": 1000, "uA": 1e-3][code] }
    static func toDegrees(_ code: String) -> Double? { ["deg": 1, "rad": 180 / Double.pi][code] }
    static func toKilovolt(_ code: String) -> Double? { ["kV": 1, "V": 1e-3][code] }
}
