/// Physical quantities as distinct types, so a kerma-area product can never be passed
/// where an absorbed dose is expected. Each wraps a `Double` in the unit named by the type;
/// conversions are explicit initialisers.

/// A quantity stored as a `Double` in one fixed unit.
public protocol PhysicalQuantity: Comparable, Hashable, Codable, Sendable, CustomStringConvertible {
    var value: Double { get }
    init(_ value: Double)
    static var symbol: String { get }
}

extension PhysicalQuantity {
    public static func < (a: Self, b: Self) -> Bool { a.value < b.value }
    public static func + (a: Self, b: Self) -> Self { Self(a.value + b.value) }
    public static func - (a: Self, b: Self) -> Self { Self(a.value - b.value) }
    public static func * (a: Self, k: Double) -> Self { Self(a.value * k) }
    public static func * (k: Double, a: Self) -> Self { Self(a.value * k) }
    public static func / (a: Self, k: Double) -> Self { Self(a.value / k) }
    public static func / (a: Self, b: Self) -> Double { a.value / b.value }
    public static func += (a: inout Self, b: Self) { a = a + b }
    public static var zero: Self { Self(0) }
    public var description: String { "\(value) \(Self.symbol)" }
    public init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(Double.self)) }
    public func encode(to encoder: Encoder) throws { var c = encoder.singleValueContainer(); try c.encode(value) }
}

/// Absorbed dose or air kerma in gray (J/kg).
public struct Gray: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public init(milligray: Double) { self.value = milligray / 1000 }
    public var milligray: Double { value * 1000 }
    public static let symbol = "Gy"
}

/// Kerma-area product (KAP, also DAP) in Gy·cm², the unit most registries record.
/// DICOM dose reports use Gy·m² (1 Gy·m² = 10⁴ Gy·cm²).
public struct GrayCm2: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public init(grayM2: Double) { self.value = grayM2 * 10_000 }
    public init(microGrayM2: Double) { self.value = microGrayM2 * 1e-2 }
    public init(decigrayCm2: Double) { self.value = decigrayCm2 / 10 }
    public var grayM2: Double { value / 10_000 }
    public static let symbol = "Gy·cm²"
}

/// Effective or equivalent dose in sievert.
public struct Sievert: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public var millisievert: Double { value * 1000 }
    public static let symbol = "Sv"
}

/// Photon energy in keV.
public struct KiloElectronVolt: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public init(megaElectronVolt: Double) { self.value = megaElectronVolt * 1000 }
    public static let symbol = "keV"
}

/// X-ray tube peak voltage in kV.
public struct KiloVolt: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "kV"
}

/// Length in centimetres (phantom geometry and distances).
public struct Centimetre: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public init(millimetre: Double) { self.value = millimetre / 10 }
    public init(metre: Double) { self.value = metre * 100 }
    public var millimetre: Double { value * 10 }
    public static let symbol = "cm"
}

/// Mass in kilograms (body weight, organ masses).
public struct Kilogram: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public init(gram: Double) { self.value = gram / 1000 }
    public var gram: Double { value * 1000 }
    public static let symbol = "kg"
}

/// Duration in seconds (fluoroscopy time, exposure time).
public struct Seconds: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "s"
}

/// Years (ages, lags, follow-up).
public struct Years: PhysicalQuantity {
    public var value: Double
    public init(_ value: Double) { self.value = value }
    public static let symbol = "y"
}
