import Foundation
import Testing
import HarmonicCore
@testable import XRayPhysics

/// Sampled scattering angles against the differential cross sections they should follow, built
/// here independently by quadrature from the same S(x) and F(x) tables.
@Suite("Scatter sampling")
struct ScatterSamplingTests {
    static let bins = 20
    static let samples = 200_000

    /// Expected probabilities in `bins` equal bins of cos θ from a density on [-1, 1].
    static func expected(_ density: (Double) -> Double) -> [Double] {
        var p = [Double](repeating: 0, count: bins)
        let sub = 200
        for b in 0..<bins {
            for s in 0..<sub {
                let c = -1 + 2 * (Double(b) + (Double(s) + 0.5) / Double(sub)) / Double(bins)
                p[b] += density(c)
            }
        }
        let total = p.reduce(0, +)
        return p.map { $0 / total }
    }

    static func chiSquare(_ counts: [Int], _ p: [Double]) -> (chi2: Double, dof: Int) {
        let n = Double(counts.reduce(0, +))
        var chi2 = 0.0, dof = -1
        for (c, q) in zip(counts, p) where q * n >= 5 { chi2 += pow(Double(c) - q * n, 2) / (q * n); dof += 1 }
        return (chi2, dof)
    }

    @Test("incoherent scatter angles follow Klein-Nishina × S(x) (chi-square, 20 bins) on and between the table energies")
    func incoherentMatchesKleinNishinaTimesS() {
        let xs = PhotonCrossSections(material: .water)
        // 20, 60, 120 keV lie on the 1-keV table grid; 12.4, 33.7 and 47.5 keV between two tables
        for energy in [20.0, 60, 120, 12.4, 33.7, 47.5] {
            var rng = RandomStream(seed: 4, stream: UInt64(energy * 10))
            var counts = [Int](repeating: 0, count: Self.bins)
            for _ in 0..<Self.samples {
                let (e1, c) = xs.sampleIncoherent(energy, &rng)
                // Compton relation E' = E / (1 + k(1 − cos θ))
                let compton = energy / (1 + energy / 510.99895 * (1 - c))
                #expect(abs(e1 - compton) < 1e-9 * energy)
                counts[min(Int((c + 1) / 2 * Double(Self.bins)), Self.bins - 1)] += 1
            }
            let k = energy / 510.99895
            let p = Self.expected { c in
                let r = 1 / (1 + k * (1 - c))
                let x = energy / 12.398419843320026 * ((1 - c) / 2).squareRoot()
                return r * r * (r + 1 / r - (1 - c * c)) * xs.normalisedScatteringFunction(x)
            }
            let (chi2, dof) = Self.chiSquare(counts, p)
            // chi-square with ≤19 dof: 99.9th percentile is 43.8 (χ² tables)
            #expect(chi2 < 43.8, "\(energy) keV: chi2 \(chi2) on \(dof) dof")
        }
    }

    @Test("tabulated and rejection incoherent samplers agree in mean cos θ and mean scattered energy at 47.5 keV")
    func tabulatedAgreesWithRejection() {
        let xs = PhotonCrossSections(material: .skeletonAverage)
        var a = RandomStream(seed: 6), b = RandomStream(seed: 7)
        var cosA = 0.0, cosB = 0.0, eA = 0.0, eB = 0.0, cos2 = 0.0
        let n = 200_000
        for _ in 0..<n {
            let x = xs.sampleIncoherent(47.5, &a), y = xs.sampleIncoherentByRejection(47.5, &b)
            cosA += x.cosTheta; cosB += y.cosTheta; eA += x.energy; eB += y.energy; cos2 += x.cosTheta * x.cosTheta
        }
        cosA /= Double(n); cosB /= Double(n)
        // standard error of a difference of two means: sqrt(2 var / n); 4 standard errors
        let se = ((cos2 / Double(n) - cosA * cosA) * 2 / Double(n)).squareRoot()
        #expect(abs(cosA - cosB) < 4 * se, "mean cos θ \(cosA) vs \(cosB), se \(se)")
        // E' = E/(1 + k(1 − cos θ)) varies by < 0.1 keV per 0.01 in cos θ at 47.5 keV: 0.02 keV ≈ 4 se
        #expect(abs(eA - eB) / Double(n) < 0.02)
    }

    @Test("coherent scatter angles follow Thomson × F²(x) (chi-square, 20 bins) at 20, 60 and 120 keV")
    func coherentMatchesThomsonTimesF2() {
        let xs = PhotonCrossSections(material: .corticalBone)
        // F² of the mixture from the element tables, interpolated linearly in x
        let tables = ElementTables.shared
        func f2(_ x: Double) -> Double {
            let t = x / ElementTables.xStep, i = min(Int(t), ElementTables.xCount - 2), f = t - Double(i)
            var sum = 0.0
            for fr in Material.corticalBone.massFractions {
                let e = tables.element(fr.z)
                let ff = e.formFactor[i] + (e.formFactor[i + 1] - e.formFactor[i]) * f
                sum += fr.fraction / e.atomicWeight * ff * ff
            }
            return sum
        }
        for energy in [20.0, 60, 120] {
            var rng = RandomStream(seed: 5, stream: UInt64(energy))
            var counts = [Int](repeating: 0, count: Self.bins)
            for _ in 0..<Self.samples {
                let c = xs.sampleCoherent(energy, &rng)
                counts[min(Int((c + 1) / 2 * Double(Self.bins)), Self.bins - 1)] += 1
            }
            let p = Self.expected { c in
                let x = energy / 12.398419843320026 * ((1 - c) / 2).squareRoot()
                return (1 + c * c) / 2 * f2(x)
            }
            let (chi2, dof) = Self.chiSquare(counts, p)
            // chi-square with ≤19 dof: 99.9th percentile is 43.8 (χ² tables); the sampler's
            // inverse-CDF table (4096 levels) adds a small bias, hence the generous percentile
            #expect(chi2 < 43.8, "\(energy) keV: chi2 \(chi2) on \(dof) dof")
        }
    }

    @Test("spectrum sampler reproduces the spectrum's mean energy")
    func spectrumSamplerMean() throws {
        let s = XRaySpectrum(kVp: 70, filtration: try Filtration(parsing: "2.5mmAl+0.1mmCu"))
        let sampler = s.sampler()
        var rng = RandomStream(seed: 9)
        var sum = 0.0
        let n = 200_000
        for _ in 0..<n { sum += sampler.sample(&rng) }
        // standard error of the mean ≈ 12 keV/√2e5 = 0.03 keV; 0.2 keV is > 6σ plus bin-width effects
        #expect(abs(sum / Double(n) - s.meanEnergy) < 0.2)
    }
}
