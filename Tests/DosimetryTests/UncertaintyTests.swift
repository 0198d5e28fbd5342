import Foundation
import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Uncertainty realisations")
struct UncertaintyTests {
    static func logDoses(_ block: [Float16], procedure i: Int, quantity q: Int, n: Int) -> [Double] {
        let base = (i * DoseQuantity.count + q) * n
        return (0..<n).map { log(Double(block[base + $0])) }
    }

    static func correlation(_ a: [Double], _ b: [Double]) -> Double {
        let n = Double(a.count), ma = a.reduce(0, +) / n, mb = b.reduce(0, +) / n
        var sab = 0.0, saa = 0.0, sbb = 0.0
        for k in a.indices { sab += (a[k] - ma) * (b[k] - mb); saa += (a[k] - ma) * (a[k] - ma); sbb += (b[k] - mb) * (b[k] - mb) }
        return sab / (saa * sbb).squareRoot()
    }

    /// Calibration errors of σ = 0.2 in every era and no coefficient error, so that only the shared
    /// calibration and the unshared size error vary.
    static func calibrationOnlyModel() -> UncertaintyModel {
        var model = UncertaintyModel()
        model.calibrationSDBefore2000 = 0.2; model.calibrationSDFrom2000 = 0.2
        model.coefficientSD = [Double](repeating: 0, count: DoseQuantity.count)
        return model
    }

