/// A fast, reproducible pseudo-random stream: xoshiro256** (Blackman & Vigna, "Scrambled
/// linear pseudorandom number generators", ACM TOMS 47, 2021), seeded through SplitMix64.
///
/// Parallel work stays reproducible whatever the thread count by giving each fixed batch of
/// work its own stream: `RandomStream(seed: s, stream: batchIndex)`. Streams with different
/// indices are seeded from distinct SplitMix64 sequences, the construction the xoshiro
/// authors recommend for independent streams.
public struct RandomStream: RandomNumberGenerator, Sendable {
    @usableFromInline var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// A stream for `seed` and sub-stream `stream` (e.g. a batch or child index).
    public init(seed: UInt64, stream: UInt64 = 0) {
        var sm = seed &+ 0x9E37_79B9_7F4A_7C15 &* (stream &+ 1)
        // Mix the stream index in a second time so (seed, stream) pairs that sum alike differ.
        sm ^= RandomStream.splitMix(&sm) &* (stream | 1)
        s0 = RandomStream.splitMix(&sm); s1 = RandomStream.splitMix(&sm)
        s2 = RandomStream.splitMix(&sm); s3 = RandomStream.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inlinable @inline(__always)
    static func splitMix(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    @inlinable @inline(__always)
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform in (0, 1]: safe to take the logarithm of.
    @inlinable @inline(__always)
    public mutating func uniformPositive() -> Double {
        Double((next() >> 11) + 1) * 0x1.0p-53
    }

    /// Standard normal deviate (Marsaglia polar method).
    @inlinable
    public mutating func normal() -> Double {
        while true {
            let u = 2 * uniform() - 1, v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * _log(s) / s).squareRoot() }
        }
    }

    /// Exponential deviate with mean 1.
    @inlinable
    public mutating func exponential() -> Double { -_log(uniformPositive()) }
}

#if canImport(Glibc)
import Glibc
@usableFromInline func _log(_ x: Double) -> Double { Glibc.log(x) }
#elseif canImport(Musl)
import Musl
@usableFromInline func _log(_ x: Double) -> Double { Musl.log(x) }
#else
import Darwin
@usableFromInline func _log(_ x: Double) -> Double { Darwin.log(x) }
#endif
