import Dosimetry
import Foundation
import HarmonicCore
import RTDose

/// Tier of an imaging exam's dose in `imaging_exam_organ_dose` (docs/imaging-dose.md, "Whole store"):
public enum ImagingDoseTier: String, Sendable, CaseIterable, Codable {
    /// CT with its CTDIvol recorded: organ dose = Harmonic's coefficient × CTDIvol (× sessions).
    case ctdivolRecorded = "ctdivol_recorded"
    /// CT with only DLP: CTDIvol = DLP / the phantom's scan length (stated), a wider error.
    case dlpOnly = "dlp_only"
    /// The recorded effective dose only (nuclear medicine, or an exam with no model but an
    /// effective dose): no organ doses.
    case effectiveRecorded = "effective_recorded"
    /// No ionising radiation (MRI): every dose is zero, truly.
    case noIonising = "no_ionising"
    /// Radiotherapy CBCT or planar kV pair with its dose index recorded (`dose_per_session_mgy`:
    /// the CBCT's CTDIw, or the entrance air kerma of each planar image): Harmonic's kV imaging
    /// coefficient × index × sessions (docs/imaging-dose.md).
    case kvIndexRecorded = "kv_index_recorded"
    /// Radiotherapy MV portal images with the dose they deliver at the isocentre recorded
    /// (`dose_per_session_mgy`, the dose the planning system reports for the imaging monitor units,
    /// as AAPM TG-180 recommends): the image is made with the treatment beam through the treatment
    /// port, so organ dose = (organ dose per Gy at the target of the course's site-typical field,
    /// RTDose course-record tier, an unmodulated photon field) × recorded dose × sessions.
    case mvDoseRecorded = "mv_dose_recorded"
    /// A radiograph or a fluoroscopy with its KAP (or a radiograph with its entrance air kerma)
    /// recorded: Harmonic's radiography coefficient × the recorded value (docs/imaging-dose.md).
    case xrayDoseRecorded = "xray_dose_recorded"
    /// A radiograph or a diagnostic CT with no dose recorded: the typical entrance air kerma for
    /// its region and age (FDA 2017, `TypicalRadiographyTechnique`), or the typical CTDIvol for its
    /// region, age and era (`PaediatricCTReference.typicalCTDIvol`), with the wide
    /// `radiography_typical_technique` or `ct_typical_technique` error.
    case typicalTechnique = "typical_technique"
    /// A modality Harmonic has no organ-dose model for (mammography, diagnostic CBCT, planar kV or
    /// MV): no dose, the reason says so. Not a data error.
    case notModelled = "not_modelled"
    /// The row cannot be dosed (unknown region, implausible CTDIvol, DLP inconsistent with
    /// CTDIvol × scan length, missing values): no dose, the reason names the row, field and value.
    case flagged

    /// Whether the exam has organ doses.
    public var hasOrganDoses: Bool { isModelled || self == .noIonising }
    /// Whether the dose is a model estimate drawn with errors in the realisations.
    public var isModelled: Bool {
        [.ctdivolRecorded, .dlpOnly, .kvIndexRecorded, .mvDoseRecorded, .xrayDoseRecorded, .typicalTechnique].contains(self)
    }
    /// Whether the dose comes from a radiotherapy imager (its own display and model error groups).
    var isRadiotherapyImager: Bool { self == .kvIndexRecorded || self == .mvDoseRecorded }
}

/// What the imaging run makes of one exam before drawing realisations.
struct ImagingExamEvaluation {
    var tier: ImagingDoseTier
    var reason: String?
    /// Central dose per `DoseQuantity` for the whole row (all sessions); NaN where none.
    var central: [Double]
    var monteCarloSigma: [Double]
    var ctdivolUsed: Double?
    /// The CT region(s) dosed ("+"-joined), or the recorded region.
    var region: String
    var fromDLP = false

