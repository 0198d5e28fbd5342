import CZlib
import Foundation

/// A refused zip archive: what is wrong with which entry, and what the uploader should do.
public struct ZipError: Error, Sendable, CustomStringConvertible {
    public let entry: String?
    public let problem: String
    public var description: String { entry.map { "zip entry '\($0)': \(problem)" } ?? "zip archive: \(problem)" }
}

/// A zip archive read from its central directory (APPNOTE.TXT 6.3.10, PKWARE, sections 4.3.12-4.3.16),
/// checked before anything is extracted, and extracted with zlib's raw inflate (no `unzip` binary).
///
/// Refused whole, before any byte is written: entries whose names climb out of the target folder
/// (`..`), are absolute (`/x`, `\x`, `C:`) or hold a NUL; symbolic links (Unix mode 0o120000 in the
/// external attributes); encrypted entries; methods other than stored (0) and deflate (8); ZIP64
/// archives; duplicate names; more than `limits.maxEntries` entries; a declared total over
/// `limits.maxExtractedBytes`; an entry whose declared size is over `limits.maxRatio` times its
/// compressed size (a zip bomb). Extraction stops an entry that inflates past its declared size or
/// fails its CRC-32, so a lying header cannot get past the limits either.
public struct ZipArchive: Sendable {
    public struct Limits: Sendable {
        public var maxEntries = 100_000
        public var maxExtractedBytes: Int64 = 8 << 30
        public var maxRatio: Int64 = 200
        public init(maxEntries: Int = 100_000, maxExtractedBytes: Int64 = 8 << 30, maxRatio: Int64 = 200) {
            self.maxEntries = maxEntries; self.maxExtractedBytes = maxExtractedBytes; self.maxRatio = maxRatio
        }
    }

    public struct Entry: Sendable, Hashable {
        public let name: String
        public let method: UInt16
        public let crc32: UInt32
        public let compressedSize: Int64
        public let size: Int64
        let localHeaderOffset: Int64
        public var isDirectory: Bool { name.hasSuffix("/") }
    }

    public let path: String
    public let entries: [Entry]

