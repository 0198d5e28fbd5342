import HarmonicCore
import XRayPhysics

/// The elemental composition of a child's whole skeleton, and of each of its sites (`sites`): the
/// transport gives each site's bones their own medium since session 25; the whole skeleton's is the
/// medium of physics models that do not follow the phantom's sites, and the reference the sites'
/// mixtures add up to.
///
/// The stylised bones hold the whole ICRP 89 skeleton mass, marrow and cartilage included
/// (`ICRP89.skeletonMass`; the density is fitted to it per phantom). Cristy & Eckerman's skeleton
/// mixture (ORNL/TM-8381, 1987, Table A-2: Ca 9.9%) describes an adult-like skeleton, and at birth
/// it carries about 38% more calcium than the child has: the newborn skeleton is 40% cartilage by
/// mass, and its bone is less mineralised. So each reference age mixes by mass:
/// - the trabecular and cortical bone of all sites (ICRP 143 TBV + CBV) as the phantom's
///   "Mineral bone" medium (Ca 15.6% at birth, 20.1% at 15 y);
/// - the active and inactive marrow (ICRP 143 AM, IM) as ICRU 44 red and yellow marrow;
/// - the rest of the ICRP 89 skeleton mass (cartilage and the other skeletal tissues) as the
///   phantom's "Cartilage" medium.
///
/// Sources: the ICRP Publication 143 paediatric reference phantoms' skeleton and media tables
/// (`ICRP143SkeletonData`), ICRP Publication 89 (2002) Table 2.8 for the skeleton masses. The
/// adult (30 y) is Cristy & Eckerman's mixture itself. The recipe reproduces it without being
/// fitted to it: Ca 9.96% at 10 y and 10.2% at 15 y, against 9.9%. At birth it gives Ca 7.2%,
/// at 1 y 8.3%, at 5 y 9.5%. Between reference ages the mass fractions are interpolated linearly
/// in age.
public struct SkeletonMixture: Sendable, Hashable {
    /// Mass fractions of H, C, N, O, Na, Mg, P, S, Cl, K, Ca, Fe, I (`ICRP143MediaTable` order; sum 1).
    public let fractions: [Double]
    /// Mass fraction of the skeleton that is cartilage and other non-bone, non-marrow tissue (0 for
    /// the adult mixture, whose source does not separate it).
    public let cartilageFraction: Double
    /// What the mixture is, for reports and the transport material's name.
    public let label: String

    /// The mixture as an XRayPhysics material at `density` g/cm³ (the phantom's fitted density).
    public func material(density: Double) -> Material {
        Material(name: "skeleton, \(label)", density: density,
                 massFractions: zip(ICRP143MediaTable.atomicNumbers, fractions).filter { $0.1 > 0 }
                    .map { ElementFraction(z: $0.0, fraction: $0.1) })
    }

    /// Mass fraction of calcium.
    public var calcium: Double { fractions[ICRP143MediaTable.atomicNumbers.firstIndex(of: 20)!] }

    /// The mixture of a child of `ageYears` (0-30; older ages take the adult).
    public static func reference(ageYears: Double, sex: Sex) -> SkeletonMixture {
        let (a, k, t) = SkeletonComposition.bracket(ageYears)
        let lo = tabulated(k, sex), hi = tabulated(k + 1, sex)
        if t == 0 { return lo }
        if t == 1 { return hi }
        return lo.interpolated(to: hi, t, label: String(format: "%.2f y %@ (ICRP 143/89 mixture)", a, sex.rawValue))
    }

    /// The mixture a fraction `t` of the way from this one to `other` (mass fractions and cartilage
    /// fraction linear in `t`): between two reference ages.
    func interpolated(to other: SkeletonMixture, _ t: Double, label: String) -> SkeletonMixture {
        SkeletonMixture(fractions: zip(fractions, other.fractions).map { (1 - t) * $0 + t * $1 },
                        cartilageFraction: (1 - t) * cartilageFraction + t * other.cartilageFraction, label: label)
    }

    /// Cristy & Eckerman's adult skeleton mixture (ORNL/TM-8381, 1987, Table A-2).
    public static let adult = SkeletonMixture(fractions: fractions(of: .skeletonAverage), cartilageFraction: 0,
                                              label: "adult (Cristy-Eckerman 1987)")

