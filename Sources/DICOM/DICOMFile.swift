import Foundation
import HarmonicCore
import CZlib

/// Transfer syntaxes the reader understands (PS3.5 §10; PS3.6 Annex A).
public enum TransferSyntax: Sendable, Equatable {
    case implicitLittle, explicitLittle, explicitBig, deflatedExplicitLittle
    /// Encapsulated (compressed pixel data) syntaxes: data set is explicit VR LE.
    case encapsulated(String)

    init(uid: String) {
        switch uid {
        case "1.2.840.10008.1.2": self = .implicitLittle
        case "1.2.840.10008.1.2.1": self = .explicitLittle
        case "1.2.840.10008.1.2.2": self = .explicitBig
        case "1.2.840.10008.1.2.1.99": self = .deflatedExplicitLittle
        default: self = .encapsulated(uid)
        }
    }
    var explicitVR: Bool { self != .implicitLittle }
    var littleEndian: Bool { self != .explicitBig }
}

/// A DICOM file: Part 10 (preamble + "DICM" + file meta) or a raw data set without preamble.
public struct DICOMFile: Sendable {
    /// File meta information (group 0002), empty for raw data sets.
    public let meta: DataSet
    /// The main data set.
    public let dataSet: DataSet
    public let transferSyntax: TransferSyntax
    public let hasPreamble: Bool

    /// Reads and parses a file. Errors name the file, the tag and the byte offset.
    public init(contentsOf url: URL, options: DICOMReadOptions = .init()) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .mappedIfSafe) } catch {
            throw InputError(.file(url.path), expected: "a readable file (\(error.localizedDescription))")
        }
        try self.init(bytes: [UInt8](data), name: url.path, options: options)
    }

    /// Parses bytes already in memory; `name` is used in error messages.
    public init(bytes: [UInt8], name: String, options: DICOMReadOptions = .init()) throws {
        var start = 0
        hasPreamble = bytes.count >= 132 && bytes[128] == 0x44 && bytes[129] == 0x49 && bytes[130] == 0x43 && bytes[131] == 0x4D
        if hasPreamble { start = 132 }
        let buffer = DICOMBuffer(bytes: bytes, name: name)
        // File meta: always explicit VR little endian (PS3.10 §7.1).
        let metaEnd: Int
        if bytes.count >= start + 6, bytes[start] == 0x02, bytes[start + 1] == 0x00 {
            var p = DataSetParser(buffer: buffer, explicitVR: true, littleEndian: true, options: options)
            meta = try p.parseMeta(from: start)
            metaEnd = p.position
        } else {
            if !hasPreamble && bytes.count < 8 { throw InputError(.file(name), expected: "a DICOM file (too short: \(bytes.count) bytes)") }
            if !hasPreamble {
                // A raw data set starts with a low group (0008 in practice); anything else is not DICOM.
                let le = UInt16(bytes[0]) | UInt16(bytes[1]) << 8, be = UInt16(bytes[0]) << 8 | UInt16(bytes[1])
                guard min(le, be) <= 0x0010 else {
                    throw InputError(.tag(file: name, tag: "-", offset: 0), value: String(format: "group %04X", le),
                                     expected: "a DICOM file: no \"DICM\" marker at byte 128 and no data set header at byte 0")
                }
            }
            meta = DataSet(buffer: buffer, elements: [], littleEndian: true, characterSet: .ascii)
            metaEnd = start
        }
        var syntax: TransferSyntax
        if let uid = meta.string(.transferSyntaxUID) { syntax = TransferSyntax(uid: uid) }
        else { syntax = DICOMFile.guessSyntax(bytes, at: metaEnd) }
        transferSyntax = syntax
        var body = buffer
        if syntax == .deflatedExplicitLittle {
            let inflated = try Inflate.raw(bytes, from: metaEnd, name: name, limit: options.maximumInflatedBytes)
            body = DICOMBuffer(bytes: Array(bytes[0..<metaEnd]) + inflated, name: name)
            syntax = .explicitLittle
        }
        var parser = DataSetParser(buffer: body, explicitVR: syntax.explicitVR, littleEndian: syntax.littleEndian, options: options)
        dataSet = try parser.parseTopLevel(from: metaEnd)
    }

    /// Raw data set: guess implicit/explicit and byte order from the first element header.
    static func guessSyntax(_ b: [UInt8], at p: Int) -> TransferSyntax {
        guard b.count >= p + 6 else { return .implicitLittle }
        let vr = VR(code: UInt16(b[p + 4]) << 8 | UInt16(b[p + 5]))
        let explicit = vr.isKnown
        let groupLE = UInt16(b[p]) | UInt16(b[p + 1]) << 8
        let groupBE = UInt16(b[p]) << 8 | UInt16(b[p + 1])
        if explicit && groupBE < groupLE && groupBE != 0 { return .explicitBig }
        return explicit ? .explicitLittle : .implicitLittle
    }
}

/// Limits that keep hostile input from exhausting memory or stack.
public struct DICOMReadOptions: Sendable {
    /// Deepest sequence nesting accepted (real files use < 10; PS3.5 sets no limit).
    public var maximumDepth: Int = 64
    /// Largest inflated size of a deflated data set.
    public var maximumInflatedBytes: Int = 512 << 20
    /// Stop parsing at pixel data (its location is still recorded).
    public var stopAtPixelData: Bool = false
    public init() {}
}

enum Inflate {
    /// Raw deflate (RFC 1951, no zlib header) as used by transfer syntax 1.2.840.10008.1.2.1.99.
    static func raw(_ input: [UInt8], from start: Int, name: String, limit: Int) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -15, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw InputError(.file(name), expected: "zlib to initialise")
        }
        defer { inflateEnd(&stream) }
        var out = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status: Int32 = Z_OK
        try input.withUnsafeBytes { raw in
            stream.next_in = UnsafeMutablePointer(mutating: raw.baseAddress!.assumingMemoryBound(to: UInt8.self) + start)
            stream.avail_in = UInt32(input.count - start)
            repeat {
                try chunk.withUnsafeMutableBufferPointer { c in
                    stream.next_out = c.baseAddress
                    stream.avail_out = UInt32(c.count)
                    status = inflate(&stream, Z_NO_FLUSH)
                    guard status == Z_OK || status == Z_STREAM_END else {
                        throw InputError(.tag(file: name, tag: "deflated data set", offset: start + Int(stream.total_in)),
                                         expected: "a valid deflate stream (zlib status \(status))")
                    }
                    out.append(contentsOf: c[0 ..< c.count - Int(stream.avail_out)])
                }
                if out.count > limit { throw InputError(.file(name), expected: "an inflated data set under \(limit) bytes") }
            } while status != Z_STREAM_END && stream.avail_in > 0
        }
        return out
    }
}
