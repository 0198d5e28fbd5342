import Foundation
import HarmonicCore
@testable import RiskProjection

/// An independent, deliberately plain LAR computation for the tests: reads the baseline CSV text
/// itself, builds survival by multiplying (1 - q), and sums the BEIR VII formulas year by year with
/// the 5-year (solid) / 2-year (leukaemia) step latency and DDREF 1.5. It shares no code with the
/// engine beyond the file format.
struct IndependentLAR {
    var q: [Double] = []          // death probability by age
    var inc: [Int: Double] = [:]  // incidence per person-year by age
    var mort: [Int: Double] = [:]

    init(baselineDir: String, sex: String, site: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("Sources/RiskProjection/Resources/baselines/\(baselineDir)")
        for line in try String(contentsOf: dir.appendingPathComponent("life_table.csv"), encoding: .utf8).split(separator: "\n") {
            let f = line.split(separator: ",")
            if f.count == 3, f[0] == sex, let a = Int(f[1]), a < 100 { if q.count == a { q.append(Double(f[2])!) } }
        }
        for (name, target) in [("incidence.csv", 0), ("mortality.csv", 1)] {
            let url = dir.appendingPathComponent(name)
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            for line in text.split(separator: "\n") {
                let f = line.split(separator: ",")
                if f.count == 5, f[0] == sex, f[3] == site, let a = Int(f[1]) {
                    if target == 0 { inc[a] = Double(f[4])! / 1e5 } else { mort[a] = Double(f[4])! / 1e5 }
                }
            }
        }
    }

    /// S(a) from birth, a = 0...100.
    var survival: [Double] { var s = [1.0]; for x in q { s.append(s.last! * (1 - x)) }; return s }

    /// Sum over years a in [e+lag, 100) of f(a_mid, t_mid) * S(mid)/S(e).
    func sum(e: Int, lag: Int, _ f: (Double, Double, Int) -> Double) -> Double {
        let s = survival
        var total = 0.0
        for a in (e + lag)..<100 {
            let mid = Double(a) + 0.5
            total += f(mid, mid - Double(e), a) * s[a] * (1 - q[a] / 2) / s[e]
        }
        return total
    }
}
