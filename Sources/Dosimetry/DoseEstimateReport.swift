import Foundation
import HarmonicCore

/// The JSON of `harmonic dose estimate --json`, which `GET /api/dose/estimate` returns byte for
/// byte: the request as understood (units in the names), the coefficient source, and for each
/// organ (mGy) and the effective dose (mSv) the central value (no error drawn), the mean and the
/// 95% interval of the realisations (`DoseCalculator`, seed 1: the same input gives the same output).
public struct DoseEstimateReport: Codable, Sendable, Equatable {
    public struct Input: Codable, Sendable, Equatable {
        public var ageYears: Double
        public var sex: String
        public var weightKg: Double?
        public var kapGyCm2: Double
        public var procedureType: String
        public var kVp: Double?
        public var copperMm: Double?
        public var projections: String?
        public var year: Double
        public var realisations: Int
    }

    /// One quantity: `quantity` is the store column (e.g. `red_marrow_mgy`, `effective_dose_msv`).
    public struct Quantity: Codable, Sendable, Equatable {
        public var quantity: String
        public var name: String
        public var unit: String
        public var central: Double
        public var mean: Double
        public var low95: Double
        public var high95: Double
    }

    public var input: Input
    public var coefficientSource: String
    public var quantities: [Quantity]

    /// Checks and runs one estimate from the values as typed (CLI options or URL query parameters).
    /// Throws `DoseModelError` naming the parameter, its value and what is expected.
    public static func estimate(source: any OrganDoseCoefficientSource, identity: String, age: Double, sex: String = "F", weightKg: Double? = nil,
                                kapGyCm2: Double, procedure: String = "diagnostic", kVp: Double? = nil, copperMm: Double? = nil,
                                projections: String? = nil, year: Double = 2020, realisations: Int = 2000) throws -> DoseEstimateReport {
        guard let sexValue = Sex(code: sex) else { throw DoseModelError("sex: got '\(sex)'; expected M or F") }
        guard age.isFinite, age >= 0, age < 19 else { throw DoseModelError("age: got \(age); expected the age at the procedure in years, 0-18") }
        guard kapGyCm2.isFinite, kapGyCm2 > 0 else { throw DoseModelError("kap: got \(kapGyCm2); expected the total kerma-area product in Gy·cm², > 0") }
        if let w = weightKg, !(w.isFinite && w > 0 && w < 200) { throw DoseModelError("weight: got \(w); expected the body weight in kg, 0-200") }
        guard (1...100_000).contains(realisations) else { throw DoseModelError("realisations: got \(realisations); expected 1-100000") }
        guard year.isFinite, (1950...2100).contains(year) else { throw DoseModelError("year: got \(year); expected a calendar year, 1950-2100") }
        let procedureType = procedure.lowercased().replacingOccurrences(of: " ", with: "_")
        let calculator = DoseCalculator(source: source, realisations: realisations, sourceIdentity: identity)
        let request = DoseCalculator.Request(age: age, sex: sexValue, weightKg: weightKg, kapGyCm2: kapGyCm2, procedureType: procedureType,
                                             kVp: kVp, copperMillimetres: copperMm, projections: try projections.map(DoseCalculator.parseProjections),
                                             year: year)
        let values = try calculator.estimate(request)
        return DoseEstimateReport(
            input: Input(ageYears: age, sex: sexValue == .male ? "M" : "F", weightKg: weightKg, kapGyCm2: kapGyCm2, procedureType: procedureType,
                         kVp: kVp, copperMm: copperMm, projections: projections, year: year, realisations: realisations),
            coefficientSource: identity,
            quantities: values.map { v in
                let effective = v.quantity == .effective
                return Quantity(quantity: DoseQuantity.columnNames[v.quantity.rawValue],
                                name: effective ? "Effective dose" : DoseQuantity.organs[v.quantity.rawValue].displayName,
                                unit: effective ? "mSv" : "mGy", central: v.central, mean: v.mean, low95: v.low, high95: v.high)
            })
    }

    /// The JSON text (sorted keys, pretty-printed), the same from the CLI and the API.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }
}
