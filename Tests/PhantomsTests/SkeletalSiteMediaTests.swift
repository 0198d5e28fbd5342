import Testing
import HarmonicCore
import XRayPhysics
@testable import Phantoms

/// Each skeletal site's own medium (`SkeletonMixture.sites`): its mineral bone and marrow (ICRP 143
/// skeleton table) and its share of the cartilage, and its density relative to the whole skeleton's.
@Suite("Skeletal site media: each bone site's own mixture and density, consistent with the whole skeleton")
struct SkeletalSiteMediaTests {
    /// The mass (g) of each site in the mixtures: its bone and marrow and its share of the rest.
    static func siteMasses(_ k: Int, _ sex: Sex) -> [Double] {
        let sites = ICRP143SkeletonData.sites[SkeletonComposition.labels[k] + sex.rawValue]!
        let own = sites.map { $0.trabecularBone + $0.corticalBone + $0.activeMarrow + $0.inactiveMarrow }
        let total = ICRP89.skeletonMass(ReferenceAge.allCases[k], sex)
        return own.map { $0 * total / own.reduce(0, +) }
    }

    @Test("weighted by their masses, the sites' mixtures are the whole skeleton's, element by element",
          arguments: [0, 2, 4], Sex.allCases)
    func sitesSumToTheWholeSkeleton(k: Int, sex: Sex) {
        let media = SkeletonMixture.tabulatedSites(k, sex), whole = SkeletonMixture.tabulated(k, sex)
        let m = Self.siteMasses(k, sex), total = m.reduce(0, +)
        for j in whole.fractions.indices {
            let sum = zip(media, m).reduce(0) { $0 + $1.1 * $1.0.mixture.fractions[j] } / total
            #expect(abs(sum - whole.fractions[j]) < 1e-5, "element \(ICRP143MediaTable.elementNames[j]): sites \(sum), whole \(whole.fractions[j])")
        }
    }

    @Test("the sites' volumes at their densities add up to the whole skeleton's volume", arguments: [0, 2, 4], Sex.allCases)
    func relativeDensitiesKeepTheVolume(k: Int, sex: Sex) {
        let media = SkeletonMixture.tabulatedSites(k, sex), m = Self.siteMasses(k, sex)
        // Σ m_s / ρ_s = M / ρ_whole, so Σ m_s / r_s = M.
        let volume = zip(m, media).reduce(0) { $0 + $1.0 / $1.1.relativeDensity }
        #expect(abs(volume / m.reduce(0, +) - 1) < 1e-9)
    }

    /// The cranium at 5 y is 78% mineral bone by its bone and marrow mass (ICRP 143 5-y female: TBV +
    /// CBV against AM and IM), the thoracic vertebrae about 55%: the cranium must carry more calcium
    /// and be denser.
    @Test("at 5 y the cranium is richer in calcium and denser than the thoracic vertebrae, and both lie either side of the whole skeleton")
    func craniumIsDenserThanVertebrae() {
        let media = SkeletonMixture.sites(ageYears: 5, sex: .female)
        let whole = SkeletonMixture.reference(ageYears: 5, sex: .female)
        let cranium = media[SkeletalSite.craniofacial.rawValue], vertebrae = media[SkeletalSite.thoracicVertebrae.rawValue]
        #expect(cranium.mixture.calcium > whole.calcium && whole.calcium > vertebrae.mixture.calcium,
                "Ca: cranium \(cranium.mixture.calcium), whole \(whole.calcium), thoracic vertebrae \(vertebrae.mixture.calcium)")
        // Diluted by the cartilage spread over every site (28% of the 5-y skeleton), the densities
        // differ less than the bone shares: 1.02 and 0.95 of the whole skeleton's.
        #expect(cranium.relativeDensity > 1 && vertebrae.relativeDensity < 1 && cranium.relativeDensity / vertebrae.relativeDensity > 1.05,
                "relative density: cranium \(cranium.relativeDensity), thoracic vertebrae \(vertebrae.relativeDensity)")
    }

    @Test("every site's fractions sum to 1 and are non-negative, at reference ages, between them and in the adult", arguments: Sex.allCases)
    func fractionsAreValid(sex: Sex) {
        for a in [0.0, 0.5, 5, 12, 15, 22, 30] {
            for (i, s) in SkeletonMixture.sites(ageYears: a, sex: sex).enumerated() {
                #expect(abs(s.mixture.fractions.reduce(0, +) - 1) < 1e-9, "\(a) y site \(i)")
                #expect(s.mixture.fractions.allSatisfy { $0 >= 0 } && s.relativeDensity > 0.5 && s.relativeDensity < 2, "\(a) y site \(i)")
            }
        }
    }

    @Test("a phantom carries the site media of its age")
    func phantomCarriesItsSiteMedia() {
        let p = StylisedPhantom.reference(age: .five, sex: .male)
        #expect(p.skeleton.siteMedia == SkeletonMixture.sites(ageYears: 5, sex: .male))
        #expect(p.skeleton.siteMedia.count == SkeletalSite.allCases.count)
    }
}
