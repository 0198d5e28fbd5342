import Foundation
import HarmonicCore

/// Plausible MV portal imaging dose at the isocentre per session, mGy: Harmonic's bound, not a
/// cited range. Above 500 mGy a value is more likely the fraction's treatment dose, or cGy taken
/// for mGy, than an image (AAPM TG-180, Ding et al. 2018, puts an MV image pair at a few cGy).
public enum MVImagingPlausibility {
    public static let isocentreDosePerSession: ClosedRange<Double> = 0.01...500
}

extension ImagingDoseCalculator {
    /// The report of MV portal imaging (`planar_mv`) from organ doses the radiotherapy layer
    /// computed through the course site's photon port (`RTDose.MVPortalImagingDose`; Dosimetry
    /// holds no treatment-field model): intervals from the components of `imaging-dose-uncertainty.csv`
    /// that apply to `planar_mv`. No Monte Carlo term: the course-record doses are deterministic.
    public func reportMV(_ exam: ImagingExam, isocentreDosePerSessionMGy perSession: Double, sessions: Int,
                         organs: [Organ: Double], effective: Double) -> ImagingDoseReport {
        let used = components.filter { $0.appliesTo == ImagingModality.planarMV.rawValue }
        let gsd = exp(Self.logVariance(used).squareRoot())
        let doses = organs.filter { $0.key.exists(in: exam.sex) }.sorted { $0.key.rawValue < $1.key.rawValue }
            .map { ImagingOrganDose(organ: $0.key, dose: IntervalDose($0.value, gsd: gsd)) }
        return ImagingDoseReport(modality: .planarMV, region: exam.region, ageYears: exam.ageYears, sex: exam.sex, kVp: nil, kVpSource: nil,
                                 ctdivol: perSession * Double(sessions),
                                 ctdivolSource: String(format: "MV imaging dose at the isocentre, %.4g mGy per session × %d session%@, recorded", perSession, sessions, sessions == 1 ? "" : "s"),
                                 referencePhantomCm: nil, dlp: nil, phantomScanLength: nil, organs: doses,
                                 effectiveDose: IntervalDose(effective, gsd: gsd),
                                 uncertainty: used.map { UncertaintyComponent(component: $0.component, gsd: $0.gsd, source: $0.source) },
                                 notes: ["the portal is taken as the treatment port of the site's 3D-CRT photon field on the reference phantom of the nearest age (RTDose course-record tier, in-field and out-of-field)"])
    }
}
