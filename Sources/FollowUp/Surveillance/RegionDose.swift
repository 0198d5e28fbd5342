import Foundation
import HarmonicCore

/// Where the dose a rule compared with its threshold came from; every item of the HP, central
/// precocious puberty, cerebrovascular and carotid rules lists the sources of its courses.
public enum DoseSource: String, Sendable, Codable, CaseIterable {
    /// Mean dose of a contoured structure (hypothalamus, pituitary, carotid arteries), read from the
    /// plan's dose-volume histogram and given in the treatment summary (`structureMeanDoseGy`).
    case dvh = "organ dose from DVH"
    /// Estimated from the course's reconstructed organ doses (`organMeanDoseGy`: the RT dose layer's
    /// phantom or plan doses) of organs that stand for the region (`RegionDose`).
    case phantomEstimate = "phantom estimate"
    /// The prescribed dose of a field whose target site exposes the region (`FieldExposure`).
    case prescribedFallback = "prescribed-dose fallback"
}

/// Contoured structures the guidelines dose but the shared organ list lacks; keys of
/// `TreatmentSummary.RadiotherapyCourse.structureMeanDoseGy`.
public enum ContouredStructure: String, Sendable, Codable, CaseIterable {
    case hypothalamus
    case pituitary
    /// One structure holding both (the "HP region" of the PanCare HP recommendations).
    case hypothalamicPituitary = "hypothalamic_pituitary"
    case carotidArteries = "carotid_arteries"
}

/// One course's dose to a region that is not an organ of the shared list: the hypothalamic-pituitary
/// (HP) region or the carotid arteries. In order of preference:
///
/// 1. **Organ dose from DVH**: the mean dose of the contoured structure. HP: the combined HP structure,
///    else the larger of the hypothalamus and pituitary means (the guideline's threshold is on the HP
///    region; the endocrine dose-response studies dose the contoured hypothalamus (Merchant TE et al.,
///    J Clin Oncol 29 (2011) 4776: mean hypothalamic dose) or the combined hypothalamus and pituitary
///    (Vatner RE et al., J Clin Oncol 36 (2018) 2854), and the larger protects).
/// 2. **Phantom estimate** from the course's reconstructed organ doses:
///    - HP region: the brain mean dose, only for fields that treat the whole brain (cranial,
///      whole-brain, craniospinal, TBI). Such a field covers the entire brain down to the skull base,
///      cribriform plate and temporal fossa included (SFOP medulloblastoma quality control: Carrie C et
///      al., Int J Radiat Oncol Biol Phys 45 (1999) 435), so the hypothalamus (brain tissue at the floor
///      of the third ventricle) and the pituitary (in the sella, above the sphenoid) lie inside it and
///      receive the whole-brain dose. A craniospinal brain mean includes the share of a posterior-fossa
///      boost that the brain gets; the basis says so. For a focal field the brain mean says nothing of
///      the HP region (the HP may be in the target, as for a craniopharyngioma, or far from it), so it
///      falls back.
///    - Carotid arteries: the larger of the thyroid and salivary-gland mean doses, the organs of the
///      list that lie against the arteries along the neck: the common carotid in the carotid sheath
///      beside the thyroid lobes, the bifurcation and internal carotid beside the submandibular and
///      parotid glands (standard anatomy of the neck, e.g. Gray's Anatomy, 42nd ed., 2020).
/// 3. **Prescribed-dose fallback**: the prescribed dose of the field, an upper bound for a focal field.
///
/// The RT layer's store holds organ means only (`rt_course_organ_dose`: contoured hypothalamus,
/// pituitary and carotid structures are listed as unmapped, not dosed), so from a store the sources are
/// the phantom estimate and the fallback; a treatment-summary file can carry DVH doses.
public enum RegionDose {
    public enum Region: Sendable { case hypothalamicPituitary, carotidArteries }

    /// Whole-brain fields, whose brain mean dose stands for the HP region's.
    public static let wholeBrainFields: Set<String> = ["cranial", "cranium", "whole_brain", "craniospinal", "tbi", "total_body"]

