import HarmonicCore
import Phantoms

/// Dose to one organ, normalised.
public struct OrganDose: Sendable, Codable, Equatable {
    public let organ: Organ
    /// mGy per Gy·cm² of kerma-area product (C-arm beams; nil for parallel beams).
    public let perKAP: Double?
    /// Gy per Gy of air kerma: for C-arm beams the incident free-in-air kerma at the skin
    /// entrance point on the central ray, without backscatter; for parallel beams the
    /// free-in-air kerma of the beam.
    public let perAirKerma: Double
    /// Relative statistical uncertainty (1σ, batch method).
    public let relativeUncertainty: Double
    /// Mass of the organ in the voxelised phantom (g).
    public let massGrams: Double
}

/// The result of a simulation: organ doses, effective doses and bookkeeping.
public struct OrganDoseResult: Sendable, Codable {
    public let age: ReferenceAge.RawValue
    public let sex: Sex
    public let histories: Int
    public let organs: [OrganDose]
    /// ICRP 103 effective dose for the phantom's sex (mSv per Gy·cm²; nil for parallel beams)
    /// and per air kerma (Sv/Gy); ICRP 103 defines E as the mean of the male and female values.
    public let effectiveDose103PerKAP: Double?
    public let effectiveDose103PerAirKerma: Double
    public let effectiveDose103RelativeUncertainty: Double
    /// ICRP 60 effective dose (as PCXMC 1.5 and the older literature), same units.
    public let effectiveDose60PerKAP: Double?
    public let effectiveDose60PerAirKerma: Double
    public let effectiveDose60RelativeUncertainty: Double
    /// KAP (Gy·cm²) and reference air kerma (Gy) per emitted photon.
    public let kapPerHistory: Double?
    public let airKermaPerHistory: Double
    /// Energy bookkeeping (keV, all histories): emitted, deposited in the body, escaped.
    public let emittedEnergy: Double, depositedEnergy: Double, escapedEnergy: Double
    /// Fraction of photons that crossed the geometry without a real interaction.
    public let uncollidedFraction: Double
    /// Active marrow dose by skeletal site and each site's share of the marrow (what a
    /// surprising red-marrow dose is made of); nil in results stored before it existed.
    public var skeletalSites: [SkeletalSiteDose]? = nil
    /// The active-marrow response the red marrow was computed with (`MarrowResponse` raw value:
    /// "kerma" or "enhanced"); nil in results stored before it existed (all "kerma").
    public var marrowResponse: String? = nil
    /// Where the phantom's arms were (`ArmPosture` raw value: "raised" or "sides"); nil in results
    /// stored before it existed (arms at the sides).
    public var arms: String? = nil
    /// Focus-to-skin distance along the central ray (cm), for C-arm beams.
    public let focusToSkin: Double?
    public let wallSeconds: Double

    public func dose(_ organ: Organ) -> OrganDose? { organs.first { $0.organ == organ } }
}

/// Active marrow dose in one skeletal site.
public struct SkeletalSiteDose: Sendable, Codable, Equatable {
    public let site: SkeletalSite
    /// The site's share of the body's active marrow and endosteum (ICRP 143 / ICRP 89).
    public let activeMarrowFraction: Double, endosteumFraction: Double
    /// Active marrow dose in the site, Gy per Gy of air kerma and mGy per Gy·cm² (C-arm beams).
    public let marrowPerAirKerma: Double
    public let marrowPerKAP: Double?
    /// Volume (cm³) of the phantom's bone standing for the site (0: the site took the fluence
    /// of its bone solid or skeleton).
    public let boneVolume: Double
}

extension OrganDoseResult {
    /// ICRP 103 effective dose per KAP as ICRP defines it: the mean of the male and female
    /// phantoms' values for the same exposure (ICRP 103 eq. B.1; mSv per Gy·cm²).
    public static func sexAveragedEffectiveDose103PerKAP(male: OrganDoseResult, female: OrganDoseResult) -> Double? {
        guard male.sex == .male, female.sex == .female, let m = male.effectiveDose103PerKAP, let f = female.effectiveDose103PerKAP else { return nil }
        return 0.5 * (m + f)
    }
}
