import Foundation
import Registry

/// The report's "what dominates" section (issue 19): imaging exams by tier, and by exposure
/// type and era the fraction of each cohort's collective red-marrow and breast dose, with the
/// distribution of each child's share by type (`RegistryStore.exposureShares`, `harmonic dose shares`).
public enum ExposureShareSection {
    public static func append(to r: inout HTMLReport, store: RegistryStore, imaging: ImagingDoseRun.Summary) throws {
        let shares = try store.exposureShares()
        r.section("Imaging doses and what dominates the collective dose")
        r.paragraph("Every diagnostic_imaging and rt_imaging row was dosed by tier (harmonic dose --store; docs/imaging-dose.md): CT from Harmonic's CT coefficients × CTDIvol (RT planning CTs: dose per session × sessions), nuclear medicine as its recorded effective dose, MRI zero; CBCT, planar kV/MV, radiography and fluoroscopy are not modelled yet and add nothing here. Flagged and not-modelled exams add nothing either.")
        r.table(caption: "Imaging exams by tier", header: ["Tier", "Exams"],
                rows: imaging.byTier.sorted { $0.key < $1.key }.map { [$0.key, formatNumber(Double($0.value))] })
        if !imaging.reasons.isEmpty {
            r.table(caption: "Imaging exams not dosed, by reason", header: ["Reason", "Exams"],
                    rows: imaging.reasons.sorted { $0.value > $1.value }.map { [$0.key, formatNumber(Double($0.value))] })
        }
        r.table(caption: "Fraction of the collective organ dose by exposure type and era (person·mGy)",
                header: ["Cohort", "Organ", "Exposure type", "Era", "Exposures", "Collective dose (person·mGy)", "Fraction"],
                rows: shares.collective.map { [$0.cohort, $0.organ, $0.exposureType, $0.era, formatNumber(Double($0.exposures)),
                                               RTDoseSection.formatDose($0.collectiveMGy), String(format: "%.3f", $0.fraction)] })
        r.table(caption: "Share of each child's organ dose from each exposure type (children with a dose to the organ)",
                header: ["Cohort", "Organ", "Exposure type", "Children", "Median", "5th pct", "95th pct", "Mean", "Children with > half"],
                rows: shares.childShares.map { [$0.cohort, $0.organ, $0.exposureType, formatNumber(Double($0.children)),
                                                String(format: "%.3f", $0.median), String(format: "%.3f", $0.p05), String(format: "%.3f", $0.p95),
                                                String(format: "%.3f", $0.mean), String(format: "%.3f", $0.dominantFraction)] })
        r.endSection()
    }
}
