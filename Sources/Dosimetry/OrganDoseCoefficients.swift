import HarmonicCore

/// Organ absorbed dose per unit kerma-area product for one exposure: mGy per Gy·cm²,
/// one value per `Organ.allCases` entry (contiguous, in that order; organs absent in the
/// patient's sex are 0), plus ICRP 103 effective dose in mSv per Gy·cm².
public struct OrganDoseCoefficients: Sendable, Hashable, Codable {
    /// mGy per Gy·cm², indexed by `Organ.index`.
    public var perKAP: [Double]
    /// ICRP 103 effective dose, mSv per Gy·cm².
    public var effectiveDosePerKAP: Double

    public init(perKAP: [Double], effectiveDosePerKAP: Double) {
        precondition(perKAP.count == Organ.allCases.count, "one coefficient per Organ.allCases entry")
        self.perKAP = perKAP; self.effectiveDosePerKAP = effectiveDosePerKAP
    }

    /// mGy per Gy·cm² for one organ.
    public subscript(organ: Organ) -> Double { perKAP[organ.index] }
}

extension Organ {
    /// Position in `Organ.allCases`: the index of this organ in contiguous per-organ arrays.
    public var index: Int { Organ.indexTable[self]! }
    static let indexTable: [Organ: Int] = Dictionary(uniqueKeysWithValues: Organ.allCases.enumerated().map { ($1, $0) })
}

/// Anything that turns an exposure into organ dose coefficients: the precomputed
/// `CoefficientLibrary` (interpolated Monte Carlo results) in production, a direct
/// Monte Carlo run for validation. Reconstruction and the calculator depend only on this.
public protocol OrganDoseCoefficientSource: Sendable {
    func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients
}
