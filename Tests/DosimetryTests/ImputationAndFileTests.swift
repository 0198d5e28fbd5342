import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import Dosimetry

@Suite("KAP imputation, realisation file and calculator")
struct ImputationAndFileTests {
    @Test("the log-linear KAP model recovers a known weight slope and era effect from the records that have KAP")
    func imputationRecoversKnownModel() throws {
        var rng = RandomStream(seed: 1)
        var procedures: [ProcedureInput] = []
        for k in 0..<600 {
            let year = k % 2 == 0 ? 1992 : 2012, weight = 4 + Double(k % 40)
            // True model: log KAP = 0.3 (2010s) or 1.0 (1990s) + 0.8 log weight + N(0, 0.3²).
            let kap = exp((year == 1992 ? 1.0 : 0.3) + 0.8 * log(weight) + 0.3 * rng.normal())
            procedures.append(Cohort.procedure("P\(k)", year: year, age: 8, weight: weight, kap: kap))
        }
        let model = try KAPImputation(procedures: procedures, tiers: Array(repeating: .totals, count: 600), events: [])
        // Tolerances: ~4 standard errors of OLS with n = 600, σ = 0.3 (SE of the slope ≈ 0.02, of era levels ≈ 0.05).
        #expect(abs(model.logWeightSlope - 0.8) < 0.08)
        #expect(abs(model.eraEffect[DoseEra(year: 1992).index] - model.eraEffect[DoseEra(year: 2012).index] - 0.7) < 0.1)
        #expect(abs(model.residualSD - 0.3) < 0.04)
        #expect(model.eraStandardError[DoseEra(year: 1980).index] >= KAPImputation.missingEraStandardError)
    }

    @Test("the realisation file round-trips every value")
    func realisationFileRoundTrips() throws {
        let dir = try SharedData.temporaryDirectory("dose-realisations")
        let path = dir.appendingPathComponent("r.realisations").path
        let n = 5, rows = 3, per = DoseQuantity.count * n
        let values = (0..<rows * per).map { Float16(Float($0) * 0.25) }
        let writer = try RealisationWriter(path: path, rows: rows, realisations: n, seed: 42)
        try values.withUnsafeBufferPointer { try writer.append(UnsafeBufferPointer(rebasing: $0[0..<per])); try writer.append(UnsafeBufferPointer(rebasing: $0[per...])) }
        try writer.finish()
        let reader = try RealisationReader(path: path)
        #expect(reader.rows == rows && reader.realisations == n && reader.seed == 42)
        for row in 0..<rows { for q in 0..<DoseQuantity.count {
            #expect(reader.values(row: row, quantity: q) == (0..<n).map { Float(values[(row * DoseQuantity.count + q) * n + $0]) })
        } }
        let cumulative = reader.cumulative(rows: 0..<2, quantity: 0)
        #expect(cumulative[1][0] == Double(values[0]) + Double(values[per]))
        let index = [RealisationIndexEntry(row: 0, site: "NO", procedureID: "a,\"b\"", patient: "p", date: "2001-02-03", tier: .event, inputHash: 0xABCDEF)]
        try RealisationIndex.write(index, to: path + ".index.csv")
        #expect(try RealisationIndex.read(path + ".index.csv") == index)
    }

    @Test("a truncated realisation file is refused with an error naming the expected and actual sizes")
    func truncatedFileIsRefused() throws {
        let dir = try SharedData.temporaryDirectory("dose-realisations")
        let path = dir.appendingPathComponent("t.realisations").path
        let writer = try RealisationWriter(path: path, rows: 2, realisations: 4, seed: 1)
        let zeros = [Float16](repeating: 1, count: 2 * DoseQuantity.count * 4)
        try zeros.withUnsafeBufferPointer { try writer.append($0) }
        try writer.finish()
        let full = try Data(contentsOf: URL(fileURLWithPath: path))
        try full.prefix(full.count - 10).write(to: URL(fileURLWithPath: path))
        do {
            _ = try RealisationReader(path: path)
            Issue.record("a truncated file was accepted")
        } catch {
            #expect("\(error)".contains("truncated"))
            #expect("\(error)".contains("\(full.count) bytes"))
        }
    }

    @Test("the calculator gives a 95% interval around its estimate and refuses implausible input")
    func calculatorIntervals() throws {
        let calculator = DoseCalculator(source: AnalyticCoefficientFixture())
        let projections = try DoseCalculator.parseProjections("PA:0.6,LAT:0.4")
        let values = try calculator.estimate(.init(age: 3, weightKg: 14, kapGyCm2: 4.2, procedureType: "asd_closure", projections: projections))
        let e = values[DoseQuantity.effective.rawValue]
        #expect(e.low < e.central && e.central < e.high)
        // Central effective dose: 4.2 Gy·cm² × 0.9 mSv/(Gy·cm²) of the fixture at 14 kg, 70 kVp (2020 era: the mix's 70 kVp).
        #expect(abs(e.central - 4.2 * 0.9) < 1e-9)
        #expect(throws: DoseModelError.self) { try DoseCalculator.parseProjections("PA:0.6,SIDEWAYS:0.4") }
        #expect(throws: DoseModelError.self) { try calculator.estimate(.init(age: 3, weightKg: 14, kapGyCm2: -1)) }
    }
}

@Suite("Fast draws of the hot loop")
struct FastDrawTests {
    @Test("the integer float16 conversion rounds exactly as Float16(Float(x)) over normal, subnormal, huge and NaN values")
    func float16ConversionMatchesStandardLibrary() {
        var rng = RandomStream(seed: 2)
        var values: [Double] = [0, -0.0, 1, 65504, 65520, 1e6, 6.1e-5, 5.96e-8, 2.98e-8, 1e-9, .infinity, -.infinity, .nan]
        for _ in 0..<200_000 { values.append(exp(rng.normal() * 8) * (rng.uniform() < 0.5 ? -1 : 1)) }
        for v in values {
            let expected = Float16(Float(v)).bitPattern
            let got = float16Bits(v)
            if v.isNaN { #expect(Float16(bitPattern: got).isNaN) } else { #expect(got == expected, "value \(v)") }
        }
    }

    @Test("normal pairs have mean 0 and variance 1")
    func normalPairsAreStandard() {
        var rng = RandomStream(seed: 3)
        var pairs = NormalPairs()
        let n = 200_000
        var sum = 0.0, squares = 0.0
        for _ in 0..<n { let z = pairs.next(&rng); sum += z; squares += z * z }
        // 5 standard errors: mean SE = 1/√n = 0.0022; variance SE = √(2/n) = 0.0032.
        #expect(abs(sum / Double(n)) < 5 / Double(n).squareRoot())
        #expect(abs(squares / Double(n) - 1) < 5 * (2 / Double(n)).squareRoot())
    }
}
