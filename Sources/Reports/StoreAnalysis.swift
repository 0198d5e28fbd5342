import Epidemiology
import Foundation
import HarmonicCore
import Registry

/// A dose-response analysis of the registry store, as `harmonic analyze --store S --json` runs it
/// (cardiac or radiotherapy cohort, an ICD-O-3 outcome group, an organ dose, lag, model, Poisson
/// or Cox): the engine behind `POST /api/analyses` of `harmonic serve`, whose JSON is the CLI's
/// (`PoissonJSON`, `CoxJSON`, written by `jsonText`) and whose report is `html`: the exposures
/// summed (cardiac, imaging, rt), Monte Carlo maximum likelihood over the store's dose realisation
/// files (`realisations`) and SIRs against a reference-rates file (`sir`), as the CLI's
/// `--exposures`, `--realisations STORE.realisations` and `--rates FILE`; the CLI shares the rules
/// (`exposureSelection`, `realisationSource`, `standardisedRatios`). File inputs (`--cohort DIR`,
/// `--table`, `--intervals`) stay with the CLI.
public enum StoreAnalysis {
    /// What an analyst asks for; the fields and defaults of `harmonic analyze`'s options.
    public struct Request: Codable, Sendable, Equatable {
        /// cardiac (default) or radiotherapy.
        public var cohort: String
        /// ICD-O-3 outcome group: leukaemia, lymphoma, cns, thyroid, breast, lung, oesophagus.
        public var outcome: String
        /// Organ whose lagged cumulative dose is analysed (red_marrow, thyroid, …); radiotherapy also `prescribed`.
        public var dose: String
        /// Dose lag, years (default 2).
        public var lag: Double
        /// Exclusion period after first exposure, years (default: the lag).
        public var exclusion: Double?
        /// Model text (docs/model-language.md).
        public var model: String
        /// poisson (default) or cox.
        public var method: String
        /// Flagged procedures: censor (default), exclude or zero.
        public var flagged: String
        /// Dose category cut points, Gy.
        public var doseCuts: [Double]
        /// Attained-age band cut points, years.
        public var ageCuts: [Double]
        /// End of study, YYYY-MM-DD (default: each child's last contact).
        public var endOfStudy: String?
        /// The exposures summed into each child's cumulative dose (cardiac, imaging, rt); nil: all three,
        /// or with `realisations` the realisation file's own type (`--exposures`).
        public var exposures: [String]?
        /// Monte Carlo maximum likelihood over the store's dose realisations (`--realisations
        /// STORE.realisations`, `STORE.rt-realisations` for the radiotherapy cohort; with imaging among
        /// the exposures also `STORE.imaging-realisations`). Poisson only.
        public var realisations: Bool
        /// SIRs overall and by dose category against the reference rates the server was given (`--rates FILE`). Poisson only.
        public var sir: Bool

        public static let defaultModel = "err: dose; background: strata(country, sex, attained_age)"
        public static let defaultDoseCuts = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]
        public static let defaultAgeCuts: [Double] = [5, 10, 15, 20, 30, 40]

        public init(cohort: String = "cardiac", outcome: String, dose: String, lag: Double = 2, exclusion: Double? = nil,
                    model: String = defaultModel, method: String = "poisson", flagged: String = "censor",
                    doseCuts: [Double] = defaultDoseCuts, ageCuts: [Double] = defaultAgeCuts, endOfStudy: String? = nil,
                    exposures: [String]? = nil, realisations: Bool = false, sir: Bool = false) {
            self.cohort = cohort; self.outcome = outcome; self.dose = dose; self.lag = lag; self.exclusion = exclusion
            self.model = model; self.method = method; self.flagged = flagged; self.doseCuts = doseCuts; self.ageCuts = ageCuts
            self.endOfStudy = endOfStudy; self.exposures = exposures; self.realisations = realisations; self.sir = sir
        }

        enum CodingKeys: String, CodingKey { case cohort, outcome, dose, lag, exclusion, model, method, flagged, doseCuts, ageCuts, endOfStudy, exposures, realisations, sir }

