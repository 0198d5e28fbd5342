import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic-bench chang2017`: writes docs/validation-chang2017.md.
/// `--marrow-response kerma|enhanced` (chang2017, marrow-sites).
extension MarrowResponse: ExpressibleByArgument {}
extension ArmPosture: ExpressibleByArgument {}

struct Chang2017Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chang2017",
        abstract: "Compare organ dose per air kerma in whole-body AP/PA/LLAT beams with Chang et al. 2017; writes docs/validation-chang2017.md.")

    @Option(help: "Reference CSV (age_years, sex, organ, energy_MeV, geometry, dose per air kerma); the comparison runs the ages it holds.")
    var reference: String = "../shared/data/reference/chang2017_icrp_paediatric_photon_dcc.csv"
    @Option(help: "Ages in years to compare, comma-separated (default: every age the reference file holds). An age the file lacks is an error.")
    var ages: String?
    @Option(help: "Geometries, comma-separated (AP, PA, LLAT, RLAT).") var geometries: String = "AP,PA,LLAT"
    @Option(help: "Photon energies in keV, comma-separated.") var energies: String = "20,30,50,70,100,150"
    @Option(help: "Output Markdown file.") var output: String = "docs/validation-chang2017.md"
    @Option(help: "Histories per case.") var histories: Int = 2_000_000
    @Option(help: "Notes file inserted under the summary.") var notes: String = "docs/validation-chang2017-notes.md"
    @Option(help: "Base random seed; each case runs on its own seed derived from it. Another base seed reruns the comparison on independent histories: how far the counts move by chance.")
    var seed: UInt64 = Chang2017Comparison.defaultSeed
    @Option(help: ArgumentHelp("Active-marrow response: 'kerma' (the marrow kerma, Chang's own method and the default) or 'enhanced' (times the chord-model photoelectron enhancement of each site's spongiosa; see `harmonic-bench marrow-enhancement`).", valueName: "kerma|enhanced"))
    var marrowResponse: MarrowResponse = .marrowKerma

    func run() throws {
        let ref = try Chang2017Reference(contentsOf: URL(fileURLWithPath: reference))
        let held = ref.ages
        var chosen = held
        if let ages {
            chosen = []
            for a in ages.split(separator: ",") {
                guard let y = Int(a.trimmingCharacters(in: .whitespaces)) else {
                    throw ValidationError("--ages: '\(a)' is not a whole number of years")
                }
                guard held.contains(y) else {
                    throw ValidationError("--ages: \(reference) holds ages \(held.map(String.init).joined(separator: ", ")), not \(y)")
                }
                chosen.append(y)
            }
        }
        let geometryList = geometries.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let energyList = try energies.split(separator: ",").map { s -> Double in
            guard let e = Double(s.trimmingCharacters(in: .whitespaces)), e > 0 else { throw ValidationError("--energies: '\(s)' is not a positive energy in keV") }
            return e
        }
        var rows: [Chang2017Comparison.Row] = []
        let start = Date()
        for age in chosen {
            for sex in Sex.allCases {
                for geometry in geometryList {
                    for keV in energyList {
                        rows += try Chang2017Comparison.compare(age: age, sex: sex, geometry: geometry, keV: keV,
                                                                histories: histories, reference: ref, physics: XRayPhysicsModel.shared, seed: seed,
                                                                marrowResponse: marrowResponse)
                    }
                    FileHandle.standardError.write("\(age) y \(sex.rawValue) \(geometry) done, \(Int(Date().timeIntervalSince(start))) s\n".data(using: .utf8)!)
                }
            }
        }
        let explanations = (try? String(contentsOfFile: notes, encoding: .utf8)) ?? ""
        let command = "swift run -c release harmonic-bench chang2017 --ages \(chosen.map(String.init).joined(separator: ",")) --histories \(histories)" + (marrowResponse == .marrowKerma ? "" : " --marrow-response \(marrowResponse.rawValue)")
            + (geometries == "AP,PA,LLAT" ? "" : " --geometries \(geometries)") + (energies == "20,30,50,70,100,150" ? "" : " --energies \(energies)") + (seed == Chang2017Comparison.defaultSeed ? "" : " --seed \(seed)")
        let md = Chang2017Comparison.markdown(rows, command: command, explanations: explanations, referenceFile: reference)
        try md.write(toFile: output, atomically: true, encoding: .utf8)
        print("wrote \(output) (\(rows.count) organ cells, ages \(chosen.map(String.init).joined(separator: ", "))) in \(Int(Date().timeIntervalSince(start))) s")
    }
}
