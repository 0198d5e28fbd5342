import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import RTDose

/// `harmonic dose imaging`: organ doses of one imaging exam with 95% intervals.
struct DoseImagingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imaging",
        abstract: "Organ doses (mGy) with 95% intervals for one imaging exam (CT from CTDIvol/DLP; RT CBCT from CTDIw or mAs; planar kV pair from entrance air kerma; radiography and fluoroscopy from KAP; nuclear medicine as recorded).",
        discussion: """
        CT: organ dose = (organ dose per CTDIvol from Harmonic's own Monte Carlo, interpolated in age and kVp) \
        x CTDIvol. CTDIvol refers to the 16 cm CTDI phantom for head and neck and the 32 cm phantom for the body \
        unless --ctdi-phantom says otherwise (then it is converted with the same Monte Carlo). Without CTDIvol, \
        DLP / the phantom's scan length is used. With neither, the typical CTDIvol for the region, age and --year \
        (the median below the paediatric 75th percentile of Ploussi et al. 2020, raised for practice before 2010; \
        current practice without --year) is assumed, stated, with a wide interval (ct_typical_technique). Intervals: lognormal, components and sources listed in the output \
        (Sources/Dosimetry/Resources/imaging-dose-uncertainty.csv). Regions: head, neck, chest, abdomen, pelvis, \
        abdomen_pelvis (AP), chest_abdomen_pelvis (CAP).
        Nuclear medicine / PET-CT: the recorded effective dose (--effective-dose), no organ split.
        Radiotherapy CBCT (--modality cbct): one rotation of a linac imager (head and neck full fan 100 kV, trunk \
        half fan 125 kV); organ dose = (organ dose per CTDIw from Harmonic's Monte Carlo of that cone beam) x the \
        recorded weighted CTDI (--ctdiw, mGy, 16 cm phantom head/neck, 32 cm trunk), or without it x the simulated \
        tube's CTDIw per mAs x --mas (a wider interval). Planar kV pair (--modality planar_kv): an AP and a lateral \
        image; organ dose = (organ dose per entrance air kerma of each image) x --entrance-air-kerma (mGy, free in \
        air at the skin, per image). CBCT and planar kV regions: head, neck, chest, abdomen, pelvis. Geometry and \
        beam quality are Harmonic's assumptions (docs/imaging-dose.md); no default dose is assumed.
        MV portal imaging (--modality planar_mv): the imaging dose at the isocentre per session (--isocentre-dose, \
        mGy, as recorded) x --sessions, through the treatment port of the course's site (--region: brain, \
        craniospinal, head_neck, thorax, abdomen, pelvis, extremity): each organ's dose per Gy of the site's 3D-CRT \
        photon field on the reference phantom of the nearest age (RTDose course-record tier, in-field and \
        out-of-field); interval from the planar_mv_model GSD.
        Radiography (--modality radiography): one projection radiograph of the region (head, neck, chest, abdomen, \
        pelvis); organ dose = (organ dose per KAP from Harmonic's Monte Carlo of the region's field) x --kap \
        (Gy·cm²), or per entrance air kerma x --entrance-air-kerma (mGy, free in air at the skin). With neither, \
        the typical entrance air kerma for the region and age (FDA paediatric guidance 2017, Table 2: head, chest, \
        abdomen; pelvis as abdomen) is assumed, stated, with a wide interval. Chest: AP supine below 3 years, PA \
        erect from 3. Fluoroscopy (--modality fluoroscopy): a PA field of an under-couch tube over the region, x \
        --kap (required: no typical fluoroscopy dose is cited). Techniques: docs/imaging-dose.md.

        Bad input is refused with the reason: CTDIvol outside the plausible range for the region, age and era \
        (1/20 to 5 times the paediatric 75th percentile of Ploussi et al. 2020 for the age, raised for practice \
        before 2010 with --year, within 0.1-150 mGy head/neck and 0.1-100 mGy body), a DLP that does not match \
        CTDIvol x scan length, an unknown region.

        Examples:
          harmonic dose imaging --modality ct --region chest --age 5 --sex F --ctdivol 3.2 --dlp 80 --kvp 100
          harmonic dose imaging --modality ct --region head --age 1 --sex M --dlp 250 --json
          harmonic dose imaging --modality ct --region chest --age 1 --sex M --ctdivol 20 --year 1988
          harmonic dose imaging --modality ct --region head --age 3 --sex F --year 1995
          harmonic dose imaging --modality cbct --region pelvis --age 6 --sex M --ctdiw 12
          harmonic dose imaging --modality cbct --region head --age 10 --sex F --mas 150 --json
          harmonic dose imaging --modality planar_kv --region chest --age 4 --sex F --entrance-air-kerma 0.3
          harmonic dose imaging --modality planar_mv --region thorax --age 9 --sex M --isocentre-dose 20 --sessions 5
          harmonic dose imaging --modality radiography --region chest --age 2 --sex F --kap 0.012
          harmonic dose imaging --modality radiography --region abdomen --age 8 --sex M --json
          harmonic dose imaging --modality fluoroscopy --region pelvis --age 4 --sex F --kap 0.35
          harmonic dose imaging --modality nuclear_medicine --region whole_body --age 8 --sex F --effective-dose 2.1
        Method and validation: docs/imaging-dose.md.
        """)

    @Option(help: "ct, cbct, planar_kv, planar_mv, radiography, fluoroscopy, nuclear_medicine, pet_ct.") var modality: String = "ct"
    @Option(help: "Body region (CT: head, neck, chest, abdomen, pelvis, abdomen_pelvis, chest_abdomen_pelvis).") var region: String
    @Option(help: "Age at the exam, years.") var age: Double
    @Option(help: "Sex: M or F.") var sex: String
    @Option(help: "CTDIvol as displayed, mGy.") var ctdivol: Double?
    @Option(help: "Dose-length product, mGy·cm.") var dlp: Double?
    @Option(help: "Tube voltage, kV (default 120, stated in the output).") var kvp: Double?
    @Option(help: "CTDI phantom the CTDIvol refers to, cm (16 or 32; default: 16 head/neck, 32 body).") var ctdiPhantom: Double?
    @Option(help: "Recorded effective dose, mSv (nuclear medicine).") var effectiveDose: Double?
    @Option(help: "CBCT weighted CTDI as the imager records it, mGy (16 cm phantom head/neck, 32 cm trunk).") var ctdiw: Double?
    @Option(help: "CBCT tube current-time product of the rotation, mAs (used only without --ctdiw).") var mas: Double?
    @Option(help: "Planar kV: entrance air kerma of each image of the AP + lateral pair; radiography: of the radiograph; mGy (free in air at the skin).") var entranceAirKerma: Double?
    @Option(help: "Radiography or fluoroscopy: kerma-area product, Gy·cm² (1 Gy·cm² = 1000 mGy·cm² = 100 µGy·m²).") var kap: Double?
    @Option(help: "Planar MV: imaging dose at the isocentre per session, mGy (as the record or the imaging protocol gives it).") var isocentreDose: Double?
    @Option(help: "Planar MV: number of imaging sessions (default 1).") var sessions: Int?
    @Option(help: "Year of the exam (e.g. 1995): the CTDIvol plausibility bound allows the higher doses of older practice; default: the most permissive era.") var year: Double?
    @Flag(help: "Print the report as JSON (doses in mGy, effective dose in mSv).") var json = false

    func run() throws {
        guard let s = Sex(code: sex) else { throw ValidationError("--sex '\(sex)': expected M or F") }
        let report: ImagingDoseReport
        do {
            var exam = ImagingExam(modality: try ImagingModality(parsing: modality), region: region, ageYears: age, sex: s,
                                   ctdivol: ctdivol, dlp: dlp, kVp: kvp, ctdiPhantom: ctdiPhantom, effectiveDose: effectiveDose, year: year)
            if ctdiw != nil || mas != nil, exam.modality != .cbct { throw ValidationError("--ctdiw and --mas apply to --modality cbct, not \(exam.modality.rawValue)") }
            if entranceAirKerma != nil, exam.modality != .planarKV && exam.modality != .radiography {
                throw ValidationError("--entrance-air-kerma applies to --modality planar_kv or radiography, not \(exam.modality.rawValue)")
            }
            if kap != nil, exam.modality != .radiography && exam.modality != .fluoroscopy {
                throw ValidationError("--kap applies to --modality radiography or fluoroscopy, not \(exam.modality.rawValue)")
            }
            if [.cbct, .planarKV, .radiography, .fluoroscopy].contains(exam.modality), ctdivol != nil || dlp != nil {
                throw ValidationError("--ctdivol and --dlp are CT quantities: give a CBCT's --ctdiw (or --mas), a planar kV pair's --entrance-air-kerma, a radiograph's or fluoroscopy's --kap")
            }
            if isocentreDose != nil || sessions != nil, exam.modality != .planarMV {
                throw ValidationError("--isocentre-dose and --sessions apply to --modality planar_mv, not \(exam.modality.rawValue)")
            }
            exam.doseIndex = exam.modality == .cbct ? ctdiw : exam.modality == .planarKV || exam.modality == .radiography ? entranceAirKerma : nil
            exam.mAs = mas
            exam.kap = kap
            report = exam.modality == .planarMV ? try planarMV(exam) : try ImagingDoseCalculator.loadDefault().estimate(exam)
        } catch let e as DoseModelError { throw ValidationError(e.description) }
        if json { print(try jsonString(report)); return }
        var lines = ["\(report.modality.rawValue) \(report.region), age \(String(format: "%g", report.ageYears)), \(report.sex == .male ? "male" : "female")"]
        if let k = report.kap, let a = report.entranceAirKerma {
            lines.append(String(format: "KAP %.4g Gy·cm², entrance air kerma %.4g mGy (%@); %@ %g kV", k, a, report.doseIndexSource ?? "", report.kVpSource ?? "", report.kVp ?? 0))
        } else if report.modality == .planarMV, let c = report.ctdivol {
            lines.append(String(format: "%@: %.3g mGy", report.ctdivolSource ?? "", c))
        } else if report.modality == .cbct || report.modality == .planarKV, let c = report.ctdivol {
            lines.append(String(format: "%@ %.3g mGy; kVp %g (%@)", report.ctdivolSource ?? "", c, report.kVp ?? 0, report.kVpSource ?? ""))
        } else if let c = report.ctdivol {
            lines.append(String(format: "CTDIvol %.3g mGy (%g cm phantom; %@); kVp %@; phantom scan length %.1f cm", c, report.referencePhantomCm ?? 0,
                                report.ctdivolSource ?? "", report.kVp.map { String(format: "%g (%@)", $0, report.kVpSource ?? "") } ?? "-",
                                report.phantomScanLength ?? 0))
        }
        lines.append("")
        lines.append("organ                       dose mGy   95% interval")
        for o in report.organs.sorted(by: { $0.dose.central > $1.dose.central }) {
            lines.append(o.organ.displayName.padding(toLength: 26, withPad: " ", startingAt: 0)
                         + String(format: " %9.3g   %.3g - %.3g", o.dose.central, o.dose.low95, o.dose.high95))
        }
        if let e = report.effectiveDose {
            lines.append(String(format: "effective dose (ICRP 103) %9.3g mSv   %.3g - %.3g", e.central, e.low95, e.high95))
        }
        if !report.uncertainty.isEmpty {
            lines.append("")
            lines.append("uncertainty components (lognormal GSD):")
            for u in report.uncertainty { lines.append("  \(u.component): \(u.gsd.isFinite ? String(format: "%.2f", u.gsd) : "per organ") - \(u.source)") }
        }
        for n in report.notes { lines.append("note: \(n)") }
        print(lines.joined(separator: "\n"))
    }

    /// MV portal imaging through the course site's photon port (`MVPortalImagingDose`).
    func planarMV(_ exam: ImagingExam) throws -> ImagingDoseReport {
        if ctdivol != nil || dlp != nil || kvp != nil {
            throw ValidationError("--ctdivol, --dlp and --kvp are CT quantities: give MV portal imaging's --isocentre-dose (mGy per session) and --sessions")
        }
        let site = exam.region.lowercased()
        guard SiteGeometry.sites.contains(site) else {
            throw ValidationError("--region '\(exam.region)': MV portal imaging is dosed through the treatment port of a course's target site; expected one of \(SiteGeometry.sites.sorted().joined(separator: ", "))")
        }
        guard let perSession = isocentreDose else {
            throw ValidationError("planar_mv needs --isocentre-dose (mGy per session): Harmonic has no cited default MV imaging dose, so no dose is given (never a silent default)")
        }
        let range = MVImagingPlausibility.isocentreDosePerSession
        guard perSession.isFinite, range.contains(perSession) else {
            throw ValidationError(String(format: "--isocentre-dose %.4g mGy: outside the plausible %.3g-%.3g mGy per session (Harmonic's bound: above it a value is more likely the treatment dose or cGy taken for mGy)",
                                         perSession, range.lowerBound, range.upperBound))
        }
        let n = sessions ?? 1
        guard n >= 1 else { throw ValidationError("--sessions \(n): expected 1 or more") }
        let doses = try MVPortalImagingDose.doses(site: site, ageYears: exam.ageYears, sex: exam.sex, isocentreDoseMGy: perSession * Double(n), cache: CourseDoseCache())
        var placed = exam
        placed.region = site
        return try ImagingDoseCalculator.loadDefault().reportMV(placed, isocentreDosePerSessionMGy: perSession, sessions: n, organs: doses.organs, effective: doses.effective)
    }
}