        /// Only `outcome` and `dose` are required; the others take `harmonic analyze`'s defaults.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(cohort: try c.decodeIfPresent(String.self, forKey: .cohort) ?? "cardiac",
                      outcome: try c.decode(String.self, forKey: .outcome), dose: try c.decode(String.self, forKey: .dose),
                      lag: try c.decodeIfPresent(Double.self, forKey: .lag) ?? 2, exclusion: try c.decodeIfPresent(Double.self, forKey: .exclusion),
                      model: try c.decodeIfPresent(String.self, forKey: .model) ?? Self.defaultModel,
                      method: try c.decodeIfPresent(String.self, forKey: .method) ?? "poisson",
                      flagged: try c.decodeIfPresent(String.self, forKey: .flagged) ?? "censor",
                      doseCuts: try c.decodeIfPresent([Double].self, forKey: .doseCuts) ?? Self.defaultDoseCuts,
                      ageCuts: try c.decodeIfPresent([Double].self, forKey: .ageCuts) ?? Self.defaultAgeCuts,
                      endOfStudy: try c.decodeIfPresent(String.self, forKey: .endOfStudy),
                      exposures: try c.decodeIfPresent([String].self, forKey: .exposures),
                      realisations: try c.decodeIfPresent(Bool.self, forKey: .realisations) ?? false,
                      sir: try c.decodeIfPresent(Bool.self, forKey: .sir) ?? false)
        }
    }

    /// A request field that cannot be used: which field, the value, what was expected.
    public struct RequestError: Error, Sendable, CustomStringConvertible {
        public let field: String, value: String, expected: String
        public var description: String { "\(field) '\(value)': expected \(expected)" }
    }

    /// A request checked and parsed, ready to run.
    public struct Prepared: Sendable {
        public let request: Request
        let study: StudyCohort
        let organ: Organ
        let radiotherapyDose: RadiotherapyDose
        let policy: FlaggedDosePolicy
        let analysis: DoseResponseAnalysis.Request
        /// The exposures summed (nil: all three).
        let exposures: Set<ExposureType>?
        /// What the dose axis is (an organ, or the prescribed target dose).
        public let doseName: String
    }

    /// What a store analysis reads besides the store: where the dose runs wrote their realisation
    /// files (the path they are named after: the SQLite store's, or `harmonic serve --dose-files`)
    /// and the reference-rates file (`harmonic serve --rates`).
    public struct Files: Sendable {
        public var doseFiles: String?
        public var rates: String?
        public init(doseFiles: String? = nil, rates: String? = nil) { self.doseFiles = doseFiles; self.rates = rates }
    }

    /// The exposures summed for a store analysis, by the rules of `harmonic analyze --exposures`:
    /// nil (all three) unless chosen; with realisations, the realisation file's own type by default
    /// and only types whose realisations can be summed (cardiac with imaging; rt alone); the
    /// prescribed dose of radiotherapy courses sums the courses only.
    public static func exposureSelection(_ chosen: Set<ExposureType>?, study: StudyCohort, prescribed: Bool, realisations: Bool) throws -> Set<ExposureType>? {
        var selected = chosen
        if realisations {
            let own: ExposureType = study == .radiotherapy ? .rt : .cardiac
            if selected == nil { selected = [own] }
            let summable: Set<ExposureType> = own == .cardiac ? [.cardiac, .imaging] : [own]
            guard let s = selected, s.isSubset(of: summable), !s.isEmpty else {
                throw RequestError(field: "exposures", value: (chosen ?? []).map(\.rawValue).sorted().joined(separator: ","),
                                   expected: "with realisations, \(summable.map(\.rawValue).sorted().joined(separator: " and ")) for this cohort (MCML sums those realisations; radiotherapy realisations are not summed with other types yet)")
            }
        }
        if study == .radiotherapy && prescribed && selected == nil { selected = [.rt] }
        return selected
    }

    /// The dose realisations of an MCML fit: `path` (`STORE.realisations`, `STORE.rt-realisations` or a
    /// columnar float32 file), summed with `STORE.imaging-realisations` when imaging is among the
    /// chosen exposures of a cardiac cohort (`storePath`: what the dose runs named their files after).
    public static func realisationSource(path: String, storePath: String?, study: StudyCohort, chosen: Set<ExposureType>?) throws -> any DoseRealisationSource {
        let source: any DoseRealisationSource
        if let storePath, study != .radiotherapy, let chosen, chosen.contains(.imaging) {
            // Cardiac and/or imaging exposures summed per realisation (docs/imaging-dose.md).
            source = try SummedDoseRealisations(cardiac: chosen.contains(.cardiac) ? try StoreDoseRealisations(path: path) : nil,
                                                imaging: try StoreImagingDoseRealisations(path: StoreImagingDoseRealisations.defaultPath(storePath: storePath)))
        } else if StoreRTDoseRealisations.recognises(path: path) { source = try StoreRTDoseRealisations(path: path) }
        else if StoreDoseRealisations.recognises(path: path) { source = try StoreDoseRealisations(path: path) }
        else { source = try ColumnarFloat32Realisations(url: URL(fileURLWithPath: path)) }
        if study == .radiotherapy && !(source is StoreRTDoseRealisations) {
            throw RequestError(field: "realisations", value: path, expected: "the RT realisations written by harmonic rt dose --store (STORE.rt-realisations) for the radiotherapy cohort")
        }
        return source
    }

    /// The realisation file a store analysis of `study` reads (`realisations: true`): `STORE.realisations`
    /// of the cardiac dose run, or `STORE.rt-realisations` of the RT dose run.
    public static func realisationPath(doseFiles: String, study: StudyCohort) -> String {
        study == .radiotherapy ? RTDoseRun.realisationPath(store: doseFiles) : DoseRun.realisationPath(store: doseFiles)
    }

    /// SIRs overall and by dose category (exact Poisson limits) against the reference rates in `ratesFile`.
    public static func standardisedRatios(members: [CohortMember], ratesFile: String, outcome: String, organ: Organ, lag: Double,
                                          doseCuts: [Double]) throws -> [StandardisedRatio] {
        let text = try String(contentsOfFile: ratesFile, encoding: .utf8)
        let ref = try ReferenceRates.parse(csv: text, file: ratesFile, outcome: outcome)
        let t = try PersonYearSplitter.split(members, options: StandardisedIncidence.options(for: ref, organ: organ, lagYears: lag, doseCuts: doseCuts)).table
        return try StandardisedIncidence.compute(t, rates: ref)
    }

    /// Checks every field (the checks of `harmonic analyze`), naming the first one that is wrong.
    public static func prepare(_ r: Request) throws -> Prepared {
        func bad(_ field: String, _ value: String, _ expected: String) -> RequestError { RequestError(field: field, value: value, expected: expected) }
        guard let study = StudyCohort(rawValue: r.cohort) else { throw bad("cohort", r.cohort, "cardiac or radiotherapy") }
        guard let group = OutcomeGroup(name: r.outcome) else {
            throw bad("outcome", r.outcome, "an outcome group: " + OutcomeGroup.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let organ: Organ
        var rtDose = RadiotherapyDose.organ
        if r.dose == "prescribed" {
            guard study == .radiotherapy else { throw bad("dose", r.dose, "an organ (prescribed is the radiotherapy courses' prescribed dose: use it with cohort radiotherapy)") }
            organ = .redMarrow // every organ slot of a course carries its prescribed dose (AnalysisCohortReader)
            rtDose = .prescribed
        } else {
            guard let o = Organ(rawValue: r.dose) else { throw bad("dose", r.dose, "an organ: " + Organ.allCases.map(\.rawValue).joined(separator: ", ")) }
            organ = o
        }
        guard r.lag.isFinite, (0...50).contains(r.lag) else { throw bad("lag", "\(r.lag)", "a lag of 0-50 years") }
        if let e = r.exclusion, !(e.isFinite && (0...50).contains(e)) { throw bad("exclusion", "\(e)", "an exclusion period of 0-50 years") }
        let spec: ModelSpecification
        do { spec = try ModelSpecification.parse(r.model) } catch { throw bad("model", r.model, "a model in the model language (docs/model-language.md): \(error)") }
        guard r.method == "poisson" || r.method == "cox" else { throw bad("method", r.method, "poisson or cox") }
        guard let policy = FlaggedDosePolicy(rawValue: r.flagged) else { throw bad("flagged", r.flagged, "censor, exclude or zero") }
        for (name, cuts) in [("doseCuts", r.doseCuts), ("ageCuts", r.ageCuts)] {
            guard cuts.count <= 50, cuts.allSatisfy({ $0.isFinite && $0 > 0 }), zip(cuts, cuts.dropFirst()).allSatisfy({ $0 < $1 }) else {
                throw bad(name, cuts.map { "\($0)" }.joined(separator: ","), "at most 50 increasing positive cut points")
            }
        }
        var end: CalendarDate? = nil
        if let e = r.endOfStudy {
            guard let d = CalendarDate(iso: e) else { throw bad("endOfStudy", e, "a date YYYY-MM-DD") }
            end = d
        }
        var chosen: Set<ExposureType>? = nil
        if let list = r.exposures {
            do { chosen = try ExposureType.parseList(list.joined(separator: ",")) } catch {
                throw bad("exposures", list.joined(separator: ","), "a list of cardiac, imaging, rt (at least one)")
            }
        }
        if r.realisations && rtDose == .prescribed { throw bad("realisations", "true", "false: the prescribed dose has no realisations; give an organ as dose") }
        if r.method == "cox" && (r.realisations || r.sir) {
            throw bad("method", r.method, "poisson: realisations and sir belong to the Poisson path")
        }
        let exposures = try exposureSelection(chosen, study: study, prescribed: rtDose == .prescribed, realisations: r.realisations)
        let request = DoseResponseAnalysis.Request(outcome: group.rawValue, organ: organ, lagYears: r.lag, exclusionYears: r.exclusion, model: spec,
                                                   endOfStudy: end, doseCuts: r.doseCuts, attainedAgeCuts: r.ageCuts)
        let doseName = study == .radiotherapy && rtDose == .prescribed ? "prescribed target dose of the radiotherapy courses (Gy; not an organ dose)" : organ.rawValue
        return Prepared(request: r, study: study, organ: organ, radiotherapyDose: rtDose, policy: policy, analysis: request, exposures: exposures, doseName: doseName)
    }

    /// The files a prepared request needs that `files` does not give or that do not exist, as a
    /// sentence naming each (empty: nothing missing).
    public static func missing(_ p: Prepared, files: Files) -> [String] {
        var out: [String] = []
        if p.request.realisations {
            if let d = files.doseFiles {
                var paths = [realisationPath(doseFiles: d, study: p.study)]
                if p.study == .cardiac, let e = p.exposures, e.contains(.imaging) {
                    if !e.contains(.cardiac) { paths = [] }
                    paths.append(StoreImagingDoseRealisations.defaultPath(storePath: d))
                }
                for path in paths where !FileManager.default.fileExists(atPath: path) {
                    out.append("the dose realisation file \((path as NSString).lastPathComponent) does not exist yet (a dose run writes it)")
                }
            } else {
                out.append("this server has no place for dose realisation files (harmonic serve --dose-files)")
            }
        }
        if p.request.sir && files.rates == nil { out.append("this server has no reference rates for SIRs (harmonic serve --rates FILE)") }
        return out
    }

    /// `harmonic analyze --json` of the Poisson path.
    public struct PoissonJSON: Codable, Sendable {
        public var model: String; public var cohort: String?; public var fit: DoseResponseAnalysis.JSONReport; public var sir: [StandardisedRatio]
        public var doseUncertainty: DoseUncertaintyReport?
        public init(model: String, cohort: String?, fit: DoseResponseAnalysis.JSONReport, sir: [StandardisedRatio], doseUncertainty: DoseUncertaintyReport?) {
            self.model = model; self.cohort = cohort; self.fit = fit; self.sir = sir; self.doseUncertainty = doseUncertainty
        }
    }

    /// `harmonic analyze --json` of the Cox path.
    public struct CoxJSON: Codable, Sendable {
        public var model: String; public var cohort: String?; public var fit: CoxAnalysis.JSONReport
        public init(model: String, cohort: String?, fit: CoxAnalysis.JSONReport) { self.model = model; self.cohort = cohort; self.fit = fit }
    }

    /// The `--json` text of the CLI: pretty-printed, keys sorted, non-finite numbers as "nan", "inf", "-inf".
    public static func jsonText(_ value: some Encodable) throws -> String {
        let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try enc.encode(value), as: UTF8.self)
    }

    /// A finished analysis: the JSON of `harmonic analyze --json` and the HTML report.
    public struct Result: Sendable {
        public let json: String
        public let html: String
        public let children: Int
    }

    /// Reads the pooled analysis cohort from `store` (an analyst's), fits, and writes JSON and report.
    /// `storePath` names the store in messages.
    public static func run(store: RegistryStore, prepared p: Prepared, storePath: String = "registry store", files: Files = Files(),
                           stage: (String) -> Void = { _ in }) throws -> Result {
        stage("reading the \(p.study.rawValue) cohort")
        let cohort = try store.analysisCohort(policy: p.policy, storePath: storePath, cohort: p.study, radiotherapyDose: p.radiotherapyDose,
                                              exposures: p.exposures)
        let r = p.request
        var report = HTMLReport(title: "Analysis: \(p.analysis.outcome) and \(p.doseName) dose")
        report.section("Question")
        report.table(header: ["Input", "Value"], rows: [
            ["cohort", r.cohort], ["outcome", p.analysis.outcome], ["dose", p.doseName], ["lag (years)", formatNumber(r.lag)],
            ["method", r.method], ["model", r.model], ["flagged procedures", r.flagged], ["children", "\(cohort.members.count)"],
        ])
        report.paragraph(cohort.summary)
        report.endSection()
        stage("fitting the \(r.method) model to \(cohort.members.count) children")
        let json: String
        if r.method == "cox" {
            let cox = try CoxAnalysis.run(members: cohort.members, request: p.analysis)
            json = try jsonText(CoxJSON(model: r.model, cohort: cohort.summary, fit: cox.jsonReport))
            report.section("Cox partial likelihood (time scale attained age)")
            report.table(caption: "Parameter estimates", header: ["Parameter", "Estimate", "SE", "Wald 95% CI", "Profile 95% CI", "p (Wald)"],
                         rows: parameterRows(cox.fit.parameters))
            report.paragraph(String(format: "%d children, %d at-risk intervals, %d events; partial log-likelihood %.3f, AIC %.2f.",
                                    cox.children, cox.intervals, cox.events, cox.fit.logLikelihood, cox.fit.aic))
            report.endSection()
        } else {
            let fit = try DoseResponseAnalysis.run(members: cohort.members, request: p.analysis)
            var uncertainty: DoseUncertaintyReport? = nil
            if r.realisations, let doseFiles = files.doseFiles {
                stage("Monte Carlo maximum likelihood over the dose realisations")
                let source = try realisationSource(path: realisationPath(doseFiles: doseFiles, study: p.study), storePath: doseFiles,
                                                   study: p.study, chosen: p.exposures)
                uncertainty = try DoseUncertaintyReport.run(members: cohort.members, request: p.analysis, meanDoseFit: fit, source: source)
            }
            var sirs: [StandardisedRatio] = []
            if r.sir, let rates = files.rates {
                stage("SIRs against the reference rates")
                sirs = try standardisedRatios(members: cohort.members, ratesFile: rates, outcome: p.analysis.outcome, organ: p.organ,
                                              lag: r.lag, doseCuts: r.doseCuts)
            }
            json = try jsonText(PoissonJSON(model: r.model, cohort: cohort.summary, fit: fit.jsonReport, sir: sirs, doseUncertainty: uncertainty))
            report.section("Poisson regression on person-year cells")
            DoseResponseSection.appendAnalysis(fit, organ: p.organ, title: "\(p.analysis.outcome), \(p.doseName)", truth: nil, to: &report)
            report.endSection()
            if let uncertainty {
                report.section("Dose uncertainty: Monte Carlo maximum likelihood over the dose realisations")
                report.code(uncertainty.text)
                report.endSection()
            }
            if !sirs.isEmpty {
                report.section("Standardised incidence ratios (exact Poisson limits, Garwood 1936)")
                report.table(header: ["Group", "Observed", "Expected", "SIR", "95% CI"], rows: sirs.map {
                    [$0.label, String(format: "%.0f", $0.observed), String(format: "%.2f", $0.expected), String(format: "%.3f", $0.ratio),
                     String(format: "%.3f to %.3f", $0.lower, $0.upper)]
                })
                report.endSection()
            }
        }
        return Result(json: json + "\n", html: report.html(), children: cohort.members.count)
    }

    static func parameterRows(_ parameters: [ParameterEstimate]) -> [[String]] {
        parameters.map { p in
            p.unboundedAbove != nil
            ? [p.name, "not bounded above", "–", "none", p.profileLower.map { "\($0.text) to \(p.profileUpper?.text ?? "–")" } ?? "–", "–"]
            : [p.name, String(format: "%.4g", p.estimate), String(format: "%.3g", p.standardError), String(format: "%.3g to %.3g", p.waldLower, p.waldUpper),
               p.profileLower.map { "\($0.text) to \(p.profileUpper?.text ?? "–")" } ?? "–", String(format: "%.3g", p.pValue)]
        }
    }
}
