import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology
import Registry
import Reports

/// `harmonic analyze`: person-years, excess-risk regression with profile-likelihood intervals,
/// categorical dose estimates and (with --rates) SIR, from an analysis extract folder.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Fit a dose-response model (ERR/EAR: Poisson on person-year cells, or Cox) to the registry store or an analysis extract.",
        discussion: """
        Input: --store PATH (the registry store: cardiac children, ICD-O-3 cancer outcomes grouped as leukaemia, \
        lymphoma, cns, thyroid, breast, lung, oesophagus, and organ doses from table procedure_organ_dose written \
        by the dose reconstruction), or --cohort DIR (DIR/children.csv, exposures.csv, outcomes.csv; \
        docs/analysis-extract.md). With --store, --cohort radiotherapy analyses the radiotherapy registry instead \
        of the cardiac cohort (--cohort cardiac, the default). With --store each child's cumulative organ dose sums \
        every exposure by default: cardiac procedures, imaging exams (imaging_exam_organ_dose) and radiotherapy \
        courses (rt_course_organ_dose); --exposures cardiac,imaging,rt restricts the sum, and the output's Dose line \
        says which exposures were summed. With --cohort radiotherapy each course in rt_courses is an exposure on its \
        start date, and --dose ORGAN reads the course's organ dose from rt_course_organ_dose (written by \
        harmonic rt dose --store; flagged courses have no dose and follow --flagged), with --realisations \
        STORE.rt-realisations for MCML over the RT realisations. --dose prescribed instead uses each course's \
        prescribed target dose (rt_courses.prescribed_dose_gy) for every organ: a measure of treatment \
        intensity at the target, not the dose to the organ of the outcome. Diagnoses before a child's first \
        course (the cancer treated) are not outcomes. Splits follow-up into person-years with lagged cumulative organ dose exact to \
        the day, fits the model by maximum likelihood and prints estimates with SE, Wald and profile-likelihood \
        intervals and p-values, then ERR by dose category. --method cox fits the same model text by Cox partial \
        likelihood on the case-level intervals (time-dependent cumulative dose; strata give a stratified Cox \
        model); --case-level-csv FILE writes those intervals (id, start, stop, event, dose, sex, country, \
        age_at_exposure, covariates; start/stop in years of attained age, dose in Gy) for counting-process Cox \
        models elsewhere, e.g. R coxph(Surv(start, stop, event) ~ dose). --realisations FILE adds Monte Carlo maximum likelihood and model averaging over dose \
        realisations: the file harmonic dose wrote next to the store (STORE.realisations), or a columnar \
        float32 file (docs/analysis-extract.md).

        Model language (docs/model-language.md):
          err: dose * exp(sex + age_at_exposure); background: strata(country, sex, attained_age)
          ear: dose; background: sex + log_attained_age
          err: dose + dose^2; background: strata(country)
          loglinear: sex + dose
        Examples:
          harmonic analyze --store demo/harmonic.sqlite --outcome leukaemia --dose red_marrow --lag 2 \\
            --model "err: dose; background: strata(country, sex, attained_age) + predisposing_condition"
          harmonic analyze --store demo/harmonic.sqlite --outcome leukaemia --dose red_marrow --method cox \\
            --model "err: dose; background: strata(country, sex)" --case-level-csv intervals.csv
          harmonic analyze --store demo/harmonic.sqlite --cohort radiotherapy --outcome leukaemia \\
            --dose red_marrow --lag 2 --model "err: dose; background: strata(sex)" \\
            --realisations demo/harmonic.sqlite.rt-realisations
          harmonic analyze --store demo/harmonic.sqlite --cohort radiotherapy --outcome leukaemia \\
            --dose prescribed --lag 2 --method cox --model "err: dose; background: strata(sex)"
          harmonic analyze --cohort extract/ --outcome leukaemia --dose red_marrow --lag 2 \\
            --model "err: dose * exp(sex); background: strata(country, sex, attained_age)"
          harmonic analyze --table NO.table.csv --cases cases --person-years pyr --dose mean_dose \\
            --model "err: dose; background: strata(country, sex, attained_age)"
          harmonic analyze --intervals intervals.csv --start start --stop stop --event event --dose dose \\
            --model "err: dose; background: strata(sex)"
        """)

    @Option(name: .long, help: "Registry store (SQLite) with organ doses in procedure_organ_dose.")
    var store: String?
    @Option(name: .long, help: "With --store: the study cohort, cardiac (default) or radiotherapy. Without --store: an analysis extract folder (children.csv, exposures.csv, outcomes.csv).")
    var cohort: String?
    @Option(name: .long, help: "Outcome: with --store an ICD-O-3 group (leukaemia, lymphoma, cns, thyroid, breast, lung, oesophagus); with --cohort a name in outcomes.csv. Not used with --table or --intervals (the file holds one outcome).")
    var outcome: String?
    @Option(name: .long, help: ArgumentHelp("A grouped person-year table (CSV, one row per cell) to fit AMFIT-style instead of a store or extract.",
                                            discussion: "Needs --cases, --person-years and --dose (the cell's mean dose in Gy); strata, covariates and modifiers in --model are the table's column names. docs/grouped-tables-and-pooling.md.",
                                            valueName: "file"))
    var table: String?
    @Option(name: .long, help: "With --table: column of cases (whole numbers) per cell.")
    var cases: String = "cases"
    @Option(name: .long, help: "With --table: column of person-years per cell.")
    var personYears: String = "pyr"
    @Option(name: .long, help: "With --table: column of dose categories for the categorical estimates (default: dose_category when present).")
    var doseCategory: String?
    @Option(name: .long, help: ArgumentHelp("Case-level intervals (CSV, one row per at-risk interval (start, stop]) for a counting-process Cox fit, PECAN/coxph-style.",
                                            discussion: "Needs --start, --stop, --event (1/0) and --dose (Gy over the interval); other columns are covariates the model can name. Same file as --case-level-csv writes.",
                                            valueName: "file"))
    var intervals: String?
    @Option(name: .long, help: "With --intervals: column of interval start (time scale of the risk sets, e.g. attained age in years).")
    var start: String = "start"
    @Option(name: .long, help: "With --intervals: column of interval stop.")
    var stop: String = "stop"
    @Option(name: .long, help: "With --intervals: column of the event indicator (1 at stop, else 0).")
    var event: String = "event"
    @Option(name: .long, help: "poisson (person-year cells) or cox (case-level partial likelihood).")
    var method: String = "poisson"
    @Option(name: .long, help: "With --store: procedures the reconstruction flagged (no dose): censor (end follow-up there; default), exclude (drop the child) or zero.")
    var flagged: String = "censor"
    @Option(name: .long, help: ArgumentHelp("With --store: the exposures whose organ doses are summed into each child's cumulative dose, comma-separated: cardiac, imaging, rt (default: all three; with --realisations: the realisation file's own type).",
                                            discussion: "cardiac = procedure_organ_dose, imaging = imaging_exam_organ_dose (diagnostic and RT imaging, written by harmonic dose --store), rt = rt_course_organ_dose (harmonic rt dose --store). The study's own exposures (cardiac procedures, or radiotherapy courses with --cohort radiotherapy) define cohort entry even when not summed. Imaging exams not dosed (modality not modelled, effective dose only) are left out and counted; flagged exams follow --flagged. The output says which exposures were summed. Example: --exposures cardiac,imaging",
                                            valueName: "list"))
    var exposures: String?
    @Option(name: .long, help: "Dose realisations: STORE.realisations from harmonic dose, or a columnar float32 file of the --dose organ (FILE.keys.csv beside it). Adds MCML and model averaging. With --exposures cardiac,imaging the imaging exams' realisations (STORE.imaging-realisations, beside the store) are summed with the cardiac ones realisation by realisation.")
    var realisations: String?
    @Option(name: .long, help: "Organ whose dose is analysed, e.g. red_marrow, breast, lung, thyroid, heart; with --cohort radiotherapy also prescribed (the courses' prescribed target dose, not an organ dose).")
    var dose: String
    @Option(name: .long, help: "Dose lag in years (2 for leukaemia, 5 for solid cancers).")
    var lag: Double = 2
    @Option(name: .long, help: "Exclusion period after first exposure in years (default: the lag).")
    var exclusion: Double?
    @Option(name: .long, help: "Model, e.g. \"err: dose * exp(sex); background: strata(country, sex)\".")
    var model: String = "err: dose; background: strata(country, sex, attained_age)"
    @Option(name: .long, help: "Dose category cut points in Gy, comma-separated.")
    var doseCuts: String = "0.005,0.01,0.02,0.05,0.1,0.2,0.5"
    @Option(name: .long, help: "Attained-age band cut points in years, comma-separated.")
    var ageCuts: String = "5,10,15,20,30,40"
    @Option(name: .long, help: "End of study date (YYYY-MM-DD).")
    var endOfStudy: String?
    @Option(name: .long, help: "Reference rates CSV (docs/reference-rates.md): also print SIR overall and by dose category.")
    var rates: String?
    @Option(name: .long, help: "Write the person-year cell table to this CSV file.")
    var cellsOut: String?
    @Option(name: .long, help: ArgumentHelp("Write the case-level intervals (id, start, stop, event, dose, sex, country, age_at_exposure, covariates) to this CSV file, for Cox models in other software.",
                                            discussion: "One row per at-risk interval (start, stop] of attained age in years; event 1 when the outcome occurs at stop; dose the lagged cumulative organ dose (Gy) over the interval. In R: coxph(Surv(start, stop, event) ~ dose, data = read.csv(FILE)).",
                                            valueName: "file"))
    var caseLevelCsv: String?
    @Flag(name: .long, help: "Print the results as JSON.")
    var json = false

    func parseList(_ s: String, _ name: String) throws -> [Double] {
        try s.split(separator: ",").map {
            guard let v = Double($0.trimmingWhitespace()) else { throw usage("--\(name): '\($0)' is not a number") }
            return v
        }
    }

    func jsonText(_ value: some Encodable) throws -> String {
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    /// Usage errors exit with status 2 (the convention of `harmonic --help`).
    func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("harmonic analyze: \(message)\n".utf8))
        return ExitCode(2)
    }

    /// Writes the case-level intervals and says where on stderr (stdout keeps the results alone).
    func writeCaseLevel(_ intervals: CaseLevelIntervals, members: [CohortMember], to path: String) throws {
        do { try intervals.csv(members: members).write(toFile: path, atomically: true, encoding: .utf8) }
        catch { throw InputError(.file(path), expected: "a writable file for --case-level-csv (\(error.localizedDescription))") }
        FileHandle.standardError.write(Data("harmonic analyze: wrote \(intervals.count) case-level intervals to \(path)\n".utf8))
    }

    func run() throws {
        if table != nil || intervals != nil { return try runFileInput() }
        guard let outcome else { throw usage("give --outcome (the outcome analysed)") }
        guard store != nil || cohort != nil else { throw usage("give an input: --store PATH (optionally with --cohort cardiac|radiotherapy), --cohort DIR, --table FILE or --intervals FILE") }
        if store == nil, let c = cohort, StudyCohort(rawValue: c) != nil, !FileManager.default.fileExists(atPath: c) {
            throw usage("--cohort \(c) names a study cohort of the registry store: give --store PATH too (without --store, --cohort is an analysis extract folder)")
        }
        var study: StudyCohort? = nil
        if store != nil {
            study = .cardiac
            if let c = cohort {
                guard let s = StudyCohort(rawValue: c) else {
                    throw usage("with --store, --cohort names the study cohort: cardiac or radiotherapy, not '\(c)' (an analysis extract folder is read with --cohort DIR and no --store)")
                }
                study = s
            }
        }
        let organ: Organ
        var rtDose = RadiotherapyDose.organ
        if study == .radiotherapy && dose == "prescribed" {
            guard realisations == nil else { throw usage("--realisations: the prescribed dose has no realisations; give an organ as --dose to use STORE.rt-realisations") }
            organ = .redMarrow // every organ slot of a course carries its prescribed dose (AnalysisCohortReader)
            rtDose = .prescribed
        } else {
            if dose == "prescribed" { throw usage("--dose prescribed is the radiotherapy courses' prescribed dose: use it with --store PATH --cohort radiotherapy") }
            guard let o = Organ(rawValue: dose) else {
                throw usage("--dose '\(dose)' is not an organ; use one of: \(Organ.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            organ = o
        }
        let doseName = study == .radiotherapy && rtDose == .prescribed ? "prescribed target dose of the radiotherapy courses (Gy; not an organ dose)" : organ.rawValue
        let spec: ModelSpecification
        do { spec = try ModelSpecification.parse(model) } catch { throw usage("\(error)") }
        var end: CalendarDate? = nil
        if let e = endOfStudy { guard let d = CalendarDate(iso: e) else { throw usage("--end-of-study '\(e)' is not a date YYYY-MM-DD") }; end = d }
        guard method == "poisson" || method == "cox" else { throw usage("--method '\(method)': use poisson or cox") }
        guard let policy = FlaggedDosePolicy(rawValue: flagged) else { throw usage("--flagged '\(flagged)': use censor, exclude or zero") }
        if method == "cox" && (realisations != nil || rates != nil || cellsOut != nil) {
            throw usage("--realisations, --rates and --cells-out belong to the Poisson path (--method poisson)")
        }
        var outcomeName = outcome
        if store != nil {
            guard let g = OutcomeGroup(name: outcome) else {
                throw usage("--outcome '\(outcome)' is not an outcome group; use one of: \(OutcomeGroup.allCases.map(\.rawValue).joined(separator: ", ")) (docs/analysis-extract.md)")
            }
            outcomeName = g.rawValue
        }
        do {
            let members: [CohortMember]
            var cohortSummary: String? = nil
            if let store {
                guard FileManager.default.fileExists(atPath: store) else { throw InputError(.file(store), expected: "an existing registry store (harmonic ingest or harmonic demo makes one)") }
                // The realisation file holds one exposure type; a cardiac cohort may add imaging, whose
                // realisations the imaging dose run wrote next to the store (STORE.imaging-realisations).
                let selected: Set<ExposureType>?
                do {
                    selected = try StoreAnalysis.exposureSelection(try exposures.map(ExposureType.parseList), study: study ?? .cardiac,
                                                                   prescribed: rtDose == .prescribed, realisations: realisations != nil)
                } catch let e as StoreAnalysis.RequestError { throw usage("--realisations with --exposures \(exposures ?? ""): expected \(e.expected)") }
                let c = try RegistryStore(path: store, role: .analyst).analysisCohort(policy: policy, storePath: store, cohort: study ?? .cardiac,
                                                                                      radiotherapyDose: rtDose, exposures: selected)
                members = c.members; cohortSummary = c.summary
            } else {
                if exposures != nil { throw usage("--exposures selects the exposures of a registry store: use it with --store") }
                members = try AnalysisExtract.load(directory: URL(fileURLWithPath: cohort!))
            }
            let request = DoseResponseAnalysis.Request(outcome: outcomeName, organ: organ, lagYears: lag, exclusionYears: exclusion, model: spec,
                                                       endOfStudy: end, doseCuts: try parseList(doseCuts, "dose-cuts"),
                                                       attainedAgeCuts: try parseList(ageCuts, "age-cuts"))
            if method == "cox" {
                let cox = try CoxAnalysis.run(members: members, request: request)
                if let path = caseLevelCsv { try writeCaseLevel(cox.caseLevel, members: members, to: path) }
                if json {
                    print(try jsonText(StoreAnalysis.CoxJSON(model: model, cohort: cohortSummary, fit: cox.jsonReport)))
                } else {
                    print("model (Cox partial likelihood, time scale attained age): \(model)\noutcome: \(outcomeName), dose: \(doseName), lag \(lag) y, \(members.count) children")
                    if let cohortSummary { print(cohortSummary) }
                    print("")
                    print(cox.textTable())
                }
                return
            }
            let result = try DoseResponseAnalysis.run(members: members, request: request)
            var uncertainty: DoseUncertaintyReport? = nil
            if let path = realisations {
                let source: any DoseRealisationSource
                do {
                    source = try StoreAnalysis.realisationSource(path: path, storePath: store, study: study ?? .cardiac,
                                                                 chosen: try exposures.map(ExposureType.parseList))
                } catch let e as StoreAnalysis.RequestError { throw usage("--realisations \(path): give \(e.expected)") }
                uncertainty = try DoseUncertaintyReport.run(members: members, request: request, meanDoseFit: result, source: source)
            }
            if let c = cellsOut { try result.table.csv().write(toFile: c, atomically: true, encoding: .utf8) }
            if let path = caseLevelCsv {
                let split = try PersonYearSplitter.split(members, options: DoseResponseAnalysis.personYearOptions(members: members, request: request))
                try writeCaseLevel(split.intervals, members: members, to: path)
            }
            var sirs: [StandardisedRatio] = []
            if let r = rates {
                sirs = try StoreAnalysis.standardisedRatios(members: members, ratesFile: r, outcome: outcomeName, organ: organ, lag: lag, doseCuts: request.doseCuts)
            }
            if json {
                print(try jsonText(StoreAnalysis.PoissonJSON(model: model, cohort: cohortSummary, fit: result.jsonReport, sir: sirs, doseUncertainty: uncertainty)))
            } else {
                print("model: \(model)\noutcome: \(outcomeName), dose: \(doseName), lag \(lag) y, \(members.count) children")
                if let cohortSummary { print(cohortSummary) }
                print("")
                print(result.textTable())
                if let u = uncertainty { print(u.text) }
                if !sirs.isEmpty {
                    print("SIR (exact Poisson limits, Garwood 1936)")
                    for s in sirs { print(s.label.padding(toLength: 16, withPad: " ", startingAt: 0) + String(format: " O %6.0f  E %9.2f  SIR %6.3f  [%.3f, %.3f]", s.observed, s.expected, s.ratio, s.lower, s.upper)) }
                }
            }
        } catch let e as ExitCode { throw e } catch {
            FileHandle.standardError.write(Data("harmonic analyze: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
