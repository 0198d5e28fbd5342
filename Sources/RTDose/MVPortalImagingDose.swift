import Foundation
import HarmonicCore

/// Organ doses of radiotherapy MV portal imaging (`planar_mv`): the imaging dose recorded at the
/// isocentre (mGy) × each organ's dose per Gy at the target of an unmodulated (3D-CRT) photon
/// field of the course's site on the age- and sex-matched reference phantom (`CourseDoseCache`,
/// the course-record tier: in-field and out-of-field components). The portal is taken as the
/// treatment port; a double exposure's larger open field is not modelled (its error is the
/// `planar_mv_model` GSD of `imaging-dose-uncertainty.csv`). Effective dose: ICRP 103 tissue
/// weights on the phantom sex (`TissueWeights.weightedSum`). Used by the store run
/// (`ImagingExamEvaluation`) and by `harmonic dose imaging --modality planar_mv`.
public enum MVPortalImagingDose {
    public struct Doses: Sendable {
        /// mGy, every organ the course-record tier scores (callers keep those of the child's sex).
        public var organs: [Organ: Double]
        /// mSv (ICRP 103).
        public var effective: Double
    }

    /// - Parameters: the course's target site (`SiteGeometry.sites`); the child; the MV imaging
    ///   dose at the isocentre summed over the sessions, mGy; the port's departure from the
    ///   site-typical one (nil: the site-typical port; the synthetic truth passes each course's own).
    public static func doses(site: String, ageYears: Double, sex: Sex, isocentreDoseMGy: Double, cache: CourseDoseCache,
                             port: FieldVariation? = nil) throws -> Doses {
        let record = CourseRecord(targetSite: site, radiation: .photon, technique: .conformal3D, prescribedDoseGy: 1, fractions: 1)
        let perGy = try port.map { try cache.dosesPerGy(record, ageYears: ageYears, sex: sex, variation: $0) }
            ?? cache.dosesPerGy(record, ageYears: ageYears, sex: sex)
        var organs: [Organ: Double] = [:]
        for c in perGy { organs[c.organ] = c.total * isocentreDoseMGy }
        let effective = TissueWeights.weightedSum(TissueWeights.icrp103, remainder: TissueWeights.icrp103Remainder(for: sex), sex: sex, doses: organs)
        return Doses(organs: organs, effective: effective)
    }
}
