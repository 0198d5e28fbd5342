import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// Which active-marrow response the skeletal fluence is folded with.
public enum MarrowResponse: String, Sendable, CaseIterable {
    /// The marrow kerma in the spongiosa fluence (Cristy & Eckerman 1987): secondary electrons
    /// deposit their energy in the marrow cavity they start in. The product's default, and the
    /// method of the Chang et al. 2017 reference, whose endosteum (TM50) dose equals its active
    /// marrow dose in every cell (a response function with electron transport gives the endosteum
    /// more; docs/red-marrow.md).
    case marrowKerma = "kerma"
    /// The marrow kerma times the photoelectron dose enhancement of the site's spongiosa
    /// (`PhotoelectronEnhancement`): electrons from the trabeculae deposit energy in the marrow.
    case photoelectronEnhanced = "enhanced"
}

/// How much the photoelectrons of the bone trabeculae raise the active marrow's dose above its
/// kerma: the dose enhancement factor DEF(E) = D_marrow / K_marrow of each skeletal site, for
/// photons of energy E in the spongiosa.
///
/// Method: the chord-based model of the spongiosa (Spiers; Whitwell and Spiers, Phys Med Biol 21
/// (1976) 16; King and Spiers, Br J Radiol 58 (1985) 345, whose photoelectron enhancement Johnson
/// et al. 2011 reproduced within 1.9 percentage points with their image-based response
/// functions). The trabecular bone and marrow of a site form a two-phase random medium with an
/// exponential two-point correlation (a Debye random medium, Debye and Bueche, J Appl Phys 28
/// (1957) 679: along any line the phases alternate in exponential chords of the site's means,
/// `SpongiosaMicrostructure`, measured from the ICRP 143 phantoms' masses and trabecular surfaces).
/// In such a medium the phase found at a net displacement d from a point of phase i is i with
/// probability p + (1 − p)e^{−d/ℓ}, with ℓ the correlation length and p the phase's share of the
/// line (here of its mass thickness); so an electron of energy T deposits in its own phase the fraction
/// p + (1 − p)g(T, R/ℓ), g being the energy-weighted mean of e^{−d/ℓ} over its track
/// (`ElectronEscapeTable`: a random walk with Bethe slowing down and screened-Rutherford multiple
/// scattering, scripts/generate_electron_escape_table.py). Distances are mass thicknesses of
/// marrow: bone chords count ρ_bone·(S_bone/S_marrow) per cm, so the walk in marrow serves both.
///
/// The electrons: the photoelectron of each element with E minus its binding energy (the binding
/// energy is deposited where it starts: Auger electrons and fluorescence of a few keV), and the
/// Compton electrons with the Klein-Nishina energy-transfer spectrum. Bone is ICRU 44 cortical
/// bone, marrow the ICRU 44 red and yellow marrow of the site's cellularity.
///
/// Limits: the endosteum (TM50) keeps the kerma response (its enhancement needs the dose profile
/// across the marrow cavity, which a correlation model does not give); the photoelectrons of the
/// cortex are not followed; the enhancement is not yet validated against tabulated response
/// functions (ICRP 116 Annex D, Johnson et al. 2011), which are not available here.
public struct PhotoelectronEnhancement: Sendable {
    /// DEF per site (`SkeletalSite` order) on 1 keV nodes E = 0...`skeletalFluenceBins` keV.
    public let activeMarrow: [[Double]]

