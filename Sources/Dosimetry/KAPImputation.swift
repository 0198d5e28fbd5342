import Foundation
import HarmonicCore

/// KAP for procedures without a dose record, learned from the procedures that have one:
/// ordinary least squares of log KAP on era (one level per five-year era, no intercept),
/// country, procedure type, log body weight and age,
///
///     log KAP = era + country + type + b_w · log(weight) + b_a · age + residual,  residual ~ N(0, σ²).
///
/// The era levels carry their standard errors: in the uncertainty model they are the shared
/// (era-level) imputation error; the residual σ is the unshared per-record error.
/// Weight, when not recorded, is the reference weight for age (`ReferenceGrowth`).
public struct KAPImputation: Sendable, Hashable {
    /// Era coefficient and its standard error, by `DoseEra.index`.
    public var eraEffect: [Double]
    public var eraStandardError: [Double]
    public var countryEffect: [String: Double]
    public var typeEffect: [String: Double]
    public var logWeightSlope: Double
    public var ageSlope: Double
    /// Residual SD on the log scale.
    public var residualSD: Double
    /// Records the model was fitted on.
    public var records: Int

    /// Standard error given to an era without any KAP record (its effect is the nearest era's):
    /// an assumption of this reconstruction, a factor e^0.5 ≈ 1.65 either way at 1 SD.
    public static let missingEraStandardError = 0.5

    /// Fits on the procedures whose tier is `event` or `totals` (KAP = recorded total, or the
    /// sum of event KAPs when no total is recorded). Needs at least one record.
    public init(procedures: [ProcedureInput], tiers: [DoseTier], events: [EventInput]) throws {
        var countries: [String: Int] = [:], types: [String: Int] = [:]
        var rows: [(era: Int, country: String, type: String, logW: Double, age: Double, y: Double)] = []
        for (i, p) in procedures.enumerated() where tiers[i] == .event || tiers[i] == .totals {
            var kap = p.totalKAP
            if !kap.isFinite { kap = events[p.eventStart ..< p.eventStart + p.eventCount].reduce(0) { $0 + $1.kapGyCm2 } }
            guard kap > 0 else { continue }
            let w = p.weightKg.isFinite ? p.weightKg : ReferenceGrowth.medianWeight(age: p.ageYears)
            rows.append((p.era.index, p.country, p.procedureType, log(w), p.ageYears, log(kap)))
            countries[p.country, default: 0] += 1; types[p.procedureType, default: 0] += 1
        }
        guard !rows.isEmpty else {
            throw DoseModelError("cannot fit the KAP imputation: no procedure has a recorded KAP")
        }
        // Reference levels (effect 0): the commonest country and type.
        let countryLevels = countries.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.dropFirst().map(\.key)
        let typeLevels = types.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.dropFirst().map(\.key)
        let eras = DoseEra.all.count
        let cIndex = Dictionary(uniqueKeysWithValues: countryLevels.enumerated().map { ($1, eras + $0) })
        let tIndex = Dictionary(uniqueKeysWithValues: typeLevels.enumerated().map { ($1, eras + countryLevels.count + $0) })
        let wCol = eras + countryLevels.count + typeLevels.count, aCol = wCol + 1, p = aCol + 1
        var xtx = [Double](repeating: 0, count: p * p), xty = [Double](repeating: 0, count: p)
        var x = [Double](repeating: 0, count: p)
        var eraCount = [Int](repeating: 0, count: eras)
        for r in rows {
            for k in 0..<p { x[k] = 0 }
            x[r.era] = 1; eraCount[r.era] += 1
            if let c = cIndex[r.country] { x[c] = 1 }
            if let t = tIndex[r.type] { x[t] = 1 }
            x[wCol] = r.logW; x[aCol] = r.age
            for a in 0..<p where x[a] != 0 {
                xty[a] += x[a] * r.y
                for b in 0..<p where x[b] != 0 { xtx[a * p + b] += x[a] * x[b] }
            }
        }
        // Eras without records get a unit diagonal (coefficient 0, filled in below); a small ridge
        // (1e-6 of the mean diagonal) keeps the system positive definite when columns are collinear
        // (e.g. weight and age in a small registry).
        let ridge = 1e-6 * max(1e-12, (0..<p).reduce(0.0) { $0 + xtx[$1 * p + $1] } / Double(p))
        for k in 0..<p { xtx[k * p + k] += (k < eras && eraCount[k] == 0) ? 1 : ridge }
        let inverse = try LinearAlgebra.inverseSPD(xtx, n: p)
        var beta = [Double](repeating: 0, count: p)
        for a in 0..<p { for b in 0..<p { beta[a] += inverse[a * p + b] * xty[b] } }
        var rss = 0.0
        for r in rows {
            var f = beta[r.era] + beta[wCol] * r.logW + beta[aCol] * r.age
            if let c = cIndex[r.country] { f += beta[c] }
            if let t = tIndex[r.type] { f += beta[t] }
            rss += (r.y - f) * (r.y - f)
        }
        let sigma2 = rss / Double(max(1, rows.count - p))
        var effect = (0..<eras).map { beta[$0] }
        var se = (0..<eras).map { (max(0, inverse[$0 * p + $0] * sigma2)).squareRoot() }
        for e in 0..<eras where eraCount[e] == 0 {
            let nearest = (0..<eras).filter { eraCount[$0] > 0 }.min { abs($0 - e) < abs($1 - e) }!
            effect[e] = effect[nearest]; se[e] = max(se[nearest], Self.missingEraStandardError)
        }
        eraEffect = effect; eraStandardError = se
        countryEffect = Dictionary(uniqueKeysWithValues: countryLevels.map { ($0, beta[cIndex[$0]!]) })
        typeEffect = Dictionary(uniqueKeysWithValues: typeLevels.map { ($0, beta[tIndex[$0]!]) })
        logWeightSlope = beta[wCol]; ageSlope = beta[aCol]
        residualSD = sigma2.squareRoot(); records = rows.count
    }

