import Foundation
import HarmonicCore
import Phantoms

/// Grid dimensions that a lookup had to clamp (the result is the nearest edge of the grid).
public struct LibraryClamps: OptionSet, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    /// The child is smaller than the smallest or larger than the largest phantom in the library.
    public static let size = LibraryClamps(rawValue: 1)
    public static let primaryAngle = LibraryClamps(rawValue: 2)
    public static let secondaryAngle = LibraryClamps(rawValue: 4)
    public static let fieldArea = LibraryClamps(rawValue: 8)
    /// Photons above the highest energy node use that node's coefficients (kVp above it).
    public static let photonEnergy = LibraryClamps(rawValue: 16)
    /// The library holds one sex only, so effective dose is that phantom's, not the ICRP 103 mean.
    public static let singleSexEffectiveDose = LibraryClamps(rawValue: 32)

    public var description: String {
        let names: [(LibraryClamps, String)] = [(.size, "size"), (.primaryAngle, "primary angle"), (.secondaryAngle, "secondary angle"),
                                                (.fieldArea, "field area"), (.photonEnergy, "photon energy"),
                                                (.singleSexEffectiveDose, "single-sex effective dose")]
        let present = names.filter { contains($0.0) }.map(\.1)
        return present.isEmpty ? "none" : present.joined(separator: ", ")
    }
}

/// Everything a library lookup knows about one exposure.
public struct LibraryLookup: Sendable {
    /// Organ dose per KAP for the patient's sex, and ICRP 103 effective dose per KAP (mean of
    /// the male and female phantoms of the same size, ICRP 103 eq. B.1, when both are in the library).
    public var coefficients: OrganDoseCoefficients
    /// ICRP 60 effective dose per KAP (mSv per Gy·cm²), averaged over the sexes like E₁₀₃.
    public var effectiveDose60PerKAP: Double
    /// KAP per incident air kerma at the skin entrance on the central ray (cm²).
    public var kapPerEntranceAirKerma: Double
    /// KAP per air kerma at the interventional reference point, 15 cm from the isocentre
    /// towards the focus (IEC 60601-2-43), free in air (cm²).
    public var kapPerReferenceAirKerma: Double
    /// Dimensions clamped to the grid's edge (empty inside the grid).
    public var clamped: LibraryClamps

    /// Organ dose per reference-point air kerma (mGy per Gy).
    public func dosePerReferenceAirKerma(_ organ: Organ) -> Double { coefficients[organ] * kapPerReferenceAirKerma }
    /// Organ dose per entrance air kerma (mGy per Gy).
    public func dosePerEntranceAirKerma(_ organ: Organ) -> Double { coefficients[organ] * kapPerEntranceAirKerma }
}

/// Precomputed Monte Carlo organ dose coefficients for cardiac C-arm exposures, interpolated.
///
/// Holds, for every reference phantom × angle pair × field area of its `LibraryGrid`, the organ
/// dose per KAP of monoenergetic beams (`LibraryBuilder`). A lookup:
/// 1. folds the node energies with the tube spectrum of the exposure's kVp, Cu and Al
///    (`SpectrumFold`: exact in kVp and filtration, no interpolation);
/// 2. interpolates linearly in primary and secondary angle and in ln(field area) between the
///    eight neighbouring geometry records of each phantom;
/// 3. interpolates ln(D/KAP) linearly in the body width index √(mass/height) between the two
///    phantoms that bracket the child (`SizeScaling`).
/// Outside the grid the lookup clamps to the edge and says so in `LibraryLookup.clamped`;
/// physically invalid input (NaN, negative field, kVp outside 40-150) throws `InputError`.
public final class CoefficientLibrary: OrganDoseCoefficientSource, @unchecked Sendable {
    public let header: LibraryHeader
    /// Where it was read from.
    public let url: URL
    /// Size of the file (bytes).
    public let fileBytes: Int
    let grid: LibraryGrid
    let fold: SpectrumFold
    /// Per record: nE × nQ coefficients (quantity fastest), as Float.
    let values: [Float]
    let kapPerESAK: [Float], isocentreDepth: [Float]
    let nE: Int, nQ: Int
    /// Column of each `Organ.allCases` entry (nil: not stored), and of the effective doses.
    let organColumn: [Int?]
    let e103Column: Int, e60Column: Int
    /// Per sex index of the grid: phantom width indices of the grid's ages.
    let phantomWidth: [[Double]]