    /// Computes the factors of every site from its structure and cellularity.
    public init(structure: [SpongiosaMicrostructure], cellularity: [Double]) {
        let bone = Material.corticalBone
        let stoppingBone = Self.collisionStoppingPower(bone, keV: 30)
        let nodes = 0...skeletalFluenceBins
        // The bone's secondary electrons at each node are the same for every site: set them up once.
        let boneElectrons = nodes.map { Self.electrons(bone, keV: Double($0)) }
        activeMarrow = zip(structure, cellularity).map { site, c in
            guard site.marrowChord > 0, site.trabecularChord > 0 else {
                return [Double](repeating: 1, count: skeletalFluenceBins + 1)
            }
            let marrow = Self.marrow(cellularity: c)
            let stoppingRatio = stoppingBone / Self.collisionStoppingPower(marrow, keV: 30)
            let boneLength = SpongiosaMicrostructure.boneDensity * stoppingRatio * site.trabecularChord
            let marrowLength = marrow.density * site.marrowChord
            let correlation = boneLength * marrowLength / (boneLength + marrowLength)   // g/cm²
            let ownShare = marrowLength / (boneLength + marrowLength)
            return nodes.map { node in
                let e = Double(node)
                guard e >= 1 else { return 1 }
                let kerma = e * marrow.massEnergyAbsorption(atKeV: e)
                let lost = Self.escapingEnergy(Self.electrons(marrow, keV: e), correlation: correlation) * (1 - ownShare)
                let gained = Self.escapingEnergy(boneElectrons[node], correlation: correlation) * ownShare * site.boneToMarrowMass
                return 1 + (gained - lost) / kerma
            }
        }
    }

    /// The factors for a structure and cellularity, computed once per process (about 0.2 s each;
    /// a library build runs thousands of simulations of the same phantoms); the 32 most recently
    /// used are kept.
    static func cached(structure: [SpongiosaMicrostructure], cellularity: [Double]) -> PhotoelectronEnhancement {
        cache.value(for: CacheKey(structure: structure, cellularity: cellularity)) {
            PhotoelectronEnhancement(structure: structure, cellularity: cellularity)
        }
    }

    struct CacheKey: Equatable {
        let structure: [SpongiosaMicrostructure], cellularity: [Double]
    }
    static let cache = RecentlyUsedCache<CacheKey, PhotoelectronEnhancement>(capacity: 32)

    /// The factors of a reference child of `ageYears` (ICRP 143 structure and cellularity).
    public static func reference(ageYears: Double, sex: Sex) -> PhotoelectronEnhancement {
        PhotoelectronEnhancement(structure: SpongiosaMicrostructure.reference(ageYears: ageYears, sex: sex),
                                 cellularity: SkeletonComposition.reference(ageYears: ageYears, sex: sex).cellularity)
    }

    /// ICRU 44 red and yellow marrow mixed by mass at cellularity `c` (density by volume addition).
    static func marrow(cellularity c: Double) -> Material {
        var fractions: [Int: Double] = [:]
        for f in Material.redMarrow.massFractions { fractions[f.z, default: 0] += c * f.fraction }
        for f in Material.yellowMarrow.massFractions { fractions[f.z, default: 0] += (1 - c) * f.fraction }
        let density = 1 / (c / Material.redMarrow.density + (1 - c) / Material.yellowMarrow.density)
        return Material(name: "marrow, cellularity \(c)", density: density,
                        massFractions: fractions.keys.sorted().map { ElementFraction(z: $0, fraction: fractions[$0]!) })
    }

    /// The secondary electrons photons of `e` keV set in motion in `material`, per unit mass and
    /// fluence: (initial energy T keV, number cm²/g), each element's photoelectron then its
    /// Compton electrons; those with T or number 0 are left out.
    static func electrons(_ material: Material, keV e: Double) -> [(energy: Double, number: Double)] {
        guard e >= 1 else { return [] }
        let compton = comptonElectrons(keV: e)
        var out: [(energy: Double, number: Double)] = []
        for x in material.elementalInteractions(atKeV: e) {
            out.append((e - x.bindingKeV, x.photoelectric))
            for (t, share) in compton { out.append((t, x.incoherent * share)) }
        }
        return out.filter { $0.energy > 0 && $0.number > 0 }
    }

    /// Σ over `electrons` of n·T·(1 − g): the energy (keV·cm²/g) that leaves the phase the electrons
    /// start in, in the limit p = 0.
    static func escapingEnergy(_ electrons: [(energy: Double, number: Double)], correlation: Double) -> Double {
        electrons.reduce(0) { $0 + $1.number * $1.energy * (1 - escapeWeight(keV: $1.energy, correlation: correlation)) }
    }

