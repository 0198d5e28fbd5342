import Dosimetry
import Foundation
import HarmonicCore

/// One imaging row as the imaging dose run reads it: a `diagnostic_imaging` row, or an
/// `rt_imaging` row with its course's child and target site.
public struct ImagingExamInput: Sendable {
    public enum SourceTable: String, Sendable, CaseIterable { case diagnostic = "diagnostic_imaging", radiotherapy = "rt_imaging" }
    public var site: String, source: SourceTable, imagingID: String, patient: String, date: String
    public var modality: String
    /// `diagnostic_imaging.body_region`, or the course's `rt_courses.target_site` for RT imaging.
    public var region: String
    public var ctdivol: Double?, dlp: Double?, effectiveDose: Double?, kVp: Double?, ctdiPhantom: Double?
    public var scanner: String?
    /// Radiography and fluoroscopy: the recorded KAP (Gy·cm²) and entrance air kerma (mGy).
    public var kap: Double? = nil, entranceAirKerma: Double? = nil
    /// Sessions of an RT imaging row (1 for a diagnostic exam).
    public var sessions: Int?
    public var birthDate: String?, sex: String?
    /// `rt_courses.modality` of an RT imaging row's course (photon, proton, …); nil for a diagnostic exam.
    public var courseModality: String? = nil
    /// `SITE/source_table/imaging_id`: the exam's key in realisation indexes and analysis cohorts.
    public var key: String { "\(site.uppercased())/\(source.rawValue)/\(imagingID)" }
    var lookupKey: String { site + "\u{1F}" + source.rawValue + "\u{1F}" + imagingID }

    /// Reads every imaging row with its child, ordered child by child and by date.
    public static func read(_ store: RegistryStore) throws -> [ImagingExamInput] {
        try store.analystRead("read the pooled imaging exams") { db in
            var out: [ImagingExamInput] = []
            try db.forEach("""
                SELECT i.site, i.imaging_id, i.patient_pseudonym, i.exam_date, i.modality, i.body_region, i.ctdivol_mgy, i.dlp_mgycm,
                       i.effective_dose_msv, i.kvp, i.ctdi_phantom_cm, i.scanner, p.birth_date, p.sex, i.kap_gycm2, i.entrance_air_kerma_mgy
                FROM diagnostic_imaging i LEFT JOIN patients p ON p.site = i.site AND p.patient_pseudonym = i.patient_pseudonym
                """, []) { r in
                out.append(ImagingExamInput(site: r.string(0) ?? "", source: .diagnostic, imagingID: r.string(1) ?? "", patient: r.string(2) ?? "",
                                            date: r.string(3) ?? "", modality: (r.string(4) ?? "").lowercased(), region: r.string(5) ?? "",
                                            ctdivol: r.double(6), dlp: r.double(7), effectiveDose: r.double(8), kVp: r.double(9), ctdiPhantom: r.double(10),
                                            scanner: r.string(11), kap: r.double(14), entranceAirKerma: r.double(15), sessions: 1,
                                            birthDate: r.string(12), sex: r.string(13)))
            }
            try db.forEach("""
                SELECT i.site, i.imaging_id, c.patient_pseudonym, i.first_date, i.modality, c.target_site, i.sessions, i.dose_per_session_mgy,
                       p.birth_date, p.sex, i.course_id, c.modality
                FROM rt_imaging i LEFT JOIN rt_courses c ON c.site = i.site AND c.course_id = i.course_id
                LEFT JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym
                """, []) { r in
                out.append(ImagingExamInput(site: r.string(0) ?? "", source: .radiotherapy, imagingID: r.string(1) ?? "",
                                            patient: r.string(2) ?? "", date: r.string(3) ?? "", modality: (r.string(4) ?? "").lowercased(),
                                            region: r.string(5) ?? "", ctdivol: r.double(7), dlp: nil, effectiveDose: nil, kVp: nil, ctdiPhantom: nil,
                                            scanner: nil, sessions: r.int(6), birthDate: r.string(8), sex: r.string(9), courseModality: r.string(11)))
            }
            out.sort { ($0.site, $0.patient, $0.date, $0.source.rawValue, $0.imagingID) < ($1.site, $1.patient, $1.date, $1.source.rawValue, $1.imagingID) }
            return out
        }
    }

    func inputHash(model: String) -> UInt64 {
        var h = StableHash()
        for s in [site, source.rawValue, imagingID, patient, date, modality, region, scanner ?? "", birthDate ?? "", sex ?? "", model] { h.add(s) }
        if let courseModality { h.add(courseModality) }
        for v in [ctdivol, dlp, effectiveDose, kVp, ctdiPhantom] { h.add(v ?? .nan) }
        if kap != nil || entranceAirKerma != nil { h.add(kap ?? .nan); h.add(entranceAirKerma ?? .nan) }
        h.add(sessions ?? -1)
        return h.value
    }
}
