import Foundation
import HarmonicCore

/// One site's exported person-year table, as the coordinator receives it.
public struct SiteTable: Sendable {
    public var site: String
    public var table: PersonYearTable
    public init(site: String, table: PersonYearTable) { self.site = site; self.table = table }
}

/// A pooled fit of site tables with site-specific baselines, and the heterogeneity of the ERR
/// across sites. Poisson cell tables are sufficient statistics for models whose terms are
/// constant within cells, so where no site merged cells the pooled fit equals the fit on the
/// union of the individual records (docs/grouped-tables-and-pooling.md).
public struct PooledAnalysis: Sendable {
    public struct SiteEstimate: Sendable, Codable {
        public var site: String
        public var cells: Int, personYears: Double, cases: Double
        /// The site's own fit of the same model (nil when it did not converge, e.g. no cases).
        public var estimate: ParameterEstimate?
        public var logLikelihood: Double?
        public var parameterCount: Int?
        public var note: String?
    }
    public struct Heterogeneity: Sendable, Codable {
        /// 2(Σ ℓ_site − ℓ_pooled) on df = Σ p_site − p_pooled.
        public var statistic: Double, df: Int, pValue: Double
        /// What the test compares, in words.
        public var description: String
    }

    public var pooled: DoseResponseAnalysis
    /// The model fitted (the user's, with `site` added to the strata or, without strata, to the background).
    public var model: ModelSpecification
    public var sites: [SiteEstimate]
    public var heterogeneity: Heterogeneity?
    /// Levels of model factors found in one site's table only (kept; see `notes`).
    public var notes: [String]

    public enum PoolError: Error, CustomStringConvertible {
        case noSites, duplicateSite(String)
        public var description: String {
            switch self {
            case .noSites: "pool: give at least one site table"
            case .duplicateSite(let s): "pool: site '\(s)' is given twice (each table's file name or --sites must name a different site)"
            }
        }
    }

    /// Stacks the site tables into one cell table with a `site` factor. Every table must have
    /// the same factors (the callers compare the files' columns first and name the file that differs).
    public static func combine(_ sites: [SiteTable]) throws -> PersonYearTable {
        guard let first = sites.first else { throw PoolError.noSites }
        var seen = Set<String>()
        for s in sites { guard seen.insert(s.site).inserted else { throw PoolError.duplicateSite(s.site) } }
        var out = PersonYearTable(factorNames: first.table.factorNames + ["site"], factorLevels: first.table.factorNames.map { _ in [] } + [sites.map(\.site)],
                                  levels: (0...first.table.factorNames.count).map { _ in [] }, personYears: [], events: [], meanDose: [],
                                  meanAttainedAge: [], meanAgeAtExposure: [], meanTimeSinceExposure: [], meanCalendarYear: [])
        out.hasStandardMeans = sites.allSatisfy(\.table.hasStandardMeans)
        var index = first.table.factorNames.map { _ in [String: Int]() }
        let numericNames = sites.dropFirst().reduce(Set(first.table.numericColumns.keys)) { $0.intersection($1.table.numericColumns.keys) }
        var numeric = Dictionary(uniqueKeysWithValues: numericNames.map { ($0, [Double]()) })
        for (si, s) in sites.enumerated() {
            let t = s.table
            for (f, name) in first.table.factorNames.enumerated() {
                guard let g = t.factorIndex(name) else { throw PoolError.duplicateSite(s.site) }
                let map = t.factorLevels[g].map { label -> Int in
                    if let i = index[f][label] { return i }
                    out.factorLevels[f].append(label); index[f][label] = out.factorLevels[f].count - 1
                    return out.factorLevels[f].count - 1
                }
                out.levels[f] += t.levels[g].map { map[$0] }
            }
            out.levels[first.table.factorNames.count] += [Int](repeating: si, count: t.count)
            out.personYears += t.personYears; out.events += t.events; out.meanDose += t.meanDose
            out.meanAttainedAge += t.meanAttainedAge; out.meanAgeAtExposure += t.meanAgeAtExposure
            out.meanTimeSinceExposure += t.meanTimeSinceExposure; out.meanCalendarYear += t.meanCalendarYear
            for k in numericNames { numeric[k]! += t.numericColumns[k]! }
        }
        out.numericColumns = numeric
        return out
    }

