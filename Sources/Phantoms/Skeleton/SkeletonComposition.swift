import Foundation
import HarmonicCore

/// How the active (red) marrow and the endosteum (TM50) of one child are distributed over the
/// skeletal sites, and each site's spongiosa composition.
///
/// Sources: the ICRP Publication 143 paediatric reference phantoms' skeleton and media tables
/// (newborn, 1, 5, 10, 15 y; per sex; `ICRP143SkeletonData`, generated from the tables by
/// `harmonic-bench skeleton-tables`), and for the adult the ICRP Publication 89 (2002) active
/// marrow distribution (Cristy 1981 at 40 y, `adultActiveMarrowPercent`) with the ICRP 89 masses
/// (1170 g male, 900 g female). Between reference ages the fractions and masses are
/// interpolated linearly in age; beyond 15 y towards the adult at 30 y.
public struct SkeletonComposition: Sendable {
    public let ageYears: Double
    public let sex: Sex
    /// Fraction of the body's active marrow in each site (`SkeletalSite` order; sums to 1).
    public let activeMarrowFraction: [Double]
    /// Fraction of the body's endosteum (TM50) in each site (sums to 1).
    public let endosteumFraction: [Double]
    /// Marrow cellularity of each site: active over total (active + inactive) marrow mass.
    public let cellularity: [Double]
    /// Active marrow and endosteum (TM50) masses (g) of the whole skeleton.
    public let activeMarrowMass: Double, endosteumMass: Double
    /// Spongiosa medium of each site (ICRP 143 media tables; the adult takes the 15-y media).
    public let spongiosa: [TissueMedium]
    /// Elemental composition of the phantom's skeleton as a whole (`SkeletonMixture`), at the
    /// phantom's own fitted density: the sum of `siteMedia`, and the bones' medium where the
    /// physics does not follow the sites (until session 25, every bone voxel's).
    public let wholeSkeleton: SkeletonMixture
    /// Each site's own mixture and relative density (`SkeletonMixture.sites`, `SkeletalSite`
    /// order): the media the transport gives the bone voxels of each site.
    public let siteMedia: [SkeletalSiteMedium]

    /// Ages (y) of the tabulated phantoms: ICRP 143 newborn to 15 y, and the adult at 30 y.
    static let referenceAges: [Double] = [0, 1, 5, 10, 15, 30]
    static let labels = ["00", "01", "05", "10", "15"]

    /// ICRP 89 (2002) adult active marrow by site, % of the total: Cristy M, Phys Med Biol
    /// 26:389 (1981), Table 6, age 40 y (the values the repository's earlier grouped table
    /// summed to: skull 8.4, spine 42.2, ribs + sternum 19.2, pelvis 17.5, clavicles 0.8,
    /// scapulae 2.8, humeri 2.3, femora 6.7). No active marrow distal to the proximal humeri
    /// and femora in the adult.
    static let adultActiveMarrowPercent: [SkeletalSite: Double] = [
        .craniofacial: 7.6, .mandible: 0.8, .scapulae: 2.8, .clavicles: 0.8, .sternum: 3.1, .ribs: 16.1,
        .cervicalVertebrae: 3.9, .thoracicVertebrae: 16.1, .lumbarVertebrae: 12.3, .sacrum: 9.9, .osCoxae: 17.5,
        .humeriUpper: 2.3, .femoraUpper: 6.7,
    ]

    /// The composition of a reference child of `ageYears` (0-30; older ages take the adult).
    public static func reference(ageYears: Double, sex: Sex) -> SkeletonComposition {
        let (a, k, t) = bracket(ageYears)
        let lo = tabulated(k, sex), hi = tabulated(k + 1, sex)
        func mix(_ x: [Double], _ y: [Double]) -> [Double] { zip(x, y).map { (1 - t) * $0 + t * $1 } }
        let spongiosa = zip(lo.spongiosa, hi.spongiosa).map { p, q in
            TissueMedium(fractions: mix(p.fractions, q.fractions), density: (1 - t) * p.density + t * q.density)
        }
        return SkeletonComposition(ageYears: ageYears, sex: sex,
                                   activeMarrowFraction: mix(lo.am, hi.am), endosteumFraction: mix(lo.tm50, hi.tm50),
                                   cellularity: mix(lo.cellularity, hi.cellularity),
                                   activeMarrowMass: (1 - t) * lo.amMass + t * hi.amMass,
                                   endosteumMass: (1 - t) * lo.tm50Mass + t * hi.tm50Mass, spongiosa: spongiosa,
                                   wholeSkeleton: SkeletonMixture.reference(ageYears: a, sex: sex),
                                   siteMedia: SkeletonMixture.sites(ageYears: a, sex: sex))
    }

