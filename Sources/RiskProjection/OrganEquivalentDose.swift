import Foundation
import HarmonicCore

/// A differential dose-volume histogram: bin-centre doses and the organ volume in each bin.
public struct DifferentialDVH: Sendable, Hashable, Codable {
    public var doseGy: [Double]
    public var volumeCm3: [Double]
    public var totalVolume: Double { volumeCm3.reduce(0, +) }
    public var meanDose: Double { zip(doseGy, volumeCm3).reduce(0) { $0 + $1.0 * $1.1 } / totalVolume }

    /// Checked: same lengths, doses and volumes finite and >= 0, total volume > 0. `source` names the
    /// input in errors (file or JSON path).
    public init(doseGy: [Double], volumeCm3: [Double], source: String) throws {
        guard doseGy.count == volumeCm3.count, !doseGy.isEmpty else {
            throw InputError(.file(source), field: "differentialDVH", value: "\(doseGy.count) doses, \(volumeCm3.count) volumes",
                             expected: "as many volumes as doses, at least one bin")
        }
        for (i, (d, v)) in zip(doseGy, volumeCm3).enumerated() {
            guard d.isFinite, d >= 0 else { throw InputError(.file(source), field: "doseGy[\(i)]", value: "\(d)", expected: "a dose >= 0 Gy") }
            guard v.isFinite, v >= 0 else { throw InputError(.file(source), field: "volumeCm3[\(i)]", value: "\(v)", expected: "a volume >= 0 cm3") }
        }
        guard volumeCm3.reduce(0, +) > 0 else {
            throw InputError(.file(source), field: "volumeCm3", value: "0", expected: "a total organ volume > 0 cm3")
        }
        self.doseGy = doseGy; self.volumeCm3 = volumeCm3
    }

    /// Reads a CSV with columns `dose_gy,volume_cm3` (header required, `#` comments allowed).
    public init(csvText: String, file: String) throws {
        let t = try CSVTable(text: csvText, file: file)
        let cd = try t.column("dose_gy"), cv = try t.column("volume_cm3")
        var d: [Double] = [], v: [Double] = []
        for row in t.rows {
            let dose = try t.double(row, cd)!, vol = try t.double(row, cv)!
            guard dose >= 0 else { throw InputError(.row(file: file, line: row.line), field: "dose_gy", value: t.string(row, cd), expected: "a bin-centre dose >= 0 Gy") }
            guard vol >= 0 else { throw InputError(.row(file: file, line: row.line), field: "volume_cm3", value: t.string(row, cv), expected: "a bin volume >= 0 cm3") }
            d.append(dose); v.append(vol)
        }
        guard !d.isEmpty else { throw InputError(.file(file), expected: "at least one DVH row under the header dose_gy,volume_cm3") }
        try self.init(doseGy: d, volumeCm3: v, source: file)
    }
}

/// Schneider's dose-response shapes for the organ equivalent dose, OED = (1/V) sum_i V_i RED(D_i)
/// (Schneider, Sumila, Robotka, Theor Biol Med Model 2011;8:27, eqs. for the four models).
public enum OEDModel: Sendable, Hashable {
    /// RED(D) = D: the low-dose (BEIR VII) path, OED = mean dose.
    case linear
    /// RED(D) = D exp(-alpha D): cell killing without repopulation.
    case linearExponential(alpha: Double)
    /// RED(D) = (1 - exp(-delta D)) / delta: full repopulation.
    case plateau(delta: Double)
    /// The mechanistic model with cell killing, repopulation/repair fraction R and fractionation:
    /// alpha' = alpha + beta D / n with alpha/beta (Gy), n fractions of equal share of the point dose,
    /// RED(D) = exp(-alpha' D) / (alpha' R) * (1 - 2R + R^2 exp(alpha' D) - (1 - R)^2 exp(-alpha' R D / (1 - R))).
    case full(alpha: Double, repopulation: Double, alphaBeta: Double, fractions: Int)

    public var name: String {
        switch self {
        case .linear: "linear"
        case .linearExponential: "linear-exponential"
        case .plateau: "plateau"
        case .full: "full"
        }
    }

    /// Risk equivalent dose of a point receiving total dose `d` (Gy).
    @inline(__always)
    public func riskEquivalentDose(_ d: Double) -> Double {
        guard d > 0 else { return 0 }
        switch self {
        case .linear: return d
        case .linearExponential(let a): return d * exp(-a * d)
        case .plateau(let delta): return delta > 0 ? (1 - exp(-delta * d)) / delta : d
        case .full(let alpha, let r, let ab, let n):
            let ap = alpha + (alpha / ab) * d / Double(n)
            let x = ap * d
            if r <= 1e-9 { return d * exp(-x) }                   // limit R -> 0: linear-exponential in alpha'
            if r >= 1 - 1e-9 { return (1 - exp(-x)) / ap }         // R = 1: plateau in alpha'
            let f = 1 - 2 * r + r * r * exp(x) - (1 - r) * (1 - r) * exp(-x * r / (1 - r))
            return exp(-x) / (ap * r) * f
        }
    }

    /// The OED of a differential DVH.
    public func oed(_ dvh: DifferentialDVH) -> Double {
        var s = 0.0
        for (d, v) in zip(dvh.doseGy, dvh.volumeCm3) { s += v * riskEquivalentDose(d) }
        return s / dvh.totalVolume
    }
}

/// The committed OED parameter table (`schneider_oed_parameters.csv`).
public struct OEDParameters: Sendable {
    public struct Entry: Sendable, Hashable {
        public var value: Double; public var source: String
        public init(value: Double, source: String) { self.value = value; self.source = source }
    }
    /// Keyed by organ raw value, model column, parameter.
    public var entries: [String: Entry]
    public init(entries: [String: Entry]) { self.entries = entries }

    public static func shipped() throws -> OEDParameters {
        let t = try CSVTable(contentsOf: resourceURL("schneider_oed_parameters.csv"))
        let co = try t.column("organ"), cm = try t.column("model"), cp = try t.column("parameter")
        let cv = try t.column("value"), cs = try t.column("source")
        var e: [String: Entry] = [:]
        for row in t.rows {
            guard Organ(rawValue: t.string(row, co)) != nil else {
                throw InputError(.row(file: t.file, line: row.line), field: "organ", value: t.string(row, co), expected: "an organ name of Harmonic (e.g. lung, red_marrow)")
            }
            e["\(t.string(row, co))/\(t.string(row, cm))/\(t.string(row, cp))"] = Entry(value: try t.double(row, cv)!, source: t.string(row, cs))
        }
        return OEDParameters(entries: e)
    }

    public func value(organ: Organ, model: String, parameter: String) -> Entry? {
        entries["\(organ.rawValue)/\(model)/\(parameter)"]
    }
}
