import Foundation

/// Photon interaction coefficients of water at MeV energies from the Klein–Nishina cross section
/// (Klein & Nishina, Z Phys 52:853, 1929; total and energy-scattered cross sections in the closed
/// forms of Evans, The Atomic Nucleus, 1955, ch. 23, and Attix, Introduction to Radiological
/// Physics, 1986, eqs 7.9 and 7.19). Between 1 and 7 MeV Compton scattering is nearly all of the
/// attenuation in water; pair production (about 5% of μ at 4 MeV) and electron binding are left
/// out, so μ is slightly low (the kernel is then slightly high far from the source). At 1 MeV the
/// values agree with NIST XCOM / Hubbell & Seltzer (NISTIR 5632) for water, μ/ρ = 0.07072 and
/// μen/ρ = 0.03103 cm²/g, within 0.3% (`SecondaryPhotonTests`).
enum WaterKleinNishina {
    /// Classical electron radius (cm) and electron rest energy (MeV), CODATA 2018.
    static let electronRadiusCm = 2.817_940_3262e-13, electronRestMeV = 0.510_998_95
    /// Electrons per gram of water: Avogadro's number × 10 electrons / 18.015 g/mol.
    static let electronsPerGram = 6.022_140_76e23 * 10 / 18.015

    /// Mass attenuation μ/ρ and mass energy-transfer μtr/ρ (cm²/g; for Compton electrons in
    /// water μen ≈ μtr, radiative losses under 1% below 7 MeV) at photon energy `e` (MeV).
    static func coefficients(energyMeV e: Double) -> (mu: Double, muEn: Double) {
        let k = e / electronRestMeV, r2 = electronRadiusCm * electronRadiusCm
        let l = log(1 + 2 * k), a = 1 + 2 * k
        let total = 2 * Double.pi * r2 * ((1 + k) / (k * k) * (2 * (1 + k) / a - l / k) + l / (2 * k) - (1 + 3 * k) / (a * a))
        let scattered = Double.pi * r2 * (l / (k * k * k) + 2 * (1 + k) * (2 * k * k - 2 * k - 1) / (k * k * a * a)
                                          + 8 * k * k / (3 * a * a * a))
        return (total * electronsPerGram, (total - scattered) * electronsPerGram)
    }
}

/// Absorbed dose in water around an isotropic point source of photons: the point kernel
/// D(r) = S·E·(μen/ρ)·B(μr)·exp(−μr) / (4πr²), with the build-up factor B = 1 + (μ/μen − 1)·μr.
/// That linear build-up is the one whose integral over an infinite medium returns exactly the
/// emitted energy (∫ D ρ 4πr² dr = S·E, energy conservation); the Goldstein–Wilkins / ANS-6.4.3
/// dose build-up factors of water are of this form to within about 20% at 1-3 mean free paths
/// (their tables were not read here: an approximation, stated).
struct PhotonPointKernel: Sendable {
    let energyMeV: Double, mu: Double, muEn: Double

    /// Gy per (MeV/g): 1.602176634e-13 J/MeV over 1e-3 kg/g.
    static let grayPerMeVPerGram = 1.602_176_634e-10

    init(energyMeV: Double) {
        self.energyMeV = energyMeV
        let c = WaterKleinNishina.coefficients(energyMeV: energyMeV)
        mu = c.mu; muEn = c.muEn
    }

    /// Build-up factor at `mfp` mean free paths.
    func buildUp(_ mfp: Double) -> Double { 1 + (mu / muEn - 1) * mfp }

    /// Absorbed dose (Gy) per emitted photon at distance `r` (cm) in water (1 g/cm³).
    func dosePerPhoton(atCm r: Double) -> Double {
        let x = mu * r
        return energyMeV * muEn * buildUp(x) * exp(-x) / (4 * Double.pi * r * r) * Self.grayPerMeVPerGram
    }
}

/// Secondary photons of proton therapy from one treated volume, per Gy of target dose:
/// prompt gammas of non-elastic nuclear interactions of the protons and 2.2 MeV photons of
/// thermal-neutron capture on hydrogen, each a point source at the target centre transported
/// with `PhotonPointKernel`. Parameters in `proton_secondary.csv` (sources there).
struct ProtonSecondaryPhotons: Sendable {
    /// Photon energy of 1H(n,γ)2H: the deuteron binding energy, 2.2246 MeV, less the recoil
    /// (AME 2016: 2.2233 MeV).
    static let captureEnergyMeV = 2.2233

    struct Line: Sendable { let photonsPerGy: Double, kernel: PhotonPointKernel }
    let lines: [Line]

    /// Probability that a proton of residual range `rangeCm` (water) has a non-elastic nuclear
    /// interaction before it stops: Bortfeld's linear fluence loss (Med Phys 24:2024, 1997),
    /// βR/(1 + βR) with β from the `beta_ne` row.
    static func nonElasticProbability(rangeCm: Double, beta: Double) -> Double { beta * rangeCm / (1 + beta * rangeCm) }

    /// Fraction of fast neutrons born at the centre of a water-like box that are captured in
    /// it: the non-leakage probability of age-diffusion theory, exp(−B²τ) / (1 + L²B²), with the
    /// geometric buckling B² = Σ(π/aᵢ)² of the box (extrapolation distance, about 0.3 cm, left
    /// out), τ the Fermi age to thermal and L the thermal diffusion length (Lamarsh, Introduction
    /// to Nuclear Reactor Theory, 1966: one-group age-diffusion non-leakage, and its tables of
    /// thermal diffusion lengths and Fermi ages of water). Almost every thermal capture in water
    /// is on hydrogen (σa(H) = 0.332 b against 0.19 mb for O).
    static func captureProbability(boxCm: [Double], ageCm2 tau: Double, diffusionLengthCm l: Double) -> Double {
        let b2 = boxCm.reduce(0) { $0 + pow(Double.pi / max($1, 1), 2) }
        return exp(-b2 * tau) / (1 + l * l * b2)
    }

    /// Absorbed photon dose (Gy per Gy of target dose) at `r` cm from the target centre.
    func dose(atCm r: Double) -> Double {
        lines.reduce(0) { $0 + $1.photonsPerGy * $1.kernel.dosePerPhoton(atCm: max(r, 1)) }
    }
}
