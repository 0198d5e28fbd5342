import Foundation
import HarmonicCore

extension DoseRealisationMatrix {
    /// Log-normal realisations around each exposure's mean dose with a shared (one draw per
    /// realisation, common to all children) and an unshared (per exposure) multiplicative error,
    /// each with mean 1: dose·exp(σ_s·ε_r − σ_s²/2)·exp(σ_u·ε_er − σ_u²/2) (the shared/unshared
    /// error structure of Stayner et al. 2007 and Kwon et al. 2016).
    public static func simulate(members: [CohortMember], organ: Organ, count: Int, sharedSigma: Double,
                                unsharedSigma: Double, seed: UInt64) -> DoseRealisationMatrix {
        var offs = [0]
        for m in members { offs.append(offs.last! + m.exposures.count) }
        let offsets = offs
        var shared = RandomStream(seed: seed, stream: UInt64.max)
        let sharedFactor = (0..<count).map { _ in exp(sharedSigma * shared.normal() - sharedSigma * sharedSigma / 2) }
        let blocks = 32, n = members.count
        let parts: [[Float]] = ParallelSlots.map(blocks, initial: []) { b in
            let lo = n * b / blocks, hi = n * (b + 1) / blocks
            var out = [Float](); out.reserveCapacity((offsets[hi] - offsets[lo]) * count)
            for i in lo..<hi {
                var rng = RandomStream(seed: seed, stream: UInt64(i))
                for e in members[i].exposures {
                    let mean = e.organDoses[organ]?.value ?? 0
                    for r in 0..<count {
                        out.append(Float(mean * sharedFactor[r] * exp(unsharedSigma * rng.normal() - unsharedSigma * unsharedSigma / 2)))
                    }
                }
            }
            return out
        }
        return DoseRealisationMatrix(realisationCount: count, exposureOffsets: offsets, values: parts.flatMap { $0 })
    }
}

/// Person-year-weighted mean cell dose under every realisation, realisation-major
/// (values[r·cells + c]), from the segments of a person-year split.
public func cellDoseRealisations(_ py: PersonYearResult, realisations: some DoseRealisations) -> [Float] {
    let cells = py.table.count, R = realisations.realisationCount
    let offsets = realisations.exposureOffsets
    let nSeg = py.segmentCell.count, chunks = 8   // fixed chunking: reproducible sums
    // Each chunk of segments accumulates Σ PY·dose_r per cell for all realisations (contiguous in r).
    let partial: [[Double]] = ParallelSlots.map(chunks, initial: []) { c in
        var sum = [Double](repeating: 0, count: cells * R)
        var acc = [Double](repeating: 0, count: R)
        for s in (nSeg * c / chunks)..<(nSeg * (c + 1) / chunks) {
            let k = Int(py.segmentExposures[s]); guard k > 0 else { continue }
            let base = offsets[Int(py.segmentMember[s])]
            for r in 0..<R { acc[r] = 0 }
            for j in 0..<k { for r in 0..<R { acc[r] += Double(realisations.dose(exposure: base + j, realisation: r)) } }
            let t = py.segmentPersonYears[s], cell = Int(py.segmentCell[s])
            for r in 0..<R { sum[cell * R + r] += t * acc[r] }
        }
        return sum
    }
    var out = [Float](repeating: 0, count: cells * R)
    for c in 0..<cells where py.table.personYears[c] > 0 {
        for r in 0..<R {
            var v = 0.0
            for p in partial { v += p[c * R + r] }
            out[r * cells + c] = Float(v / py.table.personYears[c])
        }
    }
    return out
}

/// Monte Carlo maximum likelihood: the likelihood averaged over dose realisations,
/// L(θ) = (1/R) Σ_r L(θ; d_r) (Stayner et al., Radiat Res 2007; Kwon et al., Stat Med 2016).
/// With strata, each realisation's stratum intercepts are profiled separately (an
/// approximation; use a parametric background for the exact MCML).
public struct MonteCarloLikelihood: LogLikelihoodFunction {
    public var model: ExcessRiskModel
    /// Cell doses per realisation, realisation-major (values[r·cells + c]).
    public var cellDoses: [Float]
    public var realisationCount: Int
    public var parameterCount: Int { model.parameterCount }
    public var parameterNames: [String] { model.parameterNames }

