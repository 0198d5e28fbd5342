import HarmonicCore

/// Samples photon energies from a binned spectrum in O(1) with Walker's alias method
/// (Walker, ACM TOMS 3 (1977) 253; Vose's construction), uniform within each bin.
public struct SpectrumSampler: Sendable {
    @usableFromInline let lowerEdges: [Double]
    @usableFromInline let probability: [Double]
    @usableFromInline let alias: [Int]
    @usableFromInline let binWidth: Double

    public init(energies: [Double], weights: [Double], binWidth: Double) {
        let n = weights.count
        let total = weights.reduce(0, +)
        var scaled = weights.map { total > 0 ? $0 * Double(n) / total : 1 }
        var probability = [Double](repeating: 1, count: n), alias = Array(0..<n)
        var small = [Int](), large = [Int]()
        for i in 0..<n { if scaled[i] < 1 { small.append(i) } else { large.append(i) } }
        while let s = small.popLast(), let l = large.last {
            probability[s] = scaled[s]; alias[s] = l
            scaled[l] -= 1 - scaled[s]
            if scaled[l] < 1 { large.removeLast(); small.append(l) }
        }
        self.probability = probability; self.alias = alias
        self.lowerEdges = energies.map { $0 - binWidth / 2 }
        self.binWidth = binWidth
    }

    /// One photon energy, keV.
    @inlinable @inline(__always)
    public func sample(_ rng: inout RandomStream) -> Double {
        let n = probability.count
        let u = rng.uniform() * Double(n)
        let i = min(Int(u), n - 1)
        let bin = (u - Double(i)) < probability[i] ? i : alias[i]
        return lowerEdges[bin] + binWidth * rng.uniform()
    }
}
