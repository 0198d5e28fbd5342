import Foundation
import HarmonicCore

/// A data set being built for writing: elements by tag, each a value of a given VR or a
/// sequence of items. Values are validated when set (length limits of PS3.5 Table 6.2-1 for the
/// text VRs used here), so a written file is never silently malformed.
public struct WritableDataSet: Sendable {
    /// The value of one element.
    public enum Value: Sendable {
        /// Already encoded little-endian bytes (unpadded).
        case bytes([UInt8])
        case sequence([WritableDataSet])
    }
    public struct Element: Sendable { public var vr: VR; public var value: Value }

    public private(set) var elements: [Tag: Element] = [:]
    public init() {}

    /// Sets a text element: values joined by backslash (PS3.5 §6.4). DS and IS values must fit in
    /// 16 and 12 characters, UI in 64; other VRs are written as given.
    public mutating func set(_ tag: Tag, _ vr: VR, _ values: [String]) throws {
        let limit: Int? = switch vr {
        case .DS: 16
        case .IS: 12
        case .UI: 64
        case .CS, .SH, .AE, .TM: 16
        case .DA: 8
        case .LO: 64
        default: nil
        }
        if let limit, let bad = values.first(where: { $0.utf8.count > limit }) {
            throw InputError(.tag(file: "data set being written", tag: tag.description, offset: 0), field: tag.keyword, value: bad,
                             expected: "a \(vr) value of at most \(limit) characters (PS3.5 Table 6.2-1)")
        }
        elements[tag] = Element(vr: vr, value: .bytes(Array(values.joined(separator: "\\").utf8)))
    }
    public mutating func set(_ tag: Tag, _ vr: VR, _ value: String) throws { try set(tag, vr, [value]) }

    /// Decimal strings (DS) in the shortest form that round-trips within 16 characters.
    public mutating func set(_ tag: Tag, decimals: [Double]) throws {
        try set(tag, .DS, try decimals.map { try Self.decimalString($0, tag: tag) })
    }
    /// Integer strings (IS).
    public mutating func set(_ tag: Tag, integers: [Int]) throws { try set(tag, .IS, integers.map(String.init)) }

    /// Binary unsigned 16-bit values (US), little endian.
    public mutating func set(_ tag: Tag, us values: [UInt16]) {
        elements[tag] = Element(vr: .US, value: .bytes(values.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }))
    }
    /// Binary unsigned 32-bit values (UL), little endian.
    public mutating func set(_ tag: Tag, ul values: [UInt32]) {
        elements[tag] = Element(vr: .UL, value: .bytes(values.flatMap(Self.le32)))
    }
    /// Attribute tags (AT).
    public mutating func set(_ tag: Tag, at values: [Tag]) {
        elements[tag] = Element(vr: .AT, value: .bytes(values.flatMap { t in
            [UInt8(t.group & 0xFF), UInt8(t.group >> 8), UInt8(t.element & 0xFF), UInt8(t.element >> 8)]
        }))
    }
    /// Raw bytes of a binary VR (OB, OW, ...), already little endian.
    public mutating func set(_ tag: Tag, _ vr: VR, bytes: [UInt8]) { elements[tag] = Element(vr: vr, value: .bytes(bytes)) }
    /// A sequence (SQ) of items.
    public mutating func set(_ tag: Tag, items: [WritableDataSet]) { elements[tag] = Element(vr: .SQ, value: .sequence(items)) }

    static func le32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v >> 16 & 0xFF), UInt8(v >> 24)] }

    /// `%.*g` with the most significant digits that fit 16 characters; non-finite values are errors.
    static func decimalString(_ v: Double, tag: Tag) throws -> String {
        guard v.isFinite else {
            throw InputError(.tag(file: "data set being written", tag: tag.description, offset: 0), field: tag.keyword,
                             value: "\(v)", expected: "a finite decimal (DS)")
        }
        for digits in stride(from: 12, through: 1, by: -1) {
            let s = String(format: "%.\(digits)g", v)
            if s.utf8.count <= 16 { return s }
        }
        return String(format: "%.1g", v)
    }
}

/// Writes DICOM Part 10 files (PS3.10 §7): a 128-byte preamble, "DICM", the file meta group
/// (with its group length, PS3.10 Table 7.1-1) and the data set in explicit VR little endian
/// (transfer syntax 1.2.840.10008.1.2.1, PS3.5 §7.1.2). Values are padded to even length (UI with
/// NUL, other text with a space, binary with a zero byte, PS3.5 §6.2). Sequences and their items
/// are written with defined lengths, or with undefined lengths and delimiters (PS3.5 §7.5).
public struct DataSetWriter: Sendable {
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    /// Harmonic's implementation class UID (a UUID-derived UID under 2.25, PS3.5 §B.2).
    public static let implementationClassUID = "2.25.229188130459521873516421375113860531441"
    public static let implementationVersionName = "HARMONIC_1"

