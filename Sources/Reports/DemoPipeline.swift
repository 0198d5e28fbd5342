import Dosimetry
import Foundation
import Registry
import RTDose
import Synthesis

/// The main job as one pipeline with named stages: synth → ingest → dose → dose-response → report.
/// `harmonic demo` runs it.
public struct DemoPipeline: Sendable {
    public var children: Int
    public var seed: UInt64
    public var corruptFraction: Double
    public var outputDirectory: URL
    /// Uncertainty realisations per procedure in the dose stage (the `harmonic dose` default is 1,000;
    /// the demo keeps its side file small).
    public var doseRealisations = 200
    /// Coefficient source of the dose stage and its name; nil: the committed coefficient library
    /// (`DefaultCoefficientSource`). Tests pass a small analytic fixture.
    public var coefficientSource: (source: any OrganDoseCoefficientSource, identity: String)?
    /// Radiotherapy courses given synthetic DICOM-RT (about; a share of the registry drawn as by
    /// `harmonic synth --rt-dicom-fraction`), loaded with ingest-dicom and dosed in the dicom_rt tier.
    public var rtDICOMCourses = 12

    public init(children: Int, seed: UInt64, corruptFraction: Double, outputDirectory: URL) {
        self.children = children; self.seed = seed; self.corruptFraction = corruptFraction
        self.outputDirectory = outputDirectory
    }

    public struct Result: Sendable {
        public var reportURL: URL
        public var storePath: String
        public var synthesis: SynthesisSummary
        public var accepted = 0, rejected = 0
        public var synthSeconds = 0.0, ingestSeconds = 0.0, reportSeconds = 0.0
        public var doseSeconds = 0.0, doseResponseSeconds = 0.0
        public var dose: DoseRun.Summary?
        public var rtDose: RTDoseRun.Summary?
    }

