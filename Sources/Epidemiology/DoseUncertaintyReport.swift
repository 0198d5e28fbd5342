import Foundation
import HarmonicCore

/// The dose-uncertainty part of an analysis: the same model fitted over N dose realisations by
/// Monte Carlo maximum likelihood (profile interval) and by frequentist model averaging, next
/// to the mean-dose (regression calibration) fit, and how much the intervals widen.
public struct DoseUncertaintyReport: Sendable, Codable {
    public var realisations: Int
    public var parameter: String
    public var meanDose: ParameterEstimate
    /// nil when the Monte Carlo likelihood could not be maximised to an interior point with a
    /// positive-definite information (`monteCarloMLProblem` says why); model averaging still reports.
    public var monteCarloML: ParameterEstimate?
    public var monteCarloMLProblem: String?
    public var modelAveraged: ModelAveragedEstimate
    /// Width of the MCML profile interval over the mean-dose profile interval (nil when open).
    public var mcmlWidening: Double?
    /// Model-averaged SE over the mean-dose SE.
    public var averagedSEWidening: Double

    public static func run(members: [CohortMember], request q: DoseResponseAnalysis.Request, meanDoseFit: DoseResponseAnalysis,
                           source: some DoseRealisationSource) throws -> DoseUncertaintyReport {
        let split = try PersonYearSplitter.split(members, options: DoseResponseAnalysis.personYearOptions(members: members, request: q))
        let real = try source.realisations(of: q.organ, for: members)
        let doses = cellDoseRealisations(split, realisations: real)
        let model = try ModelDesign(table: split.table).model(q.model)
        guard let k = model.doseParameterIndex else { throw FitError.didNotConverge(iterations: 0) }
        // The averaged likelihood can peak on the edge of its domain (where a realisation's 1 + β·d
        // reaches 0, e.g. a negative mean-dose estimate near its own boundary): then there is no
        // interior maximum and no Wald/profile interval; say so instead of failing the analysis.
        let mc: RiskModelFit?, mcProblem: String?
        do {
            mc = try RiskModelFitter.fit(MonteCarloLikelihood(model: model, cellDoses: doses, realisationCount: real.realisationCount),
                                         start: meanDoseFit.fit.theta, profile: [k], level: q.level)
            mcProblem = nil
        } catch {
            mc = nil; mcProblem = "\(error)"
        }
        let fma = try DoseUncertaintyAnalysis.modelAverage(model: model, cellDoses: doses, realisationCount: real.realisationCount,
                                                           parameter: k, level: q.level)
        let rc = meanDoseFit.fit.parameters[k], m = mc?.parameters[k]
        func width(_ p: ParameterEstimate) -> Double? {
            guard let lo = p.profileLower?.value ?? { if case .boundary(let b) = p.profileLower { b } else { nil } }(),
                  let hi = p.profileUpper?.value else { return nil }
            return hi - lo
        }
        let widening: Double? = { if let m, let a = width(m), let b = width(rc), b > 0 { a / b } else { nil } }()
        return DoseUncertaintyReport(realisations: real.realisationCount, parameter: model.parameterNames[k], meanDose: rc, monteCarloML: m,
                                     monteCarloMLProblem: mcProblem, modelAveraged: fma, mcmlWidening: widening, averagedSEWidening: fma.standardError / rc.standardError)
    }

    public var text: String {
        func ci(_ p: ParameterEstimate) -> String { "[\(p.profileLower?.text ?? "-"), \(p.profileUpper?.text ?? "-")]" }
        var s = "dose uncertainty over \(realisations) realisations (\(parameter))\n"
        s += String(format: "  mean dose (regression calibration) %10.4g  profile CI %@\n", meanDose.estimate, ci(meanDose))
        if let m = monteCarloML {
            s += String(format: "  Monte Carlo maximum likelihood     %10.4g  profile CI %@", m.estimate, ci(m))
            if let w = mcmlWidening { s += String(format: "  (%.2fx as wide)", w) }
        } else {
            s += "  Monte Carlo maximum likelihood     not available: \(monteCarloMLProblem ?? "no fit")"
        }
        s += String(format: "\n  model averaging (%d fits)          %10.4g  CI [%.4g, %.4g]  SE %.4g (%.2fx the mean-dose SE)\n",
                    modelAveraged.fittedRealisations, modelAveraged.estimate, modelAveraged.lower, modelAveraged.upper,
                    modelAveraged.standardError, averagedSEWidening)
        return s
    }
}
