import Epidemiology
import Foundation
import Synthesis

/// One synthetic cardiac cohort drawn by the Synthesis module's generator (`harmonic synth`)
/// and read back as an analysis cohort with its true organ doses and its true ERR/Gy from
/// truth/truth.json: the replicate of a coverage study against synth's truth.
public enum SyntheticAnalysisCohort {
    /// Synthesises `children` cardiac children (no radiotherapy registry, no corrupted rows) with
    /// `seed` into `scratch` (removed afterwards), and returns the analysis cohort and the truth.
    public static func draw(children: Int, seed: UInt64, trueERR: [SynthOutcome: Double], outcome: OutcomeGroup,
                            scratch: URL) throws -> (members: [CohortMember], trueERRPerGy: Double) {
        let fm = FileManager.default
        try? fm.removeItem(at: scratch)
        defer { try? fm.removeItem(at: scratch) }
        try CohortSynthesizer.run(SynthesisConfiguration(seed: seed, cardiacChildren: children, radiotherapyChildren: 0,
                                                         corruptFraction: 0, trueERRPerGy: trueERR), to: scratch)
        let files = try SyntheticCohortFolder.read(directory: scratch)
        let truth = try SyntheticCohortFolder.trueERRPerGy(truthFile: scratch.appendingPathComponent("truth/truth.json"), outcome: outcome)
        return (AnalysisCohort.build(patients: files.patients, diagnoses: files.diagnoses, doses: files.doses).members, truth)
    }

    /// Cells by lagged red-marrow dose (Gy) as well, so that each stratum holds dose contrast.
    public static let coverageDoseCuts = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05]
    /// The model of the synth coverage study: synth draws cancers from baseline rates by sex,
    /// attained-age band (5, 10, 15, 20, 30, 40 y), predisposing condition and a calendar trend
    /// (Synthesis/BaselineRates.swift), so the background is stratified on the first three and
    /// log-linear in calendar year (synth's trend is +1%/year under age 20).
    public static let coverageModel = "err: dose; background: strata(sex, attained_age, predisposing_condition) + calendar_year"
}
