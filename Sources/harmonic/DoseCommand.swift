import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Registry

/// `harmonic dose`: organ doses for the whole registry (`run`, the default) and the quick calculator (`estimate`).
struct DoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dose",
        abstract: "Organ doses: every cardiac procedure of a store with uncertainty realisations, or a quick estimate for one procedure.",
        discussion: """
        `harmonic dose --store PATH` (the `run` subcommand) reconstructs every cardiac procedure of the store by the \
        completeness of its record (event-level dose report, procedure totals, no record: KAP imputed; impossible values \
        flagged) and draws N realisations of each organ dose with shared and unshared errors. Results: tables \
        procedure_organ_dose, child_organ_dose and dose_runs in the store, realisations in PATH.realisations \
        (docs/dose-realisations.md). Runs are incremental: unchanged procedures are not recomputed.

        `harmonic dose estimate` gives organ and effective doses with 95% intervals for one procedure.

        Examples:
          harmonic dose --store harmonic-out/harmonic.sqlite
          harmonic dose estimate --age 3 --weight 14 --kap 4.2 --procedure "ASD closure" --projections "PA:0.6,LAT:0.4"
        Models, tiers and error sources: docs/dose-reconstruction.md.
        """,
        subcommands: [DoseRunCommand.self, DoseEstimateCommand.self, DoseImagingCommand.self, DoseSharesCommand.self],
        defaultSubcommand: DoseRunCommand.self
    )
}

struct DoseRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Organ doses with uncertainty realisations for every cardiac procedure and imaging exam of a store (incremental).",
        discussion: """
        Reads patients, cardiac_procedures and irradiation_events as the analyst role; writes procedure_organ_dose \
        (tier, flag reason, KAP used, mean organ doses in mGy and effective dose in mSv), child_organ_dose, dose_runs \
        and STORE.realisations with STORE.realisations.index.csv.
        Then every diagnostic_imaging and rt_imaging row (unless --skip-imaging): imaging_exam_organ_dose (tier \
        ctdivol_recorded, dlp_only, kv_index_recorded (RT CBCT and planar kV), mv_dose_recorded (RT MV portal images from the recorded isocentre dose), effective_recorded, no_ionising, not_modelled \
        or flagged, with the reason naming \
        row, field and value; organ doses in mGy), imaging_dose_runs and STORE.imaging-realisations (same format, \
        errors shared by site, era and scanner and by body region). child_exposure_organ_dose then holds each child's \
        dose by exposure type (cardiac, imaging, rt). docs/imaging-dose.md.
        Example: harmonic dose --store harmonic-out/harmonic.sqlite --realisations 1000 --seed 7
        """
    )

    @Option(help: "Registry store (SQLite) to read and to write the doses into.")
    var store: String

    @Option(help: "Realisations per procedure (second dimension of the Monte Carlo).")
    var realisations: Int = 1000

    @Option(help: "Random seed: the same seed and inputs give the same doses whatever the thread count.")
    var seed: UInt64 = 20_261_123

    @Flag(help: "Recompute every procedure (forget the previous doses) instead of only new or changed ones.")
    var full = false

    @Flag(help: "Skip the imaging exams (diagnostic_imaging, rt_imaging); by default they are dosed after the cardiac procedures.")
    var skipImaging = false

    @Option(help: "Coefficient library file for the cardiac procedures (default: the committed library), e.g. one built with harmonic library build --marrow-response enhanced for a sensitivity analysis. Its name and engine are recorded with every dose (so every procedure is recomputed); run it on a copy of the store to keep the default doses beside it.")
    var library: String?

    @Flag(help: "Print the run summaries (counts by tier, computed and unchanged, stage seconds, realisation files) as JSON instead of the file paths.")
    var json = false

    func validate() throws {
        guard realisations >= 1 && realisations <= 100_000 else { throw ValidationError("--realisations must be 1-100000, got \(realisations)") }
        guard FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store: no file at \(store)") }
    }

    func run() throws {
        let started = Date()
        let (source, identity) = try loadCoefficients(library: library)
        var settings = ReconstructionSettings(seed: seed, realisations: realisations, sourceIdentity: identity)
        settings.uncertainty = .standard
        let registry = try RegistryStore(path: store, role: .analyst)
        if full { try DoseRun.clear(store: registry, storePath: store) }
        let bar = ProgressBar("dose")
        let summary = try DoseRun.run(store: registry, storePath: store, source: source, settings: settings,
                                      stage: { note("dose: \($0)") }, progress: { bar.update($0) })
        let tiers = DoseTier.allCases.map { "\($0.rawValue) \(summary.byTier[$0] ?? 0)" }.joined(separator: ", ")
        note(String(format: "dose: %d procedures (%@), %d events; %d computed, %d unchanged; read %.1f s, models %.1f s, realisations %.1f s, write %.1f s; total %.1f s",
                    summary.procedures, tiers, summary.events, summary.computed, summary.reused, summary.readSeconds, summary.modelSeconds,
                    summary.computeSeconds, summary.writeSeconds, Date().timeIntervalSince(started)))
        let cardiac = DoseRunJSON.Cardiac(runID: summary.runID, procedures: summary.procedures, events: summary.events,
                                          computed: summary.computed, unchanged: summary.reused, removed: summary.removed,
                                          byTier: Dictionary(uniqueKeysWithValues: summary.byTier.map { ($0.key.rawValue, $0.value) }),
                                          realisationFile: summary.realisationFile, readSeconds: summary.readSeconds, modelSeconds: summary.modelSeconds,
                                          realisationSeconds: summary.computeSeconds, writeSeconds: summary.writeSeconds)
        if !json { print(summary.realisationFile) }
        if skipImaging {
            if json { print(try jsonString(DoseRunJSON(cardiac: cardiac, imaging: nil))) }
            return
        }
        if full { try ImagingDoseRun.clear(store: registry, storePath: store) }
        let imaging = try ImagingDoseRun.run(store: registry, storePath: store, settings: .init(seed: seed, realisations: realisations),
                                             stage: { note("dose imaging: \($0)") })
        let imagingTiers = imaging.byTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        note(String(format: "dose imaging: %d exams of diagnostic_imaging and rt_imaging (%@); %d computed, %d unchanged; %.1f s",
                    imaging.exams, imagingTiers, imaging.computed, imaging.reused, imaging.seconds))
        for (reason, n) in imaging.reasons.sorted(by: { $0.key < $1.key }) { note("dose imaging: \(n) exams not dosed: \(reason) (reasons in imaging_exam_organ_dose.flag_reason)") }
        if json { print(try jsonString(DoseRunJSON(cardiac: cardiac, imaging: imaging))) } else { print(imaging.realisationFile) }
    }
}

