import ArgumentParser
import Dosimetry
import Foundation
import RTDose
import Synthesis

/// `harmonic synth`: a seeded synthetic cohort in the CSV layout of real site extracts.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a realistic, reproducible synthetic cohort as site-extract CSV files.",
        discussion: """
        Writes one folder per country and cohort (BE-cardiac, ..., UK-cardiac, BE-radiotherapy, \
        DK-radiotherapy, FR-radiotherapy, DE-radiotherapy), each with one CSV file per table of the \
        data dictionary, ready for `harmonic ingest`. The seven cardiac cohorts share the children \
        as BE 6,000, DE 14,000, ES 7,500, FR 16,000, IT 9,000, NO 6,500, UK 11,000 per 70,000; \
        procedures run 1976-2020 with era-dependent mixes and doses; irradiation events exist from \
        2005, procedure totals mostly from 1990. Cancers are drawn from baseline rates times \
        (1 + ERR/Gy x lagged organ dose); the truth lies in DIR/truth: truth.json (true ERR/Gy, \
        baseline rates, model), organ_doses.csv (true organ doses per procedure), rt_organ_doses.csv \
        (true organ doses per radiotherapy course, mGy: each course's fields differ from the site-typical \
        ones by a drawn size, position and monitor units; docs/rt-dose.md), imaging_exams.csv and \
        imaging_organ_doses.csv (the cardiac children's CT and chest radiographs of 2000-2020 in \
        diagnostic_imaging.csv: true technique, and true organ doses in mGy, effective dose in mSv; \
        radiographs without organ doses yet; docs/imaging-dose.md), rt_imaging_organ_doses.csv (true \
        doses of the RT planning CTs, CBCT and planar kV), rt_mv_imaging_organ_doses.csv (true doses of the MV \
        portal images through each course's own port) and corrupted_rows.csv (rows \
        made bad on purpose with --corrupt). A sample of the radiotherapy courses (--rt-dicom-fraction, default 2%) \
        also gets DICOM-RT files, planned on the reference phantom with the course's true fields, in \
        <site>-radiotherapy/dicom-rt/<course_id>/ (RP.dcm, RD.dcm, RS.dcm): load them with `harmonic ingest-dicom` \
        and give the folder to `harmonic rt dose --store S --dicom-rt DIR` for the DICOM-RT tier.
        The same seed always gives byte-identical files, whatever the number of cores.

        Example:
          harmonic synth --out synth-out --seed 1 --children 70000 --corrupt 1% --true-err leukaemia=5,breast=0.5
        """
    )

    @Option(help: "Output directory (created if needed).")
    var out: String

    @Option(help: "Random seed; the same seed gives byte-identical files.")
    var seed: UInt64 = 1

    @Option(help: "Children in the seven cardiac cohorts together.")
    var children: Int = 70_000

    @Option(name: .customLong("rt-children"), help: "Children in the radiotherapy registry (default: 2,300 per 70,000 cardiac children).")
    var rtChildren: Int?

    @Option(help: "Share of rows made bad on purpose, e.g. 1% or 0.01 (at most 50%).")
    var corrupt: String = "0"

    @Option(name: .customLong("rt-dicom-fraction"),
            help: "Share of radiotherapy courses (0-1) given DICOM-RT files (RT Plan, RT Dose, RT Structure Set) in <site>-radiotherapy/dicom-rt/<course_id>/, for harmonic ingest-dicom and rt dose --store --dicom-rt. Default 0.02.")
    var rtDicomFraction: Double = SyntheticRTDICOM.defaultFraction

    @Option(name: .customLong("true-err"), help: "True ERR per Gy overrides, e.g. leukaemia=5,breast=0.5 (outcomes: leukaemia, lymphoma, brain, thyroid, breast, lung).")
    var trueERR: String?

    func validate() throws {
        guard children >= 0 else { throw ValidationError("--children must be >= 0, got \(children)") }
        guard rtDicomFraction >= 0, rtDicomFraction <= 1 else {
            throw ValidationError("--rt-dicom-fraction must be a share between 0 and 1, got \(rtDicomFraction)")
        }
        guard Self.parseShare(corrupt) != nil else {
            throw ValidationError("--corrupt must be a share such as 1% or 0.01 between 0 and 0.5, got '\(corrupt)'")
        }
    }

    static func parseShare(_ s: String) -> Double? {
        let t = s.trimmingCharacters(in: .whitespaces)
        let v = t.hasSuffix("%") ? Double(t.dropLast()).map { $0 / 100 } : Double(t)
        guard let v, v >= 0, v <= 0.5 else { return nil }
        return v
    }

    func run() throws {
        var err: [SynthOutcome: Double] = [:]
        if let trueERR {
            do { err = try SynthesisConfiguration.parseTrueERR(trueERR) } catch { throw ValidationError("\(error)") }
        }
        let config = SynthesisConfiguration(seed: seed, cardiacChildren: children, radiotherapyChildren: rtChildren,
                                            corruptFraction: Self.parseShare(corrupt) ?? 0, trueERRPerGy: err)
        let start = Date()
        let bar = ProgressBar("synth")
        let summary = try CohortSynthesizer.run(config, to: URL(fileURLWithPath: out), progress: bar.update)
        if summary.cardiacChildren > 0 {
            note("synth: true organ doses of the diagnostic imaging of the cardiac children (truth/\(SyntheticImagingTruth.fileName))")
            try SyntheticImagingTruth.write(extract: URL(fileURLWithPath: out))
        }
        if summary.radiotherapyChildren > 0 {
            note("synth: true organ doses of the radiotherapy courses (truth/\(SyntheticRTTruth.fileName))")
            try SyntheticRTTruth.write(extract: URL(fileURLWithPath: out), seed: seed)
            note("synth: true organ doses of the radiotherapy planning CTs (truth/\(SyntheticImagingTruth.rtFileName))")
            try SyntheticImagingTruth.writeRT(extract: URL(fileURLWithPath: out), seed: seed)
            note("synth: true organ doses of the MV portal imaging (truth/\(SyntheticMVImagingTruth.fileName))")
            try SyntheticMVImagingTruth.write(extract: URL(fileURLWithPath: out), seed: seed)
            let dicom = try SyntheticRTDICOM.write(extract: URL(fileURLWithPath: out), seed: seed, fraction: rtDicomFraction)
            note("synth: DICOM-RT (plan, dose grid, structures) of \(dicom) radiotherapy courses (<site>-radiotherapy/\(SyntheticRTDICOM.folderName)/)")
            note("synth: true effects of organ dose on biomarkers and PedsQL scores (truth/\(OutcomeDoseEffects.truthFileName))")
            try OutcomeDoseEffects.apply(extract: URL(fileURLWithPath: out))
        }
        let seconds = Date().timeIntervalSince(start)
        print(Self.describe(summary, seconds: seconds, out: out))
    }

    static func describe(_ s: SynthesisSummary, seconds: Double, out: String) -> String {
        let r = { (t: SiteExtractTable) in s.rows[t] ?? 0 }
        return """
        Wrote \(s.cardiacChildren) cardiac and \(s.radiotherapyChildren) radiotherapy children to \(out) \
        in \(String(format: "%.1f", seconds)) s: \(r(.procedures)) procedures, \(r(.irradiationEvents)) irradiation events, \
        \(r(.cancers)) cancers, \(r(.rtCourses)) RT courses, \(s.corruptedRows) corrupted rows (truth in \(out)/truth).
        """
    }
}
