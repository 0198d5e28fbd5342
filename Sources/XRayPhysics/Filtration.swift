import HarmonicCore

/// Beam filtration: layers of material with thickness, e.g. parsed from "3.5mmAl+0.1mmCu".
public struct Filtration: Sendable, Hashable, CustomStringConvertible {
    public struct Layer: Sendable, Hashable {
        public let material: Material
        public let thicknessMillimetres: Double
        public init(material: Material, thicknessMillimetres: Double) {
            self.material = material; self.thicknessMillimetres = thicknessMillimetres
        }
    }
    public let layers: [Layer]

    public init(_ layers: [Layer]) { self.layers = layers }
    public static let none = Filtration([])

    /// Material symbols accepted by the parser.
    public static let materialsBySymbol: [String: Material] = [
        "Al": .aluminium, "Cu": .copper, "W": .tungsten, "Pb": .lead, "H2O": .water, "Water": .water, "Air": .air,
    ]

    /// Parses "3.5mmAl+0.1mmCu" (layers joined by '+', each `<number>mm<symbol>`; spaces ignored;
    /// symbols: Al, Cu, W, Pb, H2O, Air). "0" or "" mean no filtration.
    public init(parsing text: String) throws {
        let compact = text.filter { !$0.isWhitespace }
        if compact.isEmpty || compact == "0" || compact.lowercased() == "none" { self.init([]); return }
        var layers: [Layer] = []
        for part in compact.split(separator: "+", omittingEmptySubsequences: false) {
            let location = InputLocation.file("filtration '\(text)'")
            guard let mm = part.range(of: "mm") else {
                throw InputError(location, field: "layer", value: String(part),
                                 expected: "a layer written <thickness>mm<material>, e.g. 2.5mmAl or 0.1mmCu")
            }
            let number = part[part.startIndex..<mm.lowerBound], symbol = String(part[mm.upperBound...])
            guard let t = Double(number), t.isFinite, t >= 0 else {
                throw InputError(location, field: "thickness", value: String(number),
                                 expected: "a non-negative thickness in millimetres before 'mm', e.g. 2.5mmAl")
            }
            guard let m = Self.materialsBySymbol[symbol]
                    ?? Self.materialsBySymbol.first(where: { $0.key.lowercased() == symbol.lowercased() })?.value else {
                throw InputError(location, field: "material", value: symbol,
                                 expected: "one of \(Self.materialsBySymbol.keys.sorted().joined(separator: ", ")) after the thickness")
            }
            layers.append(Layer(material: m, thicknessMillimetres: t))
        }
        self.init(layers)
    }

    public var description: String {
        layers.isEmpty ? "none" : layers.map { layer in
            let symbol = Self.materialsBySymbol.first { $0.value == layer.material }?.key ?? layer.material.name
            return "\(layer.thicknessMillimetres)mm\(symbol)"
        }.joined(separator: "+")
    }

    /// Fraction of photons of `energyKeV` transmitted (narrow beam).
    public func transmission(_ energyKeV: Double, crossSections: [PhotonCrossSections]) -> Double {
        var exponent = 0.0
        for (layer, xs) in zip(layers, crossSections) { exponent += xs.muTotal(energyKeV) * layer.thicknessMillimetres / 10 }
        return exp(-exponent)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif
