import Foundation
import HarmonicCore
import Transport

/// Plausible recorded dose quantities of one radiograph or one fluoroscopy: Harmonic's bounds (no
/// published tolerance), wide enough for neonates and adults of older practice: outside them a
/// value is more likely a unit error (µGy·m², cGy·cm², mGy·cm² for Gy·cm²) than a real exam.
public enum RadiographyPlausibility {
    /// KAP of one radiograph, Gy·cm² (a neonatal chest is ~0.002-0.02; an adult abdomen ~1-3).
    public static let radiographKAP: ClosedRange<Double> = 0.0001...20
    /// Entrance air kerma of one radiograph, mGy (neonatal chest ~0.03-0.1; adult lumbar spine lateral ~10).
    public static let radiographEntranceAirKerma: ClosedRange<Double> = 0.005...50
    /// KAP of one fluoroscopic examination, Gy·cm².
    public static let fluoroscopyKAP: ClosedRange<Double> = 0.001...500
}

extension ImagingDoseCalculator {
    /// Organ doses of one radiograph or one fluoroscopic examination of a body region: Harmonic's
    /// coefficient per KAP × the recorded KAP, or per entrance air kerma × the recorded entrance air
    /// kerma; a radiograph with neither takes the typical entrance air kerma of its region and age
    /// (`TypicalRadiographyTechnique`, with the `radiography_typical_technique` error and a note).
    /// Fluoroscopy needs its KAP: no typical fluoroscopy dose is cited, so none is assumed.
    func estimateRadiography(_ exam: ImagingExam) throws -> ImagingDoseReport {
        guard let table = radiography else { throw DoseModelError("the radiography coefficient table is not loaded: \(exam.modality.rawValue) cannot be dosed") }
        let region: CTRegion
        do { region = try CTRegion(parsing: exam.region) } catch let e as TransportInputError {
            throw DoseModelError("body region '\(exam.region)': expected \(e.expected)")
        }
        guard RadiographySimulation.regions.contains(region) else {
            throw DoseModelError("body region '\(exam.region)': expected one of \(RadiographySimulation.regions.map(\.rawValue).joined(separator: ", ")) for \(exam.modality.rawValue) (one field covers one region)")
        }
        let modality: RadiographyDoses.Modality = exam.modality == .fluoroscopy ? .fluoroscopy : .radiography
        let entry = try table.lookup(modality, region: region, ageYears: exam.ageYears, sex: exam.sex)
        let kapPerESAK = entry.effective103.perEntranceAirKerma / entry.effective103.perKAP
        var notes: [String] = []
        var extra: [(component: String, appliesTo: String, gsd: Double, source: String)] = []
        let perKAP: Bool, index: Double, source: String
        if let k = exam.kap {
            let range = modality == .fluoroscopy ? RadiographyPlausibility.fluoroscopyKAP : RadiographyPlausibility.radiographKAP
            guard k.isFinite, range.contains(k) else {
                throw DoseModelError(String(format: "KAP %.4g Gy·cm²: outside the plausible %.4g-%.4g Gy·cm² of one %@ (Harmonic's bound; check the unit: 1 Gy·cm² = 1000 mGy·cm² = 100 µGy·m²)",
                                            k, range.lowerBound, range.upperBound, modality == .fluoroscopy ? "fluoroscopic examination" : "radiograph"))
            }
            perKAP = true; index = k; source = "KAP recorded"
        } else if let d = exam.doseIndex, modality == .radiography {
            let range = RadiographyPlausibility.radiographEntranceAirKerma
            guard d.isFinite, range.contains(d) else {
                throw DoseModelError(String(format: "entrance air kerma %.4g mGy: outside the plausible %.3g-%.3g mGy of one radiograph (Harmonic's bound)", d, range.lowerBound, range.upperBound))
            }
            perKAP = false; index = d; source = "entrance air kerma recorded"
        } else if modality == .radiography, let typical = TypicalRadiographyTechnique.entranceAirKerma(region: region.rawValue, ageYears: exam.ageYears) {
            perKAP = false; index = typical; source = TypicalRadiographyTechnique.source
            notes.append(String(format: "no KAP or entrance air kerma recorded: the typical %.3g mGy of a %@ radiograph at this age assumed (FDA 2017, Table 2); hospitals differ by factors of several, hence the wide interval",
                                typical, region.rawValue))
            extra = components.filter { $0.appliesTo == "radiography_typical" }
        } else {
            throw DoseModelError(modality == .fluoroscopy
                ? "fluoroscopy with no KAP recorded: Harmonic has no cited typical fluoroscopy dose, so no dose is given (never a silent default)"
                : "radiography of the \(region.rawValue) with no KAP or entrance air kerma recorded: Harmonic holds a typical value only for the head, chest, abdomen and pelvis, so no dose is given")
        }
        let unscored = entry.organs.filter { $0.value.perKAP == 0 }.map(\.key.rawValue).sorted()
        if !unscored.isEmpty { notes.append("no dose scored in \(unscored.joined(separator: ", ")): far outside the field (0 means small, not exactly zero)") }
        let used = components.filter { $0.appliesTo == modality.rawValue || $0.appliesTo == "radiography_fluoroscopy" } + extra
        let shared = Self.logVariance(used)
        func scaled(_ c: RadiographyCoefficientTable.Coefficient) -> Double { perKAP ? c.perKAP * index : c.perEntranceAirKerma * index }
        let organs = entry.organs.keys.sorted { $0.rawValue < $1.rawValue }.map { organ -> ImagingOrganDose in
            let c = entry.organs[organ]!
            let mc = log(1 + (c.sigma.isFinite ? min(c.sigma, 1) : 1))
            return ImagingOrganDose(organ: organ, dose: IntervalDose(scaled(c), gsd: exp((shared + mc * mc).squareRoot())))
        }
        var report = ImagingDoseReport(modality: exam.modality, region: region.rawValue, ageYears: exam.ageYears, sex: exam.sex, kVp: entry.kVp,
                                       kVpSource: "the simulated technique's (\(entry.view.uppercased()) view, \(String(format: "%.0f", entry.fieldSide)) cm field), not recorded",
                                       ctdivol: nil, ctdivolSource: nil, referencePhantomCm: nil, dlp: nil, phantomScanLength: nil,
                                       organs: organs, effectiveDose: IntervalDose(scaled(entry.effective103), gsd: exp(shared.squareRoot())),
                                       uncertainty: used.map { UncertaintyComponent(component: $0.component, gsd: $0.gsd, source: $0.source) }
                                           + [UncertaintyComponent(component: "monte_carlo_statistics", gsd: .nan, source: "per organ, from the batch spread (relative_uncertainty in \(RadiographyCoefficientTable.fileName))")],
                                       notes: notes)
        report.kap = perKAP ? index : index * kapPerESAK
        report.entranceAirKerma = perKAP ? index / kapPerESAK : index
        report.doseIndexSource = source + (perKAP ? "; entrance air kerma through the simulated field" : "; KAP through the simulated field")
        return report
    }

    /// Relative 1σ Monte Carlo uncertainty of each organ's radiography or fluoroscopy coefficient (capped at 1).
    public func radiographyMonteCarloSigma(_ modality: ImagingModality, region: String, ageYears: Double, sex: Sex) -> [Organ: Double] {
        guard let radiography, let r = try? CTRegion(parsing: region),
              let e = try? radiography.lookup(modality == .fluoroscopy ? .fluoroscopy : .radiography, region: r, ageYears: ageYears, sex: sex) else { return [:] }
        return e.organs.mapValues { $0.sigma.isFinite ? min($0.sigma, 1) : 1 }
    }
}