    /// Reconstructs `procedures` with `calibrationOnlyModel()` (n realisations) and checks the shared
    /// calibration error: log doses of procedures `shared.0` and `shared.1` (one hospital and era) correlate
    /// with ρ = σ_cal² / (σ_cal² + σ_size²) = 0.04 / 0.0425 = 0.941, those of `shared.0` and `independent`
    /// (another group) not at all. Tolerance 4 SE of Pearson's r, SE ≈ (1-ρ²)/√n: 0.012 within, 0.09 across
    /// (n = 2000).
    static func expectCalibrationShared(procedures: [ProcedureInput], events: [EventInput], seed: UInt64,
                                        shared: (Int, Int), independent: Int, n: Int = 2000,
                                        sourceLocation: SourceLocation = #_sourceLocation) {
        let model = calibrationOnlyModel()
        var settings = ReconstructionSettings(seed: seed, realisations: n)
        settings.uncertainty = model
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(), settings: settings)
        let (_, block) = Cohort.run(engine)
        let a = logDoses(block, procedure: shared.0, quantity: 0, n: n), b = logDoses(block, procedure: shared.1, quantity: 0, n: n)
        let other = logDoses(block, procedure: independent, quantity: 0, n: n)
        let within = 0.04 / (0.04 + pow(model.recordedWeightSD, 2))
        #expect(abs(correlation(a, b) - within) < 4 * (1 - within * within) / Double(n).squareRoot(), sourceLocation: sourceLocation)
        #expect(abs(correlation(a, other)) < 4 / Double(n).squareRoot(), sourceLocation: sourceLocation)
    }

    @Test("the realisations reproduce the analytic mean of an event-level dose within Monte Carlo error")
    func meanWithinMonteCarloError() {
        let n = 4000
        let (procedures, events) = Cohort.mixed()
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(),
                                        settings: ReconstructionSettings(seed: 7, realisations: n))
        let (doses, block) = Cohort.run(engine)
        let unc = UncertaintyModel.standard
        for q in DoseQuantity.allCases {
            let d = doses[0]!
            // Lognormal errors with median 1: E[factor] = exp(Σσ²/2) (calibration 2012, coefficient, size with weight).
            let variance = pow(unc.calibrationSD(year: 2012), 2) + pow(unc.coefficientSD[q.rawValue], 2) + pow(unc.sizeSD(weightRecorded: true), 2)
            let expected = d.central[q.rawValue] * exp(variance / 2)
            let values = (0..<n).map { Double(block[q.rawValue * n + $0]) }
            let mean = values.reduce(0, +) / Double(n)
            let sd = (values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)).squareRoot()
            // 4 standard errors of the mean: a false alarm about once in 16,000 per quantity.
            #expect(abs(mean - expected) < 4 * sd / Double(n).squareRoot(), "quantity \(q)")
            // The stored mean is the mean of the same draws before float16 rounding (relative 2^-11 per value).
            #expect(abs(d.mean[q.rawValue] - mean) < 1e-3 * mean)
        }
    }

    @Test("shared calibration errors correlate the children of one hospital and era, and not those of another hospital")
    func sharedErrorsCorrelateWithinHospital() {
        var (procedures, events) = Cohort.mixed(hospital: "H1")
        let (other, otherEvents) = Cohort.mixed(hospital: "H2", eventOffset: events.count)
        procedures += other; events += otherEvents
        #expect(procedures[12].hospital == "H2")
        Self.expectCalibrationShared(procedures: procedures, events: events, seed: 11, shared: (0, 1), independent: 12)
    }

    @Test("one hospital's calibration errors in different eras are independent")
    func calibrationErrorsIndependentAcrossErasOfOneHospital() {
        // Three event-level procedures of hospital H1: two in the 2010-2014 era, one in 2000-2004; each
        // hospital/era group draws its own calibration factor.
        let events = Cohort.events(4) + Cohort.events(4) + Cohort.events(4)
        let procedures = [Cohort.procedure("H1-2012a", year: 2012, events: 0..<4),
                          Cohort.procedure("H1-2013", year: 2013, events: 4..<8),
                          Cohort.procedure("H1-2003", year: 2003, events: 8..<12)]
        #expect(procedures[0].era == procedures[1].era && procedures[0].era != procedures[2].era)
        Self.expectCalibrationShared(procedures: procedures, events: events, seed: 13, shared: (0, 1), independent: 2)
    }

    @Test("the coefficient model error is shared by all children, whatever their hospital")
    func coefficientErrorSharedByAll() {
        let n = 2000
        var model = UncertaintyModel()
        model.calibrationSDBefore2000 = 0; model.calibrationSDFrom2000 = 0
        var (procedures, events) = Cohort.mixed(hospital: "H1")
        let (other, otherEvents) = Cohort.mixed(hospital: "H2", eventOffset: events.count)
        procedures += other; events += otherEvents
        var settings = ReconstructionSettings(seed: 5, realisations: n)
        settings.uncertainty = model
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(), settings: settings)
        let (_, block) = Cohort.run(engine)
        let q = DoseQuantity.thyroid.rawValue
        let a = Self.logDoses(block, procedure: 0, quantity: q, n: n), b = Self.logDoses(block, procedure: 12, quantity: q, n: n)
        // ρ = σ_coef² / (σ_coef² + σ_size²) = 0.16 / 0.1625 = 0.985; 4 SE ≈ 0.003.
        let expected = 0.16 / (0.16 + pow(model.recordedWeightSD, 2))
        #expect(abs(Self.correlation(a, b) - expected) < 4 * (1 - expected * expected) / Double(n).squareRoot())
    }

    @Test("unshared errors are independent between children of the same hospital")
    func unsharedErrorsAreIndependent() {
        let n = 2000
        var model = UncertaintyModel()
        model.calibrationSDBefore2000 = 0; model.calibrationSDFrom2000 = 0
        model.coefficientSD = [Double](repeating: 0, count: DoseQuantity.count)
        let (procedures, events) = Cohort.mixed()
        var settings = ReconstructionSettings(seed: 3, realisations: n)
        settings.uncertainty = model
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(), settings: settings)
        let (_, block) = Cohort.run(engine)
        let totals = procedures.count - 2, imputed = procedures.count - 1
        let pairs = [(0, 1), (2, 3), (totals, imputed), (0, totals)]
        for (i, j) in pairs {
            let r = Self.correlation(Self.logDoses(block, procedure: i, quantity: 1, n: n), Self.logDoses(block, procedure: j, quantity: 1, n: n))
            // Independent: |r| below 4 SE = 4/√n = 0.09.
            #expect(abs(r) < 4 / Double(n).squareRoot(), "procedures \(i), \(j)")
        }
    }

    @Test("a procedure's realisations are the same whatever the block size and whichever other procedures are computed")
    func reproducibleWhateverTheSplit() {
        let (procedures, events) = Cohort.mixed(n: 20)
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(),
                                        settings: ReconstructionSettings(seed: 99, realisations: 64))
        let (_, whole) = Cohort.run(engine)
        let (_, small) = Cohort.run(engine, blockSize: 3)
        var only = [Bool](repeating: false, count: procedures.count)
        only[7] = true; only[procedures.count - 1] = true
        let (_, partial) = Cohort.run(engine, compute: only)
        #expect(whole.map(\.bitPattern) == small.map(\.bitPattern))
        let per = DoseQuantity.count * 64
        for i in [7, procedures.count - 1] {
            #expect(Array(whole[i * per ..< (i + 1) * per]).map(\.bitPattern) == Array(partial[i * per ..< (i + 1) * per]).map(\.bitPattern))
        }
    }

    @Test("changing one procedure's KAP changes its input hash and no other event-level procedure's")
    func inputHashTracksChanges() {
        let (procedures, events) = Cohort.mixed()
        var changed = events
        changed[0].kapGyCm2 = 0.7
        let settings = ReconstructionSettings(realisations: 10)
        let a = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(), settings: settings)
        let b = DoseReconstruction(procedures: procedures, events: changed, source: AnalyticCoefficientFixture(), settings: settings)
        #expect(a.inputHash(0) != b.inputHash(0))
        for i in 1..<(procedures.count - 2) { #expect(a.inputHash(i) == b.inputHash(i)) }
    }
}
