import ArgumentParser
import FollowUp
import Foundation
import HarmonicCore
import Registry
import Synthesis

/// `harmonic biomarkers`: a biomarker or patient-reported outcome against organ dose.
struct BiomarkersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biomarkers",
        abstract: "Dose-response of a biomarker or patient-reported outcome of the RT registry against an organ's mean dose.",
        discussion: """
        The study's biology work package asks whether markers measured around radiotherapy (e.g. NT-proBNP, \
        troponin T) or patient-reported outcomes (e.g. PedsQL) change with the dose an organ received. Doses are \
        the reconstructed organ mean doses of `harmonic rt dose --store` (summed over a child's courses; a child \
        with an undosed or flagged course is left out and counted).

        Biomarkers (an analyte of biomarker_measurements): the value at --time-point (default end_of_rt) on the \
        log scale, adjusted for the value before RT (ANCOVA), age at RT and sex, one measurement per child: \
          log(after) = b0 + b1 log(before) + beta dose + b3 age + b4 female
        beta is the change of log(value) per Gy; 100(e^beta - 1) is the percent change per Gy.
        Scores (an instrument of pro_scores): every score after RT, with the years since RT, age and sex, \
        standard errors robust to a child's repeated scores (cluster-robust by child):
          score = b0 + beta dose + b2 years since RT + b3 age + b4 female
        beta is in score points per Gy. Method and sources: docs/follow-up.md.

        Examples:
          harmonic biomarkers --store harmonic-out/harmonic.sqlite --outcome nt_probnp --organ heart
          harmonic biomarkers --store S --outcome pedsql_total --organ brain --json
          harmonic biomarkers --store S --outcome troponin_t --organ heart --time-point follow_up \\
              --truth harmonic-out/extract/truth/outcome_dose_effects.json
        """
    )

    @Option(help: "Registry store with RT organ doses (`harmonic rt dose --store`).") var store: String
    @Option(help: "Analyte (biomarker_measurements.analyte, e.g. nt_probnp) or instrument (pro_scores.instrument, e.g. pedsql_total).") var outcome: String
    @Option(help: "Organ whose mean dose is the exposure (e.g. heart, brain, thyroid).") var organ: String
    @Option(help: "Biomarkers: sample time point analysed against the before_rt baseline (end_of_rt, after_rt, follow_up).") var timePoint = "end_of_rt"
    @Option(help: "Synthetic truth (truth/outcome_dose_effects.json of `harmonic synth`): print the true effect beside the estimate.") var truth: String?
    @Flag(help: "Print JSON.") var json = false

    struct Output: Encodable {
        var fit: OutcomeDoseFit
        var kind: String
        var unit: String?
        var timePoint: String?
        var childrenWithoutDose: Int
        var trueEffectPerGy: Double?
    }

    func validate() throws {
        guard ["end_of_rt", "after_rt", "follow_up", "during_rt"].contains(timePoint) else {
            throw ValidationError("--time-point '\(timePoint)' is not one of end_of_rt, after_rt, follow_up, during_rt")
        }
    }

    func run() throws {
        guard let o = Organ(rawValue: organ) else {
            throw ValidationError("--organ '\(organ)' is not an organ; use one of: \(Organ.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard FileManager.default.fileExists(atPath: store) else { throw InputError(.file(store), expected: "an existing registry store") }
        let data = try RegistryStore(path: store, role: .analyst).outcomeObservations(outcome: outcome, organ: o, timePoint: timePoint)
        let fit = data.kind == .biomarker
            ? try OutcomeDoseResponse.biomarkerChange(outcome: outcome, organ: organ, data.observations)
            : try OutcomeDoseResponse.repeatedScores(outcome: outcome, organ: organ, data.observations)
        var trueEffect: Double?
        if let truth {
            guard let bytes = FileManager.default.contents(atPath: truth),
                  let effects = try? JSONDecoder().decode([OutcomeDoseEffects.Effect].self, from: bytes) else {
                throw InputError(.file(truth), expected: "the outcome_dose_effects.json that harmonic synth writes in truth/")
            }
            trueEffect = effects.first { $0.outcome == outcome && $0.organ == organ }?.perGy ?? (effects.contains { $0.outcome == outcome } ? 0 : nil)
        }
        let out = Output(fit: fit, kind: data.kind.rawValue, unit: data.unit, timePoint: data.kind == .biomarker ? timePoint : nil,
                         childrenWithoutDose: data.childrenWithoutDose, trueEffectPerGy: trueEffect)
        if json { print(try jsonString(out)); return }
        print("\(outcome) against mean \(organ) dose: \(fit.children) children, \(fit.observations) measurements (dose \(fit.doseRangeGy.map { String(format: "%.2g", $0) }.joined(separator: " / ")) Gy min / median / max)")
        print("Model: \(fit.model)")
        if let pct = fit.percentPerGy {
            print(String(format: "beta = %.4f per Gy (95%% CI %.4f to %.4f), p = %.2g: %+.2f%% per Gy (%+.2f%% to %+.2f%%)",
                         fit.perGy, fit.lower95, fit.upper95, fit.pValue, pct[0], pct[1], pct[2]))
        } else {
            print(String(format: "beta = %.4f points per Gy (95%% CI %.4f to %.4f), p = %.2g", fit.perGy, fit.lower95, fit.upper95, fit.pValue))
        }
        if let trueEffect {
            print(String(format: "Synthetic truth: %.4f per Gy (%@ by the 95%% interval)", trueEffect,
                         (fit.lower95...fit.upper95).contains(trueEffect) ? "covered" : "NOT covered"))
        }
        if data.childrenWithoutDose > 0 { print("\(data.childrenWithoutDose) children with the outcome have an undosed or flagged course and are left out.") }
    }
}
