import Foundation
import Testing
import HarmonicCore
@testable import Transport

/// The two shortcuts of the tracking loop: ziggurat exponentials and air skipping.
@Suite("Tracking shortcuts")
struct TrackingShortcutTests {
    @Test("ziggurat exponentials have mean 1, variance 1 and the exponential's tail P(X > 3) = e⁻³")
    func zigguratMatchesExponential() {
        let z = ZigguratExponential.shared
        var rng = RandomStream(seed: 11)
        let n = 1_000_000
        var sum = 0.0, sum2 = 0.0, beyond3 = 0, beyond8 = 0
        z.k.withUnsafeBufferPointer { k in z.w.withUnsafeBufferPointer { w in z.f.withUnsafeBufferPointer { f in
            for _ in 0..<n {
                let x = z.sample(&rng, k, w, f)
                sum += x; sum2 += x * x
                if x > 3 { beyond3 += 1 }
                if x > 8 { beyond8 += 1 }   // beyond the ziggurat's last layer edge r = 7.697
            }
        } } }
        let mean = sum / Double(n), variance = sum2 / Double(n) - mean * mean
        // standard errors: mean 1/√n = 0.001, variance √(8/n) ≈ 0.0028; 5 standard errors
        #expect(abs(mean - 1) < 0.005)
        #expect(abs(variance - 1) < 0.014)
        // binomial: p = e⁻³ = 0.0498, sd √(p(1−p)/n) = 0.00022; 5 sd
        #expect(abs(Double(beyond3) / Double(n) - exp(-3)) < 0.0011)
        // e⁻⁸ n = 335 expected, Poisson sd 18; 5 sd
        #expect(abs(Double(beyond8) - exp(-8) * Double(n)) < 92)
    }

    @Test("the air distance map equals the brute-force chessboard distance to the nearest body voxel")
    func airDistanceIsChessboardDistance() {
        let nx = 9, ny = 7, nz = 6
        var labels = [UInt8](repeating: 0, count: nx * ny * nz)
        labels[2 + nx * (3 + ny * 1)] = 1
        labels[7 + nx * (1 + ny * 4)] = 2
        let d = chessboardAirDistance(labels: labels, nx: nx, ny: ny, nz: nz)
        let body = labels.indices.filter { labels[$0] != 0 }.map { ($0 % nx, ($0 / nx) % ny, $0 / (nx * ny)) }
        for z in 0..<nz { for y in 0..<ny { for x in 0..<nx {
            let expected = body.map { max(abs($0.0 - x), abs($0.1 - y), abs($0.2 - z)) }.min()!
            #expect(Int(d[x + nx * (y + ny * z)]) == expected, "voxel \(x),\(y),\(z)")
        } } }
    }
}
