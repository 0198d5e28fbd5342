import Testing
import HarmonicCore
import Phantoms
import XRayPhysics
@testable import Transport

/// The transport gives each phantom's bones its own skeleton mixture (`SkeletonMixture`).
@Suite("Skeleton physics per phantom")
struct SkeletonPhysicsTests {
    @Test("a newborn's bones attenuate as its own mixture, less than Cristy and Eckerman's at 50 keV")
    func newbornBonesUseTheirMixture() {
        let newborn = StylisedPhantom.reference(age: .newborn, sex: .male)
        let model = XRayPhysicsModel.shared.adapted(to: newborn)
        let own = PhotonCrossSections(material: newborn.skeleton.wholeSkeleton.material(density: 1))
        for keV in [30.0, 50, 70, 150] {
            #expect(abs(model.massAttenuation(.skeleton, keV: keV).total - own.mu(keV).total) < 1e-12 * own.mu(keV).total, "\(keV) keV")
        }
        // Ca 7.2% against 9.9% and P 4.4% against 6.9%: the photoelectric absorption of the
        // newborn's skeleton at 50 keV is about a third lower; at 150 keV (Compton) they agree.
        let cristy = XRayPhysicsModel.shared
        #expect(model.massAttenuation(.skeleton, keV: 50).photo < 0.8 * cristy.massAttenuation(.skeleton, keV: 50).photo)
        #expect(abs(model.massAttenuation(.skeleton, keV: 150).total / cristy.massAttenuation(.skeleton, keV: 150).total - 1) < 0.03)
        // Other tissues are unchanged.
        #expect(model.massAttenuation(.softTissue, keV: 50).total == cristy.massAttenuation(.softTissue, keV: 50).total)
    }

    @Test("the adult keeps Cristy and Eckerman's mixture, and a mixture's model is built once")
    func adultAndCache() {
        let adult = StylisedPhantom.reference(age: .adult, sex: .female)
        #expect(XRayPhysicsModel.shared.adapted(to: adult).massAttenuation(.skeleton, keV: 50).total
                == XRayPhysicsModel.shared.massAttenuation(.skeleton, keV: 50).total)
        let five = StylisedPhantom.reference(age: .five, sex: .female)
        let a = XRayPhysicsModel.model(forSkeleton: five.skeleton.wholeSkeleton)
        let b = XRayPhysicsModel.model(forSkeleton: five.skeleton.wholeSkeleton)
        #expect(a.crossSections.first === b.crossSections.first)
    }

    @Test("replacing the skeleton of the shared model equals building a model with that skeleton")
    func replacingEqualsBuilding() {
        let material = SkeletonMixture.reference(ageYears: 1, sex: .male).material(density: 1.4)
        let replaced = XRayPhysicsModel.shared.replacingSkeleton(with: material)
        let built = XRayPhysicsModel(skeleton: material)
        for tissue in Tissue.allCases {
            for keV in [20.0, 45, 80, 140] {
                #expect(replaced.massAttenuation(tissue, keV: keV) == built.massAttenuation(tissue, keV: keV), "\(tissue) \(keV) keV")
                #expect(replaced.massEnergyAbsorption(tissue, keV: keV) == built.massEnergyAbsorption(tissue, keV: keV))
            }
        }
    }

    @Test("a model whose skeleton was chosen explicitly keeps it for every phantom")
    func explicitSkeletonIsKept() {
        let chosen = XRayPhysicsModel(skeleton: .spongiosa)
        let newborn = StylisedPhantom.reference(age: .newborn, sex: .female)
        #expect(chosen.adapted(to: newborn).massAttenuation(.skeleton, keV: 50) == chosen.massAttenuation(.skeleton, keV: 50))
        #expect(XRayPhysicsModel.shared.adapted(to: newborn).massAttenuation(.skeleton, keV: 50) != chosen.massAttenuation(.skeleton, keV: 50))
    }
}

/// Each skeletal site's bones have their own medium in the transport (`SkeletonComposition.siteMedia`,
/// session 25), and together the sites keep the skeleton's fitted mass.
@Suite("Skeletal site media in the transport")
struct SkeletalSiteTransportTests {
    static func prepared(_ physics: XRayPhysicsModel) throws -> (VoxelPhantom, TransportSimulation.Prepared<PhotonCrossSections>, StylisedPhantom) {
        let phantom = StylisedPhantom.reference(age: .five, sex: .female)
        let voxels = phantom.voxelise(spacing: phantom.defaultSpacing * 3)
        let config = TransportConfiguration(phantom: phantom, beam: .wholeBodyParallel(.ap), spectrum: .monoenergetic(50),
                                            histories: 1, seed: 1)
        return (voxels, try TransportSimulation.makeProblem(config, voxels: voxels, physics: physics.adapted(to: phantom)), phantom)
    }

    /// μ (1/cm) at 50 keV of the material of a site's first skeleton region.
    static func mu(_ site: SkeletalSite, _ v: VoxelPhantom, _ p: TransportSimulation.Prepared<PhotonCrossSections>) -> Double {
        let label = v.regions.firstIndex { $0.role == .bone(site) && $0.voxelCount > 0 }! + 1
        let t = p.problem.tables
        return t.muTotal[p.problem.labelMaterial[label] * t.count + Int(50 / t.step)]
    }

    @Test("at 5 y the cranium's bones attenuate more at 50 keV than the thoracic vertebrae's, with the whole skeleton's between")
    func sitesHaveTheirOwnMedium() throws {
        let (v, p, phantom) = try Self.prepared(.shared)
        let cranium = Self.mu(.craniofacial, v, p), vertebrae = Self.mu(.thoracicVertebrae, v, p)
        let whole = XRayPhysicsModel.shared.adapted(to: phantom).massAttenuation(.skeleton, keV: 50).total * phantom.skeletonDensity
        #expect(cranium > whole && whole > vertebrae, "μ at 50 keV: cranium \(cranium), whole \(whole), thoracic vertebrae \(vertebrae) /cm")
    }

    @Test("the sites' densities keep the voxelised skeleton's mass at the fitted density")
    func sitesKeepTheSkeletonMass() throws {
        let (v, p, phantom) = try Self.prepared(.shared)
        // Density of a site's material: μ / (μ/ρ) of its mixture at one energy.
        var mass = 0.0, fitted = 0.0
        for (i, r) in v.regions.enumerated() where r.tissue == .skeleton && r.voxelCount > 0 {
            guard case let .bone(site) = r.role else { continue }
            let model = try #require(XRayPhysicsModel.shared.forSkeletonSite(phantom.skeleton.siteMedia[site.rawValue]))
            let t = p.problem.tables
            let rho = t.muTotal[p.problem.labelMaterial[i + 1] * t.count + Int(50 / t.step)] / model.massAttenuation(.skeleton, keV: 50).total
            mass += Double(r.voxelCount) * rho; fitted += Double(r.voxelCount) * phantom.skeletonDensity
        }
        #expect(abs(mass / fitted - 1) < 1e-9, "\(mass) against \(fitted)")
    }

    @Test("a model with a chosen skeleton material keeps one medium for every bone")
    func chosenSkeletonHasOneMedium() throws {
        let (v, p, _) = try Self.prepared(XRayPhysicsModel(skeleton: .skeletonAverage))
        #expect(abs(Self.mu(.craniofacial, v, p) - Self.mu(.thoracicVertebrae, v, p)) < 1e-12)
    }
}
