import ArgumentParser
import Foundation
import Reports

/// `harmonic demo`: the main job end to end on the embedded SQLite store.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Main job: synthesise a cohort, load it with validation into SQLite, write an HTML report.",
        discussion: """
        Stages (progress on stderr):
          1. synth   — a seeded synthetic cohort with 1% bad rows (OUT/extract, truth in OUT/extract/truth)
          2. ingest  — every site folder loaded into OUT/harmonic.sqlite with validation, quarantine and
                       pseudonyms made with per-country keys written to OUT/keys (outside the store)
          3. dose    — organ doses of every procedure with uncertainty realisations (tables procedure_organ_dose,
                       child_organ_dose; OUT/harmonic.sqlite.realisations), see `harmonic dose --help`
                       and of every radiotherapy course by tier: about --rt-dicom-courses courses get synthetic
                       DICOM-RT (OUT/extract/<CC>-radiotherapy/dicom-rt, loaded with ingest-dicom) and the
                       dicom_rt tier, the others their course record; see `harmonic rt dose --help`
          4. report  — OUT/report.html: counts by country, era, procedure type and dose-record completeness,
                       KAP by age and era, validation results with quarantine reasons
        The path of the report is printed on stdout. A previous store in OUT is replaced.

        Example:
          swift run -c release harmonic demo                       # 70,000 children, ~5 min on 2 cores
          swift run -c release harmonic demo --children 5000 --out small-demo --seed 2
        """
    )

    @Option(help: "Children in the cardiac cohorts (the radiotherapy registry scales with it). The full 70,000 takes about 5 minutes in release on 2 cores (2026-12-06: synth 68 s, ingest 63 s, organ doses with their uncertainty realisations 132 s, dose-response 8 s, report 34 s).")
    var children: Int = 70_000

    @Option(help: "Output folder for the extract, keys, store and report.")
    var out: String = "harmonic-out"

    @Option(help: "Random seed of the synthetic cohort.")
    var seed: UInt64 = 1

    @Option(help: "Share of rows made bad on purpose, to exercise validation (e.g. 1%).")
    var corrupt: String = "1%"

    @Option(name: .customLong("rt-dicom-courses"), help: "Radiotherapy courses (about) given synthetic DICOM-RT, loaded with ingest-dicom and dosed from their grid (the report's dicom_rt tier against truth); 0: none.")
    var rtDICOMCourses: Int = 12

    func validate() throws {
        guard children > 0 else { throw ValidationError("--children must be > 0, got \(children)") }
        guard rtDICOMCourses >= 0 else { throw ValidationError("--rt-dicom-courses must be >= 0, got \(rtDICOMCourses)") }
        guard SynthCommand.parseShare(corrupt) != nil else { throw ValidationError("--corrupt must be a share such as 1%, got '\(corrupt)'") }
    }

    func run() throws {
        let started = Date()
        var bar = ProgressBar("synth")
        var pipeline = DemoPipeline(children: children, seed: seed, corruptFraction: SynthCommand.parseShare(corrupt) ?? 0,
                                    outputDirectory: URL(fileURLWithPath: out))
        pipeline.rtDICOMCourses = rtDICOMCourses
        let result = try pipeline.run(stage: { name in
            note(name)
            bar = ProgressBar(String(name.split(separator: " ")[1].dropLast()))
        }, progress: { bar.update($0) })
        note(String(format: "synth %.1f s, ingest %.1f s (%d rows accepted, %d rejected), dose %.1f s, dose-response %.1f s, report %.1f s; total %.1f s",
                    result.synthSeconds, result.ingestSeconds, result.accepted, result.rejected, result.doseSeconds,
                    result.doseResponseSeconds, result.reportSeconds,
                    Date().timeIntervalSince(started)))
        print(result.reportURL.path)
    }
}