    public init(model: ExcessRiskModel, cellDoses: [Float], realisationCount: Int) {
        self.model = model; self.cellDoses = cellDoses; self.realisationCount = realisationCount
    }

    public func evaluate(_ theta: [Double]) -> LikelihoodValue? {
        let n = model.events.count, R = realisationCount
        let values: [LikelihoodValue?] = ParallelSlots.map(R, initial: nil) { r in
            cellDoses.withUnsafeBufferPointer { buf in
                model.evaluate(theta, dose: UnsafeBufferPointer(rebasing: buf[(r * n)..<((r + 1) * n)]))
            }
        }
        // Realisations outside the domain contribute zero likelihood; all outside = infeasible.
        let ok = values.compactMap { $0 }
        guard !ok.isEmpty else { return nil }
        let mx = ok.map(\.logLikelihood).max()!
        let w = ok.map { exp($0.logLikelihood - mx) }, sw = w.reduce(0, +)
        let p = parameterCount
        var grad = [Double](repeating: 0, count: p), info = [Double](repeating: 0, count: p * p)
        for (v, wi) in zip(ok, w) {
            let a = wi / sw
            for i in 0..<p { grad[i] += a * v.gradient[i] }
            for i in 0..<(p * p) { info[i] += a * v.information[i] }
        }
        // Information of the mixture: E_w[I_r] − Var_w[g_r] (the realisations' scores disagree).
        for (v, wi) in zip(ok, w) {
            let a = wi / sw
            for i in 0..<p { for j in 0..<p { info[i * p + j] -= a * (v.gradient[i] - grad[i]) * (v.gradient[j] - grad[j]) } }
        }
        return LikelihoodValue(logLikelihood: mx + log(sw) - log(Double(R)), gradient: grad, information: info)
    }
}

/// Frequentist model averaging over dose realisations (Kwon et al., Stat Med 2016): one fit
/// per realisation, AIC weights w_r ∝ exp(−AIC_r/2), averaged estimate Σ w_r β̂_r and variance
/// Σ w_r (SE_r² + (β̂_r − β̄)²) (Buckland, Burnham & Augustin 1997).
public struct ModelAveragedEstimate: Sendable, Codable {
    public var name: String
    public var estimate: Double
    public var standardError: Double
    public var lower: Double
    public var upper: Double
    public var fittedRealisations: Int
}

public enum DoseUncertaintyAnalysis {
    public static func modelAverage(model: ExcessRiskModel, cellDoses: [Float], realisationCount R: Int,
                                    parameter k: Int, level: Double = 0.95) throws -> ModelAveragedEstimate {
        let n = model.events.count
        let fits: [(Double, Double, Double)?] = ParallelSlots.map(R, initial: nil) { r in
            var m = model; m.dose = cellDoses[(r * n)..<((r + 1) * n)].map(Double.init)
            guard let f = try? RiskModelFitter.fit(m, start: m.startingValues()) else { return nil }
            return (f.theta[k], f.parameters[k].standardError, f.aic)
        }
        let ok = fits.compactMap { $0 }
        guard !ok.isEmpty else { throw FitError.didNotConverge(iterations: 0) }
        let minAIC = ok.map(\.2).min()!
        let w = ok.map { exp(-($0.2 - minAIC) / 2) }, sw = w.reduce(0, +)
        let est = zip(ok, w).reduce(0) { $0 + $1.1 / sw * $1.0.0 }
        let v = zip(ok, w).reduce(0) { $0 + $1.1 / sw * ($1.0.1 * $1.0.1 + ($1.0.0 - est) * ($1.0.0 - est)) }
        let z = Distributions.normalQuantile(0.5 + level / 2), se = v.squareRoot()
        return ModelAveragedEstimate(name: model.parameterNames[k], estimate: est, standardError: se,
                                     lower: est - z * se, upper: est + z * se, fittedRealisations: ok.count)
    }
}
