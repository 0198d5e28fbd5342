import Foundation
import HarmonicCore

/// The provenance and layout of a coefficient library file (its JSON header).
public struct LibraryHeader: Sendable, Hashable, Codable {
    public static let formatName = "harmonic-cardiac-coefficient-library"
    public static let currentVersion = 1
    /// Extra quantities after the organs in each energy row.
    public static let effectiveDose103Column = "effective_dose_icrp103_phantom_sex"
    public static let effectiveDose60Column = "effective_dose_icrp60_phantom_sex"

    public var format: String
    public var formatVersion: Int
    public var grid: LibraryGrid
    /// Column names of an energy row: organ raw values, then the two effective doses.
    public var quantities: [String]
    public var units: String
    public var recordLayout: String
    public var historiesPerPoint: Int
    public var seed: UInt64
    /// The transport engine and physics the coefficients come from.
    public var engine: String
    /// When the build started (ISO 8601, UTC); a resumed build keeps it.
    public var built: String
    /// The command that built it.
    public var command: String

    public init(grid: LibraryGrid, historiesPerPoint: Int, seed: UInt64, built: String, command: String) {
        format = Self.formatName; formatVersion = Self.currentVersion
        self.grid = grid
        quantities = Organ.allCases.map(\.rawValue) + [Self.effectiveDose103Column, Self.effectiveDose60Column]
        units = "organs mGy/(Gy·cm²), effective doses mSv/(Gy·cm²), per unit KAP of the monoenergetic beam; kap_per_esak cm²; isocentre_depth cm"
        recordLayout = "per geometry record (ages, sexes, fields, primary, secondary; last fastest): float32 kap_per_esak, float32 isocentre_depth, then energies x quantities float16 (quantities fastest); all little endian"
        self.historiesPerPoint = historiesPerPoint; self.seed = seed
        engine = "Harmonic Transport (Woodcock tracking, kerma approximation, XRayPhysics cross sections), StylisedPhantom reference series, format \(Self.currentVersion)"
        self.built = built; self.command = command
    }

    /// Bytes of one geometry record.
    public var recordBytes: Int { 8 + grid.energiesKeV.count * quantities.count * 2 }
}

/// Reading and writing the binary library: 8-byte magic "HMCLIB01", UInt32 little-endian
/// header length, the JSON header (UTF-8), then `grid.recordCount` fixed-size records.
public enum CoefficientLibraryFile {
    static let magic = Array("HMCLIB01".utf8)

    /// The bytes before the first record.
    public static func encodeHeader(_ header: LibraryHeader) throws -> Data {
        let encoder = JSONEncoder(); encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var data = Data(magic)
        var length = UInt32(json.count).littleEndian
        withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
        data.append(json)
        return data
    }

    /// One record: KAP per entrance air kerma, isocentre depth, then energies × quantities.
    public static func encodeRecord(kapPerESAK: Double, isocentreDepth: Double, values: [Double]) -> Data {
        var data = Data(capacity: 8 + 2 * values.count)
        for v in [Float(kapPerESAK), Float(isocentreDepth)] {
            var bits = v.bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        for v in values {
            var bits = Float16(Float(v)).bitPattern.littleEndian
            withUnsafeBytes(of: &bits) { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Parses the header; returns it and the offset of the first record.
    public static func decodeHeader(_ data: Data, path: String) throws -> (LibraryHeader, Int) {
        let location = InputLocation.file(path)
        guard data.count >= 12, Array(data.prefix(8)) == magic else {
            throw InputError(location, field: "magic", value: String(decoding: data.prefix(8), as: UTF8.self),
                             expected: "a Harmonic coefficient library starting with HMCLIB01 (made by `harmonic library build`)")
        }
        let length = data.withUnsafeBytes { Int(UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self))) }
        guard 12 + length <= data.count else {
            throw InputError(location, field: "header", value: "\(length) bytes declared, \(data.count - 12) present",
                             expected: "the complete JSON header (the file is truncated)")
        }
        let header: LibraryHeader
        do { header = try JSONDecoder().decode(LibraryHeader.self, from: data.subdata(in: 12..<(12 + length))) }
        catch {
            throw InputError(location, field: "header", value: "\(error)", expected: "the library's JSON header")
        }
        guard header.format == LibraryHeader.formatName, header.formatVersion == LibraryHeader.currentVersion else {
            throw InputError(location, field: "format", value: "\(header.format) version \(header.formatVersion)",
                             expected: "\(LibraryHeader.formatName) version \(LibraryHeader.currentVersion)")
        }
        let problems = header.grid.problems()
        guard problems.isEmpty else {
            throw InputError(location, field: "grid", value: problems.joined(separator: "; "), expected: "a valid grid")
        }
        return (header, 12 + length)
    }

    /// Number of complete records after the header.
    static func completeRecords(fileSize: Int, headerEnd: Int, header: LibraryHeader) -> Int {
        max(0, (fileSize - headerEnd) / header.recordBytes)
    }
}