    /// CT regions of the planning CT of an RT course, by `rt_courses.target_site`: the scan covers
    /// the target's region (craniospinal: vertex to sacrum). Harmonic's assumption from the
    /// extent of radiotherapy planning scans, not from a publication; an extremity has no CT
    /// region in the coefficient table and is flagged.
    static let rtTargetRegions: [String: [String]] = [
        "brain": ["head"], "head_neck": ["head", "neck"], "craniospinal": ["head", "neck", "chest_abdomen_pelvis"],
        "thorax": ["chest"], "abdomen": ["abdomen"], "pelvis": ["pelvis"],
    ]

    /// Body region of a radiotherapy CBCT or planar kV pair by `rt_courses.target_site`: one
    /// rotation or pair at the target (craniospinal: the cranial isocentre; head and neck: centred
    /// on the neck). Harmonic's assumption, as `rtTargetRegions`; an extremity is flagged.
    static let rtKVRegion: [String: String] = [
        "brain": "head", "head_neck": "neck", "craniospinal": "head", "thorax": "chest", "abdomen": "abdomen", "pelvis": "pelvis",
    ]

    static let nothing = [Double](repeating: .nan, count: DoseQuantity.count)

    static func flagged(_ reason: String, region: String) -> ImagingExamEvaluation {
        ImagingExamEvaluation(tier: .flagged, reason: reason, central: nothing, monteCarloSigma: nothing.map { _ in 0 }, region: region)
    }

    /// The child's sex and age at the exam (years of 365.25 days), or the flagged evaluation that
    /// names the field at fault: every modelled tier needs both.
    enum ChildAtExam { case known(sex: Sex, age: Double), flagged(ImagingExamEvaluation) }

    static func childAtExam(_ e: ImagingExamInput, where location: String) -> ChildAtExam {
        guard let sexCode = e.sex, let sex = Sex(code: sexCode) else {
            return .flagged(flagged("\(location): field 'patients.sex' value '\(e.sex ?? "")': expected the child's sex (M or F)", region: e.region))
        }
        guard let birth = e.birthDate.flatMap(CalendarDate.init(iso:)), let day = CalendarDate(iso: e.date), day.dayNumber >= birth.dayNumber else {
            return .flagged(flagged("\(location): field 'patients.birth_date' value '\(e.birthDate ?? "")': expected the child's birth date, on or before the exam date \(e.date)", region: e.region))
        }
        return .known(sex: sex, age: Double(day.dayNumber - birth.dayNumber) / 365.25)
    }

