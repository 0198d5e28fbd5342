import HarmonicCore

/// Samples the photon's new state after an incoherent or coherent scatter in one material.
/// XRayPhysics' `PhotonCrossSections` provides it (Compton with the incoherent scattering
/// function S, Rayleigh with the atomic form factor F).
public protocol ScatterSampler: Sendable {
    func sampleIncoherent(_ keV: Double, _ rng: inout RandomStream) -> (energy: Double, cosTheta: Double)
    func sampleCoherent(_ keV: Double, _ rng: inout RandomStream) -> Double
}

/// Linear attenuation and interaction-fraction tables of every material of a phantom on a
/// uniform energy grid (0 to `maxEnergy` keV, step `step`), flattened material-major into
/// contiguous arrays for the tracking loop. Material index 0 is vacuum (μ = 0).
public struct InteractionTables: Sendable {
    public let step: Double
    public let count: Int
    public let materialCount: Int
    /// μ total (1/cm), [material * count + i].
    public let muTotal: [Double]
    /// μ photoelectric / μ total and (μ photo + μ incoherent) / μ total.
    public let photoFraction: [Double]
    public let photoPlusIncoherentFraction: [Double]
    /// Woodcock majorant: max over materials of μ total, per grid point.
    public let majorant: [Double]
    /// μen (1/cm) for the track-length kerma estimator, [material * count + i]; zero for a
    /// material given no energy-absorption function (validation geometries that score otherwise).
    public let muEn: [Double]

    /// Builds the tables from per-material functions of energy (keV) returning μ in 1/cm as
    /// (total, photoelectric, incoherent, coherent). Index 0 is vacuum; pass materials 1...
    /// `present`: material indices (1...) that occur in the geometry; the majorant is taken over
    /// these only (nil = all). `energyAbsorption`: μen (1/cm) per material, in the same order (none:
    /// zero, for geometries whose doses are not read from the track-length tallies).
    public init(maxEnergy: Double = 151, step: Double = 0.25, present: Set<Int>? = nil,
                materials: [(Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double)],
                energyAbsorption: [(Double) -> Double] = []) {
        precondition(energyAbsorption.isEmpty || energyAbsorption.count == materials.count)
        self.step = step
        count = Int((maxEnergy / step).rounded(.up)) + 2
        materialCount = materials.count + 1
        var mu = [Double](repeating: 0, count: materialCount * count)
        var pe = [Double](repeating: 1, count: materialCount * count)
        var pi = [Double](repeating: 1, count: materialCount * count)
        var en = [Double](repeating: 0, count: materialCount * count)
        for (m, f) in materials.enumerated() {
            for i in 0..<count {
                let e = max(Double(i) * step, 1.0)   // below 1 keV photons are absorbed anyway
                let x = f(e)
                let k = (m + 1) * count + i
                mu[k] = x.total
                pe[k] = x.photo / x.total
                pi[k] = (x.photo + x.incoherent) / x.total
                if !energyAbsorption.isEmpty { en[k] = energyAbsorption[m](e) }
            }
        }
        muEn = en
        var major = [Double](repeating: 0, count: count)
        for i in 0..<count { for m in 0..<materialCount where present?.contains(m) ?? true { major[i] = max(major[i], mu[m * count + i]) } }
        muTotal = mu; photoFraction = pe; photoPlusIncoherentFraction = pi; majorant = major
    }
}

/// An energy-indexed table of one quantity (e.g. a μen ratio), linear interpolation.
public struct EnergyTable: Sendable {
    public let step: Double
    public let values: [Double]
    /// 1 / step (exact for the default 0.25 keV: the lookup multiplies instead of dividing).
    let inverseStep: Double
    /// values.count − 2, stored: inlined into the tracking loop, `Array.count` stays a call.
    let lastInterval: Int
    public init(maxEnergy: Double = 151, step: Double = 0.25, _ f: (Double) -> Double) {
        self.step = step
        inverseStep = 1 / step
        values = (0..<(Int((maxEnergy / step).rounded(.up)) + 2)).map { f(max(Double($0) * step, 1.0)) }
        lastInterval = values.count - 2
    }
    @inline(__always) public func callAsFunction(_ e: Double) -> Double {
        let x = e * inverseStep
        let i = min(Int(x), lastInterval)
        let f = x - Double(i)
        return values[i] + f * (values[i + 1] - values[i])
    }
}