    /// Runs every stage. `stage` hears each stage's name when it starts; `progress` the
    /// fraction done within the current stage.
    public func run(stage: (String) -> Void = { _ in }, progress: @escaping (Double) -> Void = { _ in }) throws -> Result {
        let fm = FileManager.default
        let extract = outputDirectory.appendingPathComponent("extract"), keys = outputDirectory.appendingPathComponent("keys")
        let storePath = outputDirectory.appendingPathComponent("harmonic.sqlite").path
        try? fm.removeItem(at: extract)
        for suffix in ["", "-wal", "-shm"] { try? fm.removeItem(atPath: storePath + suffix) }
        try fm.createDirectory(at: keys, withIntermediateDirectories: true)

        stage("[1/5] synth: \(children) cardiac children, seed \(seed), \(corruptFraction * 100)% bad rows -> \(extract.path)")
        let config = SynthesisConfiguration(seed: seed, cardiacChildren: children, corruptFraction: corruptFraction)
        let t0 = Date()
        let summary = try CohortSynthesizer.run(config, to: extract, progress: progress)
        if summary.radiotherapyChildren > 0 {
            try SyntheticRTTruth.write(extract: extract, seed: seed)
            try SyntheticRTDICOM.write(extract: extract, seed: seed, fraction: min(1, Double(rtDICOMCourses) / Double(summary.radiotherapyChildren)))
            try OutcomeDoseEffects.apply(extract: extract)
        }
        // True imaging organ doses (diagnostic imaging of the cardiac children; RT planning CT, CBCT and planar kV).
        if fm.fileExists(atPath: extract.appendingPathComponent("truth/\(SyntheticImagingTruth.techniqueFileName)").path) {
            try SyntheticImagingTruth.write(extract: extract)
        }
        if summary.radiotherapyChildren > 0 {
            try SyntheticImagingTruth.writeRT(extract: extract, seed: seed)
            try SyntheticMVImagingTruth.write(extract: extract, seed: seed)
        }
        let synthSeconds = Date().timeIntervalSince(t0)

        stage("[2/5] ingest: \(summary.siteFolders.count) site folders -> \(storePath) (site keys in \(keys.path), outside the store)")
        let t1 = Date()
        var loads: [(folder: String, report: LoadReport)] = []
        for (k, folder) in summary.siteFolders.enumerated() {
            let country = String(folder.prefix(2))
            let keyFile = keys.appendingPathComponent("\(country).key").path
            if !fm.fileExists(atPath: keyFile) { try Pseudonymiser.writeNewKey(to: keyFile) }
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let report = try SyntheticSiteFolderIngest.load(extract.appendingPathComponent(folder), store: store, site: country,
                                                            pseudonymiser: Pseudonymiser(keyFile: keyFile), user: "harmonic-demo").tables
            loads.append((folder, report))
            progress(Double(k + 1) / Double(summary.siteFolders.count))
        }
        let ingestSeconds = Date().timeIntervalSince(t1)
        // The store holds identifiers only as keyed hashes; the truth files and the DICOM-RT folder
        // hold the sites' own ids, which the keys (outside the store) hash the same way.
        let siteKeys = try Pseudonymiser.siteKeys(inFolder: keys.path)

        stage("[3/5] dose: organ doses of every procedure, \(doseRealisations) uncertainty realisations each")
        let t3 = Date()
        // Without a coefficient source (a build without the library) the stage is skipped and the report says why.
        var dose: DoseRun.Summary?, doseNote: String
        do {
            let (source, identity) = try coefficientSource ?? DefaultCoefficientSource.load()
            let d = try DoseRun.run(store: RegistryStore(path: storePath, role: .analyst), storePath: storePath, source: source,
                                    settings: ReconstructionSettings(seed: seed, realisations: doseRealisations, sourceIdentity: identity),
                                    user: "harmonic-demo", progress: progress)
            dose = d
            doseNote = String(format: "Organ doses: %@ procedures in %.1f s (%d realisations each, in %@).", formatNumber(Double(d.procedures)),
                              Date().timeIntervalSince(t3), doseRealisations, d.realisationFile)
        } catch let error as DoseModelError {
            doseNote = "Organ doses: not computed (\(error.description))."
            stage("[3/5] dose: skipped: \(error.description)")
        }
        // Radiotherapy courses: organ doses by tier with the same number of realisations (harmonic rt dose --store).
        var rtDose: RTDoseRun.Summary?
        if summary.radiotherapyChildren > 0 {
            let t = Date()
            let r = try RTDoseRun.run(store: RegistryStore(path: storePath, role: .analyst), storePath: storePath,
                                      settings: RTDoseRun.Settings(seed: seed, realisations: doseRealisations, dicomFolder: extract.path, dicomKeys: siteKeys), user: "harmonic-demo")
            rtDose = r
            doseNote += String(format: " Radiotherapy organ doses: %@ courses in %.1f s (%@).", formatNumber(Double(r.courses)), Date().timeIntervalSince(t),
                               r.byTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        }
        // Imaging exams (diagnostic_imaging, rt_imaging) by tier, as harmonic dose --store does after the procedures.
        let ti = Date()
        let imaging = try ImagingDoseRun.run(store: RegistryStore(path: storePath, role: .analyst), storePath: storePath,
                                             settings: .init(seed: seed, realisations: doseRealisations), user: "harmonic-demo")
        doseNote += String(format: " Imaging organ doses: %@ exams in %.1f s (%@).", formatNumber(Double(imaging.exams)), Date().timeIntervalSince(ti),
                           imaging.byTier.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
        let doseSeconds = Date().timeIntervalSince(t3)

        // Dose-response (runs after the dose stage; says so in the report when the store has no organ doses).
        stage("[4/5] dose-response: leukaemia vs red-marrow dose, breast cancer vs breast dose")
        let doseResponse = DoseResponseSection.analyse(storePath: storePath, truthFile: extract.appendingPathComponent("truth/truth.json"))
        // Seven site exports and the pooled fit next to the individual-level fit (docs/grouped-tables-and-pooling.md).
        let pooling = dose == nil ? nil : PooledDemoSection.analyse(storePath: storePath, folder: outputDirectory.appendingPathComponent("site-tables"))

        stage("[5/5] report")
        let t2 = Date()
        let overview = try CohortOverview.read(from: RegistryStore(path: storePath, role: .analyst))
        let accepted = loads.reduce(0) { $0 + $1.report.accepted }, rejected = loads.reduce(0) { $0 + $1.report.rejected }
        let notes = [
            "Synthetic cohort (harmonic synth): seed \(seed), \(formatNumber(Double(summary.cardiacChildren))) cardiac children in 7 countries and \(formatNumber(Double(summary.radiotherapyChildren))) children of the radiotherapy registry; \(formatNumber(Double(summary.rows[.procedures] ?? 0))) procedures, \(formatNumber(Double(summary.rows[.irradiationEvents] ?? 0))) irradiation events. The true risks and organ doses are in \(extract.path)/truth.",
            String(format: "Timings: synth %.1f s, ingest %.1f s (%@ rows, %.0f rows/s).", synthSeconds, ingestSeconds,
                   formatNumber(Double(accepted + rejected)), Double(accepted + rejected) / max(ingestSeconds, 1e-9)),
            "Store: \(storePath). Site pseudonymisation keys (outside the store): \(keys.path).",
            doseNote,
        ]
        var report = CohortReport.build(overview: overview, loads: loads, notes: notes, injectedCorruptions: summary.corruptedRows)
        let analyst = try RegistryStore(path: storePath, role: .analyst)
        if dose != nil { OrganDoseSection.append(to: &report, summary: try OrganDoseSummary.read(from: analyst),
                                truth: try? DoseTruthComparison.compute(store: analyst, truthCSV: extract.appendingPathComponent("truth/organ_doses.csv"), pseudonymisers: siteKeys))
                          RedMarrowSection.append(to: &report) }
        if rtDose != nil {
            try RTDoseSection.append(to: &report, store: analyst,
                                     truth: try? RTDoseTruthComparison.compute(store: analyst, truthCSV: extract.appendingPathComponent("truth/\(SyntheticRTTruth.fileName)"), pseudonymisers: siteKeys))
        }
        var imagingTruth: [(name: String, comparison: ImagingDoseTruthComparison)] = []
        for (file, source) in [(SyntheticImagingTruth.fileName, ImagingExamInput.SourceTable.diagnostic), (SyntheticImagingTruth.rtFileName, .radiotherapy),
                               (SyntheticMVImagingTruth.fileName, .radiotherapy)] {
            let url = extract.appendingPathComponent("truth/\(file)")
            guard fm.fileExists(atPath: url.path) else { continue }
            if let c = try? ImagingDoseTruthComparison.compute(store: analyst, truthCSV: url, pseudonymisers: siteKeys, source: source) { imagingTruth.append(("truth/\(file)", c)) }
        }
        try ExposureShareSection.append(to: &report, store: analyst, imaging: imaging, truth: imagingTruth)
        if dose != nil || rtDose != nil { CohortRiskSection.compute(storePath: storePath).append(to: &report) }
        if rtDose != nil {
            OutcomeDoseSection.compute(store: analyst, truthFile: extract.appendingPathComponent("truth/\(OutcomeDoseEffects.truthFileName)")).append(to: &report)
        }
        doseResponse.append(to: &report)
        do { ReferenceLevelSection.append(to: &report, try ReferenceLevelSection.compute(store: analyst)) } catch {
            report.section("Reference levels and hospital benchmarking"); report.paragraph("Not computed: \(error)"); report.endSection()
        }
        pooling?.append(to: &report)
        let reportURL = outputDirectory.appendingPathComponent("report.html")
        try report.write(to: reportURL)
        var result = Result(reportURL: reportURL, storePath: storePath, synthesis: summary)
        result.accepted = accepted; result.rejected = rejected
        result.synthSeconds = synthSeconds; result.ingestSeconds = ingestSeconds
        result.doseSeconds = doseSeconds; result.dose = dose; result.rtDose = rtDose
        result.reportSeconds = Date().timeIntervalSince(t2)
        result.doseResponseSeconds = doseResponse.seconds
        return result
    }
}
