import Foundation
import Registry

/// The report's "what dominates" section (issue 19): imaging exams by tier, and by exposure
/// type and era the fraction of each cohort's collective red-marrow and breast dose, with the
/// distribution of each child's share by type (`RegistryStore.exposureShares`, `harmonic dose shares`).
public enum ExposureShareSection {
    /// `truth`: reconstructed vs true per exam type (synthetic data only), named by the truth file.
    public static func append(to r: inout HTMLReport, store: RegistryStore, imaging: ImagingDoseRun.Summary,
                              truth: [(name: String, comparison: ImagingDoseTruthComparison)] = []) throws {
        let shares = try store.exposureShares()
        r.section("Imaging doses and what dominates the collective dose")
        r.paragraph("Every diagnostic_imaging and rt_imaging row was dosed by tier (harmonic dose --store; docs/imaging-dose.md): CT from Harmonic's CT coefficients × CTDIvol (or DLP / the scan length; with no dose recorded, the typical CTDIvol for the region, age and era, Ploussi et al. 2020 with era factors; RT planning CTs: dose per session × sessions), RT CBCT and planar kV from Harmonic's kV imaging coefficients × the recorded CTDIw or entrance air kerma × sessions, RT MV portal images through the course's treatment port × the recorded isocentre dose, radiographs and fluoroscopy from Harmonic's radiography coefficients × the recorded KAP or entrance air kerma (radiographs with no dose recorded: the typical entrance air kerma for the region and age, FDA 2017), nuclear medicine as its recorded effective dose, MRI zero. Flagged and not-modelled exams (mammography) add nothing.")
        r.table(caption: "Imaging exams by tier", header: ["Tier", "Exams"],
                rows: imaging.byTier.sorted { $0.key < $1.key }.map { [$0.key, formatNumber(Double($0.value))] })
        if !imaging.reasons.isEmpty {
            r.table(caption: "Imaging exams not dosed, by reason", header: ["Reason", "Exams"],
                    rows: imaging.reasons.sorted { $0.value > $1.value }.map { [$0.key, formatNumber(Double($0.value))] })
        }
        for t in truth where !t.comparison.ratios.isEmpty {
            let wanted = ["red_marrow_mgy", "brain_mgy", "lung_mgy", "effective_dose_msv"]
            var cells: [String: (n: Int, text: String)] = [:]
            for x in t.comparison.ratios where wanted.contains(x.quantity) {
                cells[x.examType + "\u{1F}" + x.tier + "\u{1F}" + x.quantity] = (x.n, String(format: "%.2f [%.2f-%.2f]", x.median, x.low95, x.high95))
            }
            let types = Set(cells.keys.map { $0.split(separator: "\u{1F}").prefix(2).joined(separator: "\u{1F}") }).sorted()
            r.table(caption: "Reconstructed / true imaging organ dose per exam type (\(t.name); median [2.5th-97.5th percentile]; \(t.comparison.matched) exams matched)",
                    header: ["Exam type", "Tier", "Exams"] + ["Red marrow", "Brain", "Lung", "Effective dose"],
                    rows: types.map { k in
                        let p = k.split(separator: "\u{1F}").map(String.init)
                        let n = wanted.compactMap { cells[k + "\u{1F}" + $0]?.n }.max() ?? 0
                        return [p[0], p[1], formatNumber(Double(n))] + wanted.map { cells[k + "\u{1F}" + $0]?.text ?? "—" }
                    })
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
