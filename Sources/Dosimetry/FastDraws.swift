import Foundation
import HarmonicCore

/// Standard normal deviates two at a time: Marsaglia's polar method yields a pair per accepted
/// point; `RandomStream.normal()` keeps one, this keeps both (half the logarithms in the hot loop).
struct NormalPairs {
    private var spare = 0.0
    private var hasSpare = false

    @inline(__always)
    mutating func next(_ rng: inout RandomStream) -> Double {
        if hasSpare { hasSpare = false; return spare }
        while true {
            let u = 2 * rng.uniform() - 1, v = 2 * rng.uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let f = (-2 * log(s) / s).squareRoot()
                spare = v * f; hasSpare = true
                return u * f
            }
        }
    }
}

/// IEEE binary16 bits of a value, rounded to nearest even (via binary32). Done with integer
/// operations: on x86-64 without F16C, `Float16(x)` calls a slow library routine.
@inline(__always)
func float16Bits(_ value: Double) -> UInt16 {
    let f = Float(value).bitPattern
    let sign = UInt16(truncatingIfNeeded: (f >> 16) & 0x8000)
    let magnitude = f & 0x7FFF_FFFF
    if magnitude > 0x7F80_0000 { return sign | 0x7E00 }            // NaN
    let e = Int(magnitude >> 23) - 127 + 15
    if e >= 31 { return sign | 0x7C00 }                            // overflow: infinity
    var m = magnitude & 0x7F_FFFF
    if e <= 0 {                                                    // subnormal half, or zero
        if e < -10 { return sign }
        m |= 0x80_0000
        let shift = UInt32(14 - e)
        var h = m >> shift
        let rest = m & ((1 << shift) - 1), half = UInt32(1) << (shift - 1)
        if rest > half || (rest == half && h & 1 == 1) { h += 1 }
        return sign | UInt16(h)
    }
    var h = UInt32(e << 10) | (m >> 13)
    m &= 0x1FFF
    if m > 0x1000 || (m == 0x1000 && h & 1 == 1) { h += 1 }      // a carry rounds up into the exponent
    return sign | UInt16(h)
}