    /// Reads and checks the central directory of the zip file at `path`.
    public init(path: String, limits: Limits = Limits()) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ZipError(entry: nil, problem: "the upload cannot be read") }
        defer { try? handle.close() }
        let fileSize = Int64(try handle.seekToEnd())
        // End of central directory record: 22 bytes plus a comment of up to 65,535 bytes at the end.
        let tailLength = min(fileSize, 22 + 65_535)
        try handle.seek(toOffset: UInt64(fileSize - tailLength))
        let tail = [UInt8](try handle.readToEnd() ?? Data())
        guard tail.count >= 22, let eocd = stride(from: tail.count - 22, through: 0, by: -1).first(where: { Self.u32(tail, $0) == 0x0605_4b50 }) else {
            throw ZipError(entry: nil, problem: "no end-of-central-directory record: the file is not a zip archive (or is truncated)")
        }
        let count = Int(Self.u16(tail, eocd + 10))
        let directorySize = Int64(Self.u32(tail, eocd + 12)), directoryOffset = Int64(Self.u32(tail, eocd + 16))
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            throw ZipError(entry: nil, problem: "ZIP64 archives are not accepted; split the upload into archives under 4 GiB and 65,535 entries")
        }
        guard count <= limits.maxEntries else { throw ZipError(entry: nil, problem: "\(count) entries, more than the \(limits.maxEntries) accepted") }
        guard directoryOffset + directorySize <= fileSize else { throw ZipError(entry: nil, problem: "the central directory lies outside the file (truncated upload?)") }
        try handle.seek(toOffset: UInt64(directoryOffset))
        let directory = [UInt8](try handle.read(upToCount: Int(directorySize)) ?? Data())
        guard directory.count == Int(directorySize) else { throw ZipError(entry: nil, problem: "the central directory is truncated") }

        var entries: [Entry] = [], names = Set<String>(), total: Int64 = 0, at = 0
        for _ in 0..<count {
            guard at + 46 <= directory.count, Self.u32(directory, at) == 0x0201_4b50 else {
                throw ZipError(entry: nil, problem: "central directory entry \(entries.count + 1) is malformed")
            }
            let madeBy = Self.u16(directory, at + 4), flags = Self.u16(directory, at + 8), method = Self.u16(directory, at + 10)
            let crc = Self.u32(directory, at + 16)
            let compressed = Int64(Self.u32(directory, at + 20)), size = Int64(Self.u32(directory, at + 24))
            let nameLength = Int(Self.u16(directory, at + 28)), extraLength = Int(Self.u16(directory, at + 30)), commentLength = Int(Self.u16(directory, at + 32))
            let external = Self.u32(directory, at + 38), offset = Int64(Self.u32(directory, at + 42))
            guard at + 46 + nameLength <= directory.count else { throw ZipError(entry: nil, problem: "central directory entry \(entries.count + 1) is truncated") }
            let rawName = Array(directory[(at + 46)..<(at + 46 + nameLength)])
            let name = String(decoding: rawName, as: UTF8.self)
            at += 46 + nameLength + extraLength + commentLength

            if let problem = Self.unsafeName(name, raw: rawName) { throw ZipError(entry: name, problem: problem) }
            if madeBy >> 8 == 3, (external >> 16) & 0o170000 == 0o120000 {
                throw ZipError(entry: name, problem: "is a symbolic link; links are not extracted (zip the files themselves)")
            }
            if flags & 1 != 0 { throw ZipError(entry: name, problem: "is encrypted; upload an archive without a password") }
            guard method == 0 || method == 8 else {
                throw ZipError(entry: name, problem: "uses compression method \(method); only stored (0) and deflate (8) are accepted")
            }
            if compressed == 0xFFFF_FFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF {
                throw ZipError(entry: name, problem: "is a ZIP64 entry; entries must be under 4 GiB")
            }
            guard names.insert(name).inserted else { throw ZipError(entry: name, problem: "appears twice in the archive") }
            if size > 1 << 20, size > limits.maxRatio * max(compressed, 1) {
                throw ZipError(entry: name, problem: "expands \(size / max(compressed, 1)) times (\(compressed) to \(size) bytes), more than \(limits.maxRatio): refused as a zip bomb")
            }
            total += size
            guard total <= limits.maxExtractedBytes else {
                throw ZipError(entry: name, problem: "the archive expands to more than \(limits.maxExtractedBytes) bytes, the most accepted")
            }
            guard offset + 30 + compressed <= fileSize else { throw ZipError(entry: name, problem: "its data lies outside the file (truncated upload?)") }
            entries.append(Entry(name: name, method: method, crc32: crc, compressedSize: compressed, size: size, localHeaderOffset: offset))
        }
        self.entries = entries
    }

    /// Why an entry name is unsafe to extract, or nil when it is a plain relative path.
    static func unsafeName(_ name: String, raw: [UInt8]) -> String? {
        if raw.isEmpty { return "has an empty name" }
        if raw.contains(0) { return "has a NUL byte in its name" }
        let normalised = name.replacingOccurrences(of: "\\", with: "/")
        if normalised.hasPrefix("/") { return "is an absolute path; entries must be relative to the archive's folder" }
        if normalised.count >= 2, normalised.dropFirst().first == ":" { return "starts with a drive letter; entries must be relative paths" }
        if normalised.split(separator: "/", omittingEmptySubsequences: false).contains("..") {
            return "climbs out of the archive's folder with '..' (path traversal)"
        }
        return nil
    }

    /// Extracts every file entry under `directory` (created), checking sizes and CRC-32 as it goes.
    /// `progress(bytesWritten, totalDeclared)` after each entry. Returns the extracted files.
    public func extract(to directory: URL, progress: ((Int64, Int64) -> Void)? = nil) throws -> [URL] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ZipError(entry: nil, problem: "the upload cannot be read") }
        defer { try? handle.close() }
        let total = entries.reduce(Int64(0)) { $0 + $1.size }
        var written: Int64 = 0, files: [URL] = []
        let root = directory.standardizedFileURL
        for entry in entries {
            let target = root.appendingPathComponent(entry.name.replacingOccurrences(of: "\\", with: "/")).standardizedFileURL
            guard target.path.hasPrefix(root.path + "/") else { throw ZipError(entry: entry.name, problem: "would be written outside the upload folder") }
            if entry.isDirectory {
                try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
                continue
            }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try extract(entry, from: handle, to: target)
            files.append(target)
            written += entry.size
            progress?(written, total)
        }
        return files
    }

    private func extract(_ entry: Entry, from handle: FileHandle, to target: URL) throws {
        try handle.seek(toOffset: UInt64(entry.localHeaderOffset))
        let header = [UInt8](try handle.read(upToCount: 30) ?? Data())
        guard header.count == 30, Self.u32(header, 0) == 0x0403_4b50 else { throw ZipError(entry: entry.name, problem: "its local header is missing or malformed") }
        try handle.seek(toOffset: UInt64(entry.localHeaderOffset) + 30 + UInt64(Self.u16(header, 26)) + UInt64(Self.u16(header, 28)))
        guard FileManager.default.createFile(atPath: target.path, contents: nil), let out = FileHandle(forWritingAtPath: target.path) else {
            throw ZipError(entry: entry.name, problem: "cannot be written to the server's upload folder")
        }
        defer { try? out.close() }
        var remaining = entry.compressedSize, produced: Int64 = 0
        var crc = crc32(0, nil, 0)
        func emit(_ bytes: UnsafeBufferPointer<UInt8>) throws {
            produced += Int64(bytes.count)
            guard produced <= entry.size else { throw ZipError(entry: entry.name, problem: "inflates past its declared \(entry.size) bytes: refused as a zip bomb") }
            crc = crc32(crc, bytes.baseAddress, uInt(bytes.count))
            out.write(Data(buffer: bytes))
        }
        if entry.method == 0 {
            while remaining > 0 {
                let chunk = [UInt8](try handle.read(upToCount: Int(min(remaining, 1 << 20))) ?? Data())
                guard !chunk.isEmpty else { throw ZipError(entry: entry.name, problem: "its data is truncated") }
                remaining -= Int64(chunk.count)
                try chunk.withUnsafeBufferPointer { try emit($0) }
            }
        } else {
            var stream = z_stream()
            guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw ZipError(entry: entry.name, problem: "zlib could not start")
            }
            defer { inflateEnd(&stream) }
            var outBuffer = [UInt8](repeating: 0, count: 1 << 16)
            var status = Z_OK
            while status != Z_STREAM_END {
                guard remaining > 0 else { throw ZipError(entry: entry.name, problem: "its deflate stream is truncated") }
                var chunk = [UInt8](try handle.read(upToCount: Int(min(remaining, 1 << 20))) ?? Data())
                guard !chunk.isEmpty else { throw ZipError(entry: entry.name, problem: "its data is truncated") }
                remaining -= Int64(chunk.count)
                try chunk.withUnsafeMutableBufferPointer { input in
                    stream.next_in = input.baseAddress
                    stream.avail_in = uInt(input.count)
                    repeat {
                        try outBuffer.withUnsafeMutableBufferPointer { o in
                            stream.next_out = o.baseAddress
                            stream.avail_out = uInt(o.count)
                            status = inflate(&stream, Z_NO_FLUSH)
                            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                                throw ZipError(entry: entry.name, problem: "is not a valid deflate stream (zlib status \(status))")
                            }
                            try emit(UnsafeBufferPointer(rebasing: o[0 ..< (o.count - Int(stream.avail_out))]))
                        }
                    } while (stream.avail_in > 0 || stream.avail_out == 0) && status != Z_STREAM_END
                }
            }
        }
        guard produced == entry.size else { throw ZipError(entry: entry.name, problem: "holds \(produced) bytes, not the \(entry.size) its header declares") }
        guard UInt32(crc) == entry.crc32 else { throw ZipError(entry: entry.name, problem: "fails its CRC-32 check (corrupted upload)") }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
}