    /// Write sequences and items with undefined length (FFFFFFFF) and delimitation items.
    public var undefinedLengthSequences: Bool
    public init(undefinedLengthSequences: Bool = false) { self.undefinedLengthSequences = undefinedLengthSequences }

    /// The bytes of a Part 10 file. SOP Class and Instance UID of the meta group come from
    /// (0008,0016) and (0008,0018), which must be present.
    public func part10(_ ds: WritableDataSet) throws -> [UInt8] {
        guard case let .bytes(cls)? = ds.elements[.sopClassUID]?.value, case let .bytes(inst)? = ds.elements[.sopInstanceUID]?.value else {
            throw InputError(.tag(file: "data set being written", tag: Tag.sopInstanceUID.description, offset: 0), field: "SOPInstanceUID",
                             expected: "SOP Class UID (0008,0016) and SOP Instance UID (0008,0018) in the data set (they fill the file meta group)")
        }
        var meta = WritableDataSet()
        meta.set(Tag(0x0002_0001), .OB, bytes: [0, 1])
        try meta.set(Tag(0x0002_0002), .UI, String(decoding: cls, as: UTF8.self))
        try meta.set(Tag(0x0002_0003), .UI, String(decoding: inst, as: UTF8.self))
        try meta.set(.transferSyntaxUID, .UI, Self.explicitVRLittleEndian)
        try meta.set(Tag(0x0002_0012), .UI, Self.implementationClassUID)
        try meta.set(Tag(0x0002_0013), .SH, Self.implementationVersionName)
        var metaBytes: [UInt8] = []
        DataSetWriter(undefinedLengthSequences: false).encode(meta, into: &metaBytes)
        var out = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
        // (0002,0000) UL group length: the bytes of the meta elements that follow it.
        out += [0x02, 0x00, 0x00, 0x00] + Array("UL".utf8) + [4, 0] + WritableDataSet.le32(UInt32(metaBytes.count))
        out += metaBytes
        encode(ds, into: &out)
        return out
    }

    /// Writes a Part 10 file.
    public func write(_ ds: WritableDataSet, to url: URL) throws {
        let bytes = try part10(ds)
        do { try Data(bytes).write(to: url, options: .atomic) } catch {
            throw InputError(.file(url.path), expected: "a writable file (\(error.localizedDescription))")
        }
    }

    /// The data set's elements in ascending tag order, explicit VR little endian.
    public func encode(_ ds: WritableDataSet, into out: inout [UInt8]) {
        for tag in ds.elements.keys.sorted() { encode(tag, ds.elements[tag]!, into: &out) }
    }

    private func header(_ tag: Tag, _ vr: VR, length: UInt32, into out: inout [UInt8]) {
        out += [UInt8(tag.group & 0xFF), UInt8(tag.group >> 8), UInt8(tag.element & 0xFF), UInt8(tag.element >> 8)]
        out += [UInt8(vr.code >> 8), UInt8(vr.code & 0xFF)]
        if vr.hasLongLength { out += [0, 0] + WritableDataSet.le32(length) }
        else { out += [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF)] }
    }

    private func encode(_ tag: Tag, _ e: WritableDataSet.Element, into out: inout [UInt8]) {
        switch e.value {
        case let .bytes(b):
            var value = b
            if value.count % 2 == 1 { value.append(e.vr == .UI || !e.vr.isString ? 0 : 0x20) }
            header(tag, e.vr, length: UInt32(value.count), into: &out)
            out += value
        case let .sequence(items):
            if undefinedLengthSequences {
                header(tag, .SQ, length: 0xFFFF_FFFF, into: &out)
                for item in items {
                    out += [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]
                    encode(item, into: &out)
                    out += [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]
                }
                out += [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
            } else {
                var body: [UInt8] = []
                for item in items {
                    var itemBytes: [UInt8] = []
                    encode(item, into: &itemBytes)
                    body += [0xFE, 0xFF, 0x00, 0xE0] + WritableDataSet.le32(UInt32(itemBytes.count))
                    body += itemBytes
                }
                header(tag, .SQ, length: UInt32(body.count), into: &out)
                out += body
            }
        }
    }
}