    /// Evaluates one exam; `where` names the row ("store.sqlite, table diagnostic_imaging, row NO/X1").
    static func evaluate(_ e: ImagingExamInput, calculator: ImagingDoseCalculator, courses: CourseDoseCache? = nil,
                         where location: String) -> ImagingExamEvaluation {
        let zeros = [Double](repeating: 0, count: DoseQuantity.count)
        func effectiveOnly(_ note: String) -> ImagingExamEvaluation? {
            guard let eff = e.effectiveDose else { return nil }
            guard eff.isFinite, eff >= 0 else { return flagged("\(location): field 'effective_dose_msv' value '\(eff)': expected a dose in mSv ≥ 0", region: e.region) }
            var c = nothing
            c[DoseQuantity.effective.rawValue] = eff
            return ImagingExamEvaluation(tier: .effectiveRecorded, reason: note, central: c, monteCarloSigma: zeros, region: e.region)
        }
        switch e.modality {
        case "mri":
            return ImagingExamEvaluation(tier: .noIonising, reason: nil, central: zeros, monteCarloSigma: zeros, region: e.region)
        case "nuclear_medicine", "pet_ct":
            if let x = effectiveOnly("effective dose as recorded; no organ split (no published biokinetic table held; the radiopharmaceutical is not recorded)") { return x }
            if e.source == .radiotherapy {
                return ImagingExamEvaluation(tier: .notModelled, reason: "\(location): \(e.modality) in rt_imaging records no effective dose and Harmonic has no activity-based model: not dosed",
                                             central: nothing, monteCarloSigma: zeros, region: e.region)
            }
            return flagged("\(location): field 'effective_dose_msv' value '': expected the recorded effective dose of a \(e.modality) exam (Harmonic has no activity-based model)", region: e.region)
        case "ct":
            break
        case "cbct" where e.source == .radiotherapy, "planar_kv" where e.source == .radiotherapy:
            return evaluateKV(e, calculator: calculator, where: location)
        case "planar_mv" where e.source == .radiotherapy && courses != nil:
            return evaluateMV(e, courses: courses!, where: location)
        case "radiography", "fluoroscopy":
            if e.kap == nil && e.entranceAirKerma == nil, let x = effectiveOnly("effective dose as recorded (no KAP or entrance air kerma recorded): no organ doses") { return x }
            return evaluateRadiography(e, calculator: calculator, where: location)
        case "mammography", "cbct", "planar_kv", "planar_mv":
            if let x = effectiveOnly("effective dose as recorded; organ doses of \(e.modality) are not modelled in Harmonic") { return x }
            return ImagingExamEvaluation(tier: .notModelled, reason: "\(location): organ doses of modality '\(e.modality)' are not modelled in Harmonic (docs/imaging-dose.md): not dosed",
                                         central: nothing, monteCarloSigma: zeros, region: e.region)
        default:
            return flagged("\(location): field 'modality' value '\(e.modality)': expected one of ct, cbct, planar_kv, planar_mv, radiography, fluoroscopy, mammography, nuclear_medicine, pet_ct, mri", region: e.region)
        }
        // CT: the child first.
        let sex: Sex, age: Double
        switch childAtExam(e, where: location) {
        case .flagged(let f): return f
        case .known(let s, let a): (sex, age) = (s, a)
        }
        let regions: [String]
        switch e.source {
        case .diagnostic:
            do { regions = [try ImagingDoseCalculator.ctRegionName(e.region)] } catch {
                return flagged("\(location): field 'body_region': \(error)", region: e.region)
            }
        case .radiotherapy:
            guard let r = rtTargetRegions[e.region.lowercased()] else {
                return flagged("\(location): field 'rt_courses.target_site' value '\(e.region)': expected a target site whose planning CT has a CT region (\(rtTargetRegions.keys.sorted().joined(separator: ", ")))", region: e.region)
            }
            regions = r
        }
        let regionText = regions.joined(separator: "+")
        let sessions = e.sessions ?? 1
        guard sessions >= 1 else { return flagged("\(location): field 'sessions' value '\(sessions)': expected 1 or more", region: regionText) }
        let typical = e.ctdivol == nil && e.dlp == nil
        if typical {
            if let x = effectiveOnly("no CTDIvol or DLP recorded: effective dose as recorded, no organ doses") { return x }
            if e.source == .radiotherapy {
                return flagged("\(location): field 'dose_per_session_mgy' value '': expected the planning CT's recorded CTDIvol (a radiotherapy planning CT has no paediatric diagnostic reference to take a typical CTDIvol from: never a silent default)", region: regionText)
            }
        }
        var central = zeros, sigma = zeros
        var used = 0.0
        for region in regions {
            var exam = ImagingExam(modality: .ct, region: region, ageYears: age, sex: sex, ctdivol: e.ctdivol, dlp: e.dlp, kVp: e.kVp, ctdiPhantom: e.ctdiPhantom,
                                   year: CalendarDate(iso: e.date).map { 1970 + Double($0.dayNumber) / 365.25 })
            exam.radiotherapyPlanning = e.source == .radiotherapy
            let report: ImagingDoseReport
            do { report = try calculator.estimate(exam) } catch let x as DoseModelError {
                let field = x.description.hasPrefix("DLP") ? "dlp_mgycm" : x.description.hasPrefix("CTDIvol") ? (e.source == .diagnostic ? "ctdivol_mgy" : "dose_per_session_mgy")
                    : x.description.hasPrefix("kVp") ? "kvp" : x.description.hasPrefix("CTDI phantom") ? "ctdi_phantom_cm" : "row"
                return flagged("\(location): field '\(field)': \(x.description)", region: regionText)
            } catch { return flagged("\(location): \(error)", region: regionText) }
            used = report.ctdivol ?? .nan
            let mcSigma = calculator.monteCarloSigma(region: region, ageYears: age, sex: sex, kVp: report.kVp ?? 120)
            for (q, organ) in DoseQuantity.organs.enumerated() {
                guard let d = report.dose(organ) else { central[q] = .nan; continue }
                let add = d.dose.central * Double(sessions)
                // Monte Carlo σ of the sum: dose-weighted (the regions' batches are independent; an upper bound).
                let s = mcSigma[organ] ?? 1
                sigma[q] = central[q] + add > 0 ? (sigma[q] * central[q] + s * add) / (central[q] + add) : s
                central[q] += add
            }
            central[DoseQuantity.effective.rawValue] += (report.effectiveDose?.central ?? .nan) * Double(sessions)
        }
        return ImagingExamEvaluation(tier: typical ? .typicalTechnique : e.ctdivol == nil ? .dlpOnly : .ctdivolRecorded,
                                     reason: typical ? "no CTDIvol or DLP recorded: the typical CTDIvol for the region, age and era (docs/imaging-dose.md)" : nil,
                                     central: central, monteCarloSigma: sigma, ctdivolUsed: used, region: regionText, fromDLP: e.ctdivol == nil && !typical)
    }

