import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

@Suite("Organ equivalent dose (Schneider 2011)")
struct OEDTests {
    /// A uniform dose D over 250 cm3, split over several bins at the same dose.
    static func uniform(_ d: Double) throws -> DifferentialDVH {
        try DifferentialDVH(doseGy: [d, d, d], volumeCm3: [100, 100, 50], source: "test")
    }

    @Test("linear model: OED of any DVH equals its mean dose")
    func linear() throws {
        let dvh = try DifferentialDVH(doseGy: [0.5, 2, 30], volumeCm3: [200, 50, 10], source: "t")
        #expect(abs(OEDModel.linear.oed(dvh) - (0.5 * 200 + 2 * 50 + 30 * 10) / 260) < 1e-12)
    }

    @Test("uniform dose: linear-exponential OED = D exp(-alpha D)")
    func linExp() throws {
        let d = 12.0, a = 0.129
        #expect(abs(OEDModel.linearExponential(alpha: a).oed(try Self.uniform(d)) - d * exp(-a * d)) < 1e-12)
    }

    @Test("uniform dose: plateau OED = (1 - exp(-delta D)) / delta")
    func plateau() throws {
        let d = 40.0, delta = 0.139
        #expect(abs(OEDModel.plateau(delta: delta).oed(try Self.uniform(d)) - (1 - exp(-delta * d)) / delta) < 1e-12)
    }

    @Test("uniform dose: full model OED equals Schneider's closed form with alpha' = alpha + beta D/n")
    func full() throws {
        let d = 54.0, alpha = 0.041, r = 0.15, ab = 3.0, n = 30
        let ap = alpha + alpha / ab * d / Double(n)
        let closed = exp(-ap * d) / (ap * r) * (1 - 2 * r + r * r * exp(ap * d) - pow(1 - r, 2) * exp(-ap * r * d / (1 - r)))
        let got = OEDModel.full(alpha: alpha, repopulation: r, alphaBeta: ab, fractions: n).oed(try Self.uniform(d))
        #expect(abs(got / closed - 1) < 1e-12)
    }

    @Test("full model limits: R -> 0 gives the linear-exponential shape, R = 1 the plateau, both in alpha'")
    func limits() {
        let d = 20.0, alpha = 0.1, n = 10
        let ap = alpha + alpha / 3 * d / Double(n)
        let nearZero = OEDModel.full(alpha: alpha, repopulation: 1e-6, alphaBeta: 3, fractions: n).riskEquivalentDose(d)
        #expect(abs(nearZero / (d * exp(-ap * d)) - 1) < 1e-3)
        let one = OEDModel.full(alpha: alpha, repopulation: 1, alphaBeta: 3, fractions: n).riskEquivalentDose(d)
        #expect(abs(one - (1 - exp(-ap * d)) / ap) < 1e-12)
        let nearOne = OEDModel.full(alpha: alpha, repopulation: 0.999, alphaBeta: 3, fractions: n).riskEquivalentDose(d)
        #expect(abs(nearOne / one - 1) < 1e-2)
    }

    @Test("at low dose every model reduces to the dose itself (slope 1 at D -> 0)")
    func lowDose() {
        let d = 1e-4
        for m in [OEDModel.linearExponential(alpha: 0.2), .plateau(delta: 0.2), .full(alpha: 0.2, repopulation: 0.5, alphaBeta: 3, fractions: 30)] {
            #expect(abs(m.riskEquivalentDose(d) / d - 1) < 1e-3)
        }
    }

    @Test("DVH CSV: a negative volume is rejected naming file, line and field")
    func badCSV() {
        #expect {
            _ = try DifferentialDVH(csvText: "dose_gy,volume_cm3\n1.0,20\n2.0,-5\n", file: "lung.csv")
        } throws: { "\($0)".contains("lung.csv, line 3") && "\($0)".contains("volume_cm3") && "\($0)".contains("-5") }
    }

    @Test("DVH CSV: a missing column is rejected naming the expected header")
    func badHeader() {
        #expect {
            _ = try DifferentialDVH(csvText: "dose,volume\n1,2\n", file: "x.csv")
        } throws: { "\($0)".contains("dose_gy") }
    }

    @Test("DVH CSV: a non-numeric dose is rejected")
    func nonNumeric() {
        #expect {
            _ = try DifferentialDVH(csvText: "dose_gy,volume_cm3\nabc,2\n", file: "x.csv")
        } throws: { "\($0)".contains("line 2") && "\($0)".contains("abc") }
    }

    @Test("the shipped parameter table carries the Schneider 2005 lung alpha with its source")
    func table() throws {
        let p = try OEDParameters.shipped()
        let e = p.value(organ: .lungs, model: "linear_exponential", parameter: "alpha")
        #expect(e?.value == 0.129)
        #expect(e?.source.contains("Schneider 2005") == true)
    }
}
