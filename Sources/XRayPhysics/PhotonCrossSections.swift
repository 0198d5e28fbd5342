import Foundation
import HarmonicCore

/// Linear attenuation coefficients (1/cm) at one energy, by interaction.
public struct PhotonMu: Sendable, Hashable {
    public var total, photoelectric, incoherent, coherent: Double
    public init(total: Double, photoelectric: Double, incoherent: Double, coherent: Double) {
        self.total = total; self.photoelectric = photoelectric; self.incoherent = incoherent; self.coherent = coherent
    }
}

/// Photon interaction data for one material, built once from the per-element xraylib tables
/// (mixture rule, independent atoms) and tabulated on a uniform 0.05 keV grid from 1 to 200 keV
/// for O(1), allocation-free lookups with linear interpolation. A grid interval holding an
/// absorption edge of one of the material's elements is split there (values just below and just
/// above the edge kept in `EdgeSplits`), so no lookup interpolates across an edge. Immutable, so safe
/// to share between threads. Below 1 keV values are clamped to 1 keV, above 200 keV to 200 keV.
public final class PhotonCrossSections: Sendable {
    public let material: Material

    /// First grid energy and the spacing of the lookup grid, keV.
    public static let gridStart = 1.0, gridStep = 0.05
    @usableFromInline static let gridCount = 3981         // 1...200 keV
    @usableFromInline static let inverseStep = 20.0        // 1 / gridStep

    /// Interleaved [total, photoelectric, incoherent, coherent] (1/cm) per grid point.
    @usableFromInline let linear: [Double]
    /// μen/ρ and μ/ρ (cm²/g) per grid point.
    @usableFromInline let massEnergyAbsorption: [Double]
    /// Per grid interval: −1, or the index in `edges` of the first absorption edge inside it.
    @usableFromInline let edgeSlot: [Int32]
    /// The absorption edges inside grid intervals, with the values either side.
    @usableFromInline let edges: EdgeSplits

    // Scatter sampling tables on the momentum-transfer grid x = sin(θ/2)/λ, step 0.01 /Å.
    @usableFromInline let scatteringFunction: [Double]  // S_mat(x) / S_mat(∞)
    @usableFromInline let cumulativeFormFactor: [Double] // ∫₀^{x²} F²_mat d(x²), normalised to 1 at the end of the grid
    @usableFromInline let inverseFormFactor: [Double]    // x² at equally spaced cumulative probabilities
    @usableFromInline static let inverseCount = 4096
    /// Incoherent-scatter inverse-CDF tables: t = 1 − cos θ at `incoherentLevels + 1` equally
    /// spaced cumulative probabilities of Klein–Nishina × S(x), one table per energy
    /// E_j = j·`incoherentEnergyStep` keV, j = 0…`incoherentEnergyCount` − 1 (row 0 repeats row 1).
    @usableFromInline let incoherentInverse: [Float]
    @usableFromInline static let incoherentEnergyStep = 1.0, incoherentEnergyCount = 201
    @usableFromInline static let incoherentLevels = 512
    /// Momentum-transfer grid of the scatter tables (1/Å): step and count, as in the resource files.
    @usableFromInline static let xStep = 0.01, xCount = 1601

    /// hc in keV·Å (CODATA 2018), for x = E sin(θ/2) / hc.
    public static let hcKeVAngstrom = 12.398419843320026
    /// Electron rest energy, keV (CODATA 2018).
    public static let electronRestEnergyKeV = 510.99895

    public init(material: Material) {
        self.material = material
        let tables = ElementTables.shared
        let n = Self.gridCount
        var linear = [Double](repeating: 0, count: 4 * n)
        var muen = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let v = Self.mixtureValues(material, at: Self.gridStart + Double(i) * Self.gridStep)
            for c in 0..<4 { linear[4 * i + c] = v[c] }
            muen[i] = v[4]
        }
        self.linear = linear
        self.massEnergyAbsorption = muen
        (self.edgeSlot, self.edges) = Self.edgeSplits(material)

