import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic-bench ct-validation`: Harmonic's CT Monte Carlo against published paediatric CT
/// coefficients it was not fitted to (Lee et al. 2012 E/DLP from the committed table), and the
/// time of one CT scan simulation.
struct CTValidationBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ct-validation",
        abstract: "CT Monte Carlo vs Lee et al. 2012: effective dose per DLP (ratio per region, age, kVp), chest-scan organ dose per CTDIvol, Fujii et al. 2009 measured paediatric chest CT organ doses, and the time of one scan simulation.",
        discussion: "Example: swift run -c release harmonic-bench ct-validation --histories 1000000\nThe comparisons alone, as JSON: harmonic-bench ct-validation --histories 0 --json")

    @Option(help: "Histories of the timed scan simulation (5 y female chest, 100 kV; 0 = skip).") var histories = 1_000_000
    @Flag(help: "Print the three comparisons (and the timed scan) as one JSON object instead of tables.") var json = false

    /// What `--json` prints.
    struct Output: Encodable {
        let effectiveDosePerDLP: [CTValidation.Row]
        let chestOrgansLee2012: [CTValidation.ChestOrganRow]
        let chestMeasuredFujii2009: [CTValidation.MeasuredChestRow]
        let timedScan: TimedScan?
        struct TimedScan: Encodable { let histories: Int; let seconds: Double; let lungsPerCTDIvol32: Double; let lungsRelativeUncertainty: Double }
    }

    func run() throws {
        let table = try CTCoefficientTable.loadDefault()
        let rows = try CTValidation.compare(table)
        let organs = try CTValidation.compareChestOrgans(table)
        let measured = try CTValidation.compareFujii2009(table)
        var timed: Output.TimedScan?
        if histories > 0 {
            let t0 = Date()
            let s = try CTSimulation.scan(region: .chest, age: .five, sex: .female, kVp: 100, histories: histories)
            timed = .init(histories: histories, seconds: Date().timeIntervalSince(t0), lungsPerCTDIvol32: s.coefficient(.lungs)!.perCTDIvol,
                          lungsRelativeUncertainty: s.coefficient(.lungs)!.relativeUncertainty)
        }
        if json {
            print(try prettyJSON(Output(effectiveDosePerDLP: rows, chestOrgansLee2012: organs,
                                        chestMeasuredFujii2009: measured, timedScan: timed)))
            return
        }
        print("region                 age  kVp   Lee2012 E/DLP   Harmonic(ref)  ratio   Harmonic(16cm)  ratio")
        for r in rows {
            print(r.region.rawValue.padding(toLength: 22, withPad: " ", startingAt: 0)
                  + String(format: " %3d  %3.0f   %12.4f   %12.4f  %5.2f   %12.4f  %5.2f", r.ageYears, r.kVp, r.published,
                           r.harmonicReference, r.ratioReference, r.harmonic16, r.ratio16))
        }
        print("\nchest scan organ dose per CTDIvol (Lee 2012 Table IV); Harmonic per 32 cm and per 16 cm CTDIvol")
        print("organ             age sex   kVp   Lee2012   Harmonic(32cm)  ratio   Harmonic(16cm)  ratio")
        var logs: [Organ: [Double]] = [:]
        for r in organs {
            logs[r.organ, default: []].append(log(r.ratio16))
            print(r.organ.rawValue.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: " %3d %-4@ %4.0f  %8.3f   %12.3f  %5.2f   %12.3f  %5.2f", r.ageYears, r.sex ?? "both", r.kVp, r.published,
                           r.harmonicReference, r.ratioReference, r.harmonic16, r.ratio16))
        }
        for (organ, l) in logs.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            print(String(format: "%@: geometric mean ratio (16 cm) %.2f over %d rows", organ.rawValue, exp(l.reduce(0, +) / Double(l.count)), l.count))
        }
        print(String(format: "\nchest scan measured in a 6-year-old phantom on four scanners (Fujii 2009 Table 2), per displayed CTDIvol; Harmonic %g y, sex mean, %g kV, per 32 cm CTDIvol",
                     CTValidation.fujii2009Age, CTValidation.fujii2009KVp))
        print("quantity                  measured per CTDIvol (4 scanners)   geo mean   Harmonic   ratio")
        for r in measured {
            print(r.quantity.padding(toLength: 24, withPad: " ", startingAt: 0)
                  + r.measured.map { String(format: " %6.2f", $0) }.joined() + String(format: "        %6.2f     %6.2f   %5.2f", r.measuredGeometricMean, r.harmonic, r.ratio))
        }
        if let t = timed {
            print(String(format: "5 y F chest 100 kV, %d histories (CTDI phantoms included): %.2f s; lungs %.3f ± %.1f%% mGy/mGy CTDIvol32",
                         t.histories, t.seconds, t.lungsPerCTDIvol32, 100 * t.lungsRelativeUncertainty))
        }
    }
}
