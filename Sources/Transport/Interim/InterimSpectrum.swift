import Foundation
import HarmonicCore

/// Total filtration such as "3.5mmAl+0.1mmCu" (Al and Cu, thicknesses in mm).
public struct TubeFiltration: Sendable, Equatable, CustomStringConvertible {
    public var aluminiumMM: Double, copperMM: Double
    public init(aluminiumMM: Double, copperMM: Double) { self.aluminiumMM = aluminiumMM; self.copperMM = copperMM }

    public init(parsing text: String) throws {
        var al = 0.0, cu = 0.0
        for part in text.lowercased().replacingOccurrences(of: " ", with: "").split(separator: "+") {
            let s = String(part)
            let metal = s.hasSuffix("mmal") ? "al" : s.hasSuffix("mmcu") ? "cu" : ""
            guard !metal.isEmpty, let v = Double(s.dropLast(4)), v >= 0, v < 100 else {
                throw TransportInputError(field: "filtration", value: text, expected: "terms like 3.5mmAl or 0.1mmCu joined by +")
            }
            if metal == "al" { al += v } else { cu += v }
        }
        self.init(aluminiumMM: al, copperMM: cu)
    }
    public var description: String { String(format: "%gmmAl+%gmmCu", aluminiumMM, copperMM) }
}

extension SourceSpectrum {
    /// Interim tungsten-tube spectrum until XRayPhysics' spectrum model lands: Kramers'
    /// thick-target bremsstrahlung (photon fluence per keV ∝ (kVp − E)/E; Kramers 1923)
    /// on 0.5 keV bins, attenuated by the total filtration with xraylib coefficients
    /// (`InterimPhysicsTables`). No characteristic lines (they matter above ~70 kVp) and no heel effect.
    public static func interimTube(kVp: Double, filtration: TubeFiltration, physics: InterimPhysicsModel = .shared) -> SourceSpectrum {
        var energies: [Double] = [], weights: [Double] = []
        var e = 5.25
        while e < kVp {
            let al = physics.coefficients("aluminium", keV: e), cu = physics.coefficients("copper", keV: e)
            let muAl = (al.photo + al.incoherent + al.coherent) * 2.699 * filtration.aluminiumMM / 10
            let muCu = (cu.photo + cu.incoherent + cu.coherent) * 8.96 * filtration.copperMM / 10
            let w = (kVp - e) / e * exp(-muAl - muCu)
            if w > 1e-12 { energies.append(e); weights.append(w) }
            e += 0.5
        }
        return SourceSpectrum(energies: energies, weights: weights)
    }
}
