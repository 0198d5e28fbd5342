import Foundation
import HarmonicCore
import Transport

/// The imaging modalities of `diagnostic_imaging` and `rt_imaging`.
public enum ImagingModality: String, CaseIterable, Sendable, Codable {
    case ct, cbct
    case planarKV = "planar_kv", planarMV = "planar_mv"
    case radiography, fluoroscopy
    case nuclearMedicine = "nuclear_medicine"
    case petCT = "pet_ct"

    public init(parsing text: String) throws {
        let t = text.lowercased().replacingOccurrences(of: "-", with: "_")
        guard let m = ImagingModality(rawValue: t) else {
            throw DoseModelError("modality '\(text)': expected one of \(ImagingModality.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self = m
    }
}

/// One imaging exam as recorded.
public struct ImagingExam: Sendable {
    public var modality: ImagingModality
    public var region: String
    public var ageYears: Double
    public var sex: Sex
    /// CTDIvol (mGy) as displayed, in `ctdiPhantom` (nil = the region's reference phantom).
    public var ctdivol: Double?
    /// Dose-length product (mGy·cm).
    public var dlp: Double?
    public var kVp: Double?
    public var ctdiPhantom: Double?
    /// Effective dose as recorded (mSv), e.g. nuclear medicine.
    public var effectiveDose: Double?
    /// Calendar year of the exam (decimal): the CTDIvol plausibility bound allows older practice's
    /// higher doses; nil = unknown (the most permissive era).
    public var year: Double?
    /// A radiotherapy planning CT: acquired at higher doses than diagnostic CT (10-30 mGy, as the
    /// synthetic RT registry cites from AAPM TG-180, Ding et al. 2018), so only the absolute CTDIvol
    /// bounds apply, not the paediatric diagnostic reference by age.
    public var radiotherapyPlanning = false
    /// Radiotherapy kV imaging: the CBCT's weighted CTDI (mGy, in the region's reference CTDI
    /// phantom: 16 cm head and neck, 32 cm trunk) or the entrance air kerma (mGy) of each image of
    /// a planar kV pair, as the imager records it.
    public var doseIndex: Double?
    /// CBCT tube current-time product (mAs) when no dose index is recorded.
    public var mAs: Double?
    /// Kerma-area product of a radiograph or a fluoroscopy (Gy·cm²), as the KAP meter records it.
    public var kap: Double?

    public init(modality: ImagingModality, region: String, ageYears: Double, sex: Sex, ctdivol: Double? = nil, dlp: Double? = nil,
                kVp: Double? = nil, ctdiPhantom: Double? = nil, effectiveDose: Double? = nil, year: Double? = nil) {
        self.modality = modality; self.region = region; self.ageYears = ageYears; self.sex = sex; self.ctdivol = ctdivol
        self.dlp = dlp; self.kVp = kVp; self.ctdiPhantom = ctdiPhantom; self.effectiveDose = effectiveDose; self.year = year
    }
}

/// A dose with its 95% interval (lognormal).
public struct IntervalDose: Sendable, Codable, Equatable {
    public let central: Double, low95: Double, high95: Double
    init(_ central: Double, gsd: Double) {
        let k = pow(gsd, 1.959964)
        self.central = central; low95 = central / k; high95 = central * k
    }
}

public struct ImagingOrganDose: Sendable, Codable, Equatable {
    public let organ: Organ
    /// mGy.
    public let dose: IntervalDose
}

public struct UncertaintyComponent: Sendable, Codable, Equatable {
    public let component: String
    public let gsd: Double
    public let source: String
}

/// Organ doses of one imaging exam with their intervals and everything they rest on.
public struct ImagingDoseReport: Sendable, Codable {
    public let modality: ImagingModality
    public let region: String
    public let ageYears: Double
    public let sex: Sex
    public let kVp: Double?
    /// "recorded", "assumed (none recorded)", "clamped to the table's range".
    public let kVpSource: String?
    /// CTDIvol in the reference phantom (mGy) and where it came from.
    public let ctdivol: Double?
    public let ctdivolSource: String?
    public let referencePhantomCm: Double?
    public let dlp: Double?
    /// The phantom's clinical scan length (cm) for the region and age (DLP = CTDIvol × it): the
    /// region's scan range, for the head the skull base to the vertex (`CTRegion.clinicalScanLength`).
    public let phantomScanLength: Double?
    public let organs: [ImagingOrganDose]
    /// ICRP 103 effective dose (mSv).
    public let effectiveDose: IntervalDose?
    public let uncertainty: [UncertaintyComponent]
    public let notes: [String]
    /// Radiography and fluoroscopy: the KAP (Gy·cm²) and entrance air kerma (mGy, free in air at
    /// the skin) the doses were scaled by, the one recorded or assumed and the other through the
    /// simulated field, and where the used one came from.
    public var kap: Double? = nil
    public var entranceAirKerma: Double? = nil
    public var doseIndexSource: String? = nil

    public func dose(_ organ: Organ) -> ImagingOrganDose? { organs.first { $0.organ == organ } }
}

/// Absolute plausible CTDIvol range (mGy) for a CT region, whatever the age: outside it, the value
/// is more likely a unit or transcription error than a real scan. Harmonic's assumption: 0.1 mGy
/// (below any diagnostic scan's output) to 150 mGy head/neck and 100 mGy body. Within it the bound
/// by age and era of `PaediatricCTReference` applies (docs/imaging-dose.md).
public enum CTPlausibility {
    public static func ctdivolRange(_ region: CTRegion) -> ClosedRange<Double> { region.isHeadScan ? 0.1...150 : 0.1...100 }
    /// DLP / CTDIvol is the scan length; accepted from 0.4 to 3 times the phantom's length for
    /// the region and age (partial scans; several series summed into one DLP).
    public static let lengthRatio: ClosedRange<Double> = 0.4...3
}

/// Imaging organ doses from recorded exam quantities.
public struct ImagingDoseCalculator: Sendable {
    public let ct: CTCoefficientTable
    /// Radiotherapy kV imaging coefficients (CBCT, planar kV pair); nil = not loaded (those modalities are refused).
    public let kv: KVImagingCoefficientTable?
    /// Projection radiography and fluoroscopy coefficients; nil = not loaded (those modalities are refused).
    public var radiography: RadiographyCoefficientTable? = nil
    public let components: [(component: String, appliesTo: String, gsd: Double, source: String)]

    /// The variance of ln(dose) of independent lognormal components: Σ ln² GSD (the combination
    /// `imaging-dose-uncertainty.csv` states).
    static func logVariance(_ used: [(component: String, appliesTo: String, gsd: Double, source: String)]) -> Double {
        used.reduce(0.0) { $0 + log($1.gsd) * log($1.gsd) }
    }
    /// Paediatric reference CTDIvol by age: the plausibility bounds of a recorded CTDIvol.
    public let reference: PaediatricCTReference

    /// `reference`: nil = the committed table (`Resources/paediatric-ct-ctdivol-p75.csv`).
    public init(ct: CTCoefficientTable, uncertaintyCSV: String, reference: PaediatricCTReference? = nil, kv: KVImagingCoefficientTable? = nil) throws {
        self.ct = ct
        self.kv = kv
        self.reference = try reference ?? PaediatricCTReference.loadDefault()
        var rows: [(String, String, Double, String)] = []
        for (n, line) in uncertaintyCSV.split(separator: "\n").enumerated() where !line.hasPrefix("#") && !line.hasPrefix("component,") {
            let f = line.split(separator: ",", maxSplits: 3).map(String.init)
            guard f.count == 4, let g = Double(f[2]), g >= 1 else {
                throw DoseModelError("imaging-dose-uncertainty.csv line \(n + 1): '\(line)', expected component,applies_to,gsd (>= 1),source")
            }
            rows.append((f[0], f[1], g, f[3].trimmingCharacters(in: CharacterSet(charactersIn: "\""))))
        }
        components = rows
    }

    /// The committed tables of this module.
    public static func loadDefault() throws -> ImagingDoseCalculator {
        guard let url = Bundle.module.url(forResource: "imaging-dose-uncertainty", withExtension: "csv", subdirectory: "Resources") else {
            throw DoseModelError("Resources/imaging-dose-uncertainty.csv is missing from the Dosimetry bundle")
        }
        var calculator = try ImagingDoseCalculator(ct: try CTCoefficientTable.loadDefault(), uncertaintyCSV: String(contentsOf: url, encoding: .utf8),
                                                   kv: try KVImagingCoefficientTable.loadDefault())
        calculator.radiography = try RadiographyCoefficientTable.loadDefault()
        return calculator
    }

    /// Organ doses of an exam; throws a `DoseModelError` naming the field, value and what was
    /// expected for bad or insufficient input (never a silent default).
    public func estimate(_ exam: ImagingExam) throws -> ImagingDoseReport {
        guard exam.ageYears.isFinite, (0...120).contains(exam.ageYears) else {
            throw DoseModelError("age \(exam.ageYears) years: expected 0-120")
        }
        switch exam.modality {
        case .ct: return try estimateCT(exam)
        case .cbct, .planarKV: return try estimateKV(exam)
        case .radiography, .fluoroscopy: return try estimateRadiography(exam)
        case .nuclearMedicine, .petCT:
            guard let e = exam.effectiveDose, e.isFinite, e >= 0 else {
                throw DoseModelError("\(exam.modality.rawValue): no effective dose recorded; Harmonic reports nuclear medicine as the recorded effective dose and has no activity-based model")
            }
            return ImagingDoseReport(modality: exam.modality, region: exam.region, ageYears: exam.ageYears, sex: exam.sex, kVp: nil,
                                     kVpSource: nil, ctdivol: nil, ctdivolSource: nil, referencePhantomCm: nil, dlp: nil, phantomScanLength: nil,
                                     organs: [], effectiveDose: IntervalDose(e, gsd: 1), uncertainty: [],
                                     notes: ["effective dose as recorded; no organ split: Harmonic holds no published biokinetic table for the radiopharmaceutical (not recorded in diagnostic_imaging)"])
        default:
            throw DoseModelError("modality \(exam.modality.rawValue): organ doses are not implemented in Harmonic (CT, CBCT, planar kV, radiography, fluoroscopy and nuclear medicine are; planar MV through its course's port); see docs/imaging-dose.md")
        }
    }

    func estimateCT(_ exam: ImagingExam) throws -> ImagingDoseReport {
        let region: CTRegion
        do { region = try CTRegion(parsing: exam.region) } catch let e as TransportInputError {
            throw DoseModelError("body region '\(exam.region)': expected \(e.expected)")
        }
        var notes: [String] = []
        let kvp: Double, kvpSource: String
        if let k = exam.kVp {
            guard k.isFinite, (60...150).contains(k) else { throw DoseModelError("kVp \(k): expected a CT tube voltage 60-150 kV") }
            kvp = k; kvpSource = "recorded"
        } else {
            kvp = 120; kvpSource = "assumed 120 kV (none recorded)"
            notes.append("kVp not recorded: 120 kV assumed; effective dose per DLP changes by 3-15% from 80 to 120 kV in Lee et al. 2012 Table XII (docs/imaging-dose.md)")
        }
        let (entry, clamped) = try ct.lookup(region: region, ageYears: exam.ageYears, sex: exam.sex, kVp: kvp)
        if clamped { notes.append("kVp \(kvp) outside the table's \(ct.kVps.map { String(format: "%g", $0) }.joined(separator: "/")) kV: nearest used") }
        let refPhantom = entry.referencePhantom
        // DLP = CTDIvol × the clinical scan length: a head CT runs from the skull base to the vertex, shorter than the phantom's whole head.
        let scanLength = region.clinicalScanLength(phantomScanLength: entry.scanLength)
        var ctdivol: Double, source: String
        if let c = exam.ctdivol {
            guard c.isFinite else { throw DoseModelError("CTDIvol \(c): expected a number of mGy") }
            if let p = exam.ctdiPhantom, p != refPhantom {
                guard p == 16 || p == 32 else { throw DoseModelError("CTDI phantom \(p) cm: expected 16 or 32") }
                ctdivol = c / entry.otherPhantomRatio
                source = String(format: "recorded %.3g mGy in the %g cm phantom, converted to %g cm", c, p, refPhantom)
            } else {
                ctdivol = c; source = "recorded"
            }
            let bound = exam.radiotherapyPlanning
                ? (range: CTPlausibility.ctdivolRange(region), basis: "the absolute bounds for a radiotherapy planning CT (no paediatric diagnostic reference applies)")
                : reference.range(region, ageYears: exam.ageYears, year: exam.year)
            guard bound.range.contains(ctdivol) else {
                throw DoseModelError(String(format: "CTDIvol %.3g mGy (%.3g mGy in the %g cm phantom) for a %@ scan at age %.1f: outside the plausible %.3g-%.3g mGy: %@ (docs/imaging-dose.md)",
                                            c, ctdivol, refPhantom, region.rawValue, exam.ageYears, bound.range.lowerBound, bound.range.upperBound, bound.basis))
            }
            if let d = exam.dlp {
                guard d.isFinite, d > 0 else { throw DoseModelError("DLP \(d): expected a positive number of mGy·cm") }
                let ratio = d / c / scanLength
                guard CTPlausibility.lengthRatio.contains(ratio) else {
                    throw DoseModelError(String(format: "DLP %.4g mGy·cm with CTDIvol %.3g mGy implies a %.1f cm scan; a %@ scan at age %.1f is about %.1f cm (accepted %.1f-%.1f times that): DLP inconsistent with CTDIvol x scan length",
                                                d, c, d / c, region.rawValue, exam.ageYears, scanLength,
                                                CTPlausibility.lengthRatio.lowerBound, CTPlausibility.lengthRatio.upperBound))
                }
            }
        } else if let d = exam.dlp {
            guard d.isFinite, d > 0 else { throw DoseModelError("DLP \(d): expected a positive number of mGy·cm") }
            ctdivol = d / scanLength
            if let p = exam.ctdiPhantom, p != refPhantom { ctdivol /= entry.otherPhantomRatio }
            source = String(format: region == .head ? "DLP / clinical head scan length, skull base to vertex (%.1f cm)" : "DLP / phantom scan length (%.1f cm)", scanLength)
            notes.append("no CTDIvol recorded: taken as DLP divided by the phantom's scan length")
        } else if exam.radiotherapyPlanning {
            throw DoseModelError("CT exam with neither CTDIvol nor DLP: a radiotherapy planning CT has no paediatric diagnostic reference to take a typical CTDIvol from, so no dose is given (never a silent default)")
        } else {
            // No dose recorded: the typical CTDIvol for the region, age and era, stated, with the wide `ct_typical_technique` error.
            let typical = reference.typicalCTDIvol(region, ageYears: exam.ageYears, year: exam.year)
            ctdivol = typical.phantom == refPhantom ? typical.ctdivol : typical.ctdivol / entry.otherPhantomRatio
            source = typical.basis
            notes.append("no CTDIvol or DLP recorded: " + typical.basis + "; hospitals and children differ from it by factors of several, hence the wide interval")
        }
        let unscored = entry.organs.filter { $0.value.value == 0 }.map(\.key.rawValue).sorted()
        if !unscored.isEmpty {
            notes.append("no dose scored in \(unscored.joined(separator: ", ")): far outside the scan, below the Monte Carlo resolution of the committed table (0 means small, not exactly zero)")
        }
        let typical = exam.ctdivol == nil && exam.dlp == nil
        let used = components.filter { c in
            switch c.appliesTo {
            case "ct": return !(typical && c.component == "ctdivol_display")  // no display without a recorded value
            case "ct_dlp_only": return exam.ctdivol == nil && !typical
            case "ct_typical": return typical
            default: return false
            }
        }
        let shared = Self.logVariance(used)
        let organs = entry.organs.keys.sorted { $0.rawValue < $1.rawValue }.map { organ -> ImagingOrganDose in
            let c = entry.organs[organ]!
            // An organ the simulation scored nothing or little in (far outside the scan) has an
            // infinite or huge batch uncertainty: taken as 100% (stated in docs/imaging-dose.md).
            let mc = log(1 + (c.sigma.isFinite ? min(c.sigma, 1) : 1))
            return ImagingOrganDose(organ: organ, dose: IntervalDose(c.value * ctdivol, gsd: exp((shared + mc * mc).squareRoot())))
        }
        return ImagingDoseReport(modality: .ct, region: region.rawValue, ageYears: exam.ageYears, sex: exam.sex, kVp: kvp, kVpSource: clamped ? kvpSource + ", clamped to the table's range" : kvpSource,
                                 ctdivol: ctdivol, ctdivolSource: source, referencePhantomCm: refPhantom, dlp: exam.dlp,
                                 phantomScanLength: scanLength, organs: organs,
                                 effectiveDose: IntervalDose(entry.effective103 * ctdivol, gsd: exp(shared.squareRoot())),
                                 uncertainty: used.map { UncertaintyComponent(component: $0.component, gsd: $0.gsd, source: $0.source) }
                                     + [UncertaintyComponent(component: "monte_carlo_statistics", gsd: .nan, source: "per organ, from the batch spread of the simulation (relative_uncertainty in ct-organ-dose-coefficients.csv)")],
                                 notes: notes)
    }
}

extension ImagingDoseCalculator {
    /// The canonical name of a CT body region ("CAP" → chest_abdomen_pelvis); a `DoseModelError`
    /// naming the accepted values otherwise.
    public static func ctRegionName(_ text: String) throws -> String {
        do { return try CTRegion(parsing: text).rawValue } catch let e as TransportInputError {
            throw DoseModelError("body region '\(text)': expected \(e.expected)")
        }
    }

    /// Relative 1σ Monte Carlo uncertainty of each organ's CT coefficient (capped at 1: an organ
    /// scored little or nothing), for the realisations of the store run. Empty for an unknown region.
    public func monteCarloSigma(region: String, ageYears: Double, sex: Sex, kVp: Double) -> [Organ: Double] {
        guard let r = try? CTRegion(parsing: region), let entry = try? ct.lookup(region: r, ageYears: ageYears, sex: sex, kVp: kVp).entry else { return [:] }
        return entry.organs.mapValues { $0.sigma.isFinite ? min($0.sigma, 1) : 1 }
    }
}
