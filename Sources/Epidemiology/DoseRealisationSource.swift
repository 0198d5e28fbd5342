import Foundation
import HarmonicCore

/// Where Monte Carlo dose realisations come from (for MCML and model averaging). The dose
/// reconstruction writes them; analyses only need this one call, so the file format can change
/// behind it without touching the fits.
public protocol DoseRealisationSource: Sendable {
    /// Realisations (Gy) of `organ`'s dose for every exposure of `members`, in the members'
    /// exposure order (`DoseRealisationMatrix` layout).
    func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix
}

/// Log-normal realisations around the mean doses (shared and unshared errors; see
/// `DoseRealisationMatrix.simulate`): for benchmarks and for checks without a reconstruction.
public struct LogNormalDoseRealisations: DoseRealisationSource {
    public var count: Int, sharedSigma: Double, unsharedSigma: Double, seed: UInt64
    public init(count: Int, sharedSigma: Double, unsharedSigma: Double, seed: UInt64) {
        self.count = count; self.sharedSigma = sharedSigma; self.unsharedSigma = unsharedSigma; self.seed = seed
    }
    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        .simulate(members: members, organ: organ, count: count, sharedSigma: sharedSigma, unsharedSigma: unsharedSigma, seed: seed)
    }
}

/// Dose realisations in the columnar float32 format (docs/analysis-extract.md, "Dose realisations"):
///
/// - `FILE` (binary, little-endian): 8 bytes ASCII magic `HRMRCOL1`, UInt32 procedure count N,
///   UInt32 realisation count R, then R columns of N Float32 values: column r holds realisation r
///   of every procedure's organ dose in **mGy**, procedures in the order of the keys file.
/// - `FILE.keys.csv`: header `site,site_procedure_id`, then N rows naming the procedures.
///
/// One file pair per organ. Column-major storage lets a writer append one realisation at a time.
public struct ColumnarFloat32Realisations: DoseRealisationSource {
    public static let magic = Array("HRMRCOL1".utf8)
    public let url: URL
    public let procedureCount: Int
    public let realisationCount: Int
    /// Procedure key (`SITE/site_procedure_id`) → row.
    let rows: [String: Int]

    public static func keysURL(_ url: URL) -> URL { URL(fileURLWithPath: url.path + ".keys.csv") }

    /// Opens the pair and checks the header, size and keys (values are read by `realisations`).
    public init(url: URL) throws {
        self.url = url
        guard let h = FileHandle(forReadingAtPath: url.path) else { throw InputError(.file(url.path), expected: "a readable dose realisation file (HRMRCOL1)") }
        defer { try? h.close() }
        let head = [UInt8]((try? h.read(upToCount: 16)) ?? Data())
        guard head.count == 16, Array(head[0..<8]) == Self.magic else {
            throw InputError(.file(url.path), field: "magic", value: String(decoding: head.prefix(8), as: UTF8.self), expected: "the 8 bytes HRMRCOL1 then two UInt32 counts")
        }
        func u32(_ o: Int) -> Int { Int(UInt32(head[o]) | UInt32(head[o + 1]) << 8 | UInt32(head[o + 2]) << 16 | UInt32(head[o + 3]) << 24) }
        procedureCount = u32(8); realisationCount = u32(12)
        let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? -1
        let expected = 16 + 4 * procedureCount * realisationCount
        guard size == expected, realisationCount > 0 else {
            throw InputError(.file(url.path), field: "size", value: "\(size) bytes", expected: "\(expected) bytes for \(procedureCount) procedures × \(realisationCount) realisations (at least one)")
        }
        let kf = Self.keysURL(url)
        let (header, lines) = try AnalysisExtract.rows(kf)
        let si = try AnalysisExtract.column("site", header, kf.path), pi = try AnalysisExtract.column("site_procedure_id", header, kf.path)
        guard lines.count == procedureCount else {
            throw InputError(.file(kf.path), field: "rows", value: "\(lines.count)", expected: "\(procedureCount) procedure rows, as the header of \(url.lastPathComponent) says")
        }
        var rows: [String: Int] = [:]
        for (k, (line, f)) in lines.enumerated() {
            guard max(si, pi) < f.count else { throw InputError(.row(file: kf.path, line: line), expected: "site,site_procedure_id") }
            let key = "\(f[si].uppercased())/\(f[pi])"
            guard rows.updateValue(k, forKey: key) == nil else { throw InputError(.row(file: kf.path, line: line), field: "site_procedure_id", value: f[pi], expected: "each procedure once") }
        }
        self.rows = rows
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        let data = try Data(contentsOf: url, options: .mappedIfSafe)
        let n = procedureCount, R = realisationCount
        var offsets = [0]
        for m in members { offsets.append(offsets.last! + m.exposures.count) }
        var values = [Float](repeating: 0, count: offsets.last! * R)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var e = 0
            for m in members {
                for x in m.exposures {
                    if let key = x.key, let row = rows[key] {
                        for r in 0..<R {
                            let bits = raw.loadUnaligned(fromByteOffset: 16 + 4 * (r * n + row), as: UInt32.self)
                            values[e * R + r] = Float(bitPattern: UInt32(littleEndian: bits)) / 1000
                        }
                    } else if x.organDoses.isEmpty {
                        // A flagged procedure counted at zero dose (FlaggedDosePolicy.zero): zero in every realisation.
                    } else {
                        throw InputError(.file(Self.keysURL(url).path), field: "site_procedure_id", value: x.key ?? "(exposure without a key)",
                                         expected: "a realisation row for every procedure of the analysis cohort")
                    }
                    e += 1
                }
            }
        }
        return DoseRealisationMatrix(realisationCount: R, exposureOffsets: offsets, values: values)
    }

    /// Writes a file pair: `keys` as (site, site_procedure_id), `columns[r][k]` = realisation r of
    /// procedure k in mGy.
    public static func write(keys: [(site: String, procedure: String)], columns: [[Float]], to url: URL) throws {
        var bytes = magic
        func u32(_ v: Int) { let x = UInt32(v); bytes += [UInt8(x & 255), UInt8(x >> 8 & 255), UInt8(x >> 16 & 255), UInt8(x >> 24)] }
        u32(keys.count); u32(columns.count)
        bytes.reserveCapacity(16 + 4 * keys.count * columns.count)
        for c in columns {
            precondition(c.count == keys.count)
            for v in c { let b = v.bitPattern.littleEndian; bytes += [UInt8(b & 255), UInt8(b >> 8 & 255), UInt8(b >> 16 & 255), UInt8(b >> 24)] }
        }
        try Data(bytes).write(to: url)
        try ("site,site_procedure_id\n" + keys.map { "\($0.site),\($0.procedure)\n" }.joined()).write(to: keysURL(url), atomically: true, encoding: .utf8)
    }
}