    /// Predicted mean of log KAP (its exponential is the median KAP) for a procedure.
    public func logKAP(for p: ProcedureInput) -> Double {
        let w = p.weightKg.isFinite ? p.weightKg : ReferenceGrowth.medianWeight(age: p.ageYears)
        return eraEffect[p.era.index] + (countryEffect[p.country] ?? 0) + (typeEffect[p.procedureType] ?? 0)
            + logWeightSlope * log(w) + ageSlope * p.ageYears
    }

    /// A short fingerprint of the fitted parameters (part of the input hash of imputed procedures).
    public var fingerprint: UInt64 {
        var h = StableHash()
        for v in eraEffect + eraStandardError + [logWeightSlope, ageSlope, residualSD] { h.add(v) }
        for (k, v) in countryEffect.sorted(by: { $0.key < $1.key }) { h.add(k); h.add(v) }
        for (k, v) in typeEffect.sorted(by: { $0.key < $1.key }) { h.add(k); h.add(v) }
        return h.value
    }
}

/// A model that cannot be built from the data given.
public struct DoseModelError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Small dense linear algebra for the imputation fit.
enum LinearAlgebra {
    /// Inverse of a symmetric positive-definite n×n matrix (row-major) by Cholesky.
    static func inverseSPD(_ a: [Double], n: Int) throws -> [Double] {
        var l = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for j in 0...i {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                if i == j {
                    guard s > 0 else { throw DoseModelError("KAP imputation design matrix is singular") }
                    l[i * n + i] = s.squareRoot()
                } else { l[i * n + j] = s / l[j * n + j] }
            }
        }
        var inv = [Double](repeating: 0, count: n * n)
        var col = [Double](repeating: 0, count: n)
        for c in 0..<n {
            for i in 0..<n { col[i] = i == c ? 1 : 0 }
            for i in 0..<n { var s = col[i]; for k in 0..<i { s -= l[i * n + k] * col[k] }; col[i] = s / l[i * n + i] }
            for i in stride(from: n - 1, through: 0, by: -1) {
                var s = col[i]; for k in (i + 1)..<n { s -= l[k * n + i] * col[k] }; col[i] = s / l[i * n + i]
            }
            for i in 0..<n { inv[i * n + c] = col[i] }
        }
        return inv
    }
}