    /// Klein-Nishina energy-transfer spectrum of Compton electrons at photon energy `e`: 16 equal
    /// bins of electron energy (centre, probability).
    static func comptonElectrons(keV e: Double) -> [(Double, Double)] {
        let mc2 = PhotonCrossSections.electronRestEnergyKeV
        let k = e / mc2, tMax = e * 2 * k / (1 + 2 * k), n = 16
        let bins: [(Double, Double)] = (0..<n).map { i in
            let t = (Double(i) + 0.5) * tMax / Double(n), scattered = e - t
            let cosTheta = 1 - mc2 * (1 / scattered - 1 / e)
            // dσ/dT ∝ (E'/E)² (E'/E + E/E' − sin²θ) · dΩ/dT, dΩ/dT = 2π mc² / E'².
            let w = (scattered / e) * (scattered / e) * (scattered / e + e / scattered - (1 - cosTheta * cosTheta)) / (scattered * scattered)
            return (t, w)
        }
        let total = bins.reduce(0) { $0 + $1.1 }
        return bins.map { ($0.0, $0.1 / total) }
    }

    /// g(T, R(T)/ℓ) from `ElectronEscapeTable`, bilinear in (log T, log κ), clamped to the table.
    static func escapeWeight(keV t: Double, correlation: Double) -> Double {
        let table = ElectronEscapeTable.self
        let energies = table.energies
        let tc = min(max(t, energies[0]), energies[energies.count - 1])
        var i = 0
        while i < energies.count - 2 && tc > energies[i + 1] { i += 1 }
        let fe = log(tc / energies[i]) / log(energies[i + 1] / energies[i])
        let range = exp((1 - fe) * log(table.csdaRange[i]) + fe * log(table.csdaRange[i + 1]))
        let x = (log10(range / correlation) - table.log10KappaStart) / table.log10KappaStep
        let xc = min(max(x, 0), Double(table.kappaCount - 1))
        let j = min(Int(xc), table.kappaCount - 2), fk = xc - Double(j)
        func row(_ r: Int) -> Double { (1 - fk) * table.g[r][j] + fk * table.g[r][j + 1] }
        return (1 - fe) * row(i) + fe * row(i + 1)
    }

    /// Bethe collision mass stopping power (keV·cm²/g) of electrons of `keV` (ICRU Report 37,
    /// eq. 2.14, without the density effect, negligible below 1 MeV), with Bragg-additive mean
    /// excitation energies from the elemental values of ICRU 37 (condensed-phase H, C, N, O).
    static func collisionStoppingPower(_ material: Material, keV t: Double) -> Double {
        let mc2 = PhotonCrossSections.electronRestEnergyKeV
        var zOverA = 0.0, logI = 0.0
        for f in material.massFractions {
            let w = f.fraction * Double(f.z) / (atomicWeights[f.z] ?? 2.0 * Double(f.z))
            zOverA += w
            logI += w * log((meanExcitationEV[f.z] ?? 10 * Double(f.z)) / 1000)
        }
        let iOverMc2 = exp(logI / zOverA) / mc2
        let tau = t / mc2, beta2 = 1 - 1 / ((1 + tau) * (1 + tau))
        let fMinus = 1 - beta2 + (tau * tau / 8 - (2 * tau + 1) * log(2.0)) / ((tau + 1) * (tau + 1))
        return 153.537 * zOverA / beta2 * (log(tau * tau * (tau + 2) / (2 * iOverMc2 * iOverMc2)) + fMinus)
    }

    /// ICRU 37 mean excitation energies (eV) and atomic weights of the elements of the ICRU 44
    /// bone and marrow compositions.
    static let meanExcitationEV: [Int: Double] = [1: 19.2, 6: 81, 7: 82, 8: 106, 11: 149, 12: 156, 15: 173,
                                                  16: 180, 17: 174, 19: 190, 20: 191, 26: 286]
    static let atomicWeights: [Int: Double] = [1: 1.008, 6: 12.011, 7: 14.007, 8: 15.999, 11: 22.990, 12: 24.305,
                                               15: 30.974, 16: 32.06, 17: 35.45, 19: 39.098, 20: 40.078, 26: 55.845]
}