    /// Refuses tables whose columns differ from the first one's, naming the file, the missing
    /// and the extra columns (column order may differ).
    public static func checkColumns(_ tables: [DelimitedTable]) throws {
        guard let first = tables.first else { throw PoolError.noSites }
        for t in tables.dropFirst() where Set(t.header) != Set(first.header) {
            let missing = Set(first.header).subtracting(t.header).sorted(), extra = Set(t.header).subtracting(first.header).sorted()
            throw InputError(.row(file: t.file, line: 1), value: t.header.joined(separator: ","),
                             expected: "the columns of \(first.file)" + (missing.isEmpty ? "" : "; missing: \(missing.joined(separator: ", "))")
                                + (extra.isEmpty ? "" : "; not in \(first.file): \(extra.joined(separator: ", "))"))
        }
    }

    /// The user's model with site-specific baselines.
    public static func siteSpecific(_ spec: ModelSpecification) -> ModelSpecification {
        var m = spec
        if m.strata.contains("site") || m.background.contains("site") || m.background.contains("factor(site)") { return m }
        if m.strata.isEmpty { m.background.append("factor(site)") } else { m.strata.append("site") }
        return m
    }

    /// Pools `sites` under `spec` (site-specific baselines added), fits each site alone for the
    /// forest plot and the heterogeneity test, and notes factor levels seen in one site only.
    public static func run(sites: [SiteTable], model spec: ModelSpecification, level: Double = 0.95) throws -> PooledAnalysis {
        let table = try combine(sites)
        let m = siteSpecific(spec)
        let pooled = try DoseResponseAnalysis.run(table: table, model: m, level: level)
        let doseName = pooled.model.doseParameterIndex.map { pooled.model.parameterNames[$0] }
        var estimates: [SiteEstimate] = []
        for s in sites {
            var e = SiteEstimate(site: s.site, cells: s.table.count, personYears: s.table.personYears.reduce(0, +),
                                 cases: s.table.events.reduce(0, +), estimate: nil, logLikelihood: nil, parameterCount: nil, note: nil)
            do {
                let model = try ModelDesign(table: s.table).model(spec)
                let fit = try model.fit(level: level)
                if fit.converged { e.logLikelihood = fit.logLikelihood; e.parameterCount = fit.parameterCount }
                else { e.note = "the site's own fit did not converge" }
                if let d = doseName { e.estimate = fit.parameter(d) }
            } catch { e.note = "no separate fit: \(error)" }
            estimates.append(e)
        }
        var het: Heterogeneity? = nil
        if estimates.count > 1, estimates.allSatisfy({ $0.logLikelihood != nil }), pooled.fit.converged,
           pooled.fit.parameters.allSatisfy({ $0.unboundedAbove == nil }) {
            let l = estimates.reduce(0) { $0 + $1.logLikelihood! }, p = estimates.reduce(0) { $0 + $1.parameterCount! }
            let df = p - pooled.fit.parameterCount
            if df > 0 {
                let stat = max(0, 2 * (l - pooled.fit.logLikelihood))
                let shared = pooled.fit.parameterCount - (doseName == nil ? 0 : pooled.model.doseParameterCount)
                het = Heterogeneity(statistic: stat, df: df, pValue: Distributions.chiSquaredUpperTail(stat, df: Double(df)),
                                    description: shared == 0
                                        ? "site-specific ERRs against one pooled ERR (the background is stratified by site, so this tests the ERR alone)"
                                        : "each site fitted alone (ERR and the \(shared) other non-stratum parameters per site) against the pooled model")
            }
        }
        // Levels of the model's factors present in one site only.
        var notes: [String] = []
        let factorTerms = Set(spec.strata + (spec.background + spec.modifiers).compactMap { t -> String? in
            if t.hasPrefix("factor(") { return String(t.dropFirst(7).dropLast()) }
            return table.factorIndex(t) != nil && ModelDesign(table: table).continuous(t) == nil ? t : nil
        })
        let siteF = table.factorNames.count - 1
        for name in factorTerms.sorted() where name != "site" {
            guard let f = table.factorIndex(name) else { continue }
            var sitesOf = [Set<Int>](repeating: [], count: table.factorLevels[f].count)
            for c in 0..<table.count where table.personYears[c] > 0 { sitesOf[table.levels[f][c]].insert(table.levels[siteF][c]) }
            // A factor constant within every site (e.g. country, one per site) is the site itself: nothing to note.
            var levelsOfSite = [Set<Int>](repeating: [], count: sites.count)
            for c in 0..<table.count where table.personYears[c] > 0 { levelsOfSite[table.levels[siteF][c]].insert(table.levels[f][c]) }
            if levelsOfSite.allSatisfy({ $0.count <= 1 }) { continue }
            let only = sitesOf.enumerated().filter { $0.element.count == 1 && sites.count > 1 }
            for (lv, s) in only {
                notes.append("\(name)=\(table.factorLevels[f][lv]) appears in \(sites[s.first!].site)'s table only: "
                    + (spec.strata.contains(name) ? "its strata inform that site's baseline only (baselines are site-specific), not the ERR of the other sites"
                                                  : "its coefficient is estimated from that site alone"))
            }
        }
        return PooledAnalysis(pooled: pooled, model: m, sites: estimates, heterogeneity: het, notes: notes)
    }

