import Foundation
import HarmonicCore

/// A tungsten-anode X-ray tube spectrum at 1 m from the focus.
///
/// Model (semi-empirical, after Birch & Marshall, Phys. Med. Biol. 24 (1979) 505):
/// - Bremsstrahlung: Kramers' thick-target law split over electron depth: an electron slowing from
///   T to T − dT emits kZ·dT/E photons per keV at photon energy E < T (k from the Kramers efficiency
///   η = 1.1×10⁻⁹ Z V, i.e. k = 2.2×10⁻⁶ /keV, emitted isotropically). Its depth follows the
///   Thomson–Whiddington law ρx(T) = R(T₀)(1 − T²/T₀²), with R(T₀) the tungsten CSDA range
///   (power-law fit to NIST ESTAR, 0.031 g/cm² at 100 keV), capped at the Kanaya–Okayama depth of
///   complete diffusion R·40/(7Z) beyond which electrons diffuse instead of penetrating. Photons leave the anode towards the
///   central ray along ρx/sin(anode angle) of tungsten (self-filtration).
/// - Characteristic K lines (Kα₁, Kα₂, Kβ₁, Kβ₃, Kβ₂; energies and radiative rates from xraylib 4.3):
///   fluorescence of bremsstrahlung photons above the K edge absorbed in the anode (half the
///   bremsstrahlung goes into the target; K-shell share of photoabsorption 1 − 1/J_K, ω_K = 0.954),
///   doubled for direct electron-impact ionisation (indirect ≈ direct, an approximation).
/// - Then the total filtration `filtration` (inherent + added: give the tube's inherent filtration as
///   a layer, e.g. "2.5mmAl+0.1mmCu"). No air attenuation.
///
/// Accuracy against SpekPy 2 (Tests/XRayPhysicsTests/SpectrumVersusSpekPyTests, BENCHMARKS.md):
/// first HVL 0.93-0.99×, mean energy 0.975-0.99× over 50-120 kVp with 2.5 mm Al to 3 mm Al + 0.3 mm Cu
/// (slightly too soft at low kVp and light filtration); air kerma per mAs 1.0-1.4×.
public struct XRaySpectrum: Sendable {
    public let kVp: Double
    public let anodeAngleDegrees: Double
    public let filtration: Filtration
    /// Bin width, keV.
    public static let binWidth = 0.5
    /// Bin centres, keV.
    public let energies: [Double]
    /// Photons per mm² per mAs at 1 m, per bin.
    public let fluence: [Double]

    public init(kVp: Double, anodeAngleDegrees: Double = 12, filtration: Filtration) {
        self.kVp = kVp; self.anodeAngleDegrees = anodeAngleDegrees; self.filtration = filtration
        let w = PhotonCrossSections.tungsten
        let t0 = kVp
        let binCount = max(Int((kVp / Self.binWidth).rounded(.down)), 1)
        let energies = (0..<binCount).map { (Double($0) + 0.5) * Self.binWidth }
        let sinAngle = sin(anodeAngleDegrees * .pi / 180)
        let range = Self.tungstenCSDARange(t0)                          // g/cm²
        let wDensity = Material.tungsten.density
        // Kanaya & Okayama, J. Phys. D 5 (1972) 43: electrons run straight to the depth of complete
        // diffusion x_D = R·40/(7Z) and then diffuse about it without going deeper on average.
        let diffusionDepth = range * 40 / (7 * 74)
        // photons per keV per sr per electron -> per mm² per mAs at 1 m
        let electronsPerMAs = 1e-3 / 1.602176634e-19
        let srPerMm2At1m = 1e-6
        let kramersK = 2.2e-6, z = 74.0
        let scale = electronsPerMAs * srPerMm2At1m * kramersK * z / (4 * .pi)
        let filterXS = filtration.layers.map { PhotonCrossSections.cached($0.material) }

        func selfAttenuation(_ e: Double, from lower: Double) -> Double {
            // mean over electron energy T in [lower, T0] of exp(−μ/ρ · ρx(T) / sin α)
            let muRho = w.muTotal(e) / wDensity
            let steps = 48
            var sum = 0.0
            let dT = (t0 - lower) / Double(steps)
            for s in 0..<steps {
                let t = lower + (Double(s) + 0.5) * dT
                let depth = min(range * (1 - t * t / (t0 * t0)), diffusionDepth)
                sum += exp(-muRho * depth / sinAngle)
            }
            return sum / Double(steps)   // average, multiply by (T0 − lower) for the integral
        }

        var fluence = [Double](repeating: 0, count: binCount)
        var kShellAbsorbed = 0.0   // photons per electron absorbed by the K shell in the anode
        let kEdge = 69.525, jumpK = Self.tungstenKJumpRatio
        for (b, e) in energies.enumerated() where e < t0 {
            let perKeV = (t0 - e) * selfAttenuation(e, from: e) / e      // ∫ dT/E · attenuation
            fluence[b] = scale * perKeV * Self.binWidth * filtration.transmission(e, crossSections: filterXS)
            if e > kEdge {
                let mu = w.mu(e)
                // half of all photons (2π) go into the thick target and are absorbed there
                kShellAbsorbed += 0.5 * kramersK * z * (t0 - e) / e * Self.binWidth * (1 - 1 / jumpK) * mu.photoelectric / mu.total
            }
        }
        if kShellAbsorbed > 0 {
            let omegaK = 0.9538   // xraylib FluorYield(74, K)
            let produced = 2 * kShellAbsorbed * omegaK / (4 * .pi) * electronsPerMAs * srPerMm2At1m
            for line in Self.tungstenKLines {
                let b = Int(line.energy / Self.binWidth)
                guard b < binCount else { continue }
                fluence[b] += produced * line.share * selfAttenuation(line.energy, from: kEdge)
                    * filtration.transmission(line.energy, crossSections: filterXS)
            }
        }
        self.energies = energies
        self.fluence = fluence
    }

