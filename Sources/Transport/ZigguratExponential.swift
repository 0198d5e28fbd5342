import HarmonicCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Exponential deviates (mean 1) by the ziggurat method of Marsaglia & Tsang (J. Stat. Softw. 5(8),
/// 2000), with 256 layers: about 98.9% of draws cost one 64-bit random number, one table lookup and
/// one multiplication, where −log(U) costs a logarithm each time. Exact (the rejection steps restore
/// the density). Here the layer comes from the low 8 bits of the random word and the position in
/// the layer from its upper 53 bits, so that the two are independent (Doornik 2005, "An improved
/// ziggurat method", notes the original's reuse of the same bits).
struct ZigguratExponential: Sendable {
    /// Per layer: acceptance threshold on the 53-bit integer, width scale, density at the layer's edge.
    let k: [UInt64]
    let w: [Double]
    let f: [Double]
    static let r = 7.69711747013104972    // rightmost layer edge (Marsaglia & Tsang 2000, 256 layers)
    static let v = 3.949659822581572e-3    // area of each layer

    static let shared = ZigguratExponential()

    init() {
        let m = 9007199254740992.0   // 2^53
        var k = [UInt64](repeating: 0, count: 256), w = [Double](repeating: 0, count: 256), f = [Double](repeating: 0, count: 256)
        var d = Self.r, t = Self.r
        let q = Self.v / exp(-d)
        k[0] = UInt64(d / q * m); k[1] = 0
        w[0] = q / m; w[255] = d / m
        f[0] = 1; f[255] = exp(-d)
        for i in stride(from: 254, through: 1, by: -1) {
            d = -log(Self.v / d + exp(-d))
            k[i + 1] = UInt64(d / t * m)
            t = d
            f[i] = exp(-d)
            w[i] = d / m
        }
        self.k = k; self.w = w; self.f = f
    }

    @inline(__always)
    func sample(_ rng: inout RandomStream, _ k: UnsafeBufferPointer<UInt64>, _ w: UnsafeBufferPointer<Double>,
                _ f: UnsafeBufferPointer<Double>) -> Double {
        var bits = rng.next()
        var i = Int(bits & 255), j = bits >> 11
        if j < k[i] { return Double(j) * w[i] }
        while true {
            if i == 0 { return Self.r - log(rng.uniformPositive()) }   // the tail beyond r
            let x = Double(j) * w[i]
            if f[i] + rng.uniform() * (f[i - 1] - f[i]) < exp(-x) { return x }
            bits = rng.next()
            i = Int(bits & 255); j = bits >> 11
            if j < k[i] { return Double(j) * w[i] }
        }
    }
}
