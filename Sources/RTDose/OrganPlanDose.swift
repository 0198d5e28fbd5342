import Foundation
import HarmonicCore

/// Where an organ's dose comes from.
public enum OrganDoseSource: String, Sendable, Codable {
    /// Contoured in the structure set: DVH from the grid (and the out-of-field model beyond the
    /// blend distance or outside the grid).
    case contoured
    /// Placed from the age- and sex-matched phantom; some of it in the grid.
    case phantom
    /// Placed from the phantom, entirely outside the grid or beyond the blend distance:
    /// analytical model only.
    case outOfField
}

/// Dose components of one organ (volume means), Gy; neutron dose equivalent in Sv.
public struct OrganDoseComponents: Sendable, Codable, Equatable {
    public var inFieldGy = 0.0, patientScatterGy = 0.0, headScatterLeakageGy = 0.0
    public var neutronAbsorbedGy = 0.0, neutronEquivalentSv = 0.0
    /// Imaging during the course (CT simulation, CBCT, portal images): filled by the imaging-dose issue.
    public var imagingGy: Double? = nil

    public var absorbedGy: Double { inFieldGy + patientScatterGy + headScatterLeakageGy + neutronAbsorbedGy }

    enum CodingKeys: String, CodingKey {
        case inFieldGy, patientScatterGy, headScatterLeakageGy, neutronAbsorbedGy, neutronEquivalentSv, imagingGy
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(inFieldGy, forKey: .inFieldGy); try c.encode(patientScatterGy, forKey: .patientScatterGy)
        try c.encode(headScatterLeakageGy, forKey: .headScatterLeakageGy); try c.encode(neutronAbsorbedGy, forKey: .neutronAbsorbedGy)
        try c.encode(neutronEquivalentSv, forKey: .neutronEquivalentSv)
        try c.encode(imagingGy, forKey: .imagingGy)   // explicit null: the place is kept for imaging
    }
}

/// A differential dose-volume histogram: bin centres (Gy) and the organ volume in each bin (cm³).
public struct DifferentialDVH: Sendable, Codable, Equatable {
    public var doseGy: [Double], volumeCm3: [Double]
}

/// Organ dose of one plan.
public struct OrganPlanDose: Sendable, Codable {
    public var organ: Organ
    public var source: OrganDoseSource
    /// Volume-mean absorbed dose, Gy (all components).
    public var meanDoseGy: Double
    /// Near-maximum dose D2% (ICRU Report 83): the dose exceeded in the hottest 2% of the volume.
    public var d2Gy: Double
    /// 95% interval of the mean dose from the component uncertainties (and placement for phantom organs).
    public var interval95Gy: [Double]
    public var components: OrganDoseComponents
    public var differentialDVH: DifferentialDVH
    public var volumeCm3: Double
    /// Fraction of the volume whose dose came from the dose grid.
    public var fractionFromGrid: Double
    /// Structures (contoured) or phantom regions the organ was made of.
    public var structures: [String]
}

/// Per-voxel samples of one organ: dose, volume weight and components, reduced to the statistics.
struct OrganSamples {
    var dose: [Double] = [], weight: [Double] = []
    var components = OrganDoseComponents()
    var fromGridWeight = 0.0

    mutating func reserve(_ n: Int) { dose.reserveCapacity(n); weight.reserveCapacity(n) }

    var totalWeight: Double { weight.reduce(0, +) }

    /// Mean, D2%, differential DVH (about 100 bins of a round width), with volumes scaled to `volumeCm3`.
    func statistics(volumeCm3: Double) -> (mean: Double, d2: Double, dvh: DifferentialDVH, fromGrid: Double, components: OrganDoseComponents) {
        let w = totalWeight
        guard w > 0 else { return (0, 0, DifferentialDVH(doseGy: [], volumeCm3: []), 0, components) }
        var c = components
        c.inFieldGy /= w; c.patientScatterGy /= w; c.headScatterLeakageGy /= w; c.neutronAbsorbedGy /= w; c.neutronEquivalentSv /= w
        var mean = 0.0, maxDose = 0.0
        for i in dose.indices { mean += dose[i] * weight[i]; maxDose = max(maxDose, dose[i]) }
        mean /= w
        // D2%: weighted quantile from the top, on doses sorted once.
        let order = dose.indices.sorted { dose[$0] > dose[$1] }
        var acc = 0.0, d2 = dose[order[0]]
        for i in order { acc += weight[i]; d2 = dose[i]; if acc >= 0.02 * w { break } }
        let width = roundBinWidth(maxDose / 100)
        let bins = max(1, Int((maxDose / width).rounded(.down)) + 1)
        var vol = [Double](repeating: 0, count: bins)
        let scale = volumeCm3 / w
        for i in dose.indices { vol[min(bins - 1, Int(dose[i] / width))] += weight[i] * scale }
        let centres = (0..<bins).map { (Double($0) + 0.5) * width }
        return (mean, d2, DifferentialDVH(doseGy: centres, volumeCm3: vol), fromGridWeight / w, c)
    }
}

/// 1, 2 or 5 times a power of ten, at least `x`.
func roundBinWidth(_ x: Double) -> Double {
    guard x > 0, x.isFinite else { return 0.01 }
    let p = pow(10, (log10(x)).rounded(.down))
    for m in [1.0, 2, 5, 10] where m * p >= x { return m * p }
    return 10 * p
}

/// 95% interval of a sum of lognormally uncertain components (independent), by Monte Carlo
/// with a fixed seed (4,000 draws: the 2.5 and 97.5 percentiles to about 1%).
func interval95(_ c: OrganDoseComponents, _ u: ComponentUncertainty, extraGSD: Double, seed: UInt64) -> [Double] {
    var rng = RandomStream(seed: seed)
    let parts: [(Double, Double)] = [(c.inFieldGy, u.inField), (c.patientScatterGy, u.patientScatter),
                                     (c.headScatterLeakageGy, u.headScatterLeakage), (c.neutronAbsorbedGy, u.neutron)]
    let sig = parts.map { (value: $0.0, sigma: log(max(1, $0.1))) }
    let extra = log(max(1, extraGSD))
    let n = 4000
    var draws = [Double](repeating: 0, count: n)
    for k in 0..<n {
        var t = 0.0
        for p in sig where p.value > 0 { t += p.value * exp(p.sigma * rng.normal() - p.sigma * p.sigma / 2) }
        draws[k] = t * exp(extra * rng.normal() - extra * extra / 2)
    }
    draws.sort()
    return [draws[Int(0.025 * Double(n))], draws[Int(0.975 * Double(n)) - 1]]
}
