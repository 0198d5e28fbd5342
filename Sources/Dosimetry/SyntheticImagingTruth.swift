import Foundation
import HarmonicCore
import Transport

/// True organ doses of the synthetic diagnostic imaging (`harmonic synth`): reads
/// `truth/imaging_exams.csv` (each exam's true technique) and writes `truth/imaging_organ_doses.csv`,
/// so the store's imaging reconstruction (`harmonic dose --store`) can be checked against truth as
/// the cardiac and RT reconstructions are.
///
/// A CT exam's true organ dose is Harmonic's CT coefficient (committed table) of the phantom of the
/// child's *size age* (the age whose median weight the child has) at the true kVp, times the true
/// CTDIvol in the reference CTDI phantom. The recorded values differ from the truth by the scanner's
/// display factor, the DLP's scan length and (before 2010) the missing CTDIvol and kVp; the
/// reconstruction uses the phantom of the child's true age. The comparison therefore measures the
/// reconstruction's error from record quality and body size, not the CT Monte Carlo's error against
/// real anatomy (validated separately against Lee et al. 2012, docs/imaging-dose.md). A radiograph's
/// true organ dose is Harmonic's radiography coefficient per entrance air kerma
/// (`RadiographyCoefficientTable`) of the size-age phantom times the true entrance air kerma (the
/// typical value for the age times the hospital's and the exam's technique factors, synth's draw);
/// the record holds it from 2010 through the room's display factor, and nothing before.
public enum SyntheticImagingTruth {
    public static let techniqueFileName = "imaging_exams.csv"
    public static let fileName = "imaging_organ_doses.csv"
    /// True doses of the radiotherapy registry's planning CTs (`rt_imaging`, modality `ct`).
    public static let rtFileName = "rt_imaging_organ_doses.csv"
    public static let leadingColumns = ["site", "imaging_id", "patient_id", "exam_date", "modality", "body_region", "recorded"]

