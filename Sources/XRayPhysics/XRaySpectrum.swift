import Foundation
import HarmonicCore

/// A tungsten-anode X-ray tube spectrum at 1 m from the focus.
///
/// Model: a thick-target integral over Monte Carlo electron fluence, as in SpekPy 2 (Omar, Andreo &
/// Poludniowski, Med. Phys. 47 (2020) 4763 and 4005), with isotropic emission:
/// - Bremsstrahlung: photons per keV per steradian per electron leaving the anode toward the central
///   ray, Φ(k) = (n/4π) ∫dx e^(−μ_W(k) x / sin α) ∫_k^{T₀} dT NE(T, x) dσ/dk(T, k), with NE the PENELOPE
///   electron frequency density in tungsten (backscatter, straggling and diffusion included), dσ/dk the
///   Seltzer–Berger cross section and n the atom density (`TungstenTarget`); α is the anode angle
///   (the take-off angle of the central ray), μ_W tungsten's attenuation from the element tables. The
///   output per mAs follows with no free scale.
/// - Characteristic K lines (Kα₁, Kα₂, Kβ₁, Kβ₃, Kβ₂; energies and radiative rates from xraylib 4.3),
///   fluorescence yield ω_K = 0.954 (xraylib), from both ionisation routes, each emitted at its own
///   depths and self-filtered on the way out:
///   - direct (electron impact): n ∫dT NE(T, x) σ_K(T) at depth x, with σ_K the Bethe cross section
///     6.51×10⁻²⁰ n_K b_K ln U / (U E_K²) cm² keV² (n_K = 2, b_K = 0.35; Powell, Rev. Mod. Phys. 48
///     (1976) 33) times the relativistic factor of Casnati, Tartari & Baraldi, J. Phys. B 15 (1982) 155;
///   - indirect (fluorescence of bremsstrahlung above the K edge absorbed in the anode): photons emitted
///     isotropically at depth x, absorbed at the depth their path reaches, K-shell share of photoabsorption
///     1 − 1/J_K (jump ratio from the element table); half go into the target, half toward the surface.
///   Tungsten L lines (8-12 keV) are left out: any clinical filtration (≥ 2.5 mm Al transmits e⁻¹⁷ at
///   10 keV) removes them.
/// - Then the total filtration `filtration` (inherent + added: give the tube's inherent filtration as
///   a layer, e.g. "2.5mmAl+0.1mmCu"). No air attenuation.
///
/// Accuracy against SpekPy 2 (default `casim` physics, anisotropic emission) over 40-125 kVp: first HVL
/// 1.00-1.02×, mean energy 1.01-1.02×, air kerma per mAs 1.1-1.2× (isotropic emission is the difference:
/// SpekPy's own isotropic `uni` physics sits between; Tests/XRayPhysicsTests/SpectrumVersusSpekPyTests,
/// BENCHMARKS.md). Until 2026-11-23 the model was Tucker, Barnes & Chakraborty's semi-empirical one
/// (Med. Phys. 18 (1991) 211), 2.1-2.4% low in mean energy at 125 kVp behind Cu.
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
    /// Tube potentials the electron tables cover, kV (their first and last incident energy).
    public static var kVpRange: ClosedRange<Double> { TungstenTarget.shared.incidentEnergyRange }

    public init(kVp: Double, anodeAngleDegrees: Double = 12, filtration: Filtration) {
        self.kVp = kVp; self.anodeAngleDegrees = anodeAngleDegrees; self.filtration = filtration
        let emission = Self.anodeEmission(kVp: kVp, anodeAngleDegrees: anodeAngleDegrees)
        let filterXS = filtration.layers.map { PhotonCrossSections.cached($0.material) }
        // photons per sr per electron -> per mm² per mAs at 1 m
        let electronsPerMAs = 1e-3 / 1.602176634e-19
        let srPerMm2At1m = 1e-6
        var fluence = emission.bremsstrahlung
        for line in emission.lines {
            let b = Int(line.energy / Self.binWidth)
            if b < fluence.count { fluence[b] += line.photons }
        }
        for (b, e) in emission.energies.enumerated() {
            fluence[b] *= electronsPerMAs * srPerMm2At1m * filtration.transmission(e, crossSections: filterXS)
        }
        self.energies = emission.energies
        self.fluence = fluence
    }

    /// What leaves the anode toward the central ray, per incident electron per steradian, before any
    /// filtration: bremsstrahlung per bin and the K lines.
    struct AnodeEmission {
        var energies: [Double]
        var bremsstrahlung: [Double]
        var lines: [(energy: Double, photons: Double)]
    }

    static func anodeEmission(kVp t0: Double, anodeAngleDegrees: Double) -> AnodeEmission {
        let target = TungstenTarget.shared
        let electrons = target.electrons(incidentEnergy: t0)
        let w = PhotonCrossSections.tungsten
        let n = TungstenTarget.atomsPerCm3
        let sinAngle = sin(anodeAngleDegrees * .pi / 180)
        let binCount = max(Int((t0 / binWidth).rounded(.down)), 1)
        let energies = (0..<binCount).map { (Double($0) + 0.5) * binWidth }

        var brems = [Double](repeating: 0, count: binCount)
        // photons per cm of depth per bin (all directions) above the K edge, for the indirect K lines
        // with the K-shell share of photoabsorption and the linear attenuation μ there (1/cm)
        var aboveEdge: [(profile: [Double], kShare: Double, mu: Double)] = []
        for (b, k) in energies.enumerated() where k < t0 {
            var profile = electrons.integrateOverEnergy(from: k) { t in
                target.bremsstrahlungCrossSection(kineticEnergyKeV: t, photonEnergyKeV: k)
            }
            for m in profile.indices { profile[m] *= n * binWidth }
            brems[b] = electrons.integrateOverDepth(profile, attenuation: w.muTotal(k) / sinAngle) / (4 * .pi)
            if k > tungstenKEdge {
                let mu = w.mu(k)
                aboveEdge.append((profile, (1 - 1 / tungstenKJumpRatio) * mu.photoelectric / mu.total, mu.total))
            }
        }

        var lines: [(energy: Double, photons: Double)] = []
        if t0 > tungstenKEdge {
            let omegaK = 0.9538   // xraylib 4.3 FluorYield(74, K)
            var direct = electrons.integrateOverEnergy(from: tungstenKEdge) { kShellIonisationCrossSection($0) }
            for m in direct.indices { direct[m] *= n }
            let cosines = (0..<64).map { (Double($0) + 0.5) / 64 }
            for line in tungstenKLines {
                let a = w.muTotal(line.energy) / sinAngle   // line's escape attenuation per cm of depth (μ is linear)
                var produced = electrons.integrateOverDepth(direct, attenuation: a)
                for (profile, kShare, mr) in aboveEdge {
                    // escaping K photons per K-absorbed bremsstrahlung photon born at depth x, averaged over
                    // isotropic directions: inward (absorbed at x + c·s) and outward (absorbed on the way up)
                    let inward = cosines.reduce(0) { $0 + mr / (mr + a * $1) } / Double(cosines.count)
                    var escape = [Double](repeating: 0, count: profile.count)
                    for (m, x) in electrons.depthsCm.enumerated() {
                        let lineEscape = exp(-a * x)
                        var outward = 0.0
                        for c in cosines {
                            let d = a * c - mr
                            outward += abs(d) < 1e-9 * mr ? mr * x / c * lineEscape
                                : mr * (exp(-mr * x / c) - lineEscape) / d
                        }
                        outward /= Double(cosines.count)
                        escape[m] = profile[m] * 0.5 * (inward * lineEscape + outward)
                    }
                    produced += kShare * electrons.integrateOverDepth(escape, attenuation: 0)
                }
                lines.append((line.energy, omegaK * line.share * produced / (4 * .pi)))
            }
        }
        return AnodeEmission(energies: energies, bremsstrahlung: brems, lines: lines)
    }

    /// K-shell ionisation cross section of tungsten by electron impact, cm²: Bethe's form
    /// 6.51×10⁻²⁰ n_K b_K ln U / (U E_K²) (E in keV; n_K = 2, b_K = 0.35, Powell 1976) times the relativistic
    /// factor of Casnati, Tartari & Baraldi, J. Phys. B 15 (1982) 155, U = T/E_K.
    static func kShellIonisationCrossSection(_ t: Double) -> Double {
        let eK = tungstenKEdge
        guard t > eK else { return 0 }
        let u = t / eK, j = PhotonCrossSections.electronRestEnergyKeV / eK
        let rel = (1 + 2 * j) / (u + 2 * j) * pow((u + j) / (1 + j), 2)
            * pow((1 + u) * (u + 2 * j) * pow(1 + j, 2) / (j * j * (1 + 2 * j) + u * (u + 2 * j) * pow(1 + j, 2)), 1.5)
        return 6.51e-20 * 2 * 0.35 * log(u) / (u * eK * eK) * rel
    }

    /// K absorption edge of tungsten, keV (xraylib 4.3 EdgeEnergy(74, K); the element table's W K edge rows).
    static let tungstenKEdge = 69.525

    /// W K lines: energy (keV) and share of K radiative transitions (xraylib 4.3 LineEnergy, RadRate).
    static let tungstenKLines: [(energy: Double, share: Double)] = {
        let raw: [(Double, Double)] = [(57.981, 0.28917), (59.3182, 0.50243), (66.9501, 0.05588),
                                       (67.244, 0.10808), (69.0334, 0.01305), (69.0997, 0.02554)]
        let total = raw.reduce(0) { $0 + $1.1 }
        return raw.map { ($0.0, $0.1 / total) }
    }()
    /// K-edge jump ratio of tungsten, read from the element table's two rows at the edge (5.100;
    /// xraylib 4.3 JumpFactor(74, K) = 5.099, Elam, Ravel & Sieber, Radiat. Phys. Chem. 63 (2002) 121).
    static let tungstenKJumpRatio: Double = {
        guard let ratio = ElementTables.shared.element(74).photoelectricJumpRatio(nearEdge: tungstenKEdge) else {
            preconditionFailure("element_mu.csv has no W K edge row pair at \(tungstenKEdge) keV; regenerate it with scripts/generate_xray_tables.py")
        }
        return ratio
    }()

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
