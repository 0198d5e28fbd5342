import Foundation
import HarmonicCore

/// True organ doses of the synthetic radiotherapy registry (`harmonic synth`,
/// `truth/rt_organ_doses.csv`), so that `harmonic rt dose --store` can be checked against truth as
/// the cardiac reconstruction is.
///
/// Each synthetic course is treated with fields that differ from the site-typical boxes the
/// course-record tier assumes: each box scaled per axis by a lognormal factor (GSD 1.15) and
/// moved by a normal shift (SD 10 mm per axis); photons delivered with their own monitor units per
/// Gy (3D-CRT: 100 × U(0.85, 1.15); IMRT/VMAT: U(150, 400), against the 250 assumed). These spreads
/// are synthesis assumptions (no published distribution of paediatric field sizes was used), and
/// the true doses come from the same out-of-field models and the same reference phantom of the
/// nearest ICRP age: the comparison measures the course-record tier's error from field geometry and
/// monitor units only, not the error of the models or of the phantom against real anatomy.
public enum SyntheticRTTruth {
    public static let fileName = "rt_organ_doses.csv"
    /// Organs of the truth file, in column order.
    public static let organs: [Organ] = Organ.allCases

    /// The field variation of one course, drawn from its own stream (hash of `courseID`, `seed`).
    public static func variation(courseID: String, technique: Technique, seed: UInt64) -> FieldVariation {
        var rng = RandomStream(seed: seed, stream: StableHash.fnv1a(courseID))
        let s = log(1.15)
        let scale = SIMD3(exp(s * rng.normal()), exp(s * rng.normal()), exp(s * rng.normal()))
        let shift = SIMD3(10 * rng.normal(), 10 * rng.normal(), 10 * rng.normal())
        let u = rng.uniform()
        let mu: Double? = switch technique {
        case .conformal3D: 100 * (0.85 + 0.3 * u)
        case .imrt, .vmat: 150 + 250 * u
        default: nil
        }
        return FieldVariation(scale: scale, shiftMillimetres: shift, monitorUnitsPerGy: mu)
    }

    /// Reads every `*-radiotherapy/` folder of a synthetic extract (patients.csv, rt_courses.csv)
    /// and writes `truth/rt_organ_doses.csv`: course_id, patient_id, age_years, sex, target_site,
    /// modality, technique, prescribed_dose_gy, then the true total absorbed dose of every organ
    /// (mGy; empty for an organ the child's sex lacks). Courses the registry would reject (a dose
    /// recorded in cGy, > 80 Gy) are left out. Returns the number of courses written.
    @discardableResult
    public static func write(extract: URL, seed: UInt64) throws -> Int {
        let fm = FileManager.default
        let folders = try fm.contentsOfDirectory(atPath: extract.path).filter { $0.hasSuffix("-radiotherapy") }.sorted()
        let cache = try CourseDoseCache()
        var lines = ["course_id,patient_id,age_years,sex,target_site,modality,technique,prescribed_dose_gy,"
                     + organs.map { "\($0.rawValue)_mgy" }.joined(separator: ",")]
        var written = 0
        for folder in folders {
            let dir = extract.appendingPathComponent(folder)
            let patients = try table(dir.appendingPathComponent("patients.csv"), required: ["site_patient_id", "sex", "birth_date"])
            var child: [String: (birth: CalendarDate, sex: Sex)] = [:]
            for p in patients.rows {
                guard let birth = CalendarDate(iso: p[patients.column("birth_date")]), let sex = Sex(code: p[patients.column("sex")]) else { continue }
                child[p[patients.column("site_patient_id")]] = (birth, sex)
            }
            let children = child
            let courses = try table(dir.appendingPathComponent("rt_courses.csv"), required: ["course_id", "site_patient_id", "start_date", "modality",
                                                                                               "technique", "target_site", "prescribed_dose_gy", "fractions"])
            let c = (id: courses.column("course_id"), pid: courses.column("site_patient_id"), start: courses.column("start_date"),
                     modality: courses.column("modality"), technique: courses.column("technique"), site: courses.column("target_site"),
                     dose: courses.column("prescribed_dose_gy"), fractions: courses.column("fractions"))
            let rows = courses.rows
            let results: [String?] = parallelMap(rows.count) { k in
                let r = rows[k]
                guard let dose = Double(r[c.dose]), dose <= 80, let fractions = Int(r[c.fractions]),
                      let who = children[r[c.pid]], let start = CalendarDate(iso: r[c.start]),
                      let record = try? CourseRecord(targetSite: r[c.site], modality: r[c.modality], technique: r[c.technique],
                                                     prescribedDoseGy: dose, fractions: fractions, location: .file("synthetic rt_courses.csv"))
                else { return nil }
                let age = Double(start.dayNumber - who.birth.dayNumber) / 365.25
                let v = variation(courseID: r[c.id], technique: record.technique, seed: seed)
                guard let perGy = try? cache.dosesPerGy(record, ageYears: age, sex: who.sex, variation: v) else { return nil }
                var mGy: [Organ: Double] = [:]
                for d in perGy { mGy[d.organ] = d.total * dose * 1000 }
                let values = organs.map { o in mGy[o].map { String(format: "%.6g", $0) } ?? "" }
                return ([r[c.id], r[c.pid], String(format: "%.3f", age), who.sex.rawValue, record.targetSite, r[c.modality], r[c.technique],
                         r[c.dose]] + values).joined(separator: ",")
            }
            for line in results.compactMap({ $0 }) { lines.append(line); written += 1 }
        }
        let truth = extract.appendingPathComponent("truth")
        try fm.createDirectory(at: truth, withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(to: truth.appendingPathComponent(fileName), atomically: true, encoding: .utf8)
        return written
    }

    /// A small CSV of the synthetic extract (no quoted commas: synth writes none in these tables).
    struct Table {
        var header: [String], rows: [[String]], file: String
        func column(_ name: String) -> Int { header.firstIndex(of: name) ?? -1 }
    }

    static func table(_ url: URL, required: [String]) throws -> Table {
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { throw InputError(.file(url.path), expected: "a CSV file with a header row") }
        let header = lines.removeFirst()
        for name in required where !header.contains(name) {
            throw InputError(.file(url.path), field: name, expected: "a column \(name) (data dictionary)")
        }
        let width = header.count
        return Table(header: header, rows: lines.filter { $0.count == width }, file: url.path)
    }
}
