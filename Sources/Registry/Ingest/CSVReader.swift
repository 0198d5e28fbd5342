import Foundation
import HarmonicCore

/// A streaming CSV reader (RFC 4180 plus semicolons): reads the file in 1 MiB chunks, so
/// memory stays flat whatever the file size. The delimiter (comma or semicolon) is detected
/// from the header line; quoted fields may hold delimiters, doubled quotes and line breaks;
/// LF and CRLF line ends are accepted. A UTF-8 byte-order mark is skipped. Every byte read is
/// also fed to `onBytes` (for the file's SHA-256).
public final class CSVReader {
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var position = 0
    private var atEOF = false
    private var delimiter: UInt8 = UInt8(ascii: ",")
    private var field: [UInt8] = []
    private let onBytes: ([UInt8]) -> Void
    /// Replaces `onBytes` (set before the first read).
    public var onBytesOverride: (([UInt8]) -> Void)?
    /// Line number (1-based) where the record last returned by `next()` started.
    public private(set) var line = 0
    private var nextLine = 1
    static let chunkSize = 1 << 20

    public init(path: String, onBytes: @escaping ([UInt8]) -> Void = { _ in }) throws {
        self.path = path
        self.onBytes = onBytes
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw InputError(.file(path), expected: "a readable CSV file")
        }
        handle = h
    }

    deinit { try? handle.close() }

    /// Reads the header row and detects the delimiter.
    public func readHeader() throws -> [String] {
        try fill()
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { position = 3 }
        var commas = 0, semicolons = 0, quoted = false
        var i = position
        while i < buffer.count, !(buffer[i] == 10 && !quoted) {
            switch buffer[i] {
            case UInt8(ascii: "\""): quoted.toggle()
            case UInt8(ascii: ",") where !quoted: commas += 1
            case UInt8(ascii: ";") where !quoted: semicolons += 1
            default: break
            }
            i += 1
        }
        delimiter = semicolons > commas ? UInt8(ascii: ";") : UInt8(ascii: ",")
        var header: [String] = []
        guard try next(into: &header) else { throw InputError(.file(path), expected: "a header row (the file is empty)") }
        return header.map { $0.trimmingWhitespace() }
    }

    private func fill() throws {
        guard !atEOF else { return }
        if position > 0 { buffer.removeSubrange(0..<position); position = 0 }
        let data: Data?
        do { data = try handle.read(upToCount: Self.chunkSize) } catch {
            throw InputError(.file(path), expected: "a readable file (\(error.localizedDescription))")
        }
        guard let data, !data.isEmpty else { atEOF = true; return }
        let bytes = [UInt8](data)
        if let onBytesOverride { onBytesOverride(bytes) } else { onBytes(bytes) }
        buffer.append(contentsOf: bytes)
    }

    /// Reads the next record into `fields` (reused to avoid allocation). Returns false at end of file.
    /// Throws on invalid UTF-8 or a quoted field left open at end of file (a truncated file).
    public func next(into fields: inout [String]) throws -> Bool {
        fields.removeAll(keepingCapacity: true)
        line = nextLine
        if position >= buffer.count { try fill() }
        if position >= buffer.count { return false }
        // The scan works on local copies (moved out of the object and back) so that the
        // per-byte loop pays no exclusivity checks on class properties.
        var buf: [UInt8] = []; swap(&buf, &buffer)
        var fld: [UInt8] = []; swap(&fld, &field)
        var pos = position
        defer { swap(&buf, &buffer); swap(&fld, &field); position = pos }
        fld.removeAll(keepingCapacity: true)
        let delim = delimiter
        var quoted = false
        var lines = 0
        while true {
            if pos >= buf.count {
                swap(&buf, &buffer); position = pos
                defer { swap(&buf, &buffer); pos = position }
                nextLine += lines; lines = 0
                try fill()
            }
            if pos >= buf.count {
                if quoted { throw InputError(.row(file: path, line: line), expected: "a closing quote (the file ends inside a quoted field: truncated?)") }
                try finish(&fld, &fields); nextLine += lines; return true
            }
            let c = buf[pos]
            pos += 1
            if quoted {
                if c == UInt8(ascii: "\"") {
                    if pos >= buf.count {
                        swap(&buf, &buffer); position = pos
                        defer { swap(&buf, &buffer); pos = position }
                        try fill()
                    }
                    if pos < buf.count, buf[pos] == UInt8(ascii: "\"") { fld.append(c); pos += 1 } else { quoted = false }
                } else {
                    if c == 10 { lines += 1 }
                    fld.append(c)
                }
                continue
            }
            if c == delim {
                try finish(&fld, &fields)
            } else if c == 10 {
                lines += 1
                if fld.last == 13 { fld.removeLast() }
                try finish(&fld, &fields)
                nextLine += lines
                return true
            } else if c == UInt8(ascii: "\""), fld.isEmpty {
                quoted = true
            } else {
                fld.append(c)
            }
        }
    }

    private func finish(_ fld: inout [UInt8], _ fields: inout [String]) throws {
        // ASCII (nearly every field of an extract) needs no validation: `String(decoding:)` is
        // then exact and avoids the generic validating initialiser, whose metadata lookups cost
        // a sixth of the row checking time (perf, BENCHMARKS.md).
        var ascii = true
        for b in fld where b >= 0x80 { ascii = false; break }
        if ascii {
            fields.append(String(decoding: fld, as: UTF8.self))
        } else {
            guard let s = String(validating: fld, as: UTF8.self) else {
                throw InputError(.row(file: path, line: line), field: "column \(fields.count + 1)", expected: "UTF-8 text")
            }
            fields.append(s)
        }
        fld.removeAll(keepingCapacity: true)
    }

}
