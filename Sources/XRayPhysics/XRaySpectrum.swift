import Foundation
import HarmonicCore

/// A tungsten-anode X-ray tube spectrum at 1 m from the focus.
///
/// Model: the semi-empirical thick-target model of Tucker, Barnes & Chakraborty, Med. Phys. 18
/// (1991) 211 ("TBC"), whose parameters were fitted by its authors to measured tube spectra
/// (Fewell et al.), not to SpekPy:
/// - Bremsstrahlung: an electron slowing from T to T − dT emits
///   N(E, T) dT = (1/E) B(E/T) (T + mc²)/T dT / S(T) photons per keV at E < T, with the shape
///   B(x) = 1 + B₁x + B₂x² + B₃x³ + B₄x⁴ (B₁…B₄ = −5.049, 10.847, −10.516, 3.842), the relativistic
///   factor (T + mc²)/T and the mass stopping power of tungsten S(T) = 2024.1 + 10361 e^(−0.04695 T)
///   keV cm²/g (TBC's fit to ICRU 37). Its depth follows the Thomson–Whiddington law
///   ρx(T) = (T₀² − T²)/C with C(T₀) = 5.4, 6.25, 7.0, 8.4 ×10⁵ keV² cm²/g at 50, 75, 100, 150 kV
///   (TBC), and photons leave along ρx/sin(anode angle) of tungsten (self-filtration).
///   TBC's parameter values as transcribed in an open-source implementation of the model (the
///   paper itself could not be consulted here).
/// - Absolute scale: fixed at the spectrum's tip (E → T₀), where only electrons still at full energy,
///   at the anode surface, contribute, by the Seltzer–Berger cross section of tungsten
///   (`absoluteScale`, `SeltzerBergerTungsten`); emitted isotropically. (Until 2026-11-23 the scale was
///   Kramers' total efficiency η = 1.1×10⁻⁹ Z V applied to TBC's unattenuated spectrum: wrong by
///   ×0.33-0.54, because TBC's B(E/T) is an effective shape fitted to spectra leaving the anode, whose
///   unattenuated integral puts ~¾ of its energy into soft photons the anode absorbs, and η itself is
///   20-27% below the CSDA Seltzer–Berger yield at 40-125 kV.)
/// - Characteristic K lines (Kα₁, Kα₂, Kβ₁, Kβ₃, Kβ₂; energies and radiative rates from xraylib 4.3):
///   fluorescence of bremsstrahlung photons above the K edge absorbed in the anode (half the
///   bremsstrahlung goes into the target; K-shell share of photoabsorption 1 − 1/J_K, ω_K = 0.954),
///   doubled for direct electron-impact ionisation (indirect ≈ direct, an approximation), emitted
///   at depths with TBC's distribution P(ρx) ∝ 1 − (ρx/R)², R = (T₀² − E_K²)/C. Tungsten L lines
///   (8-12 keV) are left out: any clinical filtration (≥ 2.5 mm Al transmits e⁻¹⁷ at 10 keV) removes them.
/// - Then the total filtration `filtration` (inherent + added: give the tube's inherent filtration as
///   a layer, e.g. "2.5mmAl+0.1mmCu"). No air attenuation.
///
/// Accuracy against SpekPy 2 over 40-125 kVp: first HVL 0.971-0.992×, mean energy 0.976-0.995×, air kerma
/// per mAs 0.86-1.05× (Tests/XRayPhysicsTests/SpectrumVersusSpekPyTests, BENCHMARKS.md).
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
        let wDensity = Material.tungsten.density
        let c = Self.thomsonWhiddingtonConstant(t0)
        // photons per keV per sr per electron -> per mm² per mAs at 1 m
        let electronsPerMAs = 1e-3 / 1.602176634e-19
        let srPerMm2At1m = 1e-6
        let filterXS = filtration.layers.map { PhotonCrossSections.cached($0.material) }

        // Electron energies for the integral over the slowing-down path (midpoint rule).
        let steps = 400
        let dT = t0 / Double(steps)
        let tValues = (0..<steps).map { (Double($0) + 0.5) * dT }
        let weightOfT = tValues.map { t in (t + PhotonCrossSections.electronRestEnergyKeV) / t / Self.tungstenStoppingPower(t) * dT }
        func emitted(_ e: Double, attenuated: Bool) -> Double {
            // per keV per electron, up to the overall scale fixed below
            let muRho = attenuated ? w.muTotal(e) / wDensity : 0
            var sum = 0.0
            for (j, t) in tValues.enumerated() where t > e {
                let x = e / t
                let shape = 1 + x * (-5.049 + x * (10.847 + x * (-10.516 + x * 3.842)))
                sum += shape * weightOfT[j] * exp(-muRho * (t0 * t0 - t * t) / (c * sinAngle))
            }
            return sum / e
        }
        let bare = energies.map { $0 < t0 ? emitted($0, attenuated: false) : 0 }
        // photons per keV per electron (4π) = norm × emitted; the scale is fixed at the spectrum's tip
        let norm = Self.absoluteScale(kVp: t0)
        let scale = electronsPerMAs * srPerMm2At1m / (4 * .pi)

        var fluence = [Double](repeating: 0, count: binCount)
        var kShellAbsorbed = 0.0   // photons per electron absorbed by the K shell in the anode
        let kEdge = 69.525, jumpK = Self.tungstenKJumpRatio
        for (b, e) in energies.enumerated() where e < t0 {
            fluence[b] = scale * norm * emitted(e, attenuated: true) * Self.binWidth
                * filtration.transmission(e, crossSections: filterXS)
            if e > kEdge {
                let mu = w.mu(e)
                // half of all photons (2π) go into the thick target and are absorbed there
                kShellAbsorbed += 0.5 * norm * bare[b] * Self.binWidth * (1 - 1 / jumpK) * mu.photoelectric / mu.total
            }
        }
        if kShellAbsorbed > 0 {
            let omegaK = 0.9538   // xraylib FluorYield(74, K)
            let produced = 2 * kShellAbsorbed * omegaK * scale
            let range = (t0 * t0 - kEdge * kEdge) / c
            for line in Self.tungstenKLines {
                let b = Int(line.energy / Self.binWidth)
                guard b < binCount else { continue }
                // mean of exp(−μ ρx / sin α) over P(ρx) ∝ 1 − (ρx/R)² on [0, R] (TBC)
                let muRho = w.muTotal(line.energy) / wDensity
                var escape = 0.0, weight = 0.0
                for k in 0..<64 {
                    let u = (Double(k) + 0.5) / 64
                    let p = 1 - u * u
                    escape += p * exp(-muRho * u * range / sinAngle); weight += p
                }
                fluence[b] += produced * line.share * escape / weight
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
    /// K-edge jump ratio of tungsten, read from the element table's two rows at the edge (5.100;
    /// xraylib 4.3 JumpFactor(74, K) = 5.099, Elam, Ravel & Sieber, Radiat. Phys. Chem. 63 (2002) 121).
    /// The table now carries every absorption edge exactly (scripts/generate_xray_tables.py); before,
    /// its log grid interpolated across the edge and gave ~2.4, so this was a constant for a while.
    static let tungstenKJumpRatio: Double = {
        guard let ratio = ElementTables.shared.element(74).photoelectricJumpRatio(nearEdge: 69.525) else {
            preconditionFailure("element_mu.csv has no W K edge row pair at 69.525 keV; regenerate it with scripts/generate_xray_tables.py")
        }
        return ratio
    }()

    /// TBC's shape at the tip, B(1) = 1 + B₁ + B₂ + B₃ + B₄.
    static let shapeAtTip = 1 - 5.049 + 10.847 - 10.516 + 3.842

    /// The absolute scale of the TBC spectrum (photons per keV per electron over 4π = scale × the
    /// integral in `emitted`), fixed where the physics is simplest: at the tip, E → T₀, only electrons
    /// still at full energy T₀ contribute, at the anode surface (no self-absorption, no backscatter,
    /// no diffusion yet), so dN/dE there is the atomic cross section over the stopping power:
    /// (N_A/A) dσ/dk(T₀, κ = 1) / S(T₀) with dσ/dk = Z² χ(T₀, 1) / (β₀² k) (Seltzer & Berger 1986).
    /// Equating it with TBC's integrand at T = E = T₀, scale × B(1) (T₀ + mc²)/T₀ / (S E), gives
    /// scale = (N_A/A) Z² χ(T₀, 1) T₀ / (β₀² B(1) (T₀ + mc²)).
    static func absoluteScale(kVp t0: Double) -> Double {
        let mc2 = PhotonCrossSections.electronRestEnergyKeV
        let beta2 = 1 - pow(mc2 / (t0 + mc2), 2)
        let z = 74.0
        let atomsPerGram = 6.02214076e23 / 183.84     // CODATA 2018 N_A; IUPAC standard atomic weight of W
        let crossSection = z * z * SeltzerBergerTungsten.scaledCrossSectionAtTip(t0) * 1e-27   // mb -> cm²
        return atomsPerGram * crossSection * t0 / (beta2 * shapeAtTip * (t0 + mc2))
    }

    /// Thomson–Whiddington constant of tungsten, keV² cm²/g, as a function of tube potential:
    /// TBC's values 5.4, 6.25, 7.0, 8.4, 10 ×10⁵ at 50, 75, 100, 150, 200 kV, linear between
    /// and held constant outside.
    static func thomsonWhiddingtonConstant(_ kV: Double) -> Double {
        let table: [(Double, Double)] = [(50, 5.4e5), (75, 6.25e5), (100, 7.0e5), (150, 8.4e5), (200, 1.0e6)]
        if kV <= table[0].0 { return table[0].1 }
        for i in 1..<table.count where kV <= table[i].0 {
            let (x0, y0) = table[i - 1], (x1, y1) = table[i]
            return y0 + (y1 - y0) * (kV - x0) / (x1 - x0)
        }
        return table[table.count - 1].1
    }

    /// Mass stopping power of tungsten for electrons, keV cm²/g (TBC's fit to ICRU Report 37).
    static func tungstenStoppingPower(_ kineticEnergyKeV: Double) -> Double {
        2024.1 + 10361 * exp(-0.04695 * kineticEnergyKeV)
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
