import Foundation
import HarmonicCore

/// Errors of a reconstructed imaging organ dose, each a multiplicative lognormal factor with
/// mean 1, given by its geometric standard deviation (GSD). The values come from
/// `Resources/imaging-dose-uncertainty.csv` (each row there cites its source or says it is
/// Harmonic's assumption); `ImagingRealisations` says which are shared by which exams.
public struct ImagingRealisationModel: Sendable, Equatable {
    /// CTDIvol as displayed vs. delivered: shared by the exams of one (site, era, scanner) group
    /// (one scanner's calibration); `ctdivol_display`.
    public var display: Double
    /// Harmonic's coefficients vs. real patients and scanners: shared by every exam of one body
    /// region (a bias of the phantom and source model applies to all of them); `phantom_and_scanner_model`.
    public var model: Double
    /// Scan start and end on the child vs. the phantom's landmarks: unshared; `scan_range`.
    public var scanRange: Double
    /// Extra unshared error when CTDIvol was taken as DLP / the phantom's scan length; `scan_length_from_dlp`.
    public var lengthFromDLP: Double

    public init(display: Double, model: Double, scanRange: Double, lengthFromDLP: Double) {
        self.display = display; self.model = model; self.scanRange = scanRange; self.lengthFromDLP = lengthFromDLP
    }

    /// The model of the committed uncertainty table (errors when a component is missing).
    public init(_ calculator: ImagingDoseCalculator) throws {
        func gsd(_ name: String) throws -> Double {
            guard let g = calculator.componentGSD(name) else {
                throw DoseModelError("imaging-dose-uncertainty.csv: no component '\(name)' (needed by the imaging realisations)")
            }
            return g
        }
        self.init(display: try gsd("ctdivol_display"), model: try gsd("phantom_and_scanner_model"),
                  scanRange: try gsd("scan_range"), lengthFromDLP: try gsd("scan_length_from_dlp"))
    }
}

/// One dosed exam as the realisation generator sees it.
public struct ImagingExamDraw: Sendable {
    /// Central dose per `DoseQuantity` (mGy; effective dose mSv); NaN where the exam gives no value.
    public var central: [Double]
    /// Relative 1σ Monte Carlo uncertainty of each quantity's coefficient (0 where none).
    public var monteCarloSigma: [Double]
    /// Index of the exam's (site, era, scanner) group and of its body-region group.
    public var displayGroup: Int, modelGroup: Int
    /// CTDIvol came from DLP / phantom scan length (adds `lengthFromDLP`).
    public var fromDLP: Bool
    /// False for a recorded value taken as it is (effective dose of nuclear medicine): no error drawn.
    public var uncertain: Bool
    /// Random stream of the exam's unshared errors (a hash of its key: the same draws whichever other exams run with it).
    public var stream: UInt64

    public init(central: [Double], monteCarloSigma: [Double], displayGroup: Int, modelGroup: Int, fromDLP: Bool, uncertain: Bool, stream: UInt64) {
        self.central = central; self.monteCarloSigma = monteCarloSigma; self.displayGroup = displayGroup; self.modelGroup = modelGroup
        self.fromDLP = fromDLP; self.uncertain = uncertain; self.stream = stream
    }
}

/// Monte Carlo realisations of imaging organ doses with shared and unshared errors (the scheme
/// of the cardiac reconstruction, docs/dose-realisations.md): realisation r of every exam of a
/// group uses the same draw of the group's shared errors, so that summing a child's exams, or
/// every child's, within one realisation keeps shared errors shared (Stram & Kopecky, Health
/// Phys 2003). Per exam and realisation:
///
///     dose_q,r = central_q · D[g_display, r] · M[g_model, r] · S_r · L_r · C_q,r
///
/// D, M shared (display calibration, coefficient model), S the scan range, L the DLP-derived
/// length (only when CTDIvol came from DLP) and C_q the coefficient's Monte Carlo statistics
/// (relative σ capped at 1, as the calculator's intervals), all unshared.
public struct ImagingRealisations: Sendable {
    public let realisations: Int
    public let model: ImagingRealisationModel
    public let seed: UInt64
    /// Shared factors [group][realisation].
    let display: [Float], coefficient: [Float]

    /// Draws the shared factors of `displayGroups` and `modelGroups` groups. Each group's draws
    /// come from a stream keyed by its name (`displayKeys`, `modelKeys`), so a group draws the
    /// same factors whichever other groups exist: an incremental run stays bit-identical.
    /// `modelGSDs`: the coefficient-model GSD of model groups whose model is not the CT one (kV imaging: `cbct_model`, `planar_kv_model`;
    /// radiography and fluoroscopy: `radiography_model`, `fluoroscopy_model`); others use `model.model`. `displayGSDs`: likewise for
    /// display groups whose error is not a display calibration (radiographs without a recorded dose: `radiography_typical_technique`).
    public init(displayKeys: [String], modelKeys: [String], realisations n: Int, model: ImagingRealisationModel, seed: UInt64,
                modelGSDs: [String: Double] = [:], displayGSDs: [String: Double] = [:]) {
        self.realisations = n; self.model = model; self.seed = seed
        func draw(_ keys: [String], _ gsd: Double, _ salt: String, _ gsds: [String: Double] = [:]) -> [Float] {
            var out = [Float](repeating: 1, count: keys.count * n)
            for (g, key) in keys.enumerated() {
                let s = log(gsds[key] ?? gsd)
                var rng = RandomStream(seed: seed, stream: StableHash.of(salt + "|" + key))
                for r in 0..<n { out[g * n + r] = Float(exp(s * rng.normal() - s * s / 2)) }
            }
            return out
        }
        display = draw(displayKeys, model.display, "imaging display", displayGSDs)
        coefficient = draw(modelKeys, model.model, "imaging model", modelGSDs)
    }

    /// Writes the realisations of one exam, `[quantity][realisation]`, into `out`
    /// (`DoseQuantity.count × realisations` values; NaN where the exam gives no value).
    public func fill(_ exam: ImagingExamDraw, into out: UnsafeMutableBufferPointer<Float16>) {
        let n = realisations
        var rng = RandomStream(seed: seed, stream: exam.stream)
        var unshared = [Float](repeating: 1, count: n)
        if exam.uncertain {
            let s = log(model.scanRange), l = exam.fromDLP ? log(model.lengthFromDLP) : 0
            for r in 0..<n {
                var f = exp(s * rng.normal() - s * s / 2)
                if exam.fromDLP { f *= exp(l * rng.normal() - l * l / 2) }
                unshared[r] = Float(f)
            }
        }
        for q in 0..<DoseQuantity.count {
            let c = exam.central[q], base = q * n
            guard c.isFinite else { for r in 0..<n { out[base + r] = .nan }; continue }
            guard exam.uncertain else { for r in 0..<n { out[base + r] = Float16(Float(c)) }; continue }
            let sigma = log(1 + min(max(exam.monteCarloSigma[q], 0), 1))
            let dg = exam.displayGroup * n, mg = exam.modelGroup * n
            for r in 0..<n {
                let mc = sigma > 0 ? Float(exp(sigma * rng.normal() - sigma * sigma / 2)) : 1
                out[base + r] = Float16(Float(c) * display[dg + r] * coefficient[mg + r] * unshared[r] * mc)
            }
        }
    }
}
