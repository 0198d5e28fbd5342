import Foundation
import HarmonicCore

/// The bytes of one parsed file, shared by every data set and element read from it.
/// Values stay here, located by (offset, length), and are decoded only when asked.
public final class DICOMBuffer: Sendable {
    public let bytes: [UInt8]
    /// File name used in error messages.
    public let name: String
    public init(bytes: [UInt8], name: String) { self.bytes = bytes; self.name = name }
}

/// One element: its tag, VR and where its value lies in the buffer.
/// Sequences carry their items; encapsulated pixel data carries its fragments.
public struct DataElement: Sendable {
    public let tag: Tag
    public let vr: VR
    /// Byte offset of the element's header in the (inflated) buffer.
    public let headerOffset: Int
    /// Byte offset of the value and its length (undefined lengths resolved to -1 for sequences).
    public let valueOffset: Int
    public let length: Int
    /// Items of an SQ (or of a UN element with undefined length, read as implicit VR LE SQ).
    public let items: [DataSet]?
    /// Fragments of encapsulated pixel data: (offset, length).
    public let fragments: [(offset: Int, length: Int)]?
}

/// How strings in a data set are encoded (Specific Character Set, PS3.3 C.12.1.1.2).
public enum DICOMCharacterSet: Sendable, Equatable {
    case ascii, latin1, utf8
    /// ISO 2022 code extensions (the Specific Character Set values joined by backslash):
    /// IR 6, IR 100, IR 13 and IR 87 (Japanese) are decoded, see `ISO2022Decoder`.
    case iso2022(String)
    case other(String)

    init(specificCharacterSet values: [String]) {
        let terms = values.map { $0.trimmingCharacters(in: .whitespaces) }
        let last = terms.last(where: { !$0.isEmpty }) ?? ""
        if terms.contains(where: { $0.hasPrefix("ISO 2022") }) { self = .iso2022(terms.joined(separator: "\\")); return }
        switch last {
        case "", "ISO_IR 6": self = .ascii
        case "ISO_IR 100": self = .latin1
        case "ISO_IR 192": self = .utf8
        default: self = .other(last)
        }
    }

