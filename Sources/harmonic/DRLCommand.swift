import ArgumentParser
import FollowUp
import Foundation
import HarmonicCore
import Registry

/// `harmonic drl`: diagnostic reference levels, hospital benchmarking, dose alerts and the KAP factor model.
struct DRLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drl",
        abstract: "Local diagnostic reference levels and hospital benchmarking of cardiac procedures; alerts; what explains KAP.",
        discussion: """
        Groups the store's cardiac procedures by class (diagnostic, interventional, all) and by procedure type, in the \
        age bands <1, 1-<5, 5-<10, 10-<16 y and the weight bands <5, 5-<15, 15-<30, 30-<50, 50-<80 kg of EC RP 185. \
        For each group: the median KAP of each hospital (and of each X-ray system) with n; the local DRL, the 75th \
        percentile of the hospital medians (ICRP 135); the achievable dose, their 50th percentile (NCRP 172); KAP per \
        kg; the hospitals above the DRL; the median KAP by year; and the published paediatric cardiology values for \
        the same class and band (OPRIPALC 2022, Australia 2017, Greece 2018) with the ratio ours/published. \
        Percentiles interpolate linearly between order statistics (R's and numpy's default), so every figure can be \
        checked with either.

        --alerts lists procedures above a multiple of their group's DRL and children whose cumulative KAP or \
        reconstructed dose within a window passes a threshold; thresholds come from a JSON file the site edits \
        (--thresholds; --write-thresholds FILE writes the defaults to start from).

        --factors CLASS_OR_TYPE --band BAND fits ln KAP on era, hospital, X-ray system, fluoroscopy time, cine \
        frames and weight for one group and says which factors explain KAP and by how much (docs/reference-levels.md).

        Examples:
          harmonic drl --store harmonic-out/harmonic.sqlite
          harmonic drl --store S --by weight --group class --json
          harmonic drl --store S --alerts --thresholds site-thresholds.json
          harmonic drl --store S --factors interventional --band "1-<5 y"
        An analyst sees all sites; a data manager (--site) only their own.
        """
    )

    @Option(help: "Registry store (SQLite).") var store: String?
    @Option(help: "Open the store as the data manager of this site (default: analyst, all sites).") var site: String?
    @Option(help: "Band kind: age, weight or both.") var by: String = "both"
    @Option(help: "Grouping: class, type or both.") var group: String = "both"
    @Option(help: "Procedures a hospital needs in a group for its median to enter the DRL.") var minPerHospital: Int?
    @Flag(help: "List dose alerts instead of the tables.") var alerts = false
    @Option(help: "JSON file of alert thresholds (see --write-thresholds).") var thresholds: String?
    @Option(help: "Write the default alert thresholds to this JSON file and stop.") var writeThresholds: String?
    @Option(help: "Fit the KAP factor model for this class (diagnostic, interventional, all) or procedure type.") var factors: String?
    @Option(help: "Band of the factor model, e.g. \"1-<5 y\" or \"15-<30 kg\".") var band: String?
    @Flag(help: "Print JSON instead of tables.") var json = false

    func run() throws {
        if let writeThresholds {
            let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            try enc.encode(AlertThresholds()).write(to: URL(fileURLWithPath: writeThresholds))
            note("drl: default thresholds written to \(writeThresholds); edit them and pass --thresholds \(writeThresholds)")
            return
        }
        guard let store else { throw ValidationError("--store is required (the registry store to read)") }
        guard FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store: no file at \(store)") }
        let limits = try thresholds.map { try AlertThresholds.load(path: $0) } ?? AlertThresholds()
        var options = ReferenceLevelOptions(minProceduresPerHospital: minPerHospital ?? limits.minProceduresPerHospital)
        switch by {
        case "age": options.bandKinds = [.age]
        case "weight": options.bandKinds = [.weight]
        case "both": break
        default: throw ValidationError("--by must be age, weight or both, got '\(by)'")
        }
        switch group {
        case "class": options.groupings = [.procedureClass]
        case "type": options.groupings = [.procedureType]
        case "both": break
        default: throw ValidationError("--group must be class, type or both, got '\(group)'")
        }
        guard options.minProceduresPerHospital >= 1 else { throw ValidationError("--min-per-hospital must be at least 1") }
        let registry = try RegistryStore(path: store, role: site.map { .dataManager(site: $0.uppercased()) } ?? .analyst)
        let t0 = Date()
        let procedures = try registry.procedureDoses()
        let read = Date()
        if alerts { options.bandKinds = [.age]; options.groupings = [.procedureClass, .procedureType] }
        let table = ReferenceLevelTable.compute(procedures, options: options)
        note(String(format: "drl: %d procedures read in %.2f s, tables in %.2f s", procedures.count,
                    read.timeIntervalSince(t0), Date().timeIntervalSince(read)))
        if let factors { return try printFactors(factors, procedures: procedures, table: table) }
        if alerts { return try printAlerts(DoseAlertReport.compute(procedures, table: table, thresholds: limits)) }
        if json { print(try jsonText(table)); return }
        printTables(table)
    }

    func jsonText(_ value: some Encodable) throws -> String { try jsonString(value) }

    func printTables(_ t: ReferenceLevelTable) {
        print("\(t.proceduresRead) procedures; \(t.withoutKAP) without KAP; \(t.outsideAgeBands) at 16 y or older; "
              + "\(t.outsideWeightBands) without a weight in the weight bands. Hospital medians enter the DRL with n ≥ \(t.options.minProceduresPerHospital).")
        print("")
        print("group                           band        n  hosp   DRL(P75)  achievable  median  KAP/kg  above DRL")
        for g in t.groups {
            let name = "\(g.grouping.rawValue) \(g.procedure)".padding(toLength: 30, withPad: " ", startingAt: 0)
            let aboveList = g.hospitals.filter(\.aboveDRL).map(\.hospital)
            let above = aboveList.isEmpty ? "0" : "\(aboveList.count): " + aboveList.prefix(3).joined(separator: " ") + (aboveList.count > 3 ? " …" : "")
            print(name + " " + g.bandLabel.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + String(format: " %6d %4d ", g.procedures, g.hospitalsUsed) + pad(fmt(g.localDRLGyCm2), 10) + " "
                  + pad(fmt(g.achievableDoseGyCm2), 11) + String(format: " %7.2f ", g.medianKAPGyCm2)
                  + pad(fmt(g.medianKAPPerKg, "%.3f"), 7) + "  " + above)
        }
        let comparisons = t.groups.flatMap { g in g.published.map { (g, $0) } }
        if !comparisons.isEmpty {
            print("")
            print("Published values (Gy·cm²): ours = local DRL for P75 rows, achievable dose for median rows")
            for (g, c) in comparisons {
                print("  \(g.procedure) \(g.bandLabel): \(c.source) \(c.quantity) \(c.publishedBand) \(String(format: "%.1f", c.publishedGyCm2)); ours "
                      + fmt(c.oursGyCm2) + (c.ratio.map { String(format: " (×%.2f)", $0) } ?? "") + (c.sameBand ? "" : " [published band within ours]"))
            }
        }
    }

    func printAlerts(_ a: DoseAlertReport) throws {
        if json { print(try jsonText(a)); return }
        print("Procedures above \(a.thresholds.drlMultiple)× the local DRL of their group: \(a.procedureAlerts.count)")
        for p in a.procedureAlerts.prefix(50) {
            print("  \(p.procedure)  \(p.date)  \(p.hospital)  " + String(format: "KAP %.1f Gy·cm² = %.1f× DRL %.1f", p.kapGyCm2,
                         p.multipleOfDRL, p.localDRLGyCm2) + " (\(p.group))")
        }
        if a.procedureAlerts.count > 50 { print("  … \(a.procedureAlerts.count - 50) more (--json lists all)") }
        print("Children whose cumulative dose within \(a.thresholds.windowMonths) months passes a threshold: \(a.cumulativeAlerts.count)")
        for c in a.cumulativeAlerts.prefix(50) {
            print("  \(c.child)  \(c.quantity) > \(fmt(c.threshold, "%g")) first on \(c.firstPassed); "
                  + String(format: "largest window sum %.1f over %d procedures", c.maximumWindowSum, c.proceduresInWindow))
        }
        if a.cumulativeAlerts.count > 50 { print("  … \(a.cumulativeAlerts.count - 50) more (--json lists all)") }
    }

    func printFactors(_ procedure: String, procedures: [ProcedureDose], table: ReferenceLevelTable) throws {
        guard let bandText = band else { throw ValidationError("--factors needs --band, e.g. --band \"1-<5 y\" (bands: \(allBands))") }
        guard let b = (PatientBand.ageBands + PatientBand.weightBands).first(where: { $0.description == bandText }) else {
            throw ValidationError("--band '\(bandText)' is not a band; use one of \(allBands)")
        }
        let grouping: ProcedureGrouping = ["diagnostic", "interventional", "all"].contains(procedure) ? .procedureClass : .procedureType
        let model: KAPFactorModel
        do { model = try KAPFactorModel.fit(procedures, procedure: procedure, grouping: grouping, band: b, table: table) } catch let e as KAPFactorModel.TooFewProcedures {
            throw ValidationError(e.description)
        }
        if json { print(try jsonText(model)); return }
        print("ln KAP model for \(model.procedure), \(model.band): \(model.procedures) procedures (\(model.excluded) without every covariate), "
              + String(format: "R² %.3f, residual SD %.3f (×%.2f)", model.rSquared, model.residualSD, exp(model.residualSD)))
        print("References: " + model.referenceLevels.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)" }.joined(separator: "; "))
        print("Which factors explain KAP (type II F tests):")
        for f in model.factors.sorted(by: { $0.rSquaredDrop > $1.rSquaredDrop }) {
            print("  " + pad(f.factor, 26) + String(format: " df %3d  R² drop %.3f  F %8.2f  p %.2g", f.degreesOfFreedom, f.rSquaredDrop, f.fStatistic, f.pValue))
        }
        print("Effects on KAP (×, 95% CI):")
        for t in model.terms {
            print("  " + pad(t.name, 44) + String(format: " ×%.3f [%.3f, %.3f]  p %.2g", t.multiplicativeEffect, t.lower95, t.upper95, t.pValue))
        }
        if !model.aliased.isEmpty { print("Aliased (not estimable, dropped): " + model.aliased.joined(separator: ", ")) }
        print("Achievable dose \(fmt(model.achievableDoseGyCm2)) Gy·cm², local DRL \(fmt(model.localDRLGyCm2)) Gy·cm²")
    }

    var allBands: String { (PatientBand.ageBands + PatientBand.weightBands).map { "\"\($0)\"" }.joined(separator: ", ") }

    func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }

    func fmt(_ v: Double?, _ f: String = "%.2f") -> String { v.map { String(format: f, $0) } ?? "—" }
}