    /// One course's dose to `region`, its source and a basis line (`course N (site): ...`).
    public static func course(_ c: TreatmentSummary.RadiotherapyCourse, index i: Int, _ region: Region)
        -> (doseGy: Double, source: DoseSource, basis: String) {
        let label = "course \(i + 1) (\(c.targetSite))"
        let f = SurveillanceRules.format
        let structures = c.structureMeanDoseGy ?? [:]
        let organs = c.organMeanDoseGy ?? [:]
        let craniospinal = c.targetSite.lowercased().contains("craniospinal")
        switch region {
        case .hypothalamicPituitary:
            if let d = structures[ContouredStructure.hypothalamicPituitary.rawValue] {
                return (d, .dvh, "\(label): hypothalamic-pituitary mean dose \(f(d)) Gy (organ dose from DVH)")
            }
            if let top = largest(structures, of: [ContouredStructure.hypothalamus.rawValue, ContouredStructure.pituitary.rawValue]) {
                return (top.doseGy, .dvh, "\(label): \(top.list) (organ dose from DVH; the larger counts)")
            }
            let wholeBrain = FieldExposure.matches(targetSite: c.targetSite, wholeBrainFields)
            if wholeBrain, let brain = organs[Organ.brain.rawValue] {
                return (brain, .phantomEstimate, "\(label): brain mean dose \(f(brain)) Gy of a whole-brain field, which includes the HP region (phantom estimate)"
                        + (craniospinal ? "; craniospinal: the brain mean includes the brain's share of any boost" : ""))
            }
            let why = organs[Organ.brain.rawValue] != nil ? "the brain mean dose does not stand for the HP region of a focal field"
                : "no hypothalamus, pituitary or brain dose"
            return (c.prescribedDoseGy, .prescribedFallback,
                    "\(label): prescribed \(f(c.prescribedDoseGy)) Gy of a field exposing the HP region (prescribed-dose fallback: \(why))"
                    + (craniospinal ? "; craniospinal: the prescribed dose includes the boost, the HP region may get less"
                       : wholeBrain ? "" : "; an upper bound of the HP dose for a focal field"))
        case .carotidArteries:
            if let d = structures[ContouredStructure.carotidArteries.rawValue] {
                return (d, .dvh, "\(label): carotid arteries mean dose \(f(d)) Gy (organ dose from DVH)")
            }
            if let top = largest(organs, of: [Organ.thyroid.rawValue, Organ.salivaryGlands.rawValue]) {
                return (top.doseGy, .phantomEstimate, "\(label): \(top.list) beside the carotid arteries (phantom estimate; the larger counts)")
            }
            return (c.prescribedDoseGy, .prescribedFallback,
                    "\(label): prescribed \(f(c.prescribedDoseGy)) Gy of a neck field (prescribed-dose fallback: no carotid, thyroid or salivary-gland dose)"
                    + (craniospinal ? "; craniospinal: the prescribed dose includes the brain boost, the neck gets less" : ""))
        }
    }

    /// The largest of the mean doses `names` has in `doses`, and the list of them all ("thyroid mean dose
    /// 40.0 Gy, salivary_glands mean dose 20.0 Gy"); nil when none is there.
    static func largest(_ doses: [String: Double], of names: [String]) -> (doseGy: Double, list: String)? {
        let present = names.compactMap { n in doses[n].map { (n, $0) } }
        guard let top = present.map(\.1).max() else { return nil }
        return (top, present.map { "\($0.0) mean dose \(SurveillanceRules.format($0.1)) Gy" }.joined(separator: ", "))
    }

    /// The courses whose field exposes a region (`exposes`, by target site; a 0 Gy course exposes
    /// nothing), their region doses summed, the sources used and the end of the last course.
    struct Exposure {
        var courses: [TreatmentSummary.RadiotherapyCourse] = []
        var doseGy = 0.0
        var sources: [DoseSource] = []
        var basis: [String] = []
        var lastEnd: CalendarDate?

        /// "(phantom estimate + prescribed-dose fallback)": the sources in the order of `DoseSource`.
        var sourceLabel: String { "(" + DoseSource.allCases.filter(sources.contains).map(\.rawValue).joined(separator: " + ") + ")" }
    }

    static func exposure(_ s: TreatmentSummary, _ region: Region, exposes: (String) -> Bool) -> Exposure {
        var e = Exposure()
        for (i, c) in s.radiotherapy.enumerated() where c.prescribedDoseGy > 0 && exposes(c.targetSite) {
            let d = course(c, index: i, region)
            e.courses.append(c); e.doseGy += d.doseGy; e.basis.append(d.basis)
            if !e.sources.contains(d.source) { e.sources.append(d.source) }
            if let end = CalendarDate(iso: c.endDate) { e.lastEnd = max(e.lastEnd ?? end, end) }
        }
        return e
    }
}
