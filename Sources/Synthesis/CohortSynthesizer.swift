import Foundation
import HarmonicCore

/// Counts of what one synth run wrote.
public struct SynthesisSummary: Sendable {
    public var cardiacChildren = 0
    public var radiotherapyChildren = 0
    /// Data rows written per table (all sites, corrupted rows included).
    public var rows: [SiteExtractTable: Int] = [:]
    public var corruptedRows = 0
    public var cancersByOutcome: [SynthOutcome: Int] = [:]
    /// Site folders written, relative to the output directory (e.g. `BE-cardiac`).
    public var siteFolders: [String] = []
}

/// Writes a synthetic cohort: one folder per country and cohort in the site-extract CSV
/// layout, plus `truth/` (truth.json, organ_doses.csv, imaging_exams.csv, corrupted_rows.csv).
///
/// Every child draws from its own `RandomStream(seed:stream:)` and children are processed
/// in fixed batches written in batch order, so the bytes depend on the seed only, never on
/// the number of threads.
public enum CohortSynthesizer {
    /// Children per batch (the unit of parallel work).
    static let batchSize = 256
    /// Offset of the radiotherapy registry's random streams (cardiac children use 0..<N).
    static let radiotherapyStreamOffset: UInt64 = 1 << 40

    public static let organDoseColumns: [String] =
        ["procedure_id", "patient_id", "procedure_date", "age_years", "kap_gy_cm2", "effective_dose_msv"]
        + TrueOrganDoseModel.organs.map { "\($0.rawValue)_mgy" }