/// Energies of a source: one line or a binned spectrum, sampled in O(1) by Walker's alias
/// method (Walker, ACM TOMS 3:253, 1977).
public struct SourceSpectrum: Sendable {
    public let energies: [Double]
    public let weights: [Double]
    /// Width (keV) of the bins `energies` are centres of; 0 for lines.
    public let binWidth: Double
    let probability: [Double]
    let alias: [Int]
    /// energies.count, stored (see `EnergyTable.lastInterval`).
    let count: Int

    public static func monoenergetic(_ keV: Double) -> SourceSpectrum { SourceSpectrum(energies: [keV], weights: [1]) }

    /// A spectrum from bin energies (keV) and relative photon fluences.
    public init(energies: [Double], weights: [Double], binWidth: Double = 0) {
        precondition(energies.count == weights.count && !energies.isEmpty)
        self.energies = energies; self.weights = weights; self.binWidth = binWidth
        let total = weights.reduce(0, +)
        let n = energies.count
        var p = weights.map { $0 / total * Double(n) }
        var alias = [Int](repeating: 0, count: n)
        var small = p.indices.filter { p[$0] < 1 }, large = p.indices.filter { p[$0] >= 1 }
        while let s = small.popLast() {
            guard let l = large.popLast() else { p[s] = 1; continue }
            alias[s] = l
            p[l] -= 1 - p[s]
            if p[l] < 1 { small.append(l) } else { large.append(l) }
        }
        for l in large { p[l] = 1 }
        probability = p; self.alias = alias; count = n
    }

    /// Mean photon energy (keV).
    public var meanEnergy: Double {
        zip(energies, weights).reduce(0) { $0 + $1.0 * $1.1 } / weights.reduce(0, +)
    }

    @inline(__always) public func sample(_ rng: inout RandomStream) -> Double {
        let n = count
        if n == 1 { return energies[0] }
        let x = rng.uniform() * Double(n)
        let i = min(Int(x), n - 1)
        let centre = (x - Double(i)) < probability[i] ? energies[i] : energies[alias[i]]
        return binWidth == 0 ? centre : centre + (rng.uniform() - 0.5) * binWidth
    }
}

/// `InteractionTables` re-laid for the tracking loop, so that what one event reads sits in a
/// few adjacent cache lines instead of one line per material and table: an energy change reads
/// two rows (nodes i and i + 1) holding both majorants and every material's μ; a real
/// collision reads the photoelectric and photoelectric + incoherent fractions side by side.
/// The values are copied, not recomputed: results are bit-identical to reading the tables.
struct TrackingTables: Sendable {
    /// Row length: slot 0 the global majorant, slots 1..<materialCount the materials' μ, slot
    /// materialCount the majorant outside the `MajorantBox`.
    let stride: Int
    /// [node * stride + slot] (1/cm).
    let rows: [Double]
    /// [2 * (material * count + node)]: μ photo / μ total; [… + 1]: (μ photo + μ incoherent) / μ total.
    let fractions: [Double]
    /// [node * materialCount + material]: E·μen (keV/cm) at the node's energy, interpolated at each
    /// tentative collision for the voxel's material (the track-length kerma estimator).
    let energyAbsorption: [Double]

    init(_ t: InteractionTables, outsideMajorant: [Double]) {
        let nE = t.count, nM = t.materialCount
        stride = nM + 1
        var rows = [Double](repeating: 0, count: nE * stride)
        for i in 0..<nE {
            rows[i * stride] = t.majorant[i]
            rows[i * stride + nM] = outsideMajorant[i]
            for m in 1..<nM { rows[i * stride + m] = t.muTotal[m * nE + i] }
        }
        var fractions = [Double](repeating: 0, count: 2 * nM * nE)
        for k in 0..<(nM * nE) {
            fractions[2 * k] = t.photoFraction[k]
            fractions[2 * k + 1] = t.photoPlusIncoherentFraction[k]
        }
        var energyAbsorption = [Double](repeating: 0, count: nE * nM)
        for i in 0..<nE {
            let e = max(Double(i) * t.step, 1.0)   // the node energy the tables were built at
            for m in 0..<nM { energyAbsorption[i * nM + m] = e * t.muEn[m * nE + i] }
        }
        self.rows = rows; self.fractions = fractions; self.energyAbsorption = energyAbsorption
    }
}
