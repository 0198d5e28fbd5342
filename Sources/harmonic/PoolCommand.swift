import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology
import Reports

/// `harmonic pool`: the coordinator's pooled fit of site tables from `harmonic export-tables`.
struct PoolCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pool",
        abstract: "Fit a model to several sites' person-year tables with site-specific baselines, and test heterogeneity.",
        discussion: """
        Each TABLE is a site's export (harmonic export-tables) or any grouped table with the same columns; the \
        site is the file name up to its first dot (NO.table.csv → NO) unless --sites names them. The model is \
        the analyze model language over the tables' columns; the site is added to its strata (or, without \
        strata, to its background as factor(site)), so every site keeps its own baseline rates.

        Output: the pooled estimates (SE, Wald and profile-likelihood intervals, deviance, likelihood-ratio test \
        of dose, categorical dose estimates), each site's own fit of the model, and a likelihood-ratio test of \
        heterogeneity (site-specific models against the pooled one). With --html, a report with a forest plot. \
        With --realisations N, also the pooled Monte Carlo maximum-likelihood fit over the sites' realisation tables.

        Where no site merged cells (the manifests say exact: true) the pooled fit equals the fit on the union of \
        the sites' individual records: cell tables are sufficient statistics for these Poisson models.

        Bad input: tables whose columns differ are refused, naming the file and the columns; a factor level \
        (e.g. a calendar period) present in one site's table only is kept and reported as a note.

        Examples:
          harmonic pool BE.table.csv DE.table.csv ES.table.csv FR.table.csv IT.table.csv NO.table.csv UK.table.csv \\
            --model "err: dose; background: strata(country, sex, attained_age)" --html pooled.html
          harmonic pool NO.table.csv FR.table.csv --model "err: dose * exp(sex); background: strata(sex, attained_age)" --json
        """)

    @Argument(help: "Site tables (CSV).")
    var tables: [String]
    @Option(name: .long, help: "Model, e.g. \"err: dose; background: strata(country, sex, attained_age)\".")
    var model: String = "err: dose; background: strata(country, sex, attained_age)"
    @Option(name: .long, help: "Site names for the tables, comma-separated, in order (default: file names up to the first dot).")
    var sites: String?
    @Option(name: .long, help: "Column of cases.")
    var cases: String = "cases"
    @Option(name: .long, help: "Column of person-years.")
    var personYears: String = "pyr"
    @Option(name: .long, help: "Column of the cell's mean dose (Gy).")
    var dose: String = "mean_dose"
    @Option(name: .long, help: "Column of dose categories (categorical estimates).")
    var doseCategory: String = "dose_category"
    @Option(name: .long, help: "Write an HTML report with the forest plot of site-specific ERRs to this file.")
    var html: String?
    @Option(name: .long, help: ArgumentHelp("Also fit by pooled Monte Carlo maximum likelihood over N dose realisations: each SITE.table.csv needs SITE.table.r0001.csv ... from export-tables --realisations.", valueName: "N"))
    var realisations: Int?
    @Flag(name: .long, help: "Print the results as JSON.")
    var json = false

    func usage(_ message: String) -> ExitCode {
        FileHandle.standardError.write(Data("harmonic pool: \(message)\n".utf8))
        return ExitCode(2)
    }

    func run() throws {
        guard !tables.isEmpty else { throw usage("give the site tables") }
        let spec: ModelSpecification
        do { spec = try ModelSpecification.parse(model) } catch { throw usage("\(error)") }
        let names: [String]
        if let s = sites {
            names = s.split(separator: ",").map { $0.trimmingWhitespace() }
            guard names.count == tables.count else { throw usage("--sites names \(names.count) sites for \(tables.count) tables") }
        } else {
            names = tables.map { URL(fileURLWithPath: $0).lastPathComponent.split(separator: ".").first.map(String.init) ?? $0 }
        }
        do {
            let parsed = try tables.map { try DelimitedTable.read(URL(fileURLWithPath: $0)) }
            try PooledAnalysis.checkColumns(parsed)
            let first = parsed[0]
            let columns = GroupedTable.Columns(cases: cases, personYears: personYears, dose: dose,
                                               doseCategory: first.header.contains(doseCategory) ? doseCategory : nil)
            let siteTables = try zip(names, parsed).map { SiteTable(site: $0, table: try GroupedTable.table($1, columns: columns, model: spec)) }
            let a = try PooledAnalysis.run(sites: siteTables, model: spec)
            var mcml: RiskModelFit? = nil
            if let n = realisations {
                guard n >= 1 else { throw usage("--realisations must be ≥ 1") }
                let doses: [[[Double]]] = try zip(tables, siteTables).map { path, site in
                    try (1...n).map { r in
                        let url = URL(fileURLWithPath: path).deletingPathExtension().appendingPathExtension(String(format: "r%04d", r)).appendingPathExtension("csv")
                        let t = try GroupedTable.table(try DelimitedTable.read(url), columns: columns)
                        guard t.count == site.table.count, t.personYears == site.table.personYears, t.events == site.table.events else {
                            throw InputError(.file(url.path), expected: "the cells of \(path) (same rows, cases and person-years; only mean_dose differs)")
                        }
                        return t.meanDose
                    }
                }
                mcml = try PooledAnalysis.monteCarlo(sites: siteTables, doses: doses, model: spec, start: a.pooled.fit.theta)
            }
            if let h = html {
                do { try PooledReport.html(a, modelText: model, files: tables).write(toFile: h, atomically: true, encoding: .utf8) }
                catch { throw InputError(.file(h), expected: "a writable file for --html (\(error.localizedDescription))") }
            }
            if json {
                var report = a.jsonReport(modelText: model); report.monteCarlo = mcml?.parameters
                print(try jsonString(report))
            } else {
                print("model: \(model)\nfitted with site-specific baselines: \(a.model.strata.contains("site") ? "strata(..., site)" : "factor(site) in the background")")
                print("sites: \(names.joined(separator: ", "))\n")
                print(a.textTable())
                if let m = mcml, let k = a.pooled.model.doseParameterIndex {
                    let p = m.parameters[k]
                    print(String(format: "pooled MCML over %d realisations: %@ %.4g  profile [%@, %@]", realisations ?? 0, p.name, p.estimate,
                                 p.profileLower?.text ?? "-", p.profileUpper?.text ?? "-"))
                }
                if let h = html { print("report: \(h)") }
            }
        } catch let e as ExitCode { throw e } catch {
            FileHandle.standardError.write(Data("harmonic pool: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
