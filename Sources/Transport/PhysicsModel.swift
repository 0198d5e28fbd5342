import HarmonicCore
import Phantoms

/// Absorbers whose mass energy-absorption coefficient the dosimetry needs.
public enum Absorber: Sendable {
    case air, redMarrow, yellowMarrow, softTissue, skeleton
}

/// The photon physics the transport needs, per phantom tissue. The product uses
/// `XRayPhysicsModel` (XRayPhysics cross sections and samplers); tests may use simple models.
public protocol PhysicsModel: Sendable {
    associatedtype Sampler: ScatterSampler
    /// Mass attenuation coefficients (cm²/g): total, photoelectric, incoherent, coherent.
    func massAttenuation(_ tissue: Tissue, keV: Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double)
    /// Mass energy-absorption coefficient (cm²/g).
    func muEnOverRho(_ absorber: Absorber, keV: Double) -> Double
    /// Mass energy-absorption coefficient (cm²/g) of a phantom tissue: the organ-dose (kerma)
    /// estimator scores E·μen per unit track length (`TrackingProblem`). For the analog
    /// estimator's expectation it must equal (μ_photo + μ_incoherent·⟨E − E'⟩/E)/ρ of the
    /// tissue's own cross sections and scatter sampler (fluorescence escape aside).
    func massEnergyAbsorption(_ tissue: Tissue, keV: Double) -> Double
    /// Scatter sampler of a tissue.
    func sampler(_ tissue: Tissue) -> Sampler
    /// The model for one phantom: the transport calls it before a run, so that tissues whose
    /// composition depends on the child (the skeleton, `SkeletonMixture`) get the phantom's own.
    /// Models with fixed tissues return themselves (the default).
    func adapted(to phantom: StylisedPhantom) -> Self
    /// The model for the bones of one skeletal site: its skeleton tissue is the site's own mixture
    /// (`SkeletonComposition.siteMedia`). nil for models with fixed tissues (the default): their
    /// bones keep the skeleton tissue throughout.
    func forSkeletonSite(_ medium: SkeletalSiteMedium) -> Self?
}

extension PhysicsModel {
    public func adapted(to phantom: StylisedPhantom) -> Self { self }
    public func forSkeletonSite(_ medium: SkeletalSiteMedium) -> Self? { nil }
}