    /// Synthesises the cohort into `directory` (created if needed; existing site files replaced).
    /// `progress` receives the fraction of children done, from the calling thread.
    @discardableResult
    public static func run(_ config: SynthesisConfiguration, to directory: URL,
                           progress: ((Double) -> Void)? = nil) throws -> SynthesisSummary {
        let fm = FileManager.default
        let truthDir = directory.appendingPathComponent("truth")
        try fm.createDirectory(at: truthDir, withIntermediateDirectories: true)
        let organFile = try OutputFile(truthDir.appendingPathComponent("organ_doses.csv"),
                                       header: organDoseColumns.joined(separator: ",") + "\n")
        let imagingTruthFile = try OutputFile(truthDir.appendingPathComponent(DiagnosticImagingSimulator.truthFileName),
                                              header: DiagnosticImagingSimulator.columns.joined(separator: ",") + "\n")
        let corruptFile = try OutputFile(truthDir.appendingPathComponent("corrupted_rows.csv"),
                                         header: "site,file,line,table,kind\n")
        var summary = SynthesisSummary()
        summary.cardiacChildren = config.cardiacChildren
        summary.radiotherapyChildren = config.radiotherapyChildren
        let total = Double(max(1, config.cardiacChildren + config.radiotherapyChildren))
        var done = 0

        var sites: [(folder: String, country: Country, count: Int, tables: [SiteExtractTable], cardiac: Bool, firstStream: UInt64)] = []
        var stream: UInt64 = 0
        for (country, n) in CardiacCohortShares.split(config.cardiacChildren) {
            sites.append(("\(country.rawValue)-cardiac", country, n, SiteExtractTable.cardiacTables, true, stream))
            stream += UInt64(n)
        }
        stream = radiotherapyStreamOffset
        for (country, n) in CardiacCohortShares.split(config.radiotherapyChildren, shares: CardiacCohortShares.radiotherapyShares) {
            sites.append(("\(country.rawValue)-radiotherapy", country, n, SiteExtractTable.radiotherapyTables, false, stream))
            stream += UInt64(n)
        }

        let cardiac = CardiacChildSimulator(config: config)
        let radiotherapy = RadiotherapyChildSimulator(config: config)
        let wave = max(1, ProcessInfo.processInfo.activeProcessorCount) * 4

        for site in sites {
            let siteDir = directory.appendingPathComponent(site.folder)
            try fm.createDirectory(at: siteDir, withIntermediateDirectories: true)
            summary.siteFolders.append(site.folder)
            var files: [SiteExtractTable: OutputFile] = [:]
            var linesWritten: [SiteExtractTable: Int] = [:]
            for t in site.tables {
                files[t] = try OutputFile(siteDir.appendingPathComponent(t.fileName), header: t.header)
                linesWritten[t] = 0
            }
            let batches = (site.count + batchSize - 1) / batchSize
            var b0 = 0
            while b0 < batches {
                let k = min(wave, batches - b0)
                let results = ChunkSlots(count: k)
                let first = b0
                DispatchQueue.concurrentPerform(iterations: k) { i in
                    var out = ChunkOutput()
                    let lo = (first + i) * batchSize, hi = min(site.count, lo + batchSize)
                    for c in lo..<hi {
                        var rng = RandomStream(seed: config.seed, stream: site.firstStream + UInt64(c))
                        if site.cardiac {
                            cardiac.simulate(country: site.country, number: c + 1, rng: &rng, out: &out)
                        } else {
                            radiotherapy.simulate(country: site.country, number: c + 1, rng: &rng, out: &out)
                        }
                    }
                    results.store(out, at: i)
                }
                results.finish()
                for i in 0..<k {
                    let out = results.slots[i]
                    for c in out.corrupted {
                        let line = linesWritten[c.table]! + c.row + 2
                        try corruptFile.write(Array("\(site.folder),\(c.table.fileName),\(line),\(c.table.rawValue),\(c.kind)\n".utf8))
                        summary.corruptedRows += 1
                    }
                    for t in site.tables {
                        let w = out[t]
                        try files[t]!.write(w.bytes)
                        linesWritten[t]! += w.rowCount
                        summary.rows[t, default: 0] += w.rowCount
                    }
                    try organFile.write(out.organDoses.bytes)
                    try imagingTruthFile.write(out.imagingTruth.bytes)
                    for (o, n) in out.cancersByOutcome { summary.cancersByOutcome[o, default: 0] += n }
                    done += min(batchSize, site.count - (first + i) * batchSize)
                }
                progress?(Double(done) / total)
                b0 += k
            }
            for f in files.values { try f.close() }
        }
        try organFile.close()
        try imagingTruthFile.close()
        try corruptFile.close()
        try TruthFile.write(config: config, summary: summary, to: truthDir.appendingPathComponent("truth.json"))
        return summary
    }
}

/// A file written sequentially through a buffered C stream.
final class OutputFile {
    private var handle: UnsafeMutablePointer<FILE>?
    let path: String

    init(_ url: URL, header: String) throws {
        path = url.path
        handle = fopen(path, "wb")
        guard handle != nil else {
            throw InputError(.file(path), expected: "a writable file (errno \(errno))")
        }
        try write(Array(header.utf8))
    }
    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        let n = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, handle) }
        guard n == bytes.count else { throw InputError(.file(path), expected: "room to write (disk full?)") }
    }
    func close() throws {
        if let h = handle { fclose(h); handle = nil }
    }
    deinit { if let h = handle { fclose(h) } }
}

/// One slot per batch of a wave; each parallel iteration writes only its own slot.
final class ChunkSlots: @unchecked Sendable {
    private(set) var slots: [ChunkOutput]
    private let base: UnsafeMutablePointer<ChunkOutput>
    init(count: Int) {
        base = .allocate(capacity: count)
        base.initialize(repeating: ChunkOutput(), count: count)
        slots = []
        self.count = count
    }
    let count: Int
    func store(_ out: ChunkOutput, at i: Int) { base[i] = out }
    /// Called once the parallel wave has finished.
    func finish() { slots = Array(UnsafeBufferPointer(start: base, count: count)) }
    deinit { base.deinitialize(count: count); base.deallocate() }
}
