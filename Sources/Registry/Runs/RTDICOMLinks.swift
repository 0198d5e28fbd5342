import DICOM
import Foundation
import HarmonicCore

/// The DICOM-RT files of each course, for the DICOM-RT tier of `RTDoseRun`.
///
/// A course is linked to the RT Plan, RT Dose and RT Structure Set that `harmonic ingest-dicom`
/// recorded in `dicom_objects` for the same site and child (pseudonym of the DICOM Patient ID)
/// with a Study Date from `linkDaysBefore` days before the course's `start_date` to its
/// `end_date` (planning CT and plan precede the first fraction); an object without a Study Date
/// is linked to the child's course when the child has only one. The store keeps no file paths, so
/// the files are found again by SOP Instance UID in the folder given to the run (`--dicom-rt DIR`).
/// The store holds each UID only as its keyed hash under the site key (`DICOMIngest.keyedUID`), so
/// the run needs the key of every site whose courses it links (`--dicom-rt-keys DIR`): the
/// files' UIDs are hashed with it. A site with objects but no key given links nothing, and says so.
/// A course is linked only when exactly one object of each kind matches and all three files are
/// found; otherwise the reason is kept and the course falls back to its record.
public struct RTDICOMLinks: Sendable {
    public struct Link: Sendable {
        public var plan: URL, dose: URL, structures: URL
        /// SOP Instance UIDs plan/dose/structures (part of the course's input hash).
        public var identity: String
    }
    /// Days before `start_date` a linked object's Study Date may lie (planning CT, contouring, planning).
    public static let linkDaysBefore = 120

    /// Course key (`site` + U+001F + `course_id`) → link.
    public var links: [String: Link] = [:]
    /// Course key → why a course with matching objects was not linked (ambiguous, files missing).
    public var unlinked: [String: String] = [:]

    public static func find(store: RegistryStore, courses: [RTCourseInput], folder: String,
                            keys: [String: Pseudonymiser]) throws -> RTDICOMLinks {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError(.file(folder), expected: "a folder of DICOM-RT files (--dicom-rt)")
        }
        struct Object { let uid: String, kind: String, day: Int? }
        // The table appears with the first ingest-dicom; a store without one has no links.
        try store.backend.write { db in try db.executeScript(DICOMIngest.objectTableSQL) }
        let objects: [String: [Object]] = try store.analystRead("read the DICOM-RT objects") { db in
            var out: [String: [Object]] = [:]
            try db.forEach("SELECT site, patient_pseudonym, sop_instance_uid, kind, study_date FROM dicom_objects WHERE kind IN ('rt_plan', 'rt_dose', 'rt_structure_set')", []) { r in
                guard let site = r.string(0), let who = r.string(1), let uid = r.string(2), let kind = r.string(3) else { return }
                out[site + "\u{1F}" + who, default: []].append(Object(uid: uid, kind: kind, day: r.string(4).flatMap(CalendarDate.init(iso:))?.dayNumber))
            }
            return out
        }
        var result = RTDICOMLinks()
        guard !objects.isEmpty else { return result }
        // SOP Instance UID → file, for every readable DICOM file of the folder.
        var rawFiles: [(uid: String, url: URL)] = []
        if let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: folder), includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                guard let file = try? DICOMFile(contentsOf: url), let uid = file.dataSet.string(.sopInstanceUID) else { continue }
                rawFiles.append((uid, url))
            }
        }
        // Site → keyed UID → file: the UIDs as that site's ingest stored them.
        var filesOfSite: [String: [String: URL]] = [:]
        for site in Set(courses.map(\.site)) {
            guard let key = keys[site] else { continue }
            var files: [String: URL] = [:]
            for f in rawFiles { files[DICOMIngest.keyedUID(f.uid, key)] = f.url }
            filesOfSite[site] = files
        }
        var coursesOfChild: [String: Int] = [:]
        for c in courses { coursesOfChild[c.site + "\u{1F}" + c.patient, default: 0] += 1 }
        for c in courses {
            let child = c.site + "\u{1F}" + c.patient
            guard let candidates = objects[child], let start = CalendarDate(iso: c.startDate)?.dayNumber else { continue }
            let end = max(start, CalendarDate(iso: c.endDate)?.dayNumber ?? start)
            // An object without a Study Date (type 2, may be empty) belongs to the child's only course, if it has one.
            let onlyCourse = coursesOfChild[child] == 1
            let inWindow = candidates.filter { o in o.day.map { $0 >= start - linkDaysBefore && $0 <= end } ?? onlyCourse }
            guard !inWindow.isEmpty else { continue }
            let key = c.site + "\u{1F}" + c.courseID
            var chosen: [String: Object] = [:]
            var problem: String?
            for kind in ["rt_plan", "rt_dose", "rt_structure_set"] {
                let k = inWindow.filter { $0.kind == kind }
                if k.count == 1 { chosen[kind] = k[0] } else {
                    problem = "\(k.count) \(kind) objects in dicom_objects for this child within \(linkDaysBefore) days before start_date (expected exactly one)"
                    break
                }
            }
            let files = filesOfSite[c.site] ?? [:]
            if problem == nil && keys[c.site] == nil {
                problem = "DICOM-RT objects recorded for this child, but no site key given for \(c.site): the store keeps only keyed hashes of the UIDs (give --dicom-rt-keys DIR, a folder holding \(c.site).key)"
            }
            if problem == nil {
                let missing = chosen.values.filter { files[$0.uid] == nil }.map { "\($0.kind) \($0.uid)" }
                if !missing.isEmpty { problem = "DICOM-RT linked but not found in \(folder): \(missing.sorted().joined(separator: ", "))" }
            }
            if let problem { result.unlinked[key] = problem; continue }
            let p = chosen["rt_plan"]!, d = chosen["rt_dose"]!, s = chosen["rt_structure_set"]!
            result.links[key] = Link(plan: files[p.uid]!, dose: files[d.uid]!, structures: files[s.uid]!, identity: "\(p.uid)|\(d.uid)|\(s.uid)")
        }
        return result
    }
}