struct DoseEstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Organ and effective doses with 95% intervals for one procedure from its KAP.",
        discussion: """
        The intervals come from the registry's uncertainty model: KAP-meter calibration, coefficient model error, body \
        size (wider without --weight) and projection mix (none when --projections is given).
        Example:
          harmonic dose estimate --age 3 --weight 14 --kap 4.2 --procedure "ASD closure" --sex F --projections "PA:0.6,LAT:0.4"
          harmonic dose estimate --age 3 --kap 4.2 --json     (quantities: central, mean, low95, high95; mGy, effective mSv)
        """
    )

    @Option(help: "Age at the procedure, years (0-18).") var age: Double
    @Option(help: "Body weight, kg (default: WHO median for age).") var weight: Double?
    @Option(help: "Total kerma-area product, Gy·cm².") var kap: Double
    @Option(help: "Procedure type, e.g. \"ASD closure\" or asd_closure.") var procedure: String = "diagnostic"
    @Option(help: "Sex: M or F.") var sex: String = "F"
    @Option(help: "Tube voltage, kV (default: the mix's typical value).") var kvp: Double?
    @Option(help: "Added copper filtration, mm.") var copper: Double?
    @Option(help: "KAP shares by projection, e.g. \"PA:0.6,LAT:0.4\" (PA, LAO, LAT, RAO, RLAT, AP).") var projections: String?
    @Option(help: "Calendar year of the procedure (sets the KAP-meter uncertainty and era beam quality).") var year: Double = 2020
    @Option(help: "Realisations for the intervals.") var realisations: Int = 2000
    @Option(help: "Coefficient library file (default: the committed library), e.g. one built with --marrow-response enhanced.") var library: String?

    @Flag(help: "Print the estimate as JSON (the same document as GET /api/dose/estimate of harmonic serve).") var json = false

    func run() throws {
        let t0 = Date()
        let (source, identity) = try loadCoefficients(library: library)
        let loaded = Date()
        let report: DoseEstimateReport
        do {
            report = try DoseEstimateReport.estimate(source: source, identity: identity, age: age, sex: sex, weightKg: weight, kapGyCm2: kap,
                                                     procedure: procedure, kVp: kvp, copperMm: copper, projections: projections, year: year,
                                                     realisations: realisations)
        } catch let e as DoseModelError { throw ValidationError(e.description) }
        let done = Date()
        if json {
            print(String(decoding: try report.json(), as: UTF8.self))
        } else {
            print("Quantity               central      mean   95% interval")
            for v in report.quantities {
                print("\(v.name) (\(v.unit))".padding(toLength: 22, withPad: " ", startingAt: 0)
                      + String(format: " %9.3g %9.3g   %.3g - %.3g", v.central, v.mean, v.low95, v.high95))
            }
        }
        note(String(format: "estimate in %.2f ms (coefficient source %@ loaded in %.0f ms)", done.timeIntervalSince(loaded) * 1000,
                    identity, loaded.timeIntervalSince(t0) * 1000))
    }
}

/// `harmonic dose run --json`: the cardiac run's summary and, unless skipped, the imaging run's.
struct DoseRunJSON: Encodable {
    struct Cardiac: Encodable {
        let runID: Int64
        let procedures, events, computed, unchanged, removed: Int
        let byTier: [String: Int]
        let realisationFile: String
        let readSeconds, modelSeconds, realisationSeconds, writeSeconds: Double
        enum CodingKeys: String, CodingKey {
            case procedures, events, computed, unchanged, removed
            case runID = "run_id", byTier = "by_tier", realisationFile = "realisation_file", readSeconds = "read_seconds"
            case modelSeconds = "model_seconds", realisationSeconds = "realisation_seconds", writeSeconds = "write_seconds"
        }
    }
    let cardiac: Cardiac
    let imaging: ImagingDoseRun.Summary?
}

/// The coefficient library of `--library` (the committed one when nil), with its identity; a file
/// that cannot be read is a usage error naming the option.
private func loadCoefficients(library: String?) throws -> (source: any OrganDoseCoefficientSource, identity: String) {
    do { return try DefaultCoefficientSource.load(libraryPath: library) }
    catch let e as InputError { throw ValidationError("--library: \(e.description)") }
}