        // Mixture F² and S per unit mass: Σ (w_i / A_i) F_i², Σ (w_i / A_i) S_i.
        let nx = Self.xCount
        var f2 = [Double](repeating: 0, count: nx), s = [Double](repeating: 0, count: nx)
        var sInfinity = 0.0
        for fraction in material.massFractions {
            let e = tables.element(fraction.z)
            let atoms = fraction.fraction / e.atomicWeight
            sInfinity += atoms * Double(e.z)
            for j in 0..<nx {
                f2[j] += atoms * e.formFactor[j] * e.formFactor[j]
                s[j] += atoms * e.scatteringFunction[j]
            }
        }
        self.scatteringFunction = s.map { min($0 / sInfinity, 1) }
        var cumulative = [Double](repeating: 0, count: nx)
        for j in 1..<nx {
            let x0 = Double(j - 1) * Self.xStep, x1 = Double(j) * Self.xStep
            cumulative[j] = cumulative[j - 1] + 0.5 * (f2[j - 1] + f2[j]) * (x1 * x1 - x0 * x0)
        }
        let total = cumulative[nx - 1]
        cumulative = cumulative.map { $0 / total }
        self.cumulativeFormFactor = cumulative
        var inverse = [Double](repeating: 0, count: Self.inverseCount)
        var j = 0
        for k in 0..<Self.inverseCount {
            let u = Double(k) / Double(Self.inverseCount - 1)
            while j < nx - 2 && cumulative[j + 1] < u { j += 1 }
            let c0 = cumulative[j], c1 = cumulative[j + 1]
            let f = c1 > c0 ? min(max((u - c0) / (c1 - c0), 0), 1) : 0
            let x0 = Double(j) * Self.xStep, x1 = Double(j + 1) * Self.xStep
            inverse[k] = x0 * x0 + f * (x1 * x1 - x0 * x0)
        }
        self.inverseFormFactor = inverse
        self.incoherentInverse = Self.incoherentTables(scatteringFunction: scatteringFunction)
    }

    /// Builds the inverse-CDF tables of `incoherentInverse`: the density of t = 1 − cos θ,
    /// Klein–Nishina × S(x)/S(∞), integrated by the trapezoidal rule on 4096 intervals of t and
    /// inverted by linear interpolation. Each of the 512 quantile intervals then carries exactly
    /// 1/512 of the probability, and within it t is uniform: the only approximation.
    static func incoherentTables(scatteringFunction s: [Double]) -> [Float] {
        let levels = incoherentLevels, fine = 4096
        var out = [Float](repeating: 0, count: incoherentEnergyCount * (levels + 1))
        var cdf = [Double](repeating: 0, count: fine + 1)
        func sNorm(_ x: Double) -> Double {
            let t = x * (1 / xStep), i = Int(t)
            if i >= xCount - 1 { return 1 }
            return s[i] + (s[i + 1] - s[i]) * (t - Double(i))
        }
        for j in 1..<incoherentEnergyCount {
            let energy = Double(j) * incoherentEnergyStep
            let k = energy / electronRestEnergyKeV, xScale = energy / hcKeVAngstrom
            func density(_ t: Double) -> Double {
                let r = 1 / (1 + k * t)
                return r * r * (r + 1 / r - t * (2 - t)) * sNorm(xScale * (0.5 * t).squareRoot())
            }
            var previous = density(0)
            for i in 1...fine {
                let d = density(2 * Double(i) / Double(fine))
                cdf[i] = cdf[i - 1] + 0.5 * (previous + d)
                previous = d
            }
            let total = cdf[fine]
            var i = 0
            let row = j * (levels + 1)
            for level in 0...levels {
                let u = total * Double(level) / Double(levels)
                while i < fine - 1 && cdf[i + 1] < u { i += 1 }
                let c0 = cdf[i], c1 = cdf[i + 1]
                let f = c1 > c0 ? min(max((u - c0) / (c1 - c0), 0), 1) : 0
                out[row + level] = Float(2 * (Double(i) + f) / Double(fine))
            }
            out[row] = 0; out[row + levels] = 2
        }
        for level in 0...levels { out[level] = out[levels + 1 + level] }
        return out
    }

    @inlinable @inline(__always)
    func gridPosition(_ energyKeV: Double) -> (Int, Double) {
        let t = (energyKeV - Self.gridStart) * Self.inverseStep
        if !(t > 0) { return (0, 0) }
        let i = Int(t)
        if i >= Self.gridCount - 1 { return (Self.gridCount - 2, 1) }
        return (i, t - Double(i))
    }

    /// Linear attenuation coefficients (1/cm) at `energyKeV`.
    @inlinable @inline(__always)
    public func mu(_ energyKeV: Double) -> PhotonMu {
        let (i, f) = gridPosition(energyKeV)
        if edgeSlot.withUnsafeBufferPointer({ $0[i] }) >= 0 { return muAcrossEdgeInterval(i, f) }
        return linear.withUnsafeBufferPointer { p in
            let a = 4 * i, b = a + 4
            return PhotonMu(total: p[a] + (p[b] - p[a]) * f,
                            photoelectric: p[a + 1] + (p[b + 1] - p[a + 1]) * f,
                            incoherent: p[a + 2] + (p[b + 2] - p[a + 2]) * f,
                            coherent: p[a + 3] + (p[b + 3] - p[a + 3]) * f)
        }
    }

    /// Total linear attenuation coefficient (1/cm): the one number delta tracking needs.
    @inlinable @inline(__always)
    public func muTotal(_ energyKeV: Double) -> Double {
        let (i, f) = gridPosition(energyKeV)
        if edgeSlot.withUnsafeBufferPointer({ $0[i] }) >= 0 { return muAcrossEdgeInterval(i, f).total }
        return linear.withUnsafeBufferPointer { p in p[4 * i] + (p[4 * i + 4] - p[4 * i]) * f }
    }

    /// Mass attenuation coefficient μ/ρ (cm²/g), coherent scatter included.
    public func muOverRho(_ energyKeV: Double) -> Double { muTotal(energyKeV) / material.density }

    /// Mass energy-absorption coefficient μen/ρ (cm²/g), from the partial cross sections
    /// (see scripts/generate_xray_tables.py); kerma approximation: secondary electrons deposit locally.
    @inlinable
    public func muEnOverRho(_ energyKeV: Double) -> Double {
        let (i, f) = gridPosition(energyKeV)
        if edgeSlot.withUnsafeBufferPointer({ $0[i] }) >= 0 { return valueInEdgeInterval(i, f, component: 4) }
        return massEnergyAbsorption.withUnsafeBufferPointer { p in p[i] + (p[i + 1] - p[i]) * f }
    }

    @inlinable @inline(__always)
    func normalisedScatteringFunction(_ x: Double) -> Double {
        let t = x * (1 / Self.xStep)
        let i = Int(t)
        if i >= Self.xCount - 1 { return 1 }
        let f = t - Double(i)
        return scatteringFunction.withUnsafeBufferPointer { p in p[i] + (p[i + 1] - p[i]) * f }
    }

    /// Incoherent (Compton) scatter with Hubbell's incoherent scattering function S(x) of the
    /// material (no Doppler broadening): t = 1 − cos θ from the tabulated inverse CDF of
    /// Klein–Nishina × S(x)/S(∞) (`incoherentInverse`), with statistical interpolation between the
    /// two tables bracketing the energy (table j+1 with probability equal to the fractional
    /// position, as PENELOPE interpolates its tables; Salvat et al. 2006 §1.2). Constant cost:
    /// two uniforms and one table lookup, where the rejection method (`sampleIncoherentByRejection`)
    /// needs many tries at low energy where S(x) suppresses forward scatter.
    /// Returns the scattered photon energy (keV) and cos θ.
    @inlinable @inline(__always)
    public func sampleIncoherent(_ energyKeV: Double, _ rng: inout RandomStream) -> (energy: Double, cosTheta: Double) {
        let levels = Self.incoherentLevels
        let position = energyKeV * (1 / Self.incoherentEnergyStep)
        var j = min(Int(position), Self.incoherentEnergyCount - 2)
        if rng.uniform() < position - Double(j) { j += 1 }
        let v = rng.uniform() * Double(levels)
        let level = Int(v)
        let t: Double = incoherentInverse.withUnsafeBufferPointer { p in
            let a = Double(p[j * (levels + 1) + level]), b = Double(p[j * (levels + 1) + level + 1])
            return a + (b - a) * (v - Double(level))
        }
        return (energyKeV / (1 + energyKeV * (1 / Self.electronRestEnergyKeV) * t), 1 - t)
    }

    /// Incoherent scatter by rejection, kept as the reference the tables are tested against:
    /// Klein–Nishina sampled exactly (Kahn/Butcher–Messel
    /// composition as in EGS4, Nelson et al. SLAC-265 1985), accepted with probability
    /// S(x)/S(∞) of the material (Hubbell's incoherent scattering function; no Doppler broadening).
    /// Returns the scattered photon energy (keV) and cos θ.
    @inlinable
    public func sampleIncoherentByRejection(_ energyKeV: Double, _ rng: inout RandomStream) -> (energy: Double, cosTheta: Double) {
        let k = energyKeV / Self.electronRestEnergyKeV
        let eps0 = 1 / (1 + 2 * k)
        let eps0Squared = eps0 * eps0
        let alpha1 = -log(eps0), alpha2 = 0.5 * (1 - eps0Squared)
        let xScale = energyKeV / Self.hcKeVAngstrom
        while true {
            let epsilon: Double
            if rng.uniform() * (alpha1 + alpha2) < alpha1 {
                epsilon = exp(-alpha1 * rng.uniform())
            } else {
                epsilon = (eps0Squared + (1 - eps0Squared) * rng.uniform()).squareRoot()
            }
            let t = (1 - epsilon) / (k * epsilon)          // 1 − cos θ
            let sin2 = t * (2 - t)
            let g = 1 - epsilon * sin2 / (1 + epsilon * epsilon)
            let u = rng.uniform()
            if u > g { continue }
            // x = sin(θ/2)/λ = (E/hc) sqrt((1 − cos θ)/2)
            let x = xScale * (0.5 * t).squareRoot()
            if rng.uniform() <= normalisedScatteringFunction(x) {
                return (energyKeV * epsilon, 1 - t)
            }
        }
    }

    /// Coherent (Rayleigh) scatter: x² sampled from the material's F²(x) by an inverse-CDF table
    /// truncated at x_max = E/hc, then accepted with the Thomson factor (1 + cos²θ)/2
    /// (the method of PENELOPE, Salvat et al. 2006 §2.1). Returns cos θ.
    @inlinable
    public func sampleCoherent(_ energyKeV: Double, _ rng: inout RandomStream) -> Double {
        let xMax = energyKeV / Self.hcKeVAngstrom
        let xMax2 = xMax * xMax
        // cumulative probability reached at x_max
        let t = xMax * (1 / Self.xStep)
        let i = Int(t)
        let cMax: Double = i >= Self.xCount - 1 ? 1 : cumulativeFormFactor.withUnsafeBufferPointer { p in
            p[i] + (p[i + 1] - p[i]) * (t - Double(i))
        }
        let scale = cMax * Double(Self.inverseCount - 1)
        return inverseFormFactor.withUnsafeBufferPointer { p in
            while true {
                let v = rng.uniform() * scale
                let j = min(Int(v), Self.inverseCount - 2)
                let x2 = min(p[j] + (p[j + 1] - p[j]) * (v - Double(j)), xMax2)
                let cosTheta = 1 - 2 * x2 / xMax2
                if 2 * rng.uniform() <= 1 + cosTheta * cosTheta { return cosTheta }
            }
        }
    }
}