    /// W K lines: energy (keV) and share of K radiative transitions (xraylib 4.3 LineEnergy, RadRate).
    static let tungstenKLines: [(energy: Double, share: Double)] = {
        let raw: [(Double, Double)] = [(57.981, 0.28917), (59.3182, 0.50243), (66.9501, 0.05588),
                                       (67.244, 0.10808), (69.0334, 0.01305), (69.0997, 0.02554)]
        let total = raw.reduce(0) { $0 + $1.1 }
        return raw.map { ($0.0, $0.1 / total) }
    }()
    /// K-edge jump ratio of tungsten from the tabulated photoelectric cross section just above / below the edge.
    static let tungstenKJumpRatio: Double = {
        let w = ElementTables.shared.element(74)
        return ElementTables.interpolate(w.photoelectric, at: 69.6) / ElementTables.interpolate(w.photoelectric, at: 69.4)
            * pow(69.6 / 69.4, 2.7)
    }()

    /// CSDA range of electrons in tungsten, g/cm²: power law through NIST ESTAR values
    /// (≈0.0313 g/cm² at 100 keV, exponent 1.65 over 40-150 keV).
    static func tungstenCSDARange(_ kineticEnergyKeV: Double) -> Double {
        0.0313 * pow(kineticEnergyKeV / 100, 1.65)
    }

    /// Total photons per mm² per mAs at 1 m.
    public var totalFluence: Double { fluence.reduce(0, +) }

    /// Fluence-weighted mean photon energy, keV.
    public var meanEnergy: Double {
        zip(energies, fluence).reduce(0) { $0 + $1.0 * $1.1 } / totalFluence
    }

    /// Air kerma per mAs at 1 m, µGy/mAs: Σ Φ(E) E (μen/ρ)_air(E).
    public var airKermaPerMAs: Double { Self.airKerma(energies: energies, fluence: fluence) }

    static func airKerma(energies: [Double], fluence: [Double]) -> Double {
        let air = PhotonCrossSections.cached(.air)
        var k = 0.0
        for (e, phi) in zip(energies, fluence) {
            // phi per mm² -> per cm² (×100); keV -> J; cm²/g -> per kg (×1000); Gy -> µGy (×1e6)
            k += phi * 100 * e * 1.602176634e-16 * air.muEnOverRho(e) * 1000 * 1e6
        }
        return k
    }

    /// First half-value layer in `material`, mm: the thickness that halves the air kerma (narrow beam).
    public func halfValueLayer(_ material: Material = .aluminium) -> Double {
        let xs = PhotonCrossSections.cached(material)
        let k0 = airKermaPerMAs
        func kerma(_ mm: Double) -> Double {
            let filtered = zip(energies, fluence).map { $1 * exp(-xs.muTotal($0) * mm / 10) }
            return Self.airKerma(energies: energies, fluence: filtered)
        }
        var lo = 0.0, hi = 1.0
        while kerma(hi) > 0.5 * k0 { hi *= 2; if hi > 1e4 { return .infinity } }
        for _ in 0..<60 {
            let mid = 0.5 * (lo + hi)
            if kerma(mid) > 0.5 * k0 { lo = mid } else { hi = mid }
        }
        return 0.5 * (lo + hi)
    }

    /// An O(1) sampler of photon energies from this spectrum (alias method).
    public func sampler() -> SpectrumSampler { SpectrumSampler(energies: energies, weights: fluence, binWidth: Self.binWidth) }
}

extension PhotonCrossSections {
    private static let cache: [Material: PhotonCrossSections] = {
        var c: [Material: PhotonCrossSections] = [:]
        for m in [Material.aluminium, .copper, .tungsten, .lead, .air, .water] { c[m] = PhotonCrossSections(material: m) }
        return c
    }()
    /// Shared tables for the filter, anode and air materials (built once); others are built on demand.
    public static func cached(_ material: Material) -> PhotonCrossSections {
        cache[material] ?? PhotonCrossSections(material: material)
    }
    static var tungsten: PhotonCrossSections { cached(.tungsten) }
}
