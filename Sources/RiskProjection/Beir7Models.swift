import Foundation
import HarmonicCore

/// Whether a risk coefficient multiplies the baseline rate (relative) or is added to it (absolute).
public enum RiskScale: String, Codable, Sendable, Hashable { case err = "ERR", ear = "EAR" }

/// A coefficient with its 95% interval; sampled as lognormal when the interval is positive, as a
/// normal (sd from the upper limit) when it reaches below zero, as RadRAT does
/// (Berrington de Gonzalez et al. 2012, J Radiol Prot 32:205, "Uncertainty").
public struct UncertainCoefficient: Sendable, Hashable {
    public var estimate: Double
    public var lower95: Double?
    public var upper95: Double

    /// A draw of the coefficient from a standard normal deviate `z`.
    @inline(__always)
    public func sample(z: Double) -> Double {
        if let lower95, lower95 > 0 {
            let sigma = (log(upper95) - log(lower95)) / (2 * 1.959964)
            return estimate * exp(sigma * z)
        }
        return estimate + (upper95 - estimate) / 1.959964 * z
    }
}

/// One BEIR VII solid-cancer term: `beta * D * exp(gamma * e*) * (a / aRef)^eta`.
public struct SolidCancerTerm: Sendable, Hashable {
    public var scale: RiskScale
    public var beta: UncertainCoefficient
    /// Per decade of e* (BEIR VII Table 12-2).
    public var gamma: Double
    public var eta: Double
    /// Breast only: attained-age exponent from age 50 on.
    public var etaFrom50: Double?

    /// The age-at-exposure and attained-age factor (without beta and dose).
    @inline(__always)
    public func modifier(site: RiskSite, ageAtExposure e: Double, attainedAge a: Double) -> Double {
        if site == .breast {
            let eStar = (e - 25) / 10
            let exponent = a < 50 ? eta : (etaFrom50 ?? eta)
            return exp(gamma * eStar) * pow(a / 50, exponent)
        }
        let eStar = (min(e, 30) - 30) / 10
        return exp(gamma * eStar) * (eta == 0 ? 1 : pow(a / 60, eta))
    }
}

/// BEIR VII leukaemia term: `beta * D * (1 + theta * D) * exp(gamma e* + delta log(t/25) + phi e* log(t/25))`.
public struct LeukaemiaTerm: Sendable, Hashable {
    public var scale: RiskScale
    public var beta: Double
    public var gamma: Double, delta: Double, phi: Double, theta: Double
    public var sigmaLogBeta: Double

    @inline(__always)
    public func modifier(ageAtExposure e: Double, yearsSince t: Double) -> Double {
        let eStar = (min(e, 30) - 30) / 10
        let lt = log(t / 25)
        return exp(gamma * eStar + delta * lt + phi * eStar * lt)
    }

    /// The dose factor D(1 + theta D).
    @inline(__always)
    public func doseFactor(_ d: Double) -> Double { d * (1 + theta * d) }
}

/// The BEIR VII preferred models (committed tables `beir7_solid_models.csv`, `beir7_leukaemia.csv`).
public struct Beir7Models: Sendable {
    public struct SiteModel: Sendable {
        public var err: SolidCancerTerm?
        public var ear: SolidCancerTerm?
        /// ERR share of the transport mixture (BEIR VII: 0.7; lung 0.3; breast 0; thyroid 1).
        public var weightERR: Double
    }
    public var solid: [Sex: [RiskSite: SiteModel]]
    public var leukaemia: [Sex: (err: LeukaemiaTerm, ear: LeukaemiaTerm)]
    public var leukaemiaWeightERR: Double

    /// The shipped tables.
    public static func beir7() throws -> Beir7Models {
        try Beir7Models(solidCSV: CSVTable(contentsOf: resourceURL("beir7_solid_models.csv")),
                        leukaemiaCSV: CSVTable(contentsOf: resourceURL("beir7_leukaemia.csv")))
    }

    init(solidCSV t: CSVTable, leukaemiaCSV l: CSVTable) throws {
        let cSite = try t.column("site"), cSex = try t.column("sex"), cScale = try t.column("scale")
        let cBeta = try t.column("beta"), cLo = try t.column("ci_low"), cHi = try t.column("ci_high")
        let cGamma = try t.column("gamma"), cEta = try t.column("eta"), cEta50 = try t.column("eta_from_50")
        let cW = try t.column("weight_err")
        var solid: [Sex: [RiskSite: SiteModel]] = [.male: [:], .female: [:]]
        for row in t.rows {
            guard let site = RiskSite(rawValue: t.string(row, cSite)), site.isSolid else {
                throw InputError(.row(file: t.file, line: row.line), field: "site", value: t.string(row, cSite),
                                 expected: "a solid-cancer site: " + RiskSite.allCases.filter(\.isSolid).map(\.rawValue).joined(separator: ", "))
            }
            let sex = try t.sex(row, cSex)
            guard let scale = RiskScale(rawValue: t.string(row, cScale)) else {
                throw InputError(.row(file: t.file, line: row.line), field: "scale", value: t.string(row, cScale), expected: "ERR or EAR")
            }
            let term = SolidCancerTerm(
                scale: scale,
                beta: UncertainCoefficient(estimate: try t.double(row, cBeta)!, lower95: try t.double(row, cLo, allowEmpty: true),
                                           upper95: try t.double(row, cHi)!),
                gamma: try t.double(row, cGamma)!, eta: try t.double(row, cEta)!,
                etaFrom50: try t.double(row, cEta50, allowEmpty: true))
            let w = try t.double(row, cW)!
            var m = solid[sex]![site] ?? SiteModel(err: nil, ear: nil, weightERR: w)
            if scale == .err { m.err = term } else { m.ear = term }
            solid[sex]![site] = m
        }
        self.solid = solid
        let lScale = try l.column("scale"), lSex = try l.column("sex"), lBeta = try l.column("beta")
        let lG = try l.column("gamma"), lD = try l.column("delta"), lP = try l.column("phi"), lT = try l.column("theta")
        let lS = try l.column("sigma_log_beta"), lW = try l.column("weight_err")
        var terms: [Sex: [RiskScale: LeukaemiaTerm]] = [:]
        var w = 0.7
        for row in l.rows {
            let sex = try l.sex(row, lSex)
            guard let scale = RiskScale(rawValue: l.string(row, lScale)) else {
                throw InputError(.row(file: l.file, line: row.line), field: "scale", value: l.string(row, lScale), expected: "ERR or EAR")
            }
            terms[sex, default: [:]][scale] = LeukaemiaTerm(
                scale: scale, beta: try l.double(row, lBeta)!, gamma: try l.double(row, lG)!, delta: try l.double(row, lD)!,
                phi: try l.double(row, lP)!, theta: try l.double(row, lT)!, sigmaLogBeta: try l.double(row, lS)!)
            w = try l.double(row, lW)!
        }
        var leuk: [Sex: (err: LeukaemiaTerm, ear: LeukaemiaTerm)] = [:]
        for sex in Sex.allCases {
            guard let e = terms[sex]?[.err], let a = terms[sex]?[.ear] else {
                throw InputError(.file(l.file), field: "sex", value: sex.rawValue, expected: "an ERR and an EAR row for each sex")
            }
            leuk[sex] = (e, a)
        }
        self.leukaemia = leuk
        self.leukaemiaWeightERR = w
    }
}
