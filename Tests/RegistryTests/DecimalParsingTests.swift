import Foundation
import Testing
import HarmonicCore
@testable import Registry

@Suite("Decimal parsing")
struct DecimalParsingTests {
    @Test("plain decimals parse to exactly the double Double(String) (strtod) gives")
    func plainDecimalMatchesStrtod() throws {
        var rng = RandomStream(seed: 11)
        var texts = ["0", "-0", "0.0015", "1.", ".5", "12345678901234.5", "999999999999999", "0.1", "0.3", "-273.15",
                     "0.0000000000000000000001", "1234567890123456", "1e5", "+3", "-", ".", "", "1.2.3", "4,2"]
        for _ in 0..<20_000 {
            let digits = 1 + Int(rng.uniform() * 15)
            var t = rng.uniform() < 0.3 ? "-" : ""
            let dotAt = Int(rng.uniform() * Double(digits + 1))
            for d in 0..<digits {
                if d == dotAt { t += "." }
                t += String(Int(rng.uniform() * 10))
            }
            texts.append(t)
        }
        for t in texts {
            let fast = IngestRules.plainDecimal(t) ?? Double(t)
            let reference = Double(t)
            // Bit-for-bit equality (no tolerance): the fast path is exact by construction (Clinger 1990).
            #expect(fast?.bitPattern == reference?.bitPattern, "\(t)")
        }
    }
}
