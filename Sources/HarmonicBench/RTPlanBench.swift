import ArgumentParser
import Foundation
import HarmonicCore
import RTDose

/// `harmonic-bench rt-plan`: organ doses of one plan on a 3 M-voxel dose grid (issue 14 target:
/// under 2 s): contoured organs rasterised on the grid (13 structures), the out-of-field model,
/// and every other organ placed from the 8-year-old phantom.
struct RTPlanBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rt-plan",
        abstract: "Organ doses of one plan with a 3 M-voxel grid (target < 2 s).",
        discussion: """
        Builds SyntheticPlan.brainIMRT in memory (144 x 144 x 150 voxels of 2.5 mm), then times \
        PlanDoseCalculation.run --repeat times: the first run includes the phantom fit/voxelisation \
        cache, later runs are the steady state.
        Example: swift run -c release harmonic-bench rt-plan --repeat 3
        """)
    @Option(help: "Voxel spacing, mm (2.5: 3.1 M voxels).") var spacing = 2.5
    @Option(name: .customLong("repeat"), help: "Number of timed runs.") var repeats = 3

    func run() throws {
        let files = SyntheticPlan.brainIMRT(spacing: spacing)
        print("grid \(files.grid.columns) x \(files.grid.rows) x \(files.grid.frames) = \(files.grid.values.count) voxels, \(files.structures.structures.count) structures")
        for k in 1...max(1, repeats) {
            let t0 = Date()
            let r = try PlanDoseCalculation.run(files, patient: PatientDescription(ageYears: 8, sex: .female))
            let s = Date().timeIntervalSince(t0)
            print(String(format: "run %d: %.3f s, %d organs (%d contoured)", k, s, r.organs.count, r.organs.filter { $0.source == .contoured }.count))
        }
    }
}
