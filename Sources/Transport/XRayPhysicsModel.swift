import HarmonicCore
import Phantoms
import XRayPhysics

extension PhotonCrossSections: ScatterSampler {}

/// The product physics: XRayPhysics cross sections (photoelectric, incoherent with S(x,Z),
/// coherent with F(x,Z)), interaction samplers and μen/ρ, for the phantom tissues:
/// soft tissue, lung, skeleton, breast; water and aluminium for validation. Mass coefficients are
/// taken from the XRayPhysics materials and rescaled to the phantom's densities by the transport.
/// The skeleton's composition is the phantom's own (`SkeletonMixture` of its age and sex, through
/// `adapted(to:)`), and each skeletal site's bones have their site's own mixture
/// (`forSkeletonSite(_:)`, `SkeletonComposition.siteMedia`); `shared` has Cristy & Eckerman's
/// adult mixture.
public struct XRayPhysicsModel: PhysicsModel {
    private(set) var crossSections: [PhotonCrossSections]   // index = Tissue.rawValue
    private(set) var densities: [Double]
    let air: PhotonCrossSections, redMarrow: PhotonCrossSections, yellowMarrow: PhotonCrossSections, softTissue: PhotonCrossSections
    private(set) var skeleton: PhotonCrossSections
    /// Whether `adapted(to:)` gives each phantom its own skeleton mixture: true unless the
    /// skeleton's material was chosen explicitly (a sensitivity run keeps its choice).
    let followsPhantomSkeleton: Bool

    /// The model with `skeleton` as the skeleton's material for every phantom (its density only
    /// converts the material's coefficients to mass coefficients; the phantom sets the density in
    /// the bones). Without it, Cristy & Eckerman's mixture, and each phantom gets its own mixture
    /// through `adapted(to:)`.
    public init(skeleton chosen: Material? = nil) {
        let skeletonMaterial = chosen ?? .skeletonAverage
        followsPhantomSkeleton = chosen == nil
        let materials: [Material] = Tissue.allCases.map {
            switch $0 {
            case .softTissue: .softTissue
            case .lung: .lung
            case .skeleton: skeletonMaterial
            case .breast: .breast
            case .water: .water
            case .aluminium: .aluminium
            case .corticalBone: .corticalBone
            case .spongiosa: .spongiosa
            case .air: .air
            }
        }
        crossSections = materials.map { PhotonCrossSections(material: $0) }
        densities = materials.map { $0.density }
        air = PhotonCrossSections(material: .air)
        redMarrow = PhotonCrossSections(material: .redMarrow)
        yellowMarrow = PhotonCrossSections(material: .yellowMarrow)
        softTissue = crossSections[Tissue.softTissue.rawValue]
        skeleton = crossSections[Tissue.skeleton.rawValue]
    }

    /// This model with another skeleton material: only the skeleton's cross sections and
    /// samplers are built (about a tenth of a full model's setup).
    func replacingSkeleton(with material: Material) -> XRayPhysicsModel {
        var copy = self
        let k = Tissue.skeleton.rawValue
        let built = PhotonCrossSections(material: material)
        var sections = crossSections, rho = densities
        sections[k] = built; rho[k] = material.density
        copy.crossSections = sections; copy.densities = rho; copy.skeleton = built
        return copy
    }

    public func massAttenuation(_ tissue: Tissue, keV: Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double) {
        let mu = crossSections[tissue.rawValue].mu(keV)
        let rho = densities[tissue.rawValue]
        return (mu.total / rho, mu.photoelectric / rho, mu.incoherent / rho, mu.coherent / rho)
    }

    public func muEnOverRho(_ absorber: Absorber, keV: Double) -> Double {
        switch absorber {
        case .air: air.muEnOverRho(keV)
        case .redMarrow: redMarrow.muEnOverRho(keV)
        case .yellowMarrow: yellowMarrow.muEnOverRho(keV)
        case .softTissue: softTissue.muEnOverRho(keV)
        case .skeleton: skeleton.muEnOverRho(keV)
        }
    }

    /// μen/ρ of the tissue's XRayPhysics material: τ(1 − X/E) + σ_incoherent·⟨E_T⟩/E with the same
    /// S(x) as the incoherent sampler (scripts/generate_xray_tables.py); for the organs' tissues
    /// (soft tissue, lung, breast) the fluorescence term X is below 0.1% of it at 10-150 keV.
    public func massEnergyAbsorption(_ tissue: Tissue, keV: Double) -> Double {
        crossSections[tissue.rawValue].muEnOverRho(keV)
    }

    public func sampler(_ tissue: Tissue) -> PhotonCrossSections { crossSections[tissue.rawValue] }
}

extension SourceSpectrum {
    /// The photon fluence spectrum of an X-ray tube (XRayPhysics), binned as it computes it.
    public init(_ spectrum: XRaySpectrum) {
        let pairs = zip(spectrum.energies, spectrum.fluence).filter { $0.1 > 0 && $0.0 >= 1 }
        self.init(energies: pairs.map { $0.0 }, weights: pairs.map { $0.1 }, binWidth: XRaySpectrum.binWidth)
    }
}

extension TransportSimulation {
    /// Runs a simulation with the product physics (XRayPhysics): the API the dosimetry layer uses.
    public static func run(_ config: TransportConfiguration, voxels: VoxelPhantom? = nil,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> OrganDoseResult {
        try run(config, physics: XRayPhysicsModel.shared, voxels: voxels, progress: progress)
    }
}

extension XRayPhysicsModel {
    /// One instance per process (building the cross-section objects reads resource tables).
    public static let shared = XRayPhysicsModel()

    /// The model with the phantom's skeleton mixture (`SkeletonComposition.wholeSkeleton`),
    /// built once per mixture and kept (`model(forSkeleton:)`); a model whose skeleton was chosen
    /// explicitly (`init(skeleton:)`) is returned as it is.
    public func adapted(to phantom: StylisedPhantom) -> XRayPhysicsModel {
        followsPhantomSkeleton ? Self.model(forSkeleton: phantom.skeleton.wholeSkeleton) : self
    }

    /// The model for one site's bones (`SkeletonComposition.siteMedia`): the site's mixture as the
    /// skeleton; nil when the skeleton's material was chosen explicitly (`init(skeleton:)`).
    public func forSkeletonSite(_ medium: SkeletalSiteMedium) -> XRayPhysicsModel? {
        followsPhantomSkeleton ? Self.model(forSkeleton: medium.mixture) : nil
    }

    /// The model with `mixture` as the skeleton. A library build runs 12 phantoms many thousand
    /// times, so each mixture's cross sections and samplers (about 1 MB, about 15 ms) are built
    /// once; the 96 most recently used are kept (each phantom has 23: its whole skeleton and its 22
    /// sites, `SkeletonComposition.siteMedia`; individual phantoms interpolate in age, so a
    /// long-running server would otherwise keep 23 per child).
    static func model(forSkeleton mixture: SkeletonMixture) -> XRayPhysicsModel {
        skeletonModels.value(for: mixture) {
            mixture == .adult ? .shared : shared.replacingSkeleton(with: mixture.material(density: Tissue.skeleton.nominalDensity))
        }
    }
    private static let skeletonModels = RecentlyUsedCache<SkeletonMixture, XRayPhysicsModel>(capacity: 96)
}
