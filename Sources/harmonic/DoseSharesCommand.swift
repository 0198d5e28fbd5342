import ArgumentParser
import Foundation
import Registry

/// `harmonic dose shares`: what dominates the cohort's red-marrow and breast dose.
struct DoseSharesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shares",
        abstract: "Fraction of the collective red-marrow and breast dose by exposure type (cardiac, imaging, rt) and era, and each child's share by type.",
        discussion: """
        Reads procedure_organ_dose, imaging_exam_organ_dose and rt_course_organ_dose (run harmonic dose --store and, \
        for radiotherapy, harmonic rt dose --store first), per study cohort (patients.cohort):
          collective: for each exposure type and 5-year era, the sum of the exposures' mean organ doses (person·mGy) \
        and its fraction of the cohort's collective dose to that organ;
          childShares: over the children with a dose to the organ, the median, 5th and 95th percentile and mean of the \
        share (0-1) of the child's dose from each type, and the fraction of children for whom that type gives more than half.
        Flagged and undosed exposures (imaging modalities not modelled) add nothing: harmonic dose prints their counts.
        Example:
          harmonic dose shares --store harmonic-out/harmonic.sqlite --json
        """)

    @Option(help: "Registry store (SQLite) with the doses.") var store: String
    @Flag(help: "Print the shares as JSON ({collective: [...], childShares: [...]}).") var json = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store: no file at \(store)") }
        let shares = try RegistryStore(path: store, role: .analyst).exposureShares()
        print(json ? try jsonString(shares) : shares.text)
    }
}
