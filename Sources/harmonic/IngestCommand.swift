import ArgumentParser
import Foundation
import HarmonicCore
import Registry

/// `harmonic ingest`: validated, pseudonymised loading of a site's CSV extract into the store.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Load a site's CSV extract into the registry store, with validation and pseudonymisation.",
        discussion: """
        Give a folder (every <table>.csv in it) or CSV files; each file is named after its table \
        (patients.csv, cardiac_procedures.csv, irradiation_events.csv, ...; see docs/data-dictionary.md). \
        Files load in dependency order, each in one transaction. Every row is checked; rejected rows go to \
        the quarantine table and to the validation report (CSV and JSON next to the store); the good rows \
        are kept. Loading the same extract again changes nothing; a corrected row replaces its quarantined \
        twin. Site patient ids are replaced by HMAC-SHA-256 pseudonyms made with the site key, which must \
        be kept outside the store. A file with a column that looks like a direct identifier (name, \
        national id, address, phone, email) is refused whole. Columns the dictionary does not know are \
        listed as warnings in the report (their values are not stored). A load killed midway leaves the \
        store as it was before the file being loaded; the next load marks it interrupted in the audit.
        Progress goes to stderr by bytes read, overall and per file: a bar redrawn in place on a \
        terminal, a line at each tenth otherwise.

        Example:
          harmonic ingest --new-key no.key
          harmonic ingest extract/ --store harmonic.sqlite --site-key-file no.key --site NO --user alice

        Exit codes: 0 all rows accepted, 3 finished with rejected rows, 1 failure (files refused or unreadable).
        """)

    @Argument(help: "A folder of <table>.csv files, or CSV files.")
    var inputs: [String] = []

    @Option(help: "The SQLite store (created if missing).")
    var store: String = "harmonic.sqlite"

    @Option(help: "File holding the site's secret pseudonymisation key (keep it outside the store).")
    var siteKeyFile: String?

    @Option(help: "Site (country code: BE, DE, DK, ES, FR, IT, NO, UK).")
    var site: String?

    @Option(help: "Who is loading (recorded in the audit table).")
    var user: String = ProcessInfo.processInfo.environment["USER"] ?? "unknown"

    @Option(help: "Write a new site key of 32 random bytes to FILE and exit.")
    var newKey: String?

    @Flag(help: "Print the data dictionary as Markdown (the content of docs/data-dictionary.md) and exit.")
    var printDictionary = false

    func run() throws {
        if printDictionary { print(DataDictionary.markdown(), terminator: ""); return }
        if let newKey {
            try Pseudonymiser.writeNewKey(to: newKey)
            FileHandle.standardError.write(Data("wrote a new site key to \(newKey); keep it safe and outside the store\n".utf8))
            return
        }
        guard let siteKeyFile else { throw ValidationError("--site-key-file is required (create a key with --new-key FILE)") }
        guard let site, Country(code: site) != nil else { throw ValidationError("--site must be one of \(Country.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard !inputs.isEmpty else { throw ValidationError("give a folder or CSV files to load") }
        let files = try csvFiles(inputs)
        let pseudonymiser = try Pseudonymiser(keyFile: siteKeyFile)
        let registry = try RegistryStore(path: store, role: .dataManager(site: site.uppercased()))
        let started = Date()
        let report: LoadReport
        do {
            let display = IngestProgressDisplay()
            report = try registry.ingest(files: files, site: site, pseudonymiser: pseudonymiser, user: user, progress: { message in
                // On a terminal the bar names the file in place; elsewhere each file gets its line.
                if !display.isTerminal { FileHandle.standardError.write(Data("\(message)\n".utf8)) }
            }, byteProgress: display.report)
        } catch {
            FileHandle.standardError.write(Data("ingest failed: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let base = URL(fileURLWithPath: store).deletingPathExtension().path + ".validation-\(report.loadID)"
        try report.problemsCSV().write(toFile: base + ".csv", atomically: true, encoding: .utf8)
        let encoder = JSONEncoder(); encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: base + ".json"))
        print(report.summary(), terminator: "")
        for p in report.problems.prefix(20) { print("  rejected \(p.file):\(p.line) \(p.field)='\(p.value)': \(p.reason)") }
        if report.problems.count > 20 { print("  ... \(report.problems.count - 20) more") }
        print(String(format: "%.1f s; validation report: %@.csv and .json", Date().timeIntervalSince(started), base))
        if report.exitCode != 0 { throw ExitCode(report.exitCode) }
    }

    /// CSV files named by the arguments: folders are expanded to their *.csv files.
    func csvFiles(_ inputs: [String]) throws -> [String] {
        var out: [String] = []
        for input in inputs {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDir) else {
                throw ValidationError("\(input): no such file or folder")
            }
            if isDir.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: input).filter { $0.lowercased().hasSuffix(".csv") }.sorted()
                out += names.map { URL(fileURLWithPath: input).appendingPathComponent($0).path }
            } else { out.append(input) }
        }
        return out
    }
}