    public struct JSONReport: Codable, Sendable {
        public var model: String
        public var fit: DoseResponseAnalysis.JSONReport
        public var sites: [SiteEstimate]
        public var heterogeneity: Heterogeneity?
        public var notes: [String]
        /// Pooled Monte Carlo ML estimates over dose realisations (`pool --realisations`).
        public var monteCarlo: [ParameterEstimate]? = nil
    }
    public func jsonReport(modelText: String) -> JSONReport {
        JSONReport(model: modelText, fit: pooled.jsonReport, sites: sites, heterogeneity: heterogeneity, notes: notes)
    }

    /// Plain text: the pooled table, then the site estimates and the heterogeneity test.
    public func textTable() -> String {
        var s = pooled.textTable()
        s += "\nsite-specific estimates (each site's table fitted alone)\n"
        for e in sites {
            let est = e.estimate.map { p in
                String(format: "%@ %10.4g  profile [%@, %@]", p.name, p.estimate, p.profileLower?.text ?? "-", p.profileUpper?.text ?? "-") } ?? ""
            s += e.site.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: " cells %6d  PY %11.1f  cases %5.0f  ", e.cells, e.personYears, e.cases) + est
                + (e.note.map { "  (\($0))" } ?? "") + "\n"
        }
        if let h = heterogeneity {
            s += String(format: "heterogeneity: χ² = %.4g on %d df, p = %.3g (%@)\n", h.statistic, h.df, h.pValue, h.description)
        }
        for n in notes { s += "note: \(n)\n" }
        return s
    }
}

extension PooledAnalysis {
    /// Pooled Monte Carlo maximum likelihood (Stayner et al., Radiat Res 2007) from the sites'
    /// realisation tables (`export-tables --realisations`): `doses[s][r]` are site s's cell doses
    /// under realisation r, in the cell order of `sites[s].table`. Same model as `run` (site-
    /// specific baselines), started at the mean-dose fit, with the profile interval of the dose
    /// coefficient.
    public static func monteCarlo(sites: [SiteTable], doses: [[[Double]]], model spec: ModelSpecification, start: [Double]? = nil,
                                  level: Double = 0.95) throws -> RiskModelFit {
        let table = try combine(sites)
        let model = try ModelDesign(table: table).model(siteSpecific(spec))
        guard let k = model.doseParameterIndex else { throw ModelDesign.DesignError.unknownTerm("dose", known: []) }
        let R = doses.first?.count ?? 0
        var cellDoses = [Float](); cellDoses.reserveCapacity(R * table.count)
        for r in 0..<R { for s in sites.indices { cellDoses += doses[s][r].map { Float($0) } } }
        let mc = MonteCarloLikelihood(model: model, cellDoses: cellDoses, realisationCount: R)
        return try RiskModelFitter.fit(mc, start: start ?? model.fit(level: level).theta, profile: [k], level: level)
    }
}