    func decode(_ bytes: UnsafeRawBufferPointer) -> String {
        switch self {
        case .utf8: return String(decoding: bytes, as: UTF8.self)
        case .latin1, .other, .ascii:
            // Fast path: pure ASCII is valid UTF-8.
            if !bytes.contains(where: { $0 >= 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            return String(String.UnicodeScalarView(bytes.lazy.map { Unicode.Scalar($0) }))
        case .iso2022(let terms):
            return ISO2022Decoder(terms: terms.split(separator: "\\", omittingEmptySubsequences: false).map(String.init)).decode(bytes)
        }
    }
}

/// A parsed data set (a file's main data set or one sequence item): elements in file order.
public struct DataSet: Sendable {
    public let buffer: DICOMBuffer
    public let elements: [DataElement]
    public let littleEndian: Bool
    public let characterSet: DICOMCharacterSet

    /// The element with this tag, if present (binary search: elements are in ascending order in
    /// valid files; falls back to a scan otherwise).
    public func element(_ tag: Tag) -> DataElement? {
        var lo = 0, hi = elements.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if elements[mid].tag.raw < tag.raw { lo = mid + 1 } else { hi = mid }
        }
        if lo < elements.count, elements[lo].tag == tag { return elements[lo] }
        return elements.first { $0.tag == tag }
    }
    public func contains(_ tag: Tag) -> Bool { element(tag) != nil }

    /// The raw value bytes (loaded on demand; this is how pixel data is read).
    public func bytes(_ tag: Tag) -> ArraySlice<UInt8>? {
        guard let e = element(tag), e.length >= 0 else { return nil }
        return buffer.bytes[e.valueOffset ..< e.valueOffset + e.length]
    }

    /// All values of a string element, split on backslash, trailing padding removed.
    public func strings(_ tag: Tag) -> [String] {
        guard let e = element(tag) else { return [] }
        return stringValues(e)
    }
    public func stringValues(_ e: DataElement) -> [String] {
        guard e.length > 0, e.items == nil else { return [] }
        let text: String = buffer.bytes.withUnsafeBytes { raw in
            let slice = UnsafeRawBufferPointer(rebasing: raw[e.valueOffset ..< e.valueOffset + e.length])
            let cs: DICOMCharacterSet = (e.vr == .UI || e.vr == .DA || e.vr == .TM || e.vr == .DS || e.vr == .IS
                                    || e.vr == .CS || e.vr == .AE || e.vr == .AS) ? .latin1 : characterSet
            return cs.decode(slice)
        }
        let parts = (e.vr == .LT || e.vr == .ST || e.vr == .UT || e.vr == .UR) ? [Substring(text)] : text.split(separator: "\\", omittingEmptySubsequences: false)
        return parts.map(trimPadding)
    }
    /// The first value of a string element.
    public func string(_ tag: Tag) -> String? { strings(tag).first }

    /// Numbers from DS/IS text or from binary US/SS/UL/SL/FL/FD/SV/UV values.
    public func doubles(_ tag: Tag) -> [Double] {
        guard let e = element(tag) else { return [] }
        return numericValues(e)
    }
    public func double(_ tag: Tag) -> Double? { doubles(tag).first }
    public func int(_ tag: Tag) -> Int? { doubles(tag).first.flatMap { $0.isFinite ? Int(exactly: $0.rounded()) : nil } }

    public func numericValues(_ e: DataElement) -> [Double] {
        switch e.vr {
        case .DS, .IS: return stringValues(e).compactMap { Double($0) }
        case .US: return binary(e, UInt16.self).map(Double.init)
        case .SS: return binary(e, Int16.self).map(Double.init)
        case .UL: return binary(e, UInt32.self).map(Double.init)
        case .SL: return binary(e, Int32.self).map(Double.init)
        case .UV: return binary(e, UInt64.self).map(Double.init)
        case .SV: return binary(e, Int64.self).map(Double.init)
        case .FL, .OF: return binary(e, UInt32.self).map { Double(Float(bitPattern: $0)) }
        case .FD, .OD: return binary(e, UInt64.self).map { Double(bitPattern: $0) }
        default: return []
        }
    }

    /// Binary values of fixed width in the data set's byte order.
    public func binary<T: FixedWidthInteger>(_ e: DataElement, _: T.Type) -> [T] {
        let size = MemoryLayout<T>.size
        guard e.length >= size else { return [] }
        let n = e.length / size
        return buffer.bytes.withUnsafeBytes { raw in
            (0..<n).map { i in
                let v = raw.loadUnaligned(fromByteOffset: e.valueOffset + i * size, as: T.self)
                return littleEndian ? T(littleEndian: v) : T(bigEndian: v)
            }
        }
    }

    /// AT values (tags).
    public func tags(_ tag: Tag) -> [Tag] {
        guard let e = element(tag), e.vr == .AT else { return [] }
        let v = binary(e, UInt16.self)
        return stride(from: 0, to: v.count - 1, by: 2).map { Tag(group: v[$0], element: v[$0 + 1]) }
    }

    /// A DA value as a calendar date (YYYYMMDD; also the old YYYY.MM.DD form).
    public func date(_ tag: Tag) -> CalendarDate? { string(tag).flatMap(DICOMDateTime.date) }

    /// Items of a sequence (empty when absent or not a sequence).
    public func sequence(_ tag: Tag) -> [DataSet] { element(tag)?.items ?? [] }
}

/// Removes leading spaces and trailing space/NUL padding (PS3.5 §6.2) without Foundation.
func trimPadding(_ s: Substring) -> String {
    var a = s.startIndex, b = s.endIndex
    while a < b, s[a] == " " { a = s.index(after: a) }
    while a < b { let p = s.index(before: b); if s[p] == " " || s[p] == "\0" { b = p } else { break } }
    return String(s[a..<b])
}

/// Trailing space / NUL padding of DICOM string values.
let dicomPadding = Foundation.CharacterSet(charactersIn: " \0")

/// DICOM DA/TM/DT text to dates and times (PS3.5 §6.2).
public enum DICOMDateTime {
    public static func date(_ text: String) -> CalendarDate? {
        let digits = text.filter(\.isNumber)
        guard digits.count >= 8, let y = Int(digits.prefix(4)), let m = Int(digits.dropFirst(4).prefix(2)),
              let d = Int(digits.dropFirst(6).prefix(2)) else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }
    /// Seconds since midnight of a TM value (HHMMSS.FFFFFF, parts optional).
    public static func secondsOfDay(_ text: String) -> Double? {
        let t = text.replacingOccurrences(of: ":", with: "")
        let main = t.split(separator: ".").first.map(String.init) ?? t
        guard main.count >= 2, main.allSatisfy(\.isNumber), let h = Int(main.prefix(2)) else { return nil }
        let m = main.count >= 4 ? Int(main.dropFirst(2).prefix(2)) ?? 0 : 0
        let s = main.count >= 6 ? Int(main.dropFirst(4).prefix(2)) ?? 0 : 0
        let frac = t.contains(".") ? Double("0." + (t.split(separator: ".").last ?? "0")) ?? 0 : 0
        return Double(h * 3600 + m * 60 + s) + frac
    }
    /// A DT value (YYYYMMDDHHMMSS.FFFFFF&ZZXX) as date and seconds of day (offset ignored).
    public static func dateTime(_ text: String) -> (date: CalendarDate, secondsOfDay: Double)? {
        let core = String(text.prefix { $0 != "+" && $0 != "-" })
        guard let d = date(String(core.prefix(8))) else { return nil }
        let rest = String(core.dropFirst(8))
        return (d, rest.isEmpty ? 0 : secondsOfDay(rest) ?? 0)
    }
}
