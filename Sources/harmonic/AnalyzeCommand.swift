import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology

/// `harmonic analyze`: person-years, excess-risk regression with profile-likelihood intervals,
/// categorical dose estimates and (with --rates) SIR, from an analysis extract folder.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Fit a dose-response model (ERR/EAR, Poisson on person-year cells) to an analysis extract.",
        discussion: """
        Reads DIR/children.csv, DIR/exposures.csv (organ doses in Gy) and DIR/outcomes.csv (docs/analysis-extract.md), \
        splits follow-up into person-years with lagged cumulative organ dose exact to the day, fits the model \
        by maximum likelihood and prints estimates with SE, Wald and profile-likelihood intervals and p-values, \
        then ERR by dose category.

        Model language (docs/model-language.md):
          err: dose * exp(sex + age_at_exposure); background: strata(country, sex, attained_age)
          ear: dose; background: sex + log_attained_age
          err: dose + dose^2; background: strata(country)
          loglinear: sex + dose
        Example:
          harmonic analyze --cohort extract/ --outcome leukaemia --dose red_marrow --lag 2 \\
            --model "err: dose * exp(sex); background: strata(country, sex, attained_age)"
        """)

    @Option(name: .long, help: "Analysis extract folder (children.csv, exposures.csv, outcomes.csv).")
    var cohort: String
    @Option(name: .long, help: "Outcome name as in outcomes.csv, e.g. leukaemia.")
    var outcome: String
    @Option(name: .long, help: "Organ whose dose is analysed, e.g. red_marrow, breast, lung, thyroid.")
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
    @Flag(name: .long, help: "Print the results as JSON.")
    var json = false

    func parseList(_ s: String, _ name: String) throws -> [Double] {
        try s.split(separator: ",").map {
            guard let v = Double($0.trimmingWhitespace()) else { throw usage("--\(name): '\($0)' is not a number") }
            return v
        }
    }

    /// Usage errors exit with status 2 (the convention of `harmonic --help`).
    func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("harmonic analyze: \(message)\n".utf8))
        return ExitCode(2)
    }

    func run() throws {
        guard let organ = Organ(rawValue: dose) else {
            throw usage("--dose '\(dose)' is not an organ; use one of: \(Organ.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let spec: ModelSpecification
        do { spec = try ModelSpecification.parse(model) } catch { throw usage("\(error)") }
        var end: CalendarDate? = nil
        if let e = endOfStudy { guard let d = CalendarDate(iso: e) else { throw usage("--end-of-study '\(e)' is not a date YYYY-MM-DD") }; end = d }
        do {
            let members = try AnalysisExtract.load(directory: URL(fileURLWithPath: cohort))
            let request = DoseResponseAnalysis.Request(outcome: outcome, organ: organ, lagYears: lag, exclusionYears: exclusion, model: spec,
                                                       endOfStudy: end, doseCuts: try parseList(doseCuts, "dose-cuts"),
                                                       attainedAgeCuts: try parseList(ageCuts, "age-cuts"))
            let result = try DoseResponseAnalysis.run(members: members, request: request)
            if let c = cellsOut { try result.table.csv().write(toFile: c, atomically: true, encoding: .utf8) }
            var sirs: [StandardisedRatio] = []
            if let r = rates {
                let text = try String(contentsOfFile: r, encoding: .utf8)
                let ref = try ReferenceRates.parse(csv: text, file: r, outcome: outcome)
                let t = try PersonYearSplitter.split(members, options: StandardisedIncidence.options(
                    for: ref, organ: organ, lagYears: lag, doseCuts: request.doseCuts)).table
                sirs = try StandardisedIncidence.compute(t, rates: ref)
            }
            if json {
                struct Out: Codable { var model: String; var fit: DoseResponseAnalysis.JSONReport; var sir: [StandardisedRatio] }
                let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
                enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
                print(String(decoding: try enc.encode(Out(model: model, fit: result.jsonReport, sir: sirs)), as: UTF8.self))
            } else {
                print("model: \(model)\noutcome: \(outcome), dose: \(organ.rawValue), lag \(lag) y, \(members.count) children\n")
                print(result.textTable())
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