    /// Writes the truth file; returns the number of exams with a true organ dose.
    @discardableResult
    public static func write(extract: URL, table: CTCoefficientTable? = nil, radiographyTable: RadiographyCoefficientTable? = nil) throws -> Int {
        let input = extract.appendingPathComponent("truth/\(techniqueFileName)")
        let text: String
        do { text = try String(contentsOf: input, encoding: .utf8) } catch {
            throw InputError(.file(input.path), expected: "the technique file harmonic synth writes (truth/\(techniqueFileName))")
        }
        let ct = try table ?? CTCoefficientTable.loadDefault()
        let radiography = try radiographyTable ?? RadiographyCoefficientTable.loadDefault()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { throw InputError(.file(input.path), expected: "a header row") }
        let header = lines.removeFirst()
        func col(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw InputError(.file(input.path), field: name, expected: "a \(name) column") }
            return i
        }
        let c = (site: try col("site"), id: try col("imaging_id"), pid: try col("patient_id"), date: try col("exam_date"),
                 sex: try col("sex"), modality: try col("modality"), region: try col("body_region"), kvp: try col("kvp"),
                 ctdivol: try col("ctdivol_true_mgy"), phantom: try col("reference_phantom_cm"), sizeAge: try col("size_age_years"),
                 recorded: try col("recorded"), esak: try col("entrance_air_kerma_true_mgy"))
        var out = [(leadingColumns + DoseQuantity.columnNames).joined(separator: ",")]
        var dosed = 0
        for (n, f) in lines.enumerated() {
            guard f.count == header.count else {
                throw InputError(.row(file: input.path, line: n + 2), expected: "\(header.count) fields, found \(f.count)")
            }
            var row = [f[c.site], f[c.id], f[c.pid], f[c.date], f[c.modality], f[c.region], f[c.recorded]]
            var values = [String](repeating: "", count: DoseQuantity.count)
            func number(_ i: Int, _ name: String) throws -> Double {
                guard let v = Double(f[i]), v.isFinite else {
                    throw InputError(.row(file: input.path, line: n + 2), field: name, value: f[i], expected: "a number")
                }
                return v
            }
            if f[c.modality] == "radiography" {
                guard let sex = Sex(rawValue: f[c.sex]) else {
                    throw InputError(.row(file: input.path, line: n + 2), field: "sex", value: f[c.sex], expected: "M or F")
                }
                guard let region = try? CTRegion(parsing: f[c.region]), RadiographySimulation.regions.contains(region) else {
                    throw InputError(.row(file: input.path, line: n + 2), field: "body_region", value: f[c.region], expected: "a radiography region")
                }
                let entry = try radiography.lookup(.radiography, region: region, ageYears: try number(c.sizeAge, "size_age_years"), sex: sex)
                let esak = try number(c.esak, "entrance_air_kerma_true_mgy")
                for (k, organ) in DoseQuantity.organs.enumerated() {
                    if let v = entry.organs[organ]?.perEntranceAirKerma { values[k] = String(format: "%.6g", v * esak) }
                }
                values[DoseQuantity.effective.rawValue] = String(format: "%.6g", entry.effective103.perEntranceAirKerma * esak)
                dosed += 1
            }
            if f[c.modality] == "ct" {
                guard let sex = Sex(rawValue: f[c.sex]) else {
                    throw InputError(.row(file: input.path, line: n + 2), field: "sex", value: f[c.sex], expected: "M or F")
                }
                let region: CTRegion
                do { region = try CTRegion(parsing: f[c.region]) } catch {
                    throw InputError(.row(file: input.path, line: n + 2), field: "body_region", value: f[c.region], expected: "a CT region")
                }
                let entry = try ct.lookup(region: region, ageYears: try number(c.sizeAge, "size_age_years"), sex: sex,
                                          kVp: try number(c.kvp, "kvp")).entry
                var ctdivol = try number(c.ctdivol, "ctdivol_true_mgy")
                if try number(c.phantom, "reference_phantom_cm") != entry.referencePhantom { ctdivol /= entry.otherPhantomRatio }
                for (k, organ) in DoseQuantity.organs.enumerated() {
                    if let v = entry.organs[organ]?.value { values[k] = String(format: "%.6g", v * ctdivol) }
                }
                values[DoseQuantity.effective.rawValue] = String(format: "%.6g", entry.effective103 * ctdivol)
                dosed += 1
            }
            row += values
            out.append(row.joined(separator: ","))
        }
        try (out.joined(separator: "\n") + "\n").write(to: extract.appendingPathComponent("truth/\(fileName)"), atomically: true, encoding: .utf8)
        return dosed
    }

    /// CT regions of an RT planning CT by target site: the same assumption as the store run
    /// (`ImagingExamEvaluation.rtTargetRegions`, docs/imaging-dose.md); extremity: none.
    static let rtTargetRegions: [String: [CTRegion]] = [
        "brain": [.head], "head_neck": [.head, .neck], "craniospinal": [.head, .neck, .chestAbdomenPelvis],
        "thorax": [.chest], "abdomen": [.abdomen], "pelvis": [.pelvis],
    ]

    /// Body region of a radiotherapy CBCT or planar kV pair by target site: the store run's
    /// assumption (`ImagingExamEvaluation.rtKVRegion`); extremity: none.
    static let rtKVRegions: [String: CTRegion] = [
        "brain": .head, "head_neck": .neck, "craniospinal": .head, "thorax": .chest, "abdomen": .abdomen, "pelvis": .pelvis,
    ]

    /// Writes `truth/rt_imaging_organ_doses.csv` for the planning CTs of every `*-radiotherapy/`
    /// folder (the rows synth already wrote are not changed): the recorded `dose_per_session_mgy`
    /// is taken as the displayed CTDIvol of a planning scanner whose display factor (lognormal GSD
    /// 1.10, the reconstruction's `ctdivol_display` assumption) is shared by the site's scans of a
    /// 5-year era, so the true CTDIvol is the recorded one divided by it; the child's weight is the
    /// median for age times a lognormal factor (SD of log 0.15, `ReferenceGrowth.logWeightSD`) and
    /// the true dose uses the phantom of its size age. Both drawn from streams keyed by the site
    /// and era, and by the imaging id, with `seed`. Columns as `imaging_organ_doses.csv`
    /// (`body_region` = the course's target site). CBCT and planar kV rows likewise: the recorded
    /// `dose_per_session_mgy` is the displayed CTDIw (CBCT) or entrance air kerma per image (planar
    /// pair) of a kV imager whose display factor (GSD 1.10, shared by the site's kV imaging of a
    /// 5-year era) differs from the truth; the true dose is Harmonic's kV imaging coefficient
    /// (`KVImagingCoefficientTable`) of the size age × true index × sessions, in the region of the
    /// store run's mapping. Returns the number of rows with a true dose (extremity targets have none).
    @discardableResult
    public static func writeRT(extract: URL, seed: UInt64, table: CTCoefficientTable? = nil, kvTable: KVImagingCoefficientTable? = nil) throws -> Int {
        let fm = FileManager.default
        let ct = try table ?? CTCoefficientTable.loadDefault()
        let kv = try kvTable ?? KVImagingCoefficientTable.loadDefault()
        let folders = try fm.contentsOfDirectory(atPath: extract.path).filter { $0.hasSuffix("-radiotherapy") }.sorted()
        var out = [(leadingColumns + DoseQuantity.columnNames).joined(separator: ",")]
        var dosed = 0
        func read(_ url: URL) throws -> (header: [String], rows: [[String]]) {
            let text: String
            do { text = try String(contentsOf: url, encoding: .utf8) } catch { throw InputError(.file(url.path), expected: "a synthetic site extract file") }
            var lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            guard !lines.isEmpty else { throw InputError(.file(url.path), expected: "a header row") }
            let header = lines.removeFirst()
            return (header, lines.filter { $0.count == header.count })
        }
        for folder in folders {
            let dir = extract.appendingPathComponent(folder)
            let site = String(folder.prefix(2))
            let p = try read(dir.appendingPathComponent("patients.csv")), c = try read(dir.appendingPathComponent("rt_courses.csv"))
            let im = try read(dir.appendingPathComponent("rt_imaging.csv"))
            func idx(_ t: (header: [String], rows: [[String]]), _ name: String, _ file: String) throws -> Int {
                guard let i = t.header.firstIndex(of: name) else { throw InputError(.file(dir.appendingPathComponent(file).path), field: name, expected: "a \(name) column") }
                return i
            }
            let pid = try idx(p, "site_patient_id", "patients.csv"), birth = try idx(p, "birth_date", "patients.csv"), sexC = try idx(p, "sex", "patients.csv")
            var child: [String: (CalendarDate, Sex)] = [:]
            for r in p.rows { if let b = CalendarDate(iso: r[birth]), let x = Sex(code: r[sexC]) { child[r[pid]] = (b, x) } }
            let cid = try idx(c, "course_id", "rt_courses.csv"), cpid = try idx(c, "site_patient_id", "rt_courses.csv"), target = try idx(c, "target_site", "rt_courses.csv")
            var course: [String: (String, String)] = [:]
            for r in c.rows { course[r[cid]] = (r[cpid], r[target]) }
            let iid = try idx(im, "imaging_id", "rt_imaging.csv"), icourse = try idx(im, "course_id", "rt_imaging.csv"), mod = try idx(im, "modality", "rt_imaging.csv")
            let date = try idx(im, "first_date", "rt_imaging.csv"), sessions = try idx(im, "sessions", "rt_imaging.csv"), dose = try idx(im, "dose_per_session_mgy", "rt_imaging.csv")
            /// One RT imaging row's course, child and true exposure: the recorded value per session
            /// divided by the era's display error of the imager (shared by site and 5-year era,
            /// GSD 1.10, truncated at 2σ) times the sessions, and the child's size as the age of its
            /// weight on the median growth curve (ReferenceGrowth, log-normal weight spread).
            struct Draw { let patient: String, targetSite: String, sex: Sex, sizeAge: Double, trueIndex: Double }
            func draw(_ r: [String], salt: UInt64, eraLabel: String) -> Draw? {
                guard let (patient, targetSite) = course[r[icourse]], let (birthDate, sex) = child[patient], let day = CalendarDate(iso: r[date]),
                      let recorded = Double(r[dose]), let n = Int(r[sessions]) else { return nil }
                let year = 1970 + Double(day.dayNumber) / 365.25
                var eraRNG = RandomStream(seed: seed ^ salt, stream: StableHash.fnv1a("\(site)|\(eraLabel)\(Int(year) / 5 * 5)"))
                let display = exp(log(1.10) * min(2, max(-2, eraRNG.normal())))
                var childRNG = RandomStream(seed: seed ^ salt, stream: StableHash.fnv1a(site + "|" + r[iid]))
                let age = Double(day.dayNumber - birthDate.dayNumber) / 365.25
                let sizeAge = ReferenceGrowth.ageOfMedianWeight(ReferenceGrowth.medianWeight(age: age) * exp(ReferenceGrowth.logWeightSD * childRNG.normal()))
                return Draw(patient: patient, targetSite: targetSite, sex: sex, sizeAge: sizeAge, trueIndex: recorded / display * Double(n))
            }
            for r in im.rows where r[mod] == "cbct" || r[mod] == "planar_kv" {
                guard let d = draw(r, salt: 0x6B76_696D, eraLabel: "kV imager|") else { continue }
                let (patient, targetSite) = (d.patient, d.targetSite)
                var values = [String](repeating: "", count: DoseQuantity.count)
                if let region = rtKVRegions[targetSite] {
                    let entry = try kv.lookup(r[mod] == "cbct" ? .cbct : .planarKV, region: region, ageYears: d.sizeAge, sex: d.sex)
                    let index = d.trueIndex
                    var sum = [Double](repeating: 0, count: DoseQuantity.count)
                    for (k, organ) in DoseQuantity.organs.enumerated() { sum[k] = (entry.organs[organ]?.value ?? 0) * index }
                    sum[DoseQuantity.effective.rawValue] = entry.effective103 * index
                    values = sum.map { String(format: "%.6g", $0) }
                    dosed += 1
                }
                out.append(([site, r[iid], patient, r[date], r[mod], targetSite, "dose_per_session"] + values).joined(separator: ","))
            }
            for r in im.rows where r[mod] == "ct" {
                guard let d = draw(r, salt: 0x7175_7468, eraLabel: "") else { continue }
                let (patient, targetSite) = (d.patient, d.targetSite)
                var values = [String](repeating: "", count: DoseQuantity.count)
                if let regions = rtTargetRegions[targetSite] {
                    var sum = [Double](repeating: 0, count: DoseQuantity.count)
                    for region in regions {
                        let entry = try ct.lookup(region: region, ageYears: d.sizeAge, sex: d.sex, kVp: 120).entry
                        let ctdivol = d.trueIndex
                        for (k, organ) in DoseQuantity.organs.enumerated() { sum[k] += (entry.organs[organ]?.value ?? 0) * ctdivol }
                        sum[DoseQuantity.effective.rawValue] += entry.effective103 * ctdivol
                    }
                    values = sum.map { String(format: "%.6g", $0) }
                    dosed += 1
                }
                out.append(([site, r[iid], patient, r[date], "ct", targetSite, "dose_per_session"] + values).joined(separator: ","))
            }
        }
        try (out.joined(separator: "\n") + "\n").write(to: extract.appendingPathComponent("truth/\(rtFileName)"), atomically: true, encoding: .utf8)
        return dosed
    }
}

extension ReferenceGrowth {
    /// The age (years, 0-30) whose median weight is `kg`: a child's "size age".
    public static func ageOfMedianWeight(_ kg: Double) -> Double {
        if kg <= weights[0] { return 0 }
        for i in 1..<weights.count where kg <= weights[i] {
            return ages[i - 1] + (kg - weights[i - 1]) / (weights[i] - weights[i - 1]) * (ages[i] - ages[i - 1])
        }
        return ages[ages.count - 1]
    }
}
