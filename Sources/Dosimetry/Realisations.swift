import Foundation
import HarmonicCore

/// The realisation side file: N realisations of each `DoseQuantity` for every procedure row,
/// float16, little endian, row-major [row][quantity][realisation], after a 64-byte header.
/// Format and index: docs/dose-realisations.md.
public enum RealisationFile {
    public static let magic: [UInt8] = Array("HRMREAL1".utf8)
    public static let headerBytes = 64
    public static let version: UInt32 = 1
    /// Data type code of the values: 1 = IEEE 754 binary16.
    public static let float16Code: UInt32 = 1

    /// Bytes of a file with `rows` rows.
    public static func expectedSize(rows: Int, quantities: Int, realisations: Int) -> Int {
        headerBytes + rows * quantities * realisations * 2
    }
}

/// Writes a realisation file block by block (rows must arrive in order).
public final class RealisationWriter {
    public let path: String
    public let rows: Int, quantities: Int, realisations: Int
    private let handle: FileHandle
    private var written = 0

    public init(path: String, rows: Int, quantities: Int = DoseQuantity.count, realisations: Int, seed: UInt64) throws {
        self.path = path; self.rows = rows; self.quantities = quantities; self.realisations = realisations
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw DoseModelError("cannot create the realisation file \(path)")
        }
        handle = h
        var header = [UInt8](repeating: 0, count: RealisationFile.headerBytes)
        header.replaceSubrange(0..<8, with: RealisationFile.magic)
        func put<T: FixedWidthInteger>(_ v: T, at o: Int) { withUnsafeBytes(of: v.littleEndian) { header.replaceSubrange(o..<o + $0.count, with: $0) } }
        put(RealisationFile.version, at: 8); put(RealisationFile.float16Code, at: 12)
        put(UInt32(realisations), at: 16); put(UInt32(quantities), at: 20); put(UInt64(rows), at: 24); put(seed, at: 32)
        try handle.write(contentsOf: header)
    }

    /// Appends whole rows (`values.count` a multiple of quantities × realisations).
    public func append(_ values: UnsafeBufferPointer<Float16>) throws {
        let per = quantities * realisations
        precondition(values.count % per == 0, "append whole rows")
        try handle.write(contentsOf: UnsafeRawBufferPointer(values))
        written += values.count / per
    }

    /// Closes the file; fails if fewer or more rows than announced were written.
    public func finish() throws {
        try handle.close()
        guard written == rows else { throw DoseModelError("realisation file \(path): wrote \(written) rows, announced \(rows)") }
    }
}

/// Reads a realisation file (memory-mapped). Refuses a file whose header is not ours or whose
/// size does not match its header (e.g. truncated by a full disk), naming what was expected.
public final class RealisationReader: @unchecked Sendable {
    public let path: String
    public let rows: Int, quantities: Int, realisations: Int
    public let seed: UInt64
    /// Read with pread on demand (not memory-mapped: copying a 2 GB file must not count as resident memory).
    private let handle: FileHandle
    private let fd: Int32

