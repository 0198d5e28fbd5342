import Foundation
import HarmonicCore
import Transport

/// Plausible recorded dose indices of radiotherapy kV imaging. Harmonic's assumption (no published
/// tolerance): CBCT CTDIw 0.05-150 mGy (Varian OBI 1.3 gave ~100 mGy in an anthropomorphic phantom,
/// up to 144 mGy: Palm et al., J Appl Clin Med Phys 2010;11(1):229; paediatric protocols go well
/// below 1 mGy); planar kV entrance air kerma 0.005-20 mGy per image (AAPM TG-180 quotes ~0.1-1 mGy:
/// the synthetic RT registry's range; ×20 above it for old or adult techniques is the margin).
public enum KVImagingPlausibility {
    public static let cbctCTDIw: ClosedRange<Double> = 0.05...150
    public static let planarEntranceAirKerma: ClosedRange<Double> = 0.005...20
    /// mAs of one CBCT rotation (linac imagers: tens to a few thousand mAs).
    public static let cbctMAs: ClosedRange<Double> = 1...5000
}

extension ImagingDoseCalculator {
    /// Organ doses of one radiotherapy kV imaging session: a CBCT rotation (coefficient per CTDIw ×
    /// the recorded CTDIw; or, with only the mAs recorded, × the simulated tube's CTDIw per mAs,
    /// with the `cbct_tube_output` error) or a planar kV pair (coefficient per entrance air kerma ×
    /// the recorded entrance air kerma of each image). Never a default index.
    func estimateKV(_ exam: ImagingExam) throws -> ImagingDoseReport {
        guard let kv else { throw DoseModelError("the kV imaging coefficient table is not loaded: \(exam.modality.rawValue) cannot be dosed") }
        let region: CTRegion
        do { region = try CTRegion(parsing: exam.region) } catch let e as TransportInputError {
            throw DoseModelError("body region '\(exam.region)': expected \(e.expected)")
        }
        guard [.head, .neck, .chest, .abdomen, .pelvis].contains(region) else {
            throw DoseModelError("body region '\(exam.region)': expected one of head, neck, chest, abdomen, pelvis for \(exam.modality.rawValue) (one rotation or image pair covers one region)")
        }
        let modality: KVImagingDoses.Modality = exam.modality == .cbct ? .cbct : .planarKV
        let entry = try kv.lookup(modality, region: region, ageYears: exam.ageYears, sex: exam.sex)
        var notes: [String] = [], source: String
        var index: Double
        var extra: [(component: String, appliesTo: String, gsd: Double, source: String)] = []
        if let d = exam.doseIndex {
            guard d.isFinite else { throw DoseModelError("dose index \(d): expected a number of mGy") }
            let range = modality == .cbct ? KVImagingPlausibility.cbctCTDIw : KVImagingPlausibility.planarEntranceAirKerma
            let what = modality == .cbct ? "CBCT CTDIw" : "planar kV entrance air kerma per image"
            guard range.contains(d) else {
                throw DoseModelError(String(format: "%@ %.4g mGy: outside the plausible %.3g-%.3g mGy (Harmonic's bound, docs/imaging-dose.md)", what, d, range.lowerBound, range.upperBound))
            }
            index = d; source = "recorded"
        } else if let m = exam.mAs, modality == .cbct {
            guard m.isFinite, KVImagingPlausibility.cbctMAs.contains(m) else {
                throw DoseModelError(String(format: "mAs %.4g: expected %.0f-%.0f mAs for one CBCT rotation", m, KVImagingPlausibility.cbctMAs.lowerBound, KVImagingPlausibility.cbctMAs.upperBound))
            }
            index = m * entry.indexPerMAs
            source = String(format: "%.4g mAs × %.4g mGy/mAs (the simulated tube's CTDIw per mAs)", m, entry.indexPerMAs)
            notes.append("no CTDIw recorded: taken from the mAs and the simulated tube's output (filtration and bowtie assumed: the cbct_tube_output error applies)")
            extra = components.filter { $0.appliesTo == "cbct_mas_only" }
        } else {
            throw DoseModelError(modality == .cbct
                ? "CBCT with neither CTDIw nor mAs: Harmonic has no cited default CBCT protocol dose, so no dose is given (never a silent default)"
                : "planar kV with no entrance air kerma: Harmonic has no cited default planar kV technique, so no dose is given (never a silent default)")
        }
        let unscored = entry.organs.filter { $0.value.value == 0 }.map(\.key.rawValue).sorted()
        if !unscored.isEmpty { notes.append("no dose scored in \(unscored.joined(separator: ", ")): far outside the beam (0 means small, not exactly zero)") }
        let used = components.filter { $0.appliesTo == modality.rawValue || $0.appliesTo == "kv_imaging" } + extra
        let shared = Self.logVariance(used)
        let organs = entry.organs.keys.sorted { $0.rawValue < $1.rawValue }.map { organ -> ImagingOrganDose in
            let c = entry.organs[organ]!
            let mc = log(1 + (c.sigma.isFinite ? min(c.sigma, 1) : 1))
            return ImagingOrganDose(organ: organ, dose: IntervalDose(c.value * index, gsd: exp((shared + mc * mc).squareRoot())))
        }
        return ImagingDoseReport(modality: exam.modality, region: region.rawValue, ageYears: exam.ageYears, sex: exam.sex, kVp: entry.kVp,
                                 kVpSource: "the default protocol's (\(modality == .cbct ? (region.isHeadScan ? "full-fan head" : "half-fan body") : "planar pair")), not recorded",
                                 ctdivol: index, ctdivolSource: (modality == .cbct ? "CTDIw " : "entrance air kerma per image ") + source,
                                 referencePhantomCm: modality == .cbct ? (region.isHeadScan ? 16 : 32) : nil, dlp: nil, phantomScanLength: nil,
                                 organs: organs, effectiveDose: IntervalDose(entry.effective103 * index, gsd: exp(shared.squareRoot())),
                                 uncertainty: used.map { UncertaintyComponent(component: $0.component, gsd: $0.gsd, source: $0.source) }
                                     + [UncertaintyComponent(component: "monte_carlo_statistics", gsd: .nan, source: "per organ, from the batch spread (relative_uncertainty in \(KVImagingCoefficientTable.fileName))")],
                                 notes: notes)
    }

    /// Relative 1σ Monte Carlo uncertainty of each organ's kV imaging coefficient (capped at 1).
    public func kvMonteCarloSigma(_ modality: ImagingModality, region: String, ageYears: Double, sex: Sex) -> [Organ: Double] {
        guard let kv, let r = try? CTRegion(parsing: region),
              let e = try? kv.lookup(modality == .cbct ? .cbct : .planarKV, region: r, ageYears: ageYears, sex: sex) else { return [:] }
        return e.organs.mapValues { $0.sigma.isFinite ? min($0.sigma, 1) : 1 }
    }

    /// GSD of the shared coefficient-model error of a modality (`cbct_model`, `planar_kv_model`, `radiography_model` ... in the uncertainty table); nil when absent.
    public func modelGSD(_ modality: ImagingModality) -> Double? { componentGSD("\(modality.rawValue)_model") }

    /// GSD of a named component of the uncertainty table; nil when absent.
    public func componentGSD(_ component: String) -> Double? { components.first { $0.component == component }?.gsd }
}
