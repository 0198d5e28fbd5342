import HarmonicCore
import Phantoms

/// Energy bins (1 keV wide, from 0 keV) of the skeletal fluence tallies.
let skeletalFluenceBins = 152

/// Fluence-to-dose response functions of the two skeletal targets, active (red) marrow and the
/// 50 µm endosteal layer (TM50), per skeletal site, on 1 keV nodes (keV·cm²/g: dose in keV/g per
/// photon/cm² of spongiosa fluence).
///
/// Method: the photon kerma of the target tissue in the spongiosa fluence,
/// R(E) = E·(μen/ρ)_target(E): the response function in the limit where the secondary
/// electrons deposit their energy in the marrow cavity they start in (charged-particle
/// equilibrium within the marrow), i.e. the mass-energy-absorption-coefficient method that
/// ICRP Publication 116 Annex D describes as the basis of its skeletal response functions and
/// that Cristy & Eckerman (ORNL/TM-8381, 1987, section 4) used for the stylised phantoms.
/// Active marrow: ICRU 44 red marrow, times the site's photoelectron dose enhancement when the
/// configuration asks for it (`MarrowResponse`, `PhotoelectronEnhancement`). Endosteum: the
/// marrow of the site's cellularity (ICRP 143 active over total marrow mass), mixing ICRU 44 red
/// and yellow marrow by mass.
/// The tabulated ICRP 116 Annex D (adult) and Johnson et al. 2011 (paediatric) response
/// functions, which add the dose of photoelectrons escaping the trabeculae into the marrow
/// (important below ~100 keV, above all for the endosteum), were not available here; see
/// docs/red-marrow.md. Swapping them in changes only this type: the transport scores the
/// site fluence spectra, not doses.
struct SkeletalResponse: Sendable {
    /// R(E) at E = 0, 1, ..., bins keV, for active marrow, per site (`SkeletalSite` order).
    let activeMarrow: [[Double]]
    /// R(E) for the endosteum, per site (`SkeletalSite` order).
    let endosteum: [[Double]]

    init<P: PhysicsModel>(physics: P, composition: SkeletonComposition, marrowResponse: MarrowResponse = .marrowKerma) {
        let nodes = (0...skeletalFluenceBins).map { max(Double($0), 1.0) }
        let red = nodes.map { physics.muEnOverRho(.redMarrow, keV: $0) }
        let yellow = nodes.map { physics.muEnOverRho(.yellowMarrow, keV: $0) }
        let kerma = nodes.indices.map { nodes[$0] * red[$0] }
        switch marrowResponse {
        case .marrowKerma:
            activeMarrow = SkeletalSite.allCases.map { _ in kerma }
        case .photoelectronEnhanced:
            let enhancement = PhotoelectronEnhancement.cached(
                structure: SpongiosaMicrostructure.reference(ageYears: composition.ageYears, sex: composition.sex),
                cellularity: composition.cellularity)
            activeMarrow = enhancement.activeMarrow.map { factor in zip(kerma, factor).map { $0 * $1 } }
        }
        endosteum = SkeletalSite.allCases.map { site in
            let c = composition.cellularity[site.rawValue]
            return nodes.indices.map { nodes[$0] * (c * red[$0] + (1 - c) * yellow[$0]) }
        }
    }

    /// Folds one fluence tally (Σ 1/μ_max and Σ (E − bin)/μ_max per bin, from `start`) with a
    /// response on the bin nodes: exact for a response linear within each bin. Result in
    /// keV·cm³/g per tally unit (divide by the tally's volume for keV/g).
    @inline(__always)
    static func fold(_ t: ArraySlice<Double>, start: Int, _ r: [Double]) -> Double {
        var sum = 0.0
        for i in 0..<skeletalFluenceBins {
            let w = t[start + 2 * i], wf = t[start + 2 * i + 1]
            if w != 0 { sum += w * r[i] + wf * (r[i + 1] - r[i]) }
        }
        return sum
    }
}
