import Foundation
import HarmonicCore

/// `truth/truth.json`: what synth used to draw the cohort, so analyses can be checked.
enum TruthFile {
    static func write(config: SynthesisConfiguration, summary: SynthesisSummary, to url: URL) throws {
        var outcomes: [String: Any] = [:]
        for o in SynthOutcome.allCases {
            var bands: [String: Double] = [:]
            var lower = 0.0
            for (i, upper) in BaselineRates.bandUpper.enumerated() {
                bands["\(Int(lower))-\(upper > 150 ? "" : String(Int(upper)))"] = BaselineRates.table[o]![i]
                lower = upper
            }
            outcomes[o.rawValue] = [
                "true_err_per_gy": config.trueERRPerGy[o] ?? 0,
                "organ": o.organ.rawValue,
                "lag_years": o.lagYears,
                "baseline_rate_per_100000_by_age": bands,
                "cases_drawn": summary.cancersByOutcome[o] ?? 0,
            ] as [String: Any]
        }
        var conditions: [String: Any] = [:]
        for c in PredisposingCondition.allCases {
            var rr: [String: Double] = [:]
            for o in SynthOutcome.allCases { rr[o.rawValue] = c.relativeRisk(o) }
            conditions[c.rawValue] = ["prevalence": c.prevalence, "relative_risk": rr] as [String: Any]
        }
        var rows: [String: Int] = [:]
        for (t, n) in summary.rows { rows[t.rawValue] = n }
        let json: [String: Any] = [
            "format": "harmonic-synth-truth/1",
            "seed": config.seed,
            "cardiac_children": config.cardiacChildren,
            "radiotherapy_children": config.radiotherapyChildren,
            "corrupt_fraction": config.corruptFraction,
            "corrupted_rows": summary.corruptedRows,
            "follow_up_end": config.followUpEnd.description,
            "risk_model": "rate = baseline(outcome, age, sex, year) x product(condition RR) x (1 + ERR/Gy x organ dose lagged by lag_years, Gy)",
            "outcomes": outcomes,
            "conditions": conditions,
            "organ_dose_model": [
                "description": "organ dose = KAP x E/KAP(age) x organ/E ratio; see truth/organ_doses.csv (mGy) per procedure",
                "effective_dose_per_kap_msv_per_gy_cm2": ["0-1": 1.70, "1-5": 0.89, "5-10": 0.58, "10-16": 0.40, "16-": 0.20],
                "organ_to_effective_ratio": Dictionary(uniqueKeysWithValues: zip(TrueOrganDoseModel.organs.map(\.rawValue),
                                                                               TrueOrganDoseModel.ratioToEffective)),
            ] as [String: Any],
            "diagnostic_imaging_model": [
                "description": "CT and chest radiography of cardiac children, 2000-2020 (DiagnosticImagingSimulator; docs/imaging-dose.md): true technique per exam in truth/\(DiagnosticImagingSimulator.truthFileName), true organ doses in truth/imaging_organ_doses.csv",
                "ct_per_child_year": DiagnosticImagingSimulator.ctPerChildYear,
                "radiography_per_child_year": DiagnosticImagingSimulator.radiographyPerChildYear,
                "rate_source": "Afroz et al., Pediatr Radiol 2023;53:2502 (Norway, 2000-2020): 0.374 CT and 8.52 radiographs per child, over an assumed 9.4 years",
                "country_rate_factor": Dictionary(uniqueKeysWithValues: CardiacCohortShares.childrenPer70000.map {
                    ($0.0.rawValue, DiagnosticImagingSimulator.countryRateFactor($0.0, seed: config.seed)) }),
                "ct_region_shares": Dictionary(uniqueKeysWithValues: DiagnosticImagingSimulator.ctRegions.map { ($0.region, $0.share) }),
            ] as [String: Any],
            "rows": rows,
            "sites": summary.siteFolders,
        ]
        let data = try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
        try data.write(to: url)
    }
}
