import GRDB

/// The data quality of one site's registry rows, for the site QA dashboard: how complete each
/// table is by era (share of required and optional dictionary fields filled, by decade of the
/// table's first date column), how many rows each calendar year holds, why rows were quarantined
/// (counts by table, field and reason; no values), and how each load went (accepted and rejected
/// rows). Aggregates only: no row, key or value of the site leaves the store.
public struct SiteQuality: Sendable, Codable, Equatable {
    public let site: String
    public let tables: [TableQuality]
    public let quarantine: [QuarantineReason]
    public let loads: [LoadTrend]

    /// One dictionary table of the site.
    public struct TableQuality: Sendable, Codable, Equatable {
        public let table: String
        /// The date column that places a row in an era (nil: the table has none; one era "all").
        public let dateColumn: String?
        public let rows: Int
        public let eras: [EraCompleteness]
        /// Rows per calendar year of `dateColumn` (rows without a date are under "unknown").
        public let years: [YearCount]
    }

    /// Completeness of one decade ("1980s", or "unknown" for rows without a date).
    public struct EraCompleteness: Sendable, Codable, Equatable {
        public let era: String
        public let rows: Int
        /// Share (0-1) of required fields filled (1 unless rows came from an older dictionary).
        public let required: Double
        /// Share (0-1) of optional fields filled.
        public let optional: Double
        /// Share filled per dictionary column.
        public let fields: [String: Double]
    }

    public struct YearCount: Sendable, Codable, Equatable {
        public let year: String
        public let rows: Int
    }

    public struct QuarantineReason: Sendable, Codable, Equatable {
        public let table: String, field: String, reason: String
        public let rows: Int
    }

    /// One load of the site: when, by whom is left out (the audit trail has it), and its counts.
    public struct LoadTrend: Sendable, Codable, Equatable {
        public let loadID: Int64
        public let startedAt: String
        public let files: Int
        public let accepted: Int
        public let rejected: Int
    }
}

extension RegistryStore {
    /// The QA figures of `site`. Analysts: any site; data managers: their own site only; other
    /// roles: refused (`AccessDenied`) before any SQL runs.
    public func siteQuality(ofSite site: String) throws -> SiteQuality {
        let site = site.uppercased()
        let allowed = switch role {
        case .analyst: true
        case .dataManager(let own): own == site
        default: false
        }
        try require(allowed, "read the data quality of site \(site)")
        return try backend.read { db in
            var tables: [SiteQuality.TableQuality] = []
            for t in DataDictionary.tables.sorted(by: { $0.loadOrder < $1.loadOrder }) {
                let dateColumn = t.columns.first { $0.type == .date || $0.type == .dateTime }.map { RegistrySchema.storeColumn($0.name) }
                let stored = t.columns.map { ($0, RegistrySchema.storeColumn($0.name)) }
                let year = dateColumn.map { "substr(\(SQLDialect.quote($0)), 1, 4)" } ?? "'all'"
                // One pass per table: rows and non-null count of every column, by year.
                let sql = "SELECT \(year) AS y, COUNT(*), " + stored.map { "COUNT(\(SQLDialect.quote($0.1)))" }.joined(separator: ", ")
                    + " FROM \(SQLDialect.quote(t.name)) WHERE site = ?" + (dateColumn == nil ? "" : " GROUP BY \(year)")
                var byEra: [String: (rows: Int, filled: [Int])] = [:]
                var years: [SiteQuality.YearCount] = []
                try db.forEach(sql, [site.databaseValue]) { r in
                    let y = r.string(0) ?? "unknown", n = r.int(1) ?? 0
                    guard n > 0 else { return }   // a table without a date column and no rows
                    years.append(.init(year: y, rows: n))
                    let era = y.count == 4 && y.allSatisfy(\.isNumber) ? String(y.prefix(3)) + "0s" : (dateColumn == nil ? "all" : "unknown")
                    var e = byEra[era] ?? (0, Array(repeating: 0, count: stored.count))
                    e.rows += n
                    for i in 0..<stored.count { e.filled[i] += r.int(2 + i) ?? 0 }
                    byEra[era] = e
                }
                let eras = byEra.sorted { $0.key < $1.key }.map { era, e -> SiteQuality.EraCompleteness in
                    func share(_ required: Bool) -> Double {
                        let idx = stored.indices.filter { stored[$0].0.required == required }
                        guard !idx.isEmpty, e.rows > 0 else { return 1 }
                        return Double(idx.map { e.filled[$0] }.reduce(0, +)) / Double(idx.count * e.rows)
                    }
                    var fields: [String: Double] = [:]
                    for (i, c) in stored.enumerated() { fields[c.0.name] = e.rows > 0 ? Double(e.filled[i]) / Double(e.rows) : 0 }
                    return .init(era: era, rows: e.rows, required: share(true), optional: share(false), fields: fields)
                }
                years.sort { ($0.year == "unknown" ? 1 : 0, $0.year) < ($1.year == "unknown" ? 1 : 0, $1.year) }
                tables.append(.init(table: t.name, dateColumn: dateColumn, rows: years.map(\.rows).reduce(0, +), eras: eras, years: years))
            }
            let reasons = try db.fetch("SELECT table_name, field, reason, COUNT(*) FROM quarantine WHERE site = ? GROUP BY table_name, field, reason ORDER BY 4 DESC, 1, 2, 3",
                                       [site.databaseValue]).map {
                SiteQuality.QuarantineReason(table: $0.string(0) ?? "", field: $0.string(1) ?? "", reason: $0.string(2) ?? "", rows: $0.int(3) ?? 0)
            }
            let loads = try db.fetch("""
                SELECT l.load_id, l.started_at, COUNT(f.file), COALESCE(SUM(f.inserted + f.updated + f.unchanged), 0), COALESCE(SUM(f.rejected), 0)
                FROM audit_loads l LEFT JOIN audit_files f ON f.load_id = l.load_id WHERE l.site = ?
                GROUP BY l.load_id, l.started_at ORDER BY l.load_id
                """, [site.databaseValue]).map {
                SiteQuality.LoadTrend(loadID: $0.int64(0) ?? 0, startedAt: $0.string(1) ?? "", files: $0.int(2) ?? 0, accepted: $0.int(3) ?? 0, rejected: $0.int(4) ?? 0)
            }
            return SiteQuality(site: site, tables: tables, quarantine: reasons, loads: loads)
        }
    }
}
