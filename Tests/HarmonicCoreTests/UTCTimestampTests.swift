import Foundation
import Testing
import HarmonicCore

@Suite struct UTCTimestampTests {
    @Test("a timestamp is what Foundation's ISO8601DateFormatter writes, before and after 1970 and at day boundaries")
    func matchesFoundation() {
        let f = ISO8601DateFormatter()
        for t in [0.0, 86_399.9, 86_400, -1, -86_400.5, 1_796_418_000, 951_782_400 /* 2000-02-29 */, 4_102_444_799] {
            let d = Date(timeIntervalSince1970: t)
            #expect(UTCTimestamp.string(from: d) == f.string(from: d), "\(t)")
        }
    }
}
