import ArgumentParser
import Foundation
import HarmonicCore
import Registry

/// `harmonic-bench ingest`: validated ingest of a full-size synthetic extract, side by side
/// with `sqlite3 .import` of the same CSV files into the same tables (which validates nothing).
struct IngestBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest throughput and peak memory vs sqlite3 .import (figures in BENCHMARKS.md).",
        discussion: "Example: swift run -c release harmonic-bench ingest --children 70000")

    @Option(help: "Children to generate (about 2.2 procedures each; ~100 events for each event-level procedure from 2005).")
    var children = 70_000

    @Option(help: "Use this folder of CSVs (patients.csv, cardiac_procedures.csv, irradiation_events.csv, ...) instead of generating.")
    var input: String?

    @Option(help: "Working folder (generated CSVs and stores are written here).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-ingest-bench").path

    func run() throws {
        try? FileManager.default.removeItem(atPath: workDir + "/stores")
        try FileManager.default.createDirectory(atPath: workDir + "/stores", withIntermediateDirectories: true)
        let dir: String
        if let input { dir = input } else {
            dir = workDir + "/extract"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            let t = Date()
            let n = try BenchExtractWriter(children: children, folder: dir).write()
            log(String(format: "generated %d rows in %.1f s into %@", n, Date().timeIntervalSince(t), dir))
        }
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".csv") }.sorted().map { dir + "/" + $0 }
        let totalBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }

        // sqlite3 .import first (a child process, its peak memory measured separately).
        let importDB = workDir + "/stores/import.sqlite"
        var script = DataDictionary.tables.map { Self.importTableSQL($0) + ";" }.joined(separator: "\n") + "\n.mode csv\n"
        for f in files { script += ".import --skip 1 \(f) \(URL(fileURLWithPath: f).deletingPathExtension().lastPathComponent)\n" }
        let t0 = Date()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["sqlite3", importDB]
        let pipe = Pipe(); p.standardInput = pipe
        try p.run()
        pipe.fileHandleForWriting.write(Data(script.utf8)); try pipe.fileHandleForWriting.close()
        p.waitUntilExit()
        let importSeconds = Date().timeIntervalSince(t0)
        var children = rusage(); getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &children)

        let store = workDir + "/stores/harmonic.sqlite"
        let key = try Pseudonymiser(keyBytes: Array(repeating: 1, count: 32))
        let registry = try RegistryStore(path: store, role: .dataManager(site: "NO"))
        var beforeIngest = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &beforeIngest)
        let cpuBeforeIngest = Double(beforeIngest.ru_utime.tv_sec) + Double(beforeIngest.ru_utime.tv_usec) / 1e6
            + Double(beforeIngest.ru_stime.tv_sec) + Double(beforeIngest.ru_stime.tv_usec) / 1e6
        let t1 = Date()
        let report = try registry.ingest(files: files, site: "NO", pseudonymiser: key, user: "bench") { log($0) }
        let ingestSeconds = Date().timeIntervalSince(t1)
        var me = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
        let rows = report.accepted + report.rejected
        let mb = Double(totalBytes) / 1_048_576
        print("rows: \(rows) in \(files.count) files (\(String(format: "%.0f", mb)) MiB of CSV); accepted \(report.accepted), rejected \(report.rejected)")
        // CPU seconds (user + system) show how much of the wall time the machine's load took.
        func cpu(_ r: rusage) -> Double {
            Double(r.ru_utime.tv_sec) + Double(r.ru_utime.tv_usec) / 1e6 + Double(r.ru_stime.tv_sec) + Double(r.ru_stime.tv_usec) / 1e6
        }
        let ingestCPU = cpu(me) - cpuBeforeIngest
        var load = [Double](repeating: 0, count: 3)
        getloadavg(&load, 3)
        print(String(format: "load average at the end: %.2f %.2f %.2f", load[0], load[1], load[2]))
        print("| tool | seconds | rows/s | MiB/s | CPU s (user+sys) | peak RSS (MiB) |\n|---|---|---|---|---|---|")
        print(String(format: "| harmonic ingest (validated, pseudonymised) | %.1f | %.0f | %.1f | %.1f | %.0f |", ingestSeconds, Double(rows) / ingestSeconds, mb / ingestSeconds, ingestCPU, Double(me.ru_maxrss) / 1024))
        print(String(format: "| sqlite3 .import (no validation) | %.1f | %.0f | %.1f | %.1f | %.0f |", importSeconds, Double(rows) / importSeconds, mb / importSeconds, cpu(children), Double(children.ru_maxrss) / 1024))
        print(String(format: "speed ratio harmonic / sqlite3 = %.2f", importSeconds / ingestSeconds))
    }

    /// The CSV layout's table with the store's column types and primary key.
    static func importTableSQL(_ t: TableSpec) -> String {
        let cols = t.columns.map { c in
            "\"\(c.name)\" \(c.type == .integer ? "INTEGER" : c.type == .real ? "REAL" : "TEXT")\(c.required ? " NOT NULL" : "")"
        }
        return "CREATE TABLE \"\(t.name)\" (" + cols.joined(separator: ", ") + ", PRIMARY KEY (\"\(t.key)\"))"
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
