import HarmonicCore
import Phantoms
import XRayPhysics

extension PhotonCrossSections: ScatterSampler {}

/// The product physics: XRayPhysics cross sections (photoelectric, incoherent with S(x,Z),
/// coherent with F(x,Z)), interaction samplers and μen/ρ, for the phantom tissues:
/// soft tissue, lung, skeleton (ICRP 89 average skeleton), breast; water and aluminium for
/// validation. Mass coefficients are taken from the XRayPhysics materials and rescaled to the
/// phantom's densities by the transport.
public struct XRayPhysicsModel: PhysicsModel {
    let crossSections: [PhotonCrossSections]   // index = Tissue.rawValue
    let densities: [Double]
    let air: PhotonCrossSections, redMarrow: PhotonCrossSections, yellowMarrow: PhotonCrossSections, softTissue: PhotonCrossSections, skeleton: PhotonCrossSections

    public init() {
        let materials: [Material] = Tissue.allCases.map {
            switch $0 {
            case .softTissue: .softTissue
            case .lung: .lung
            case .skeleton: .skeletonAverage
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
}
