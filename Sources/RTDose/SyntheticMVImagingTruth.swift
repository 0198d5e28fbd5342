import Foundation
import HarmonicCore

/// True organ doses of the synthetic registry's MV portal imaging (`planar_mv` rows of
/// `rt_imaging.csv`; `harmonic synth`), written to `truth/rt_mv_imaging_organ_doses.csv` with the
/// columns of the other imaging truth files (site, imaging_id, patient_id, exam_date, modality,
/// body_region, recorded, then `<organ>_mgy` of every organ and `effective_dose_msv`), so that the
/// store run's `mv_dose_recorded` tier can be checked against truth like the kV imaging.
///
/// The truth differs from the reconstruction in two ways, both synthesis assumptions: the recorded
/// isocentre dose per session is the delivered one times the display error of the site's MV
/// imagers of a 5-year era (lognormal GSD 1.10, truncated at 2σ, as the kV imagers'), and the
/// portal is the course's own treatment port (`SyntheticRTTruth.variation`: each field box scaled
/// and shifted), not the site-typical one. Same out-of-field models and reference phantom.
public enum SyntheticMVImagingTruth {
    public static let fileName = "rt_mv_imaging_organ_doses.csv"

    /// Returns the number of MV rows written with a true dose (rows of rejected courses or of sites
    /// without a site-typical field are left out).
    @discardableResult
    public static func write(extract: URL, seed: UInt64) throws -> Int {
        let fm = FileManager.default
        let folders = try fm.contentsOfDirectory(atPath: extract.path).filter { $0.hasSuffix("-radiotherapy") }.sorted()
        let cache = try CourseDoseCache()
        let organs = Organ.allCases
        var lines = [(["site", "imaging_id", "patient_id", "exam_date", "modality", "body_region", "recorded"]
                      + organs.map { "\($0.rawValue)_mgy" } + ["effective_dose_msv"]).joined(separator: ",")]
        var written = 0
        for folder in folders {
            let dir = extract.appendingPathComponent(folder)
            let site = String(folder.prefix(2))
            let patients = try SyntheticRTTruth.table(dir.appendingPathComponent("patients.csv"), required: ["site_patient_id", "sex", "birth_date"])
            var child: [String: (birth: CalendarDate, sex: Sex)] = [:]
            for p in patients.rows {
                guard let birth = CalendarDate(iso: p[patients.column("birth_date")]), let sex = Sex(code: p[patients.column("sex")]) else { continue }
                child[p[patients.column("site_patient_id")]] = (birth, sex)
            }
            let courses = try SyntheticRTTruth.table(dir.appendingPathComponent("rt_courses.csv"),
                                                     required: ["course_id", "site_patient_id", "modality", "target_site", "prescribed_dose_gy"])
            var course: [String: (patient: String, site: String)] = [:]
            for r in courses.rows where r[courses.column("modality")] == "photon" && (Double(r[courses.column("prescribed_dose_gy")]) ?? 999) <= 80 {
                course[r[courses.column("course_id")]] = (r[courses.column("site_patient_id")], r[courses.column("target_site")])
            }
            let imaging = try SyntheticRTTruth.table(dir.appendingPathComponent("rt_imaging.csv"),
                                                     required: ["imaging_id", "course_id", "modality", "first_date", "sessions", "dose_per_session_mgy"])
            let col = (id: imaging.column("imaging_id"), course: imaging.column("course_id"), modality: imaging.column("modality"),
                       date: imaging.column("first_date"), sessions: imaging.column("sessions"), dose: imaging.column("dose_per_session_mgy"))
            for r in imaging.rows where r[col.modality] == "planar_mv" {
                guard let c = course[r[col.course]], let who = child[c.patient], let day = CalendarDate(iso: r[col.date]),
                      let recorded = Double(r[col.dose]), let sessions = Int(r[col.sessions]), SiteGeometry.sites.contains(c.site) else { continue }
                let year = 1970 + Double(day.dayNumber) / 365.25
                var eraRNG = RandomStream(seed: seed ^ 0x6D76_696D, stream: StableHash.fnv1a("\(site)|MV imager|\(Int(year) / 5 * 5)"))
                let display = exp(log(1.10) * min(2, max(-2, eraRNG.normal())))
                // The treatment port's boxes (its monitor units are the treatment's, not the image's: dropped).
                let port = SyntheticRTTruth.variation(courseID: r[col.course], technique: .conformal3D, seed: seed)
                let age = Double(day.dayNumber - who.birth.dayNumber) / 365.25
                let doses = try MVPortalImagingDose.doses(site: c.site, ageYears: age, sex: who.sex, isocentreDoseMGy: recorded / display * Double(sessions),
                                                          cache: cache, port: FieldVariation(scale: port.scale, shiftMillimetres: port.shiftMillimetres))
                let values = organs.map { o in o.exists(in: who.sex) ? doses.organs[o].map { String(format: "%.6g", $0) } ?? "" : "" }
                    + [String(format: "%.6g", doses.effective)]
                lines.append(([site, r[col.id], c.patient, r[col.date], "planar_mv", c.site, "dose_per_session"] + values).joined(separator: ","))
                written += 1
            }
        }
        let truth = extract.appendingPathComponent("truth")
        try fm.createDirectory(at: truth, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: truth.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
        return written
    }
}