    /// A radiotherapy CBCT or planar kV pair: the recorded dose per session is the index.
    static func evaluateKV(_ e: ImagingExamInput, calculator: ImagingDoseCalculator, where location: String) -> ImagingExamEvaluation {
        let sex: Sex, age: Double
        switch childAtExam(e, where: location) {
        case .flagged(let f): return f
        case .known(let s, let a): (sex, age) = (s, a)
        }
        guard let region = rtKVRegion[e.region.lowercased()] else {
            return flagged("\(location): field 'rt_courses.target_site' value '\(e.region)': expected a target site whose \(e.modality) has a body region (\(rtKVRegion.keys.sorted().joined(separator: ", ")))", region: e.region)
        }
        let sessions = e.sessions ?? 1
        guard sessions >= 1 else { return flagged("\(location): field 'sessions' value '\(sessions)': expected 1 or more", region: region) }
        guard let index = e.ctdivol else {
            return flagged("\(location): field 'dose_per_session_mgy' value '': expected the \(e.modality == "cbct" ? "CBCT's CTDIw" : "entrance air kerma per image") (Harmonic has no cited default kV imaging dose: never a silent default)", region: region)
        }
        let modality: ImagingModality = e.modality == "cbct" ? .cbct : .planarKV
        var exam = ImagingExam(modality: modality, region: region, ageYears: age, sex: sex)
        exam.doseIndex = index
        let report: ImagingDoseReport
        do { report = try calculator.estimate(exam) } catch {
            return flagged("\(location): field 'dose_per_session_mgy': \(error)", region: region)
        }
        let mcSigma = calculator.kvMonteCarloSigma(modality, region: region, ageYears: age, sex: sex)
        var central = [Double](repeating: .nan, count: DoseQuantity.count), sigma = [Double](repeating: 0, count: DoseQuantity.count)
        for (q, organ) in DoseQuantity.organs.enumerated() {
            guard let d = report.dose(organ) else { continue }
            central[q] = d.dose.central * Double(sessions)
            sigma[q] = mcSigma[organ] ?? 1
        }
        central[DoseQuantity.effective.rawValue] = (report.effectiveDose?.central ?? .nan) * Double(sessions)
        return ImagingExamEvaluation(tier: .kvIndexRecorded, reason: nil, central: central, monteCarloSigma: sigma, ctdivolUsed: index, region: region)
    }

    /// A radiograph or a fluoroscopy of a diagnostic_imaging row: the recorded KAP, else the
    /// recorded entrance air kerma (radiograph), else the typical entrance air kerma for the region
    /// and age (radiograph; `typical_technique`); a fluoroscopy without KAP is flagged.
    static func evaluateRadiography(_ e: ImagingExamInput, calculator: ImagingDoseCalculator, where location: String) -> ImagingExamEvaluation {
        let sex: Sex, age: Double
        switch childAtExam(e, where: location) {
        case .flagged(let f): return f
        case .known(let s, let a): (sex, age) = (s, a)
        }
        let modality: ImagingModality = e.modality == "fluoroscopy" ? .fluoroscopy : .radiography
        var exam = ImagingExam(modality: modality, region: e.region, ageYears: age, sex: sex)
        exam.kap = e.kap
        exam.doseIndex = e.kap == nil ? e.entranceAirKerma : nil
        let report: ImagingDoseReport
        do { report = try calculator.estimate(exam) } catch {
            let text = "\(error)"
            let field = text.hasPrefix("body region") ? "body_region" : text.hasPrefix("KAP") || text.hasPrefix("fluoroscopy") ? "kap_gycm2"
                : text.hasPrefix("entrance air kerma") ? "entrance_air_kerma_mgy" : "kap_gycm2' and 'entrance_air_kerma_mgy"
            return flagged("\(location): field '\(field)': \(text)", region: e.region)
        }
        let mcSigma = calculator.radiographyMonteCarloSigma(modality, region: report.region, ageYears: age, sex: sex)
        var central = nothing, sigma = [Double](repeating: 0, count: DoseQuantity.count)
        for (q, organ) in DoseQuantity.organs.enumerated() {
            guard let d = report.dose(organ) else { continue }
            central[q] = d.dose.central
            sigma[q] = mcSigma[organ] ?? 1
        }
        central[DoseQuantity.effective.rawValue] = report.effectiveDose?.central ?? .nan
        let typical = e.kap == nil && e.entranceAirKerma == nil
        return ImagingExamEvaluation(tier: typical ? .typicalTechnique : .xrayDoseRecorded, reason: typical ? report.notes.first : nil,
                                     central: central, monteCarloSigma: sigma, ctdivolUsed: report.entranceAirKerma, region: report.region)
    }

    /// A radiotherapy MV portal imaging row (`planar_mv`): the recorded dose per session at the
    /// isocentre (mGy) × sessions through the course site's photon port (`MVPortalImagingDose`).
    static func evaluateMV(_ e: ImagingExamInput, courses: CourseDoseCache, where location: String) -> ImagingExamEvaluation {
        let sex: Sex, age: Double
        switch childAtExam(e, where: location) {
        case .flagged(let f): return f
        case .known(let s, let a): (sex, age) = (s, a)
        }
        if let m = e.courseModality?.lowercased(), m != "photon" {
            return flagged("\(location): field 'rt_courses.modality' value '\(m)': MV portal images are made with a linac's photon beam; expected a photon course (check the row's modality or course_id)", region: e.region)
        }
        let site = e.region.lowercased()
        guard SiteGeometry.sites.contains(site) else {
            return flagged("\(location): field 'rt_courses.target_site' value '\(e.region)': expected a target site with a site-typical field (\(SiteGeometry.sites.sorted().joined(separator: ", ")))", region: e.region)
        }
        let sessions = e.sessions ?? 1
        guard sessions >= 1 else { return flagged("\(location): field 'sessions' value '\(sessions)': expected 1 or more", region: site) }
        guard let perSession = e.ctdivol, perSession.isFinite, perSession > 0 else {
            return flagged("\(location): field 'dose_per_session_mgy' value '\(e.ctdivol.map { "\($0)" } ?? "")': expected the MV imaging dose at the isocentre per session in mGy (Harmonic has no cited default MV imaging dose: never a silent default)", region: site)
        }
        let doses: MVPortalImagingDose.Doses
        do {
            doses = try MVPortalImagingDose.doses(site: site, ageYears: age, sex: sex, isocentreDoseMGy: perSession * Double(sessions), cache: courses)
        } catch { return flagged("\(location): \(error)", region: site) }
        var central = [Double](repeating: .nan, count: DoseQuantity.count)
        for (q, organ) in DoseQuantity.organs.enumerated() where organ.exists(in: sex) { central[q] = doses.organs[organ] ?? .nan }
        central[DoseQuantity.effective.rawValue] = doses.effective
        // No Monte Carlo statistics term: the course-record tier's organ doses are deterministic.
        return ImagingExamEvaluation(tier: .mvDoseRecorded, reason: nil, central: central, monteCarloSigma: [Double](repeating: 0, count: DoseQuantity.count),
                                     ctdivolUsed: perSession, region: site)
    }
}
