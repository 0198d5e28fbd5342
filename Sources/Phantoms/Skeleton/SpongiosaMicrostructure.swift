import HarmonicCore

/// The scale of one skeletal site's spongiosa: how finely its trabecular bone and marrow are
/// intermixed, which sets how much of the trabeculae's photoelectron energy reaches the marrow
/// (`PhotoelectronEnhancement` in Transport).
///
/// From the ICRP Publication 143 reference phantoms' skeleton tables (`ICRP143SkeletonData`) by
/// stereology: for isotropic uniform random lines through a two-phase structure the mean chord of
/// a phase is 4V/S (Cauchy's formula; Whitwell and Spiers, Phys Med Biol 21 (1976) 16, measured
/// the chord distributions of trabecular bone and marrow cavities that way), with V the phase's
/// volume and S the trabecular bone surface between the phases. Volumes: trabecular bone
/// TBV/1.92 g/cm³ (ICRU 44 cortical bone, the density the rest of the skeleton code uses), marrow
/// AM/1.03 + IM/0.98 g/cm³ (ICRU 44 red and yellow marrow); masses exclusive of miscellaneous
/// skeletal tissue, surface TBS. Example (ICRP 143 male): the ribs' marrow chord is 0.35 mm at
/// birth and 1.6 mm at 15 y; the craniofacial bones' 0.08 and 0.47 mm; trabeculae 0.19-0.22 mm.
public struct SpongiosaMicrostructure: Sendable, Hashable {
    /// Mean chord (cm) of the trabecular bone and of the marrow cavities; 0 where the site has no
    /// trabecular surface.
    public let trabecularChord: Double, marrowChord: Double
    /// Trabecular bone mass over marrow (active + inactive) mass.
    public let boneToMarrowMass: Double

    /// Trabecular bone density (g/cm³) behind the chords: ICRU 44 cortical bone (the marrow's are
    /// ICRU 44 red, 1.03, and yellow, 0.98).
    public static let boneDensity = 1.92

    public init(trabecularChord: Double, marrowChord: Double, boneToMarrowMass: Double) {
        self.trabecularChord = trabecularChord; self.marrowChord = marrowChord; self.boneToMarrowMass = boneToMarrowMass
    }

    /// The structure of one site from its ICRP 143 tissue masses and surfaces.
    public init(_ t: SkeletalSiteTissues) {
        let surface = t.trabecularSurface * 1e4   // m² → cm²
        let marrowMass = t.activeMarrow + t.inactiveMarrow
        guard surface > 0, marrowMass > 0 else { self.init(trabecularChord: 0, marrowChord: 0, boneToMarrowMass: 0); return }
        let boneVolume = t.trabecularBone / Self.boneDensity
        let marrowVolume = t.activeMarrow / 1.03 + t.inactiveMarrow / 0.98
        self.init(trabecularChord: 4 * boneVolume / surface, marrowChord: 4 * marrowVolume / surface,
                  boneToMarrowMass: t.trabecularBone / marrowMass)
    }

    /// Every site's structure (`SkeletalSite` order) at any age: linear in age between the ICRP 143
    /// phantoms (0, 1, 5, 10, 15 y); from 15 y on the 15-y phantom's (ICRP 89 gives no adult
    /// trabecular surfaces by site), as `SkeletonComposition` does for the media.
    public static func reference(ageYears: Double, sex: Sex) -> [SpongiosaMicrostructure] {
        let ages = SkeletonComposition.referenceAges.dropLast()   // 0, 1, 5, 10, 15
        let a = min(max(ageYears, 0), 15)
        var k = 0
        while k < ages.count - 2 && a > ages[k + 1] { k += 1 }
        let t = (a - ages[k]) / (ages[k + 1] - ages[k])
        let lo = tabulated(k, sex), hi = tabulated(k + 1, sex)
        return zip(lo, hi).map { p, q in
            SpongiosaMicrostructure(trabecularChord: (1 - t) * p.trabecularChord + t * q.trabecularChord,
                                    marrowChord: (1 - t) * p.marrowChord + t * q.marrowChord,
                                    boneToMarrowMass: (1 - t) * p.boneToMarrowMass + t * q.boneToMarrowMass)
        }
    }

    static func tabulated(_ k: Int, _ sex: Sex) -> [SpongiosaMicrostructure] {
        ICRP143SkeletonData.sites[SkeletonComposition.labels[k] + sex.rawValue]!.map(SpongiosaMicrostructure.init)
    }
}