    /// An age (clamped to 0-30 y) placed between two reference ages: the index `k` of the lower
    /// one in `referenceAges` and the linear weight `t` of the upper one.
    static func bracket(_ ageYears: Double) -> (age: Double, k: Int, t: Double) {
        let a = min(max(ageYears, 0), 30), ages = referenceAges
        var k = 0
        while k < ages.count - 2 && a > ages[k + 1] { k += 1 }
        return (a, k, (a - ages[k]) / (ages[k + 1] - ages[k]))
    }

    /// The composition of an individual child: the reference composition of the child's age,
    /// with the active marrow mass scaled by the body mass over the reference body mass of that
    /// age (the skeleton's share of body mass is taken as that of the reference child); the
    /// endosteum likewise.
    public static func individual(ageYears: Double, sex: Sex, massKg: Double) -> SkeletonComposition {
        let r = reference(ageYears: ageYears, sex: sex)
        let scale = massKg / ICRP89.bodyMass(atAge: ageYears, sex)
        return SkeletonComposition(ageYears: ageYears, sex: sex, activeMarrowFraction: r.activeMarrowFraction,
                                   endosteumFraction: r.endosteumFraction, cellularity: r.cellularity,
                                   activeMarrowMass: r.activeMarrowMass * scale, endosteumMass: r.endosteumMass * scale,
                                   spongiosa: r.spongiosa, wholeSkeleton: r.wholeSkeleton, siteMedia: r.siteMedia)
    }

    /// Fractions, masses and media of one tabulated phantom (index into `referenceAges`).
    static func tabulated(_ k: Int, _ sex: Sex)
        -> (am: [Double], tm50: [Double], cellularity: [Double], amMass: Double, tm50Mass: Double, spongiosa: [TissueMedium]) {
        if k < labels.count {
            let key = labels[k] + sex.rawValue
            let sites = ICRP143SkeletonData.sites[key]!
            let am = sites.map(\.activeMarrow), tm = sites.map(\.endosteum)
            let amTotal = am.reduce(0, +), tmTotal = tm.reduce(0, +)
            let cellularity = sites.map { $0.activeMarrow + $0.inactiveMarrow > 0 ? $0.activeMarrow / ($0.activeMarrow + $0.inactiveMarrow) : 0 }
            return (am.map { $0 / amTotal }, tm.map { $0 / tmTotal }, cellularity, amTotal, tmTotal, ICRP143SkeletonData.spongiosa[key]!)
        }
        let adult = SkeletalSite.allCases.map { (adultActiveMarrowPercent[$0] ?? 0) / 100 }
        let amTotal = adult.reduce(0, +)
        // ICRP 89 gives no site-wise TM50 or cellularity here: the 15-y phantom's distribution,
        // cellularity and media stand for the adult's (TM50 mass scaled with the marrow mass).
        let fifteen = tabulated(4, sex)
        let amMass = ICRP89.redMarrowMass(.adult, sex)
        return (adult.map { $0 / amTotal }, fifteen.tm50, fifteen.cellularity, amMass,
                fifteen.tm50Mass * amMass / fifteen.amMass, fifteen.spongiosa)
    }
}

extension ICRP89 {
    /// Body mass (kg) at any age, linear between the ICRP 89 reference ages (adult at 30 y).
    public static func bodyMass(atAge years: Double, _ sex: Sex) -> Double {
        let (_, k, t) = SkeletonComposition.bracket(years)
        return (1 - t) * bodyMass(ReferenceAge.allCases[k], sex) + t * bodyMass(ReferenceAge.allCases[k + 1], sex)
    }
}