    /// The mixture of a tabulated reference age (index into `SkeletonComposition.referenceAges`).
    static func tabulated(_ k: Int, _ sex: Sex) -> SkeletonMixture {
        guard k < SkeletonComposition.labels.count else { return adult }
        let key = SkeletonComposition.labels[k] + sex.rawValue
        let sites = ICRP143SkeletonData.sites[key]!
        let bone = sites.reduce(0) { $0 + $1.trabecularBone + $1.corticalBone }
        let active = sites.reduce(0) { $0 + $1.activeMarrow }, inactive = sites.reduce(0) { $0 + $1.inactiveMarrow }
        let total = ICRP89.skeletonMass(ReferenceAge.allCases[k], sex)
        let rest = max(0, total - bone - active - inactive)
        let parts: [(mass: Double, fractions: [Double])] = [
            (bone, ICRP143SkeletonData.mineralBone[key]!.fractions),
            (active, fractions(of: .redMarrow)), (inactive, fractions(of: .yellowMarrow)),
            (rest, ICRP143SkeletonData.cartilage[key]!.fractions),
        ]
        let mixed = massWeighted(parts)!
        return SkeletonMixture(fractions: mixed.fractions, cartilageFraction: rest / mixed.mass,
                               label: String(format: "%g y %@ (ICRP 143/89 mixture)", SkeletonComposition.referenceAges[k], sex.rawValue))
    }

    /// The mass-weighted mean of `parts`' mass fractions, renormalised to sum 1 (it is 1 within the
    /// generated tables' six-decimal rounding), and the parts' total mass; nil when they have no mass.
    static func massWeighted(_ parts: [(mass: Double, fractions: [Double])]) -> (fractions: [Double], mass: Double)? {
        let mass = parts.reduce(0) { $0 + $1.mass }
        guard mass > 0 else { return nil }
        var mixed = [Double](repeating: 0, count: ICRP143MediaTable.atomicNumbers.count)
        for p in parts { for i in mixed.indices { mixed[i] += p.mass * p.fractions[i] / mass } }
        let sum = mixed.reduce(0, +)
        guard sum > 0 else { return nil }
        return (mixed.map { $0 / sum }, mass)
    }

    /// The mixture of each skeletal site (`SkeletalSite` order) of a child of `ageYears`, with the
    /// site's density relative to the whole skeleton's.
    ///
    /// Each site mixes, by mass, its own trabecular and cortical bone (the phantom's "Mineral bone"
    /// medium), active and inactive marrow (ICRP 143 skeleton table, per site) and a share of the
    /// skeleton's cartilage and other tissue (the rest of the ICRP 89 skeleton mass). No table gives
    /// that rest by site, so it is spread over the sites in proportion to their bone and marrow mass:
    /// the sites' mixtures, weighted by their masses, are the whole skeleton's (`reference`). A site's
    /// density is that of its own tissues (mineral bone and cartilage at the media tables' densities,
    /// marrow at ICRU 44's 1.03 and 0.98 g/cm³) over the whole skeleton's, computed the same way:
    /// at 5 y the cranium (78% mineral bone by its bone and marrow mass) is 1.02 times the whole
    /// skeleton's density and the thoracic vertebrae 0.95; at 15 y (boys) 1.08 and 0.93. The
    /// cartilage spread over every site dilutes the differences.
    /// The adult (ICRP 143 holds no adult phantom) takes the 15-y sites' departures from their whole
    /// skeleton, applied to Cristy & Eckerman's mixture. Between reference ages the fractions and
    /// densities are interpolated linearly in age.
    public static func sites(ageYears: Double, sex: Sex) -> [SkeletalSiteMedium] {
        let (_, k, t) = SkeletonComposition.bracket(ageYears)
        let lo = tabulatedSites(k, sex), hi = tabulatedSites(k + 1, sex)
        return zip(lo, hi).enumerated().map { i, pair in
            let (p, q) = pair
            if t == 0 { return p }
            if t == 1 { return q }
            return SkeletalSiteMedium(
                mixture: p.mixture.interpolated(to: q.mixture, t, label: String(format: "%.2f y %@ %@ (ICRP 143/89 site mixture)", ageYears,
                                                                                sex.rawValue, SkeletalSite.allCases[i].displayName)),
                relativeDensity: (1 - t) * p.relativeDensity + t * q.relativeDensity)
        }
    }