    /// Reads a library file; throws `InputError` naming the file for a missing, truncated or corrupt one.
    public init(contentsOf url: URL) throws {
        let path = url.path
        let data: Data
        do { data = try Data(contentsOf: url) }
        catch { throw InputError(.file(path), expected: "a readable coefficient library file (\(error.localizedDescription))") }
        let (header, start) = try CoefficientLibraryFile.decodeHeader(data, path: path)
        let grid = header.grid
        let count = grid.recordCount, bytes = header.recordBytes
        let found = CoefficientLibraryFile.completeRecords(fileSize: data.count, headerEnd: start, header: header)
        guard data.count == start + count * bytes else {
            throw InputError(.file(path), field: "records", value: "\(found) complete of \(count) (\(data.count) bytes)",
                             expected: "\(count) records of \(bytes) bytes = \(start + count * bytes) bytes; "
                                + (found < count ? "the file is truncated or an unfinished build (continue it with `harmonic library build --resume`)"
                                                 : "no trailing bytes"))
        }
        guard let e103 = header.quantities.firstIndex(of: LibraryHeader.effectiveDose103Column),
              let e60 = header.quantities.firstIndex(of: LibraryHeader.effectiveDose60Column) else {
            throw InputError(.file(path), field: "quantities", value: header.quantities.joined(separator: ","),
                             expected: "organ names plus \(LibraryHeader.effectiveDose103Column) and \(LibraryHeader.effectiveDose60Column)")
        }
        let nE = grid.energiesKeV.count, nQ = header.quantities.count
        var values = [Float](repeating: 0, count: count * nE * nQ)
        var kap = [Float](repeating: 0, count: count), depth = [Float](repeating: 0, count: count)
        var bad: (Int, Float)? = nil
        data.withUnsafeBytes { raw in
            for r in 0..<count {
                let o = start + r * bytes
                kap[r] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o, as: UInt32.self)))
                depth[r] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: o + 4, as: UInt32.self)))
                if !(kap[r] > 0 && kap[r].isFinite && depth[r] >= 0 && depth[r].isFinite), bad == nil { bad = (r, kap[r]) }
                for k in 0..<(nE * nQ) {
                    let v = Float(Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: o + 8 + 2 * k, as: UInt16.self))))
                    if !(v >= 0 && v.isFinite), bad == nil { bad = (r, v) }
                    values[r * nE * nQ + k] = v
                }
            }
        }
        if let (r, v) = bad {
            throw InputError(.file(path), field: "record \(r)", value: "\(v)",
                             expected: "finite non-negative coefficients and a positive KAP per air kerma (the file is corrupt)")
        }
        self.header = header; self.url = url; self.fileBytes = data.count; self.grid = grid
        self.values = values; self.kapPerESAK = kap; self.isocentreDepth = depth
        self.nE = nE; self.nQ = nQ
        organColumn = Organ.allCases.map { header.quantities.firstIndex(of: $0.rawValue) }
        e103Column = e103; e60Column = e60
        fold = SpectrumFold(nodes: grid.energiesKeV, anodeAngleDegrees: grid.anodeAngleDegrees)
        phantomWidth = grid.sexes.map { code in
            grid.ages.map { SizeScaling.widthIndex(ReferenceAge(rawValue: $0)!, Sex(rawValue: code)!) }
        }
    }

    /// File name of the committed default library in the Dosimetry resources.
    public static let defaultResourceName = "cardiac-coefficients"

    /// The committed default library (Sources/Dosimetry/Resources/cardiac-coefficients.hlib),
    /// read once per process.
    public static func loadDefault() throws -> CoefficientLibrary { try defaultLibrary.get() }

    private static let defaultLibrary: Result<CoefficientLibrary, Error> = Result {
        guard let url = Bundle.module.url(forResource: defaultResourceName, withExtension: "hlib", subdirectory: "Resources")
                ?? Bundle.module.url(forResource: defaultResourceName, withExtension: "hlib") else {
            throw InputError(.file("\(defaultResourceName).hlib"), expected: "the default library in the Dosimetry resource bundle (build it with `harmonic library build`)")
        }
        return try CoefficientLibrary(contentsOf: url)
    }

    public func coefficients(for exposure: CardiacExposure) throws -> OrganDoseCoefficients {
        try lookup(exposure).coefficients
    }

    /// Bracket of x in ascending values: lower index, weight of the upper one, clamped or not.
    @inline(__always)
    static func bracket(_ x: Double, _ v: [Double]) -> (Int, Double, Bool) {
        let n = v.count
        if n == 1 { return (0, 0, x != v[0]) }
        if x <= v[0] { return (0, 0, x < v[0]) }
        if x >= v[n - 1] { return (n - 2, 1, x > v[n - 1]) }
        var i = 0
        while v[i + 1] <= x { i += 1 }
        return (i, (x - v[i]) / (v[i + 1] - v[i]), false)
    }

    /// Folded, geometry-interpolated row (nQ) for one phantom of the grid, the KAP per entrance
    /// air kerma per unit field area (≈ 1; interpolated as a ratio so it scales with the actual
    /// area) and the isocentre depth.
    private func phantomRow(age: Int, sex: Int, weights w: [Double],
                            field: (Int, Double), primary: (Int, Double), secondary: (Int, Double),
                            into out: inout [Double]) -> (kapESAK: Double, depth: Double) {
        for q in 0..<nQ { out[q] = 0 }
        var kap = 0.0, depth = 0.0
        values.withUnsafeBufferPointer { v in
            for df in 0...1 {
                let wf = df == 0 ? 1 - field.1 : field.1
                if wf == 0 { continue }
                for dp in 0...1 {
                    let wp = dp == 0 ? 1 - primary.1 : primary.1
                    if wp == 0 { continue }
                    for ds in 0...1 {
                        let ws = ds == 0 ? 1 - secondary.1 : secondary.1
                        if ws == 0 { continue }
                        let weight = wf * wp * ws
                        let r = grid.recordIndex(age: age, sex: sex, field: field.0 + df, primary: primary.0 + dp, secondary: secondary.0 + ds)
                        kap += weight * Double(kapPerESAK[r]) / grid.fieldAreasCm2[field.0 + df]; depth += weight * Double(isocentreDepth[r])
                        let base = r * nE * nQ
                        for e in 0..<nE {
                            let we = weight * w[e]
                            if we == 0 { continue }
                            let row = base + e * nQ
                            for q in 0..<nQ { out[q] += we * Double(v[row + q]) }
                        }
                    }
                }
            }
        }
        return (kap, depth)
    }

    /// Coefficients for one exposure, with the reference air kerma ratios and the clamps applied.
    public func lookup(_ exposure: CardiacExposure) throws -> LibraryLookup {
        let location = InputLocation.file("exposure")
        let area = exposure.fieldAreaCm2
        guard area.isFinite, area > 0 else {
            throw InputError(location, field: "field area", value: "\(area)", expected: "a positive field area in cm² at the skin")
        }
        guard exposure.primaryDegrees.isFinite, abs(exposure.primaryDegrees) <= 180 else {
            throw InputError(location, field: "primary angle", value: "\(exposure.primaryDegrees)", expected: "−180° to +180° (RAO −, LAO +)")
        }
        guard exposure.secondaryDegrees.isFinite, abs(exposure.secondaryDegrees) <= 90 else {
            throw InputError(location, field: "secondary angle", value: "\(exposure.secondaryDegrees)", expected: "−90° to +90° (CAU −, CRA +)")
        }
        guard let sexIndex = grid.sexes.firstIndex(of: exposure.patient.sex.rawValue) else {
            throw InputError(location, field: "sex", value: exposure.patient.sex.rawValue,
                             expected: "a sex the library holds (\(grid.sexes.joined(separator: ", ")))")
        }
        let w = try fold.weights(for: exposure.quality)
        let width = try SizeScaling.widthIndex(of: exposure.patient)
        var clamps: LibraryClamps = []
        let f = Self.bracket(log(area), grid.fieldAreasCm2.map { log($0) })
        let p = Self.bracket(exposure.primaryDegrees, grid.primaryDegrees)
        let s = Self.bracket(exposure.secondaryDegrees, grid.secondaryDegrees)
        if f.2 { clamps.insert(.fieldArea) }
        if p.2 { clamps.insert(.primaryAngle) }
        if s.2 { clamps.insert(.secondaryAngle) }
        if exposure.quality.kVp.value > grid.energiesKeV.last! { clamps.insert(.photonEnergy) }

        var row = [Double](repeating: 0, count: nQ), lower = row, upper = row
        func sexRow(_ sx: Int, _ out: inout [Double]) -> (Double, Double, Bool) {
            let a = Self.bracket(width, phantomWidth[sx])
            let k0 = phantomRow(age: a.0, sex: sx, weights: w, field: (f.0, f.1), primary: (p.0, p.1), secondary: (s.0, s.1), into: &lower)
            if a.1 == 0 || grid.ages.count == 1 { out = lower; return (k0.kapESAK, k0.depth, a.2) }
            let k1 = phantomRow(age: a.0 + 1, sex: sx, weights: w, field: (f.0, f.1), primary: (p.0, p.1), secondary: (s.0, s.1), into: &upper)
            let t = a.1
            if t == 1 { out = upper; return (k1.kapESAK, k1.depth, a.2) }
            for q in 0..<nQ {
                let x = lower[q], y = upper[q]
                out[q] = x > 0 && y > 0 ? exp(log(x) * (1 - t) + log(y) * t) : x * (1 - t) + y * t
            }
            return (k0.kapESAK * (1 - t) + k1.kapESAK * t, k0.depth * (1 - t) + k1.depth * t, a.2)
        }
        let (kapESAK, depth, sizeClamped) = sexRow(sexIndex, &row)
        if sizeClamped { clamps.insert(.size) }
        var perKAP = [Double](repeating: 0, count: Organ.allCases.count)
        for (i, c) in organColumn.enumerated() where Organ.allCases[i].exists(in: exposure.patient.sex) {
            if let c { perKAP[i] = row[c] }
        }
        var e103 = row[e103Column], e60 = row[e60Column]
        if grid.sexes.count == 2 {
            var other = [Double](repeating: 0, count: nQ)
            _ = sexRow(1 - sexIndex, &other)
            e103 = 0.5 * (e103 + other[e103Column]); e60 = 0.5 * (e60 + other[e60Column])
        } else {
            clamps.insert(.singleSexEffectiveDose)
        }
        // Air kerma scales with the inverse square of the distance from the focus: the
        // reference point lies at FSD + depth − 15 cm from it, the skin entrance at FSD.
        let fsd = grid.focusSkinCm
        let ratio = max(fsd + depth - 15, 1) / fsd
        return LibraryLookup(coefficients: OrganDoseCoefficients(perKAP: perKAP, effectiveDosePerKAP: e103),
                             effectiveDose60PerKAP: e60,
                             kapPerEntranceAirKerma: kapESAK * area,
                             kapPerReferenceAirKerma: kapESAK * area * ratio * ratio,
                             clamped: clamps)
    }
}
