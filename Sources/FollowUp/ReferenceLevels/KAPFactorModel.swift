import Foundation
import HarmonicCore

/// Which factors explain the KAP of one procedure group: a documented log-linear regression, so a
/// site sees where dose can be reduced (an era, a hospital, an X-ray system, long fluoroscopy,
/// many cine frames) and by how much.
///
/// Model (ordinary least squares; log-normal KAP, as in dose surveys, e.g. Ubeda et al. 2020):
///
///     ln KAP = β₀ + era (decade) + hospital + X-ray system + β_f ln(fluoroscopy s)
///              + β_c ln(1 + cine frames) + β_w ln(weight kg) + ε
///
/// for the procedures of one class or type in one age band. Categorical factors are coded against
/// their most frequent level (the reference); an X-ray system not recorded is its own level.
/// Weight is a size adjustment within the band. exp(β) is the factor by which KAP changes
/// (per level, or per doubling ×2^β for the log terms). Each factor's importance is the drop in
/// R² when it is removed, with its F test (type II sums of squares: each factor after all the
/// others, as R's `car::Anova` or statsmodels' `anova_lm(typ=2)` compute them for main effects).
/// Procedures missing a covariate are left out and counted.
public struct KAPFactorModel: Sendable, Codable {
    public struct Term: Sendable, Codable, Hashable {
        /// e.g. `era: 1990s`, `hospital: FR/fr-H3`, `ln fluoroscopy time (s)`.
        public var name: String
        public var factor: String
        public var estimate: Double
        public var standardError: Double
        /// exp(estimate) and its 95% interval: the multiplicative effect on KAP.
        public var multiplicativeEffect: Double
        public var lower95: Double
        public var upper95: Double
        public var pValue: Double
    }

    public struct FactorTest: Sendable, Codable, Hashable {
        public var factor: String
        public var degreesOfFreedom: Int
        /// R² lost when the factor is removed (share of the variance of ln KAP it alone explains).
        public var rSquaredDrop: Double
        public var fStatistic: Double
        public var pValue: Double
    }

    public var procedure: String
    public var band: String
    public var procedures: Int
    public var excluded: Int
    public var referenceLevels: [String: String]
    public var rSquared: Double
    public var residualSD: Double
    public var terms: [Term]
    /// Columns dropped because they are linear combinations of others (e.g. a system used in one era only).
    public var aliased: [String]
    public var factors: [FactorTest]
    /// The achievable dose and local DRL of the group (Gy·cm²), for reading the effects against.
    public var achievableDoseGyCm2: Double?
    public var localDRLGyCm2: Double?

    /// The problem a fit can meet: too few procedures with every covariate.
    public struct TooFewProcedures: Error, CustomStringConvertible {
        public var procedure: String, band: String, usable: Int, parameters: Int
        public var description: String {
            "\(procedure), \(band): \(usable) procedures carry KAP, fluoroscopy time, cine frames and weight, too few for the \(parameters) "
                + "parameters of the model. Choose a larger group (a class instead of a type, or another band)."
        }
    }

    /// Fits the model on the procedures of `procedure` (a class, `all` or a type code) in `band`.
    public static func fit(_ all: [ProcedureDose], procedure: String, grouping: ProcedureGrouping, band: PatientBand,
                           table: ReferenceLevelTable? = nil) throws -> KAPFactorModel {
        let inGroup = all.filter { p in
            let matches = grouping == .procedureType ? p.procedureType == procedure : (procedure == "all" || p.procedureClass == procedure)
            return matches && p.band(band.kind) == band && p.kapGyCm2 != nil
        }
        let usable = inGroup.filter { p in
            (p.kapGyCm2 ?? 0) > 0 && (p.fluoroTimeS ?? 0) > 0 && p.cineFrames != nil && (p.weightKg ?? 0) > 0
        }
        func decade(_ p: ProcedureDose) -> String { "\(p.date.year / 10 * 10)s" }
        let factorLevels: [(name: String, level: (ProcedureDose) -> String)] = [
            ("era", decade), ("hospital", { $0.hospitalKey }), ("X-ray system", { $0.equipment ?? "not recorded" }),
        ]
        var columns: [[Double]] = [[Double](repeating: 1, count: usable.count)]
        var names = ["(intercept)"], factorOf = ["(intercept)"]
        var references: [String: String] = [:]
        for f in factorLevels {
            var counts: [String: Int] = [:]
            for p in usable { counts[f.level(p), default: 0] += 1 }
            let levels = counts.keys.sorted { (counts[$0]!, $1) > (counts[$1]!, $0) }
            guard let ref = levels.first else { continue }
            references[f.name] = ref
            for level in levels.dropFirst().sorted() {
                columns.append(usable.map { f.level($0) == level ? 1 : 0 })
                names.append("\(f.name): \(level)"); factorOf.append(f.name)
            }
        }
        let continuous: [(String, (ProcedureDose) -> Double)] = [
            ("ln fluoroscopy time (s)", { log($0.fluoroTimeS!) }),
            ("ln (1 + cine frames)", { log1p($0.cineFrames!) }),
            ("ln weight (kg)", { log($0.weightKg!) }),
        ]
        for (name, value) in continuous {
            columns.append(usable.map(value)); names.append(name); factorOf.append(name)
        }
        let y = usable.map { log($0.kapGyCm2!) }
        guard let full = LeastSquares(columns: columns, y: y) else {
            throw TooFewProcedures(procedure: procedure, band: band.description, usable: usable.count, parameters: columns.count)
        }
        let mean = y.reduce(0, +) / Double(y.count)
        let tss = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let df = Double(full.residualDF)
        let t975 = Distributions.tQuantile975(df: df)
        var terms: [Term] = []
        for (k, j) in full.kept.enumerated() where j > 0 {
            let b = full.coefficients[j]!, se = sqrt(full.covariance[k][k])
            terms.append(Term(name: names[j], factor: factorOf[j], estimate: b, standardError: se, multiplicativeEffect: exp(b),
                              lower95: exp(b - t975 * se), upper95: exp(b + t975 * se),
                              pValue: Distributions.twoSidedT(b / se, df: df)))
        }
        let aliased = columns.indices.filter { full.coefficients[$0] == nil }.map { names[$0] }
        var tests: [FactorTest] = []
        for factor in Array(factorLevels.map(\.name)) + continuous.map(\.0) {
            let drop = Set(columns.indices.filter { factorOf[$0] == factor && full.coefficients[$0] != nil })
            guard !drop.isEmpty else { continue }
            let reducedColumns = columns.indices.filter { !drop.contains($0) }.map { columns[$0] }
            guard let reduced = LeastSquares(columns: reducedColumns, y: y) else { continue }
            let d1 = reduced.residualDF - full.residualDF
            guard d1 > 0 else { continue }
            let f = ((reduced.rss - full.rss) / Double(d1)) / (full.rss / df)
            tests.append(FactorTest(factor: factor, degreesOfFreedom: d1, rSquaredDrop: (reduced.rss - full.rss) / tss,
                                    fStatistic: f, pValue: Distributions.upperF(f, Double(d1), df)))
        }
        let group = table?.group(grouping, procedure, band)
        return KAPFactorModel(procedure: "\(grouping.rawValue) \(procedure)", band: band.description, procedures: usable.count,
                              excluded: inGroup.count - usable.count, referenceLevels: references, rSquared: 1 - full.rss / tss,
                              residualSD: sqrt(full.rss / df), terms: terms, aliased: aliased, factors: tests,
                              achievableDoseGyCm2: group?.achievableDoseGyCm2, localDRLGyCm2: group?.localDRLGyCm2)
    }
}