    /// The sites' media of a tabulated reference age (index into `SkeletonComposition.referenceAges`).
    static func tabulatedSites(_ k: Int, _ sex: Sex) -> [SkeletalSiteMedium] {
        guard k < SkeletonComposition.labels.count else {
            // The adult: the 15-y sites' departures from the 15-y whole skeleton.
            let fifteen = tabulatedSites(k - 1, sex), whole = tabulated(k - 1, sex)
            return fifteen.enumerated().map { i, site in
                let f = zip(adult.fractions, zip(site.mixture.fractions, whole.fractions)).map { max(0, $0 + $1.0 - $1.1) }
                let sum = f.reduce(0, +)
                return SkeletalSiteMedium(mixture: SkeletonMixture(fractions: f.map { $0 / sum }, cartilageFraction: 0,
                                                                   label: "adult \(sex.rawValue) \(SkeletalSite.allCases[i].displayName) (15-y departures)"),
                                          relativeDensity: site.relativeDensity)
            }
        }
        let key = SkeletonComposition.labels[k] + sex.rawValue
        let sites = ICRP143SkeletonData.sites[key]!
        let mineral = ICRP143SkeletonData.mineralBone[key]!, cartilage = ICRP143SkeletonData.cartilage[key]!
        let bone = sites.map { $0.trabecularBone + $0.corticalBone }
        let own = sites.indices.map { bone[$0] + sites[$0].activeMarrow + sites[$0].inactiveMarrow }
        let rest = max(0, ICRP89.skeletonMass(ReferenceAge.allCases[k], sex) - own.reduce(0, +))
        let red = fractions(of: .redMarrow), yellow = fractions(of: .yellowMarrow)
        // Volume (cm³) of a site's tissues and of the whole skeleton's: density = mass / volume.
        func volume(_ b: Double, _ am: Double, _ im: Double, _ c: Double) -> Double {
            b / mineral.density + am / Material.redMarrow.density + im / Material.yellowMarrow.density + c / cartilage.density
        }
        let ownTotal = own.reduce(0, +)
        let wholeDensity = (ownTotal + rest) / volume(bone.reduce(0, +), sites.reduce(0) { $0 + $1.activeMarrow },
                                                      sites.reduce(0) { $0 + $1.inactiveMarrow }, rest)
        return sites.indices.map { i in
            let c = own[i] > 0 ? rest * own[i] / ownTotal : 0
            // A site with no tissue in the table (none at these ages) takes the whole skeleton.
            guard let mixed = massWeighted([(bone[i], mineral.fractions), (sites[i].activeMarrow, red),
                                            (sites[i].inactiveMarrow, yellow), (c, cartilage.fractions)]) else {
                return SkeletalSiteMedium(mixture: tabulated(k, sex), relativeDensity: 1)
            }
            let label = String(format: "%g y %@ %@ (ICRP 143/89 site mixture)", SkeletonComposition.referenceAges[k], sex.rawValue,
                               SkeletalSite.allCases[i].displayName)
            return SkeletalSiteMedium(mixture: SkeletonMixture(fractions: mixed.fractions, cartilageFraction: c / mixed.mass, label: label),
                                      relativeDensity: mixed.mass / volume(bone[i], sites[i].activeMarrow, sites[i].inactiveMarrow, c) / wholeDensity)
        }
    }

    /// A material's mass fractions in `ICRP143MediaTable` order (its elements must all be there).
    static func fractions(of material: Material) -> [Double] {
        var f = [Double](repeating: 0, count: ICRP143MediaTable.atomicNumbers.count)
        for e in material.massFractions {
            guard let i = ICRP143MediaTable.atomicNumbers.firstIndex(of: e.z) else {
                preconditionFailure("\(material.name): element Z = \(e.z) is not among the ICRP 143 media elements")
            }
            f[i] += e.fraction
        }
        let sum = f.reduce(0, +)
        return f.map { $0 / sum }
    }
}

/// One skeletal site's medium: its mixture (`SkeletonMixture.sites`) and its density relative to
/// the whole skeleton's (the phantom's fitted skeleton density times this is the site's, before the
/// transport rescales the sites together so that the skeleton keeps its fitted mass).
public struct SkeletalSiteMedium: Sendable, Hashable {
    public let mixture: SkeletonMixture
    public let relativeDensity: Double
}
