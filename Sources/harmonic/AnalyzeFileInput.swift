import ArgumentParser
import Foundation
import HarmonicCore
import Epidemiology

/// `harmonic analyze --table` (a grouped person-year table, AMFIT-style) and
/// `harmonic analyze --intervals` (case-level intervals, counting-process Cox).
extension AnalyzeCommand {
    func runFileInput() throws {
        guard (table == nil) != (intervals == nil) else { throw usage("give either --table FILE or --intervals FILE, not both") }
        guard store == nil && cohort == nil else { throw usage("--table and --intervals read their own file: leave out --store and --cohort") }
        if realisations != nil || rates != nil || caseLevelCsv != nil {
            throw usage("--realisations, --rates and --case-level-csv need individual records (--store or --cohort)")
        }
        let spec: ModelSpecification
        do { spec = try ModelSpecification.parse(model) } catch { throw usage("\(error)") }
        do {
            if let path = table {
                guard method == "poisson" else { throw usage("--table is fitted by Poisson regression; for Cox give --intervals") }
                let cells = try GroupedTable.read(URL(fileURLWithPath: path), columns: GroupedTable.Columns(
                    cases: cases, personYears: personYears, dose: dose, doseCategory: doseCategory), model: spec)
                let result = try DoseResponseAnalysis.run(table: cells, model: spec)
                if let c = cellsOut { try cells.csv().write(toFile: c, atomically: true, encoding: .utf8) }
                if json {
                    struct Out: Codable { var model: String; var table: String; var fit: DoseResponseAnalysis.JSONReport }
                    print(try jsonText(Out(model: model, table: path, fit: result.jsonReport)))
                } else {
                    print("model: \(model)\ngrouped table: \(path) (cases \(cases), person-years \(personYears), mean dose \(dose) in Gy)\n")
                    print(result.textTable())
                }
            } else if let path = intervals {
                let d = try IntervalFile.read(URL(fileURLWithPath: path), columns: IntervalFile.Columns(
                    start: start, stop: stop, event: event, dose: dose), model: spec)
                let cox = try CoxAnalysis.run(intervals: d, model: spec)
                if json {
                    struct Out: Codable { var model: String; var intervals: String; var fit: CoxAnalysis.JSONReport }
                    print(try jsonText(Out(model: model, intervals: path, fit: cox.jsonReport)))
                } else {
                    print("model (Cox partial likelihood, Breslow ties): \(model)\nintervals: \(path) ((\(start), \(stop)], event \(event), dose \(dose) in Gy)\n")
                    print(cox.textTable())
                }
            }
        } catch let e as ExitCode { throw e } catch {
            FileHandle.standardError.write(Data("harmonic analyze: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
