import HarmonicCore
import XRayPhysics

/// The elemental composition of a child's whole skeleton, the medium the photon transport gives
/// the stylised phantom's bones.
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
        return SkeletonMixture(fractions: zip(lo.fractions, hi.fractions).map { (1 - t) * $0 + t * $1 },
                               cartilageFraction: (1 - t) * lo.cartilageFraction + t * hi.cartilageFraction,
                               label: String(format: "%.2f y %@ (ICRP 143/89 mixture)", a, sex.rawValue))
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
        let mass = parts.reduce(0) { $0 + $1.mass }
        var mixed = [Double](repeating: 0, count: ICRP143MediaTable.atomicNumbers.count)
        for p in parts { for i in mixed.indices { mixed[i] += p.mass * p.fractions[i] / mass } }
        let sum = mixed.reduce(0, +)   // 1 within the generated table's six-decimal rounding
        return SkeletonMixture(fractions: mixed.map { $0 / sum }, cartilageFraction: rest / mass,
                               label: String(format: "%g y %@ (ICRP 143/89 mixture)", SkeletonComposition.referenceAges[k], sex.rawValue))
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
