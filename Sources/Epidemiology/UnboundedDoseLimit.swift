import Foundation

/// The linear ERR model as β → +∞.
///
/// With λᵢ = PYᵢ·exp(ηᵢ)·(1 + β·dᵢ·exp(γ·zᵢ)), for every cell with dᵢ > 0 the log rate is
/// ηᵢ + log β + log dᵢ + γ·zᵢ + log(1 + 1/(β·dᵢ·exp(γ·zᵢ))). The log β is absorbed by the intercept
/// (or by each stratum's intercept), and the last term vanishes, so the profile log-likelihood
/// ℓ_p(β) = max over the other parameters tends to a finite limit: the maximum of the log-linear
/// model λᵢ = PYᵢ·dᵢ·exp(ηᵢ + γ·zᵢ), rate proportional to dose (docs/model-language.md,
/// "Unbounded ERR estimates"). Cells at zero dose keep rate exp(η) while their exposed neighbours'
/// rates grow like β: they drop out of the limit when they hold no cases, and any case at zero dose
/// (in the same stratum as exposed cells) sends ℓ_p(β) to −∞, so the likelihood bounds β above.
extension ExcessRiskModel {
    /// lim_{β→+∞} ℓ_p(β) for a linear ERR model: a finite value (a plateau the profile approaches
    /// from below or above), −∞ (cases at zero dose: β is bounded above), or nil when the limit is
    /// not of this kind (not a linear ERR, no intercept or strata to absorb log β, negative doses,
    /// or the limit model did not converge).
    public func limitLogLikelihoodAsDoseCoefficientGrows() -> Double? {
        guard form == .relative, shape == .linear, doseParameterIndex != nil else { return nil }
        let n = events.count
        let hasIntercept = background.contains { col in col.allSatisfy { $0 == 1 } }
        guard strata != nil || hasIntercept else { return nil }
        // A stratum whose cells are all unexposed keeps its rates: its own intercept absorbs nothing.
        var exposedStratum = [Bool](repeating: false, count: max(strataCount, 1))
        for i in 0..<n where personYears[i] > 0 {
            if dose[i] < 0 { return nil }
            if dose[i] > 0 { exposedStratum[strata.map { Int($0[i]) } ?? 0] = true }
        }
        var y: [Double] = [], t: [Double] = [], s: [Int32] = []
        var bx = [[Double]](repeating: [], count: background.count + modifiers.count)
        for i in 0..<n where personYears[i] > 0 {
            let stratum = strata.map { Int($0[i]) } ?? 0
            let exposed = dose[i] > 0
            if !exposed && exposedStratum[stratum] {
                if events[i] > 0 { return -.infinity }
                continue
            }
            y.append(events[i]); t.append(exposed ? personYears[i] * dose[i] : personYears[i])
            if let st = strata { s.append(st[i]) }
            for k in background.indices { bx[k].append(background[k][i]) }
            // Modifiers act on the excess only: an unexposed stratum's cells have none.
            for k in modifiers.indices { bx[background.count + k].append(exposed ? modifiers[k][i] : 0) }
        }
        let limit = ExcessRiskModel(form: .none, events: y, personYears: t, dose: [Double](repeating: 0, count: y.count),
                                    background: bx, backgroundNames: backgroundNames + modifierNames,
                                    strata: strata == nil ? nil : s)
        var start = [Double](repeating: 0, count: limit.parameterCount)
        if strata == nil, let i = background.firstIndex(where: { col in col.allSatisfy { $0 == 1 } }) {
            start[i] = log(max(y.reduce(0, +), 0.5) / max(t.reduce(0, +), 1e-300))
        }
        guard let r = MaximumLikelihood.maximise(limit, start: start), r.converged else { return nil }
        return r.value.logLikelihood
    }
}