    public init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DoseModelError("cannot read the realisation file \(path): no such readable file")
        }
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try? handle.seek(toOffset: 0)
        let data = (try? handle.read(upToCount: RealisationFile.headerBytes)) ?? Data()
        guard data.count >= RealisationFile.headerBytes, Array(data.prefix(8)) == RealisationFile.magic else {
            throw DoseModelError("\(path) is not a Harmonic realisation file: expected the header 'HRMREAL1' (docs/dose-realisations.md), found \(size) bytes without it")
        }
        func get<T: FixedWidthInteger>(_ o: Int, _: T.Type) -> T {
            data.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: o, as: T.self)) }
        }
        let version = get(8, UInt32.self), code = get(12, UInt32.self)
        guard version == RealisationFile.version, code == RealisationFile.float16Code else {
            throw DoseModelError("\(path): format version \(version), value type \(code); expected version 1 with float16 values (code 1)")
        }
        let realisations = Int(get(16, UInt32.self)), quantities = Int(get(20, UInt32.self)), rows = Int(get(24, UInt64.self))
        self.realisations = realisations; self.quantities = quantities; self.rows = rows; seed = get(32, UInt64.self)
        let expected = RealisationFile.expectedSize(rows: rows, quantities: quantities, realisations: realisations)
        guard size == expected else {
            throw DoseModelError("\(path) is truncated or damaged: its header announces \(rows) rows × \(quantities) quantities × \(realisations) realisations = \(expected) bytes, the file has \(size)")
        }
        self.handle = handle; fd = handle.fileDescriptor
    }

    deinit { try? handle.close() }

    /// Reads `count` bytes at `offset` into `buffer` (pread; safe from several threads).
    private func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) {
        var done = 0
        while done < buffer.count {
            let n = pread(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            precondition(n > 0, "realisation file \(path) shrank while being read")
            done += n
        }
    }

    /// The realisations of one quantity of one row, as Float.
    public func values(row: Int, quantity: Int) -> [Float] {
        precondition(row >= 0 && row < rows && quantity >= 0 && quantity < quantities, "row or quantity out of range")
        let offset = RealisationFile.headerBytes + (row * quantities + quantity) * realisations * 2
        var bits = [UInt16](repeating: 0, count: realisations)
        bits.withUnsafeMutableBytes { read(at: offset, into: $0) }
        return bits.map { Float(Float16(bitPattern: UInt16(littleEndian: $0))) }
    }

    /// Copies one whole row (quantities × realisations values) into `into`.
    public func copyRow(_ row: Int, into: UnsafeMutableBufferPointer<Float16>) {
        let per = quantities * realisations
        precondition(into.count >= per && row >= 0 && row < rows)
        let offset = RealisationFile.headerBytes + row * per * 2
        read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(into)[0 ..< per * 2]))
    }

    /// Cumulative dose realisations of one quantity over consecutive rows (one child's procedures
    /// in date order): element k is the sum of rows `rows.lowerBound ... rows.lowerBound + k`.
    public func cumulative(rows range: Range<Int>, quantity: Int) -> [[Double]] {
        var running = [Double](repeating: 0, count: realisations)
        return range.map { row in
            for (r, v) in values(row: row, quantity: quantity).enumerated() where v.isFinite { running[r] += Double(v) }
            return running
        }
    }
}

/// One row of the realisation index (`<file>.index.csv`): which procedure a row holds.
public struct RealisationIndexEntry: Sendable, Hashable {
    public var row: Int
    public var site: String
    public var procedureID: String
    public var patient: String
    public var date: String
    public var tier: DoseTier
    public var inputHash: UInt64

    public init(row: Int, site: String, procedureID: String, patient: String, date: String, tier: DoseTier, inputHash: UInt64) {
        self.row = row; self.site = site; self.procedureID = procedureID; self.patient = patient; self.date = date
        self.tier = tier; self.inputHash = inputHash
    }
}

/// The CSV index of a realisation file.
public enum RealisationIndex {
    public static let header = "row,site,site_procedure_id,patient_pseudonym,procedure_date,tier,input_hash"

    public static func write(_ entries: [RealisationIndexEntry], to path: String) throws {
        var s = header + "\n"
        s.reserveCapacity(entries.count * 96)
        for e in entries {
            s += "\(e.row),\(CSVLine.quoted(e.site)),\(CSVLine.quoted(e.procedureID)),\(CSVLine.quoted(e.patient)),\(e.date),\(e.tier.rawValue),\(String(format: "%016llx", e.inputHash))\n"
        }
        try s.write(toFile: path, atomically: true, encoding: .utf8)
    }

    public static func read(_ path: String) throws -> [RealisationIndexEntry] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DoseModelError("cannot read the realisation index \(path): \(error.localizedDescription)")
        }
        var out: [RealisationIndexEntry] = []
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if n == 0 {
                guard line == header else { throw DoseModelError("\(path) line 1: expected the header '\(header)'") }
                continue
            }
            let f = CSVLine.fields(line)
            guard f.count == 7, let row = Int(f[0]), let tier = DoseTier(rawValue: f[5]), let hash = UInt64(f[6], radix: 16) else {
                throw DoseModelError("\(path) line \(n + 1): expected 7 fields (\(header)), found '\(line)'")
            }
            out.append(RealisationIndexEntry(row: row, site: f[1], procedureID: f[2], patient: f[3], date: f[4], tier: tier, inputHash: hash))
        }
        return out
    }
}
