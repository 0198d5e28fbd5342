import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic-bench chang2017`: writes docs/validation-chang2017.md.
struct Chang2017Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chang2017",
        abstract: "Compare organ dose per air kerma in whole-body AP/PA/LLAT beams with Chang et al. 2017; writes docs/validation-chang2017.md.")

    @Option(help: "Reference CSV.") var reference: String = "../shared/data/reference/chang2017_icrp_paediatric_photon_dcc.csv"
    @Option(help: "Output Markdown file.") var output: String = "docs/validation-chang2017.md"
    @Option(help: "Histories per case.") var histories: Int = 2_000_000
    @Option(help: "Notes file inserted under the summary.") var notes: String = "docs/validation-chang2017-notes.md"

    func run() throws {
        let ref = try Chang2017Reference(contentsOf: URL(fileURLWithPath: reference))
        var rows: [Chang2017Comparison.Row] = []
        let start = Date()
        for age in [0, 5, 15] {
            for sex in Sex.allCases {
                for geometry in ["AP", "PA", "LLAT"] {
                    for keV in [20.0, 30, 50, 70, 100, 150] {
                        rows += try Chang2017Comparison.compare(age: age, sex: sex, geometry: geometry, keV: keV,
                                                                histories: histories, reference: ref, physics: XRayPhysicsModel.shared)
                    }
                    FileHandle.standardError.write("\(age) y \(sex.rawValue) \(geometry) done, \(Int(Date().timeIntervalSince(start))) s\n".data(using: .utf8)!)
                }
            }
        }
        let explanations = (try? String(contentsOfFile: notes, encoding: .utf8)) ?? ""
        let md = Chang2017Comparison.markdown(rows, command: "swift run -c release harmonic-bench chang2017 --histories \(histories)",
                                              explanations: explanations)
        try md.write(toFile: output, atomically: true, encoding: .utf8)
        print("wrote \(output) (\(rows.count) organ cells) in \(Int(Date().timeIntervalSince(start))) s")
    }
}
