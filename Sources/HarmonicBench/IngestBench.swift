import ArgumentParser
import Foundation
import HarmonicCore
import Registry
import Synthesis

/// `harmonic-bench ingest`: validated ingest of the full synthetic cohort (`harmonic synth`'s site
/// folders, as the demo loads them), side by side in one run with `sqlite3 .import` of the same CSV
/// files into the same schema (which validates nothing).
struct IngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest throughput and peak memory vs sqlite3 .import (figures in BENCHMARKS.md).",
        discussion: """
        Writes the synthetic cohort with `harmonic synth`'s engine (seven cardiac cohorts and the \
        radiotherapy registry, one folder per site and cohort), then loads every site folder twice:
        (a) `sqlite3 .import` (a child process) into the store's own tables (RegistrySchema: a `site` \
        column, the dictionary's columns and types, `load_id`, primary key (site, key)), through a view \
        whose INSTEAD OF trigger adds the site, so the CSV files are imported unchanged and unchecked;
        (b) `RegistryStore.ingest`, the engine of `harmonic ingest`: every row parsed and validated, \
        site ids pseudonymised with the site's key, quarantine, audit, one transaction per file.

        Example: swift run -c release harmonic-bench ingest --children 70000
        """)

    @Option(help: "Cardiac children to synthesise (the radiotherapy registry gets 2,300 per 70,000).")
    var children = 70_000

    @Option(help: "Share of rows synth replaces by realistic bad rows (0 = a clean extract; the demo uses 0.01).")
    var corrupt = 0.0

    @Option(help: "Seed of the synthetic cohort.")
    var seed: UInt64 = 1

    @Option(help: "Load this folder instead of synthesising: a synth output (site folders such as NO-cardiac) or one folder of CSVs.")
    var input: String?

    @Option(help: "Site code for --input when it is a single folder of CSVs.")
    var site = "NO"

    @Option(help: "Working folder (the synthetic extract and both stores are written here).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-ingest-bench").path

    struct SiteFiles { let site: String; let files: [String] }

    func run() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir + "/stores")
        try fm.createDirectory(atPath: workDir + "/stores", withIntermediateDirectories: true)
        let root: String
        if let input { root = input } else {
            root = workDir + "/extract"
            try? fm.removeItem(atPath: root)
            let t = Date()
            let config = SynthesisConfiguration(seed: seed, cardiacChildren: children, corruptFraction: corrupt)
            let summary = try CohortSynthesizer.run(config, to: URL(fileURLWithPath: root), progress: { _ in })
            let rows = summary.rows.values.reduce(0, +)
            log(String(format: "synthesised %d rows (%d cardiac + %d radiotherapy children, %d bad rows) in %.1f s into %@",
                       rows, summary.cardiacChildren, summary.radiotherapyChildren, summary.corruptedRows, Date().timeIntervalSince(t), root))
        }
        let sites = try Self.siteFolders(root, singleSite: site)
        let allFiles = sites.flatMap(\.files)
        let totalBytes = allFiles.reduce(0) { $0 + ((try? fm.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }

        // (a) sqlite3 .import first (a child process, its peak memory measured separately).
        let importDB = workDir + "/stores/import.sqlite"
        let importSeconds = try Self.sqliteImport(sites, into: importDB)
        var children = rusage(); getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)
        let importedRows = try Self.rowCount(importDB)
        // (a') the same files straight into tables of their own columns (no site column, no trigger):
        // sqlite3's fastest path, the stricter yardstick.
        let bareSeconds = try Self.sqliteImportBare(sites, into: workDir + "/stores/import-bare.sqlite")
        var childrenAfterBare = rusage(); getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &childrenAfterBare)

        // (b) harmonic ingest, one site at a time with the site's own key, as `harmonic demo` does.
        let store = workDir + "/stores/harmonic.sqlite"
        var beforeIngest = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &beforeIngest)
        let t1 = Date()
        var accepted = 0, rejected = 0
        for s in sites {
            // a fixed 32-byte key per site (distinct sites, distinct keys), as `harmonic demo` keeps one per country
            let key = try Pseudonymiser(keyBytes: Array((s.site + String(repeating: "k", count: 32)).utf8.prefix(32)))
            let registry = try RegistryStore(path: store, role: .dataManager(site: s.site))
            let report = try registry.ingest(files: s.files, site: s.site, pseudonymiser: key, user: "bench") { log($0) }
            accepted += report.accepted; rejected += report.rejected
        }
        let ingestSeconds = Date().timeIntervalSince(t1)
        var me = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
        let rows = accepted + rejected
        let mb = Double(totalBytes) / 1_048_576
        print("rows: \(rows) in \(allFiles.count) files of \(sites.count) site folders (\(String(format: "%.0f", mb)) MiB of CSV); harmonic accepted \(accepted), rejected \(rejected); sqlite3 stored \(importedRows)")
        // CPU seconds (user + system) show how much of the wall time the machine's load took.
        func cpu(_ r: rusage) -> Double {
            Double(r.ru_utime.tv_sec) + Double(r.ru_utime.tv_usec) / 1e6 + Double(r.ru_stime.tv_sec) + Double(r.ru_stime.tv_usec) / 1e6
        }
        let ingestCPU = cpu(me) - cpu(beforeIngest)
        var load = [Double](repeating: 0, count: 3)
        getloadavg(&load, 3)
        print(String(format: "load average at the end: %.2f %.2f %.2f", load[0], load[1], load[2]))
        print("| tool | seconds | rows/s | MiB/s | CPU s (user+sys) | peak RSS (MiB) |\n|---|---|---|---|---|---|")
        print(String(format: "| harmonic ingest (validated, pseudonymised) | %.1f | %.0f | %.1f | %.1f | %.0f |", ingestSeconds, Double(rows) / ingestSeconds, mb / ingestSeconds, ingestCPU, Double(me.ru_maxrss) / 1024))
        print(String(format: "| sqlite3 .import (no validation) | %.1f | %.0f | %.1f | %.1f | %.0f |", importSeconds, Double(rows) / importSeconds, mb / importSeconds, cpu(children), Double(children.ru_maxrss) / 1024))
        print(String(format: "| sqlite3 .import into bare tables of the CSV columns | %.1f | %.0f | %.1f | %.1f | |", bareSeconds, Double(rows) / bareSeconds, mb / bareSeconds, cpu(childrenAfterBare) - cpu(children)))
        print(String(format: "speed ratio harmonic / sqlite3 (same schema) = %.2f; harmonic / sqlite3 (bare tables) = %.2f",
                     importSeconds / ingestSeconds, bareSeconds / ingestSeconds))
    }

    /// Imports every file into a table of the file's own columns (dictionary types, primary key on the
    /// table's key; site ids carry the site code, so they are unique across sites).
    static func sqliteImportBare(_ sites: [SiteFiles], into db: String) throws -> Double {
        var script = "", created = Set<String>()
        for f in sites.flatMap(\.files) {
            let name = URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent
            guard let table = DataDictionary.tables.first(where: { $0.name == name }) else { continue }
            if created.insert(name).inserted {
                let cols = try Self.headerColumns(f).map { c -> String in
                    let type = table.columns.first { $0.name == c }?.type
                    return "\"\(c)\" \(type == .integer ? "INTEGER" : type == .real ? "REAL" : "TEXT")"
                }
                script += "CREATE TABLE \"\(name)\" (\(cols.joined(separator: ", ")), PRIMARY KEY (\"\(table.key)\"));\n"
            }
            script += ".import --csv --skip 1 \(f) \(name)\n"
        }
        return try runSQLite(script, db: db)
    }

    /// The site folders of a synth output (`NO-cardiac`, `NO-radiotherapy`, …: site = the first two
    /// letters, as `harmonic demo` loads them), or `root` itself when it holds CSV files.
    static func siteFolders(_ root: String, singleSite: String) throws -> [SiteFiles] {
        let fm = FileManager.default
        func csvs(_ dir: String) throws -> [String] {
            try fm.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".csv") }.sorted().map { dir + "/" + $0 }
        }
        let direct = try csvs(root)
        if !direct.isEmpty { return [SiteFiles(site: singleSite, files: direct)] }
        let folders = try fm.contentsOfDirectory(atPath: root).sorted().filter { name in
            var isDir: ObjCBool = false
            return name != "truth" && fm.fileExists(atPath: root + "/" + name, isDirectory: &isDir) && isDir.boolValue
        }
        let sites = try folders.map { SiteFiles(site: String($0.prefix(2)).uppercased(), files: try csvs(root + "/" + $0)) }
            .filter { !$0.files.isEmpty }
        guard !sites.isEmpty else {
            throw ValidationError("\(root) holds neither CSV files nor site folders of CSV files (run `harmonic synth --out \(root)` first)")
        }
        return sites
    }

    /// Imports every file with the sqlite3 shell into the store's schema and returns the seconds taken.
    /// Each CSV goes into a view with the file's own header columns; the view's INSTEAD OF trigger
    /// inserts the row with the site code and load_id 0 into the real table.
    static func sqliteImport(_ sites: [SiteFiles], into db: String) throws -> Double {
        var script = DataDictionary.tables.map { RegistrySchema.createTableSQL($0) + ";" }.joined(separator: "\n") + "\n"
        var view = 0
        for s in sites {
            for f in s.files {
                let table = URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent
                guard DataDictionary.tables.contains(where: { $0.name == table }) else { continue }
                let header = try Self.headerColumns(f).map(RegistrySchema.storeColumn)
                view += 1
                let v = "import_\(view)"
                let quoted = header.map { "\"\($0)\"" }
                script += "CREATE VIEW \(v) AS SELECT \(quoted.joined(separator: ", ")) FROM \"\(table)\";\n"
                script += "CREATE TRIGGER \(v)_insert INSTEAD OF INSERT ON \(v) BEGIN INSERT INTO \"\(table)\" (site, \(quoted.joined(separator: ", ")), load_id) VALUES ('\(s.site)', \(quoted.map { "NEW." + $0 }.joined(separator: ", ")), 0); END;\n"
                script += ".import --csv --skip 1 \(f) \(v)\n"
            }
        }
        return try runSQLite(script, db: db)
    }

    static func runSQLite(_ script: String, db: String) throws -> Double {
        let t0 = Date()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", db]
        let pipe = Pipe(); p.standardInput = pipe
        try p.run()
        pipe.fileHandleForWriting.write(Data(script.utf8)); try pipe.fileHandleForWriting.close()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ValidationError("sqlite3 .import failed with status \(p.terminationStatus)") }
        return Date().timeIntervalSince(t0)
    }

    static func headerColumns(_ file: String) throws -> [String] {
        let h = try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
        defer { try? h.close() }
        let head = String(decoding: h.readData(ofLength: 64 * 1024), as: UTF8.self)
        let line = head.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        return line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",").map(String.init)
    }

    /// Rows stored by sqlite3 in the dictionary's tables.
    static func rowCount(_ db: String) throws -> Int {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", db, DataDictionary.tables.map { "SELECT count(*) FROM \"\($0.name)\"" }.joined(separator: " UNION ALL ") ]
        let out = Pipe(); p.standardOutput = out
        try p.run(); p.waitUntilExit()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { Int($0) }.reduce(0, +)
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
