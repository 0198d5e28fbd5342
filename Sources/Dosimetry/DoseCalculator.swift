import Foundation
import HarmonicCore

/// A quick organ-dose estimate for one procedure from its KAP (the `harmonic dose estimate`
/// calculator), with 95% intervals from the same error model as the registry reconstruction
/// (`UncertaintyModel`: KAP-meter calibration, coefficient model error, body size, projection mix).
public struct DoseCalculator: Sendable {
    public var source: any OrganDoseCoefficientSource
    public var settings: ReconstructionSettings

    /// `realisations` draws (2,000 by default: the 2.5th and 97.5th percentiles then rest on 50 draws each).
    public init(source: any OrganDoseCoefficientSource, realisations: Int = 2000, seed: UInt64 = 1, sourceIdentity: String = "calculator") {
        self.source = source
        settings = ReconstructionSettings(seed: seed, realisations: realisations, sourceIdentity: sourceIdentity)
    }

    public struct Request: Sendable {
        public var age: Double
        public var sex: Sex
        public var weightKg: Double?
        public var kapGyCm2: Double
        public var procedureType: String
        public var kVp: Double?
        public var copperMillimetres: Double?
        /// Share of KAP per projection; nil: the built-in default mix, with its spread.
        public var projections: [(ProjectionClass, Double)]?
        /// Calendar year of the procedure (sets the KAP-meter calibration uncertainty).
        public var year: Double

        public init(age: Double, sex: Sex = .female, weightKg: Double? = nil, kapGyCm2: Double, procedureType: String = "diagnostic",
                    kVp: Double? = nil, copperMillimetres: Double? = nil, projections: [(ProjectionClass, Double)]? = nil, year: Double = 2020) {
            self.age = age; self.sex = sex; self.weightKg = weightKg; self.kapGyCm2 = kapGyCm2; self.procedureType = procedureType
            self.kVp = kVp; self.copperMillimetres = copperMillimetres; self.projections = projections; self.year = year
        }
    }

    /// One quantity of the estimate: central value (no error drawn), mean and 95% interval.
    public struct Value: Sendable {
        public var quantity: DoseQuantity
        public var central: Double, mean: Double, low: Double, high: Double
    }

    /// Parses "PA:0.6,LAT:0.4" (shares normalised to 1).
    public static func parseProjections(_ text: String) throws -> [(ProjectionClass, Double)] {
        var out: [(ProjectionClass, Double)] = []
        for part in text.split(separator: ",") {
            let kv = part.split(separator: ":")
            guard kv.count == 2, let c = ProjectionClass.parse(String(kv[0])), let v = Double(kv[1].trimmingCharacters(in: .whitespaces)), v >= 0 else {
                throw DoseModelError("--projections: '\(part)' is not PROJECTION:SHARE with PROJECTION one of \(ProjectionClass.allCases.map(\.label).joined(separator: ", ")) and SHARE ≥ 0 (e.g. PA:0.6,LAT:0.4)")
            }
            out.append((c, v))
        }
        let total = out.reduce(0) { $0 + $1.1 }
        guard total > 0 else { throw DoseModelError("--projections: the shares sum to 0") }
        return out.map { ($0.0, $0.1 / total) }
    }

    public func estimate(_ r: Request) throws -> [Value] {
        let day = Int(((r.year - 1970) * 365.25).rounded())
        let p = ProcedureInput(site: "calculator", procedureID: "estimate", patient: "calculator", day: day, ageYears: r.age, sex: r.sex,
                               weightKg: r.weightKg ?? .nan, hospital: "calculator", country: "calculator",
                               procedureType: r.procedureType, totalKAP: r.kapGyCm2)
        let none = [EventInput]()
        if let problem = none.withUnsafeBufferPointer({ Plausibility.problem(p, events: $0) }) {
            throw DoseModelError("implausible input: \(problem)")
        }
        guard r.kapGyCm2.isFinite else { throw DoseModelError("--kap must be a number of Gy·cm²") }
        if let kv = r.kVp, !Plausibility.kVpRange.contains(kv) { throw DoseModelError("implausible input: kVp \(kv) outside 40-150") }
        if let cu = r.copperMillimetres, !Plausibility.copperRange.contains(cu) { throw DoseModelError("implausible input: copper \(cu) mm outside 0-10") }
        var mix = ProjectionMix.builtInDefault
        if let projections = r.projections {
            mix.shares = [Double](repeating: 0, count: ProjectionClass.count)
            for (c, v) in projections { mix.shares[c.rawValue] += v }
            mix.spread = 0; mix.source = "given projections"
        }
        if let q = ProjectionMix.eraQuality(DoseEra(year: r.year)) { mix.kVp = q.kVp; mix.copperMillimetres = q.copper }
        if let kv = r.kVp { mix.kVp = kv }
        if let cu = r.copperMillimetres { mix.copperMillimetres = cu }
        mix.fieldAreaCm2 = (40 + 6.5 * min(r.age, 17)) / settings.skinPerDetectorArea  // skin field ~40-150 cm² by age (Harbron et al. 2015)
        var s = settings
        s.mixOverride = mix
        let engine = DoseReconstruction(procedures: [p], events: none, source: source, settings: s)
        let n = s.realisations, q = DoseQuantity.count
        var block = [Float16](repeating: 0, count: q * n)
        var doses: [ProcedureDose?] = [nil]
        block.withUnsafeMutableBufferPointer { b in doses.withUnsafeMutableBufferPointer { d in engine.compute(0..<1, compute: nil, doses: d, block: b) } }
        guard let dose = doses[0], dose.tier != .flagged else { throw DoseModelError(doses[0]?.flagReason ?? "no dose") }
        var column = [Float](repeating: 0, count: n)
        return DoseQuantity.allCases.map { quantity in
            for k in 0..<n { column[k] = Float(block[quantity.rawValue * n + k]) }
            column.sort()
            return Value(quantity: quantity, central: dose.central[quantity.rawValue], mean: dose.mean[quantity.rawValue],
                         low: Double(column[Int(0.025 * Double(n - 1))]), high: Double(column[Int(0.975 * Double(n - 1))]))
        }
    }
}
