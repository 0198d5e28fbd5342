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
