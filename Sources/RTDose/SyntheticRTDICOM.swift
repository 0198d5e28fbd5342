import DICOM
import Foundation
import HarmonicCore
import Phantoms

/// DICOM-RT (RT Plan, RT Dose, RT Structure Set) for a sample of the synthetic registry's courses
/// (`harmonic synth --rt-dicom-fraction`), so that the DICOM-RT tier of `harmonic rt dose --store`
/// can be checked against the true organ doses (`SyntheticRTTruth`) as the course-record tier is.
///
/// Each sampled course is "planned" on the reference phantom of the child's nearest ICRP age and
/// sex, in the phantom's own frame (DICOM patient coordinates, head-first supine: +x left,
/// +y posterior, +z superior, mm), with the course's true fields (`SyntheticRTTruth.variation`):
/// - RT Dose: a 5 mm grid over the field boxes plus 4 cm, within the phantom; the dose of a voxel
///   is the truth's dose at its centre: the prescribed dose inside a field box, the course's
///   out-of-field model elsewhere (a planning system that is exact in and near the field);
/// - RT Structure Set: BODY (every third phantom slice), one PTV per field box, and the
///   brain, thyroid, heart (wall: the contents are a hole), lungs, kidneys, liver and breasts of
///   the phantom, one closed planar contour per slice and organ side (the outline of the organ's
///   voxel rows: the region of the phantom's voxels with its concavities along x filled);
/// - RT Plan: beams of the course's technique (3D-CRT two opposed static fields; IMRT five static
///   fields with MLC and four control points; VMAT two MLC arcs; protons: two fields, scan mode
///   MODULATED for PBS and NONE for passive scattering), with the true monitor units per Gy as
///   the beam metersets, the prescribed dose and the fractions of the course.
/// All three carry the course's Patient ID (the site identifier, as a site's DICOM export does;
/// `ingest-dicom` stores only its keyed pseudonym), a Study Date 10 days before the first
/// fraction (planning CT) and one Frame of Reference.
public enum SyntheticRTDICOM {
    /// Sub-folder of a site folder (`DK-radiotherapy/dicom-rt/<course_id>/RP.dcm, RD.dcm, RS.dcm`).
    public static let folderName = "dicom-rt"
    /// Share of courses written by default (`harmonic synth`): about 46 of 2,300, so the demo stays fast.
    public static let defaultFraction = 0.02
    public static let gridSpacingMillimetres = 5.0
    public static let gridMarginMillimetres = 40.0
    /// Organs contoured in the structure set (the phantom's own regions of each).
    public static let contouredOrgans: [Organ] = [.brain, .thyroid, .heart, .lungs, .kidneys, .liver, .breast]
    static let pairedOrgans: Set<Organ> = [.lungs, .kidneys, .breast]

    static let planClass = "1.2.840.10008.5.1.4.1.1.481.5", ionPlanClass = "1.2.840.10008.5.1.4.1.1.481.8"
    static let doseClass = "1.2.840.10008.5.1.4.1.1.481.2", structureClass = "1.2.840.10008.5.1.4.1.1.481.3"

    /// One synthetic course as synth wrote it.
    public struct Course: Sendable {
        public var courseID: String, patientID: String
        public var birthDate: CalendarDate, sex: Sex, startDate: CalendarDate
        public var record: CourseRecord
        public init(courseID: String, patientID: String, birthDate: CalendarDate, sex: Sex, startDate: CalendarDate, record: CourseRecord) {
            self.courseID = courseID; self.patientID = patientID; self.birthDate = birthDate; self.sex = sex
            self.startDate = startDate; self.record = record
        }
        public var ageYears: Double { Double(startDate.dayNumber - birthDate.dayNumber) / 365.25 }
    }

    /// The three data sets of one course (tests alter them to make bad input).
    public struct CourseObjects: Sendable {
        public var plan: WritableDataSet, dose: WritableDataSet, structures: WritableDataSet
        public func write(to folder: URL) throws -> (plan: URL, dose: URL, structures: URL) {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let urls = (folder.appendingPathComponent("RP.dcm"), folder.appendingPathComponent("RD.dcm"), folder.appendingPathComponent("RS.dcm"))
            let w = DataSetWriter()
            try w.write(plan, to: urls.0); try w.write(dose, to: urls.1); try w.write(structures, to: urls.2)
            return urls
        }
    }

    /// Whether a course is in the sample: a uniform draw from a stream keyed by the course and seed.
    public static func isSampled(courseID: String, seed: UInt64, fraction: Double) -> Bool {
        guard fraction > 0 else { return false }
        var rng = RandomStream(seed: seed ^ 0xD1C0_4D00_0000_0000, stream: StableHash.fnv1a(courseID))
        return rng.uniform() < fraction
    }

    /// Reference phantoms voxelised once per (age, sex), shared by the courses.
    public final class PhantomCache: @unchecked Sendable {
        private let lock = NSLock()
        private var cache: [String: PhantomPlacement] = [:]
        public init() {}
        func placement(age: ReferenceAge, sex: Sex) -> PhantomPlacement {
            let key = "\(age)|\(sex.rawValue)"
            lock.lock()
            if let p = cache[key] { lock.unlock(); return p }
            lock.unlock()
            let s = StylisedPhantom.reference(age: age, sex: sex)
            let p = PhantomPlacement(phantom: s.voxelise(), age: age, offsetMillimetres: (0, 0, 0), method: "phantom frame", skeleton: s.skeleton)
            lock.lock(); cache[key] = p; lock.unlock()
            return p
        }
    }

    /// Plan, dose and structures of one course with its true fields.
    public static func objects(for course: Course, seed: UInt64, phantoms: PhantomCache = PhantomCache()) throws -> CourseObjects {
        let record = course.record
        let variation = SyntheticRTTruth.variation(courseID: course.courseID, technique: record.technique, seed: seed)
        let placement = phantoms.placement(age: .nearest(to: course.ageYears), sex: course.sex)
        let boxes = try SiteGeometry.boxes(site: record.targetSite, placement: placement).map(variation.apply)
        let field = FieldRegion(boxes: boxes, highDoseVolumeCm3: boxes.reduce(0) { $0 + $1.volumeCm3 })
        let model: OutOfFieldModel
        var muPerGy: Double? = nil
        switch record.radiation {
        case .photon:
            let p = try ModelParameters.resource(ModelParameters.photonFile)
            muPerGy = try variation.monitorUnitsPerGy ?? (record.technique.isModulated ? try p["mu_per_gy_modulated"] : try p["mu_ref"])
            model = try PhotonOutOfFieldModel(parameters: p, equivalentSquareCm: field.equivalentSquareCm, monitorUnitsPerGy: muPerGy)
        case .proton:
            model = try ProtonSecondaryModel(parameters: .resource(ModelParameters.protonFile), targetVolumeCm3: field.highDoseVolumeCm3,
                                             technique: record.technique)
        }
        let uid = UIDs(course: course.courseID, seed: seed)
        var common = WritableDataSet()
        try common.set(.patientID, .LO, course.patientID)
        try common.set(.patientName, .PN, [String]())
        try common.set(Tag(0x0010_0030), .DA, Self.da(course.birthDate))
        try common.set(Tag(0x0010_0040), .CS, course.sex.rawValue)
        try common.set(.studyInstanceUID, .UI, uid.study)
        let studyDate = CalendarDate(dayNumber: course.startDate.dayNumber - 10)
        try common.set(Tag(0x0008_0020), .DA, Self.da(studyDate))
        try common.set(Tag(0x0008_0030), .TM, "090000")
        try common.set(Tag(0x0020_0010), .SH, "1")
        try common.set(Tag(0x0008_0090), .PN, [String]())
        try common.set(Tag(0x0008_0050), .SH, [String]())
        try common.set(.manufacturer, .LO, "Harmonic synth")
        try common.set(Tag(0x0020_0052), .UI, uid.frame)
        try common.set(Tag(0x0020_0011), integers: [1])

        let dose = try doseObject(common, uid: uid, field: field, model: model, prescribed: record.prescribedDoseGy, placement: placement)
        let structures = try structureObject(common, uid: uid, boxes: boxes, placement: placement, sex: course.sex, date: Self.da(studyDate))
        let plan = try planObject(common, uid: uid, course: course, boxes: boxes, muPerGy: muPerGy)
        return CourseObjects(plan: plan, dose: dose, structures: structures)
    }

    /// Reads every `*-radiotherapy/` folder of a synthetic extract and writes DICOM-RT for the
    /// sampled loadable courses into `<folder>/dicom-rt/<course_id>/`. Returns the number of courses.
    @discardableResult
    public static func write(extract: URL, seed: UInt64, fraction: Double) throws -> Int {
        guard fraction > 0 else { return 0 }
        let fm = FileManager.default
        let folders = try fm.contentsOfDirectory(atPath: extract.path).filter { $0.hasSuffix("-radiotherapy") }.sorted()
        let phantoms = PhantomCache()
        var written = 0
        for folder in folders {
            let dir = extract.appendingPathComponent(folder)
            let courses = try sampledCourses(dir, seed: seed, fraction: fraction)
            let results: [Error?] = parallelMap(courses.count) { k in
                do {
                    let objects = try Self.objects(for: courses[k], seed: seed, phantoms: phantoms)
                    _ = try objects.write(to: dir.appendingPathComponent(folderName).appendingPathComponent(courses[k].courseID))
                    return nil
                } catch { return error }
            }
            if let e = results.compactMap({ $0 }).first { throw e }
            written += courses.count
        }
        return written
    }

    /// The loadable courses of one site folder in the sample (as `SyntheticRTTruth` reads them).
    static func sampledCourses(_ dir: URL, seed: UInt64, fraction: Double) throws -> [Course] {
        let patients = try SyntheticRTTruth.table(dir.appendingPathComponent("patients.csv"), required: ["site_patient_id", "sex", "birth_date"])
        var child: [String: (birth: CalendarDate, sex: Sex)] = [:]
        for p in patients.rows {
            guard let birth = CalendarDate(iso: p[patients.column("birth_date")]), let sex = Sex(code: p[patients.column("sex")]) else { continue }
            child[p[patients.column("site_patient_id")]] = (birth, sex)
        }
        let t = try SyntheticRTTruth.table(dir.appendingPathComponent("rt_courses.csv"),
                                           required: ["course_id", "site_patient_id", "start_date", "modality", "technique", "target_site",
                                                      "prescribed_dose_gy", "fractions", "energy_mev"])
        return t.rows.compactMap { r in
            let id = r[t.column("course_id")]
            guard isSampled(courseID: id, seed: seed, fraction: fraction),
                  let dose = Double(r[t.column("prescribed_dose_gy")]), dose <= 80, let fractions = Int(r[t.column("fractions")]),
                  let who = child[r[t.column("site_patient_id")]], let start = CalendarDate(iso: r[t.column("start_date")]),
                  let record = try? CourseRecord(targetSite: r[t.column("target_site")], modality: r[t.column("modality")],
                                                 technique: r[t.column("technique")], prescribedDoseGy: dose, fractions: fractions,
                                                 energyMeV: Double(r[t.column("energy_mev")]), location: .file("synthetic rt_courses.csv"))
            else { return nil }
            return Course(courseID: id, patientID: r[t.column("site_patient_id")], birthDate: who.birth, sex: who.sex, startDate: start, record: record)
        }
    }

    // MARK: - RT Dose

    static func doseObject(_ common: WritableDataSet, uid: UIDs, field: FieldRegion, model: OutOfFieldModel, prescribed: Double,
                           placement: PhantomPlacement) throws -> WritableDataSet {
        let s = gridSpacingMillimetres, m = gridMarginMillimetres
        let ph = placement.phantom
        let bodyLow = 10 * SIMD3(ph.origin.x, ph.origin.y, ph.origin.z)
        let bodyHigh = bodyLow + 10 * ph.spacing * SIMD3(Double(ph.nx), Double(ph.ny), Double(ph.nz))
        var low = field.boxes.map(\.lower).reduce(SIMD3(repeating: .infinity)) { pointwiseMin($0, $1) } - SIMD3(repeating: m)
        var high = field.boxes.map(\.upper).reduce(SIMD3(repeating: -.infinity)) { pointwiseMax($0, $1) } + SIMD3(repeating: m)
        low = pointwiseMax(low, bodyLow); high = pointwiseMin(high, bodyHigh)
        let n = SIMD3<Int>(max(1, Int(((high.x - low.x) / s).rounded(.up))), max(1, Int(((high.y - low.y) / s).rounded(.up))),
                           max(2, Int(((high.z - low.z) / s).rounded(.up))))
        let origin = low + SIMD3(repeating: s / 2)
        var values = [Double](repeating: 0, count: n.x * n.y * n.z)
        values.withUnsafeMutableBufferPointer { buf in
            let out = MutableBufferBox(buf)
            DispatchQueue.concurrentPerform(iterations: n.z) { f in
                let z = origin.z + Double(f) * s
                for r in 0..<n.y {
                    let y = origin.y + Double(r) * s
                    for c in 0..<n.x {
                        let x = origin.x + Double(c) * s
                        let d = field.distanceCm(x, y, z)
                        out.buffer[(f * n.y + r) * n.x + c] = d == 0 ? prescribed : model.dose(distanceFromEdgeCm: d).absorbed * prescribed
                    }
                }
            }
        }
        let scaling = (values.max() ?? prescribed) / 4.0e9
        // Little-endian hosts (x86-64, arm64) lay UInt32 out as DICOM explicit VR LE does.
        let counts = values.map { UInt32(min(4.0e9, max(0, ($0 / scaling).rounded()))) }
        let pixels = counts.withUnsafeBytes { Array($0) }

        var ds = common
        try ds.set(.sopClassUID, .UI, doseClass)
        try ds.set(.sopInstanceUID, .UI, uid.dose)
        try ds.set(Tag(0x0020_000E), .UI, uid.series(2))
        try ds.set(.modality, .CS, "RTDOSE")
        try ds.set(Tag(0x0020_0013), integers: [1])
        try ds.set(Tag(0x0020_0032), decimals: [origin.x, origin.y, origin.z])
        try ds.set(Tag(0x0020_0037), decimals: [1, 0, 0, 0, 1, 0])
        ds.set(Tag(0x0028_0002), us: [1])
        try ds.set(Tag(0x0028_0004), .CS, "MONOCHROME2")
        try ds.set(Tag(0x0028_0008), integers: [n.z])
        ds.set(Tag(0x0028_0009), at: [Tag(0x3004_000C)])
        ds.set(Tag(0x0028_0010), us: [UInt16(n.y)]); ds.set(Tag(0x0028_0011), us: [UInt16(n.x)])
        try ds.set(Tag(0x0028_0030), decimals: [s, s])
        ds.set(Tag(0x0028_0100), us: [32]); ds.set(Tag(0x0028_0101), us: [32]); ds.set(Tag(0x0028_0102), us: [31])
        ds.set(Tag(0x0028_0103), us: [0])
        try ds.set(Tag(0x3004_0002), .CS, "GY")
        try ds.set(Tag(0x3004_0004), .CS, "PHYSICAL")
        try ds.set(Tag(0x3004_000A), .CS, "PLAN")
        try ds.set(Tag(0x3004_000C), decimals: (0..<n.z).map { Double($0) * s })
        try ds.set(Tag(0x3004_000E), decimals: [scaling])
        var ref = WritableDataSet()
        try ref.set(Tag(0x0008_1150), .UI, planClass)
        try ref.set(Tag(0x0008_1155), .UI, uid.plan)
        ds.set(Tag(0x300C_0002), items: [ref])
        ds.set(.pixelData, .OW, bytes: pixels)
        return ds
    }

    static func pointwiseMin(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> { SIMD3(min(a.x, b.x), min(a.y, b.y), min(a.z, b.z)) }
    static func pointwiseMax(_ a: SIMD3<Double>, _ b: SIMD3<Double>) -> SIMD3<Double> { SIMD3(max(a.x, b.x), max(a.y, b.y), max(a.z, b.z)) }

    // MARK: - RT Structure Set

    static func structureObject(_ common: WritableDataSet, uid: UIDs, boxes: [FieldRegion.Box], placement: PhantomPlacement,
                                sex: Sex, date: String) throws -> WritableDataSet {
        let ph = placement.phantom
        var rois: [(name: String, type: String, contours: [(z: Double, points: [(x: Double, y: Double)])])] = []
        let body = (0...ph.regions.count).map { $0 > 0 }
        rois.append(("BODY", "EXTERNAL", stride(from: 1, to: ph.nz, by: 3).flatMap { iz in outlines(ph, body, iz: iz, split: false) }))
        for (k, b) in boxes.enumerated() {
            let planes = stride(from: b.lower.z + gridSpacingMillimetres / 2, to: b.upper.z, by: gridSpacingMillimetres)
            let rect = [(x: b.lower.x, y: b.lower.y), (x: b.upper.x, y: b.lower.y), (x: b.upper.x, y: b.upper.y), (x: b.lower.x, y: b.upper.y)]
            rois.append((boxes.count == 1 ? "PTV" : "PTV_\(k + 1)", "PTV", planes.map { (z: $0, points: rect) }))
        }
        for organ in contouredOrgans where organ.exists(in: sex) {
            let wanted = [false] + ph.regions.map { $0.role == .organ(organ) }
            // Hollow organs (the heart wall around its contents): outer outline of wall + contents and
            // the contents' outline inside it, a hole by the even-odd rule (PS3.3 C.8.8.6.3).
            let contents = [false] + ph.regions.map { $0.role == .contents(organ) }
            let outer = zip(wanted, contents).map { $0 || $1 }
            let hollow = contents.contains(true)
            let contours = (0..<ph.nz).flatMap { iz in
                outlines(ph, hollow ? outer : wanted, iz: iz, split: pairedOrgans.contains(organ))
                    + (hollow ? outlines(ph, contents, iz: iz, split: false) : [])
            }
            guard !contours.isEmpty else { continue }
            rois.append((organ == .lungs ? "Lungs" : organ.rawValue.capitalized, "ORGAN", contours))
        }
        var ds = common
        try ds.set(.sopClassUID, .UI, structureClass)
        try ds.set(.sopInstanceUID, .UI, uid.structures)
        try ds.set(Tag(0x0020_000E), .UI, uid.series(3))
        try ds.set(.modality, .CS, "RTSTRUCT")
        try ds.set(Tag(0x3006_0002), .SH, "SYNTH")
        try ds.set(Tag(0x3006_0008), .DA, date)
        try ds.set(Tag(0x3006_0009), .TM, "090000")
        var frame = WritableDataSet()
        try frame.set(Tag(0x0020_0052), .UI, uid.frame)
        ds.set(Tag(0x3006_0010), items: [frame])
        var roiItems: [WritableDataSet] = [], contourItems: [WritableDataSet] = [], observations: [WritableDataSet] = []
        for (k, roi) in rois.enumerated() {
            var item = WritableDataSet()
            try item.set(Tag(0x3006_0022), integers: [k + 1])
            try item.set(Tag(0x3006_0024), .UI, uid.frame)
            try item.set(Tag(0x3006_0026), .LO, roi.name)
            try item.set(Tag(0x3006_0036), .CS, "AUTOMATIC")
            roiItems.append(item)
            var c = WritableDataSet()
            try c.set(Tag(0x3006_0084), integers: [k + 1])
            try c.set(Tag(0x3006_002A), .IS, ["255", "0", "0"])
            c.set(Tag(0x3006_0040), items: try roi.contours.map { contour in
                var ci = WritableDataSet()
                try ci.set(Tag(0x3006_0042), .CS, "CLOSED_PLANAR")
                try ci.set(Tag(0x3006_0046), integers: [contour.points.count])
                try ci.set(Tag(0x3006_0050), decimals: contour.points.flatMap { [($0.x * 100).rounded() / 100, ($0.y * 100).rounded() / 100, contour.z] })
                return ci
            })
            contourItems.append(c)
            var o = WritableDataSet()
            try o.set(Tag(0x3006_0082), integers: [k + 1])
            try o.set(Tag(0x3006_0084), integers: [k + 1])
            try o.set(Tag(0x3006_00A4), .CS, roi.type)
            try o.set(Tag(0x3006_00A6), .PN, [String]())
            observations.append(o)
        }
        ds.set(Tag(0x3006_0020), items: roiItems)
        ds.set(Tag(0x3006_0039), items: contourItems)
        ds.set(Tag(0x3006_0080), items: observations)
        return ds
    }

    /// Outlines of the wanted voxels on slice `iz`: per side (x < 0, x ≥ 0) when `split`, else one.
    /// Each outline runs down the left ends of the voxel rows and back up their right ends.
    static func outlines(_ ph: VoxelPhantom, _ wanted: [Bool], iz: Int, split: Bool) -> [(z: Double, points: [(x: Double, y: Double)])] {
        let h = ph.spacing
        let mid = max(0, min(ph.nx, Int((-ph.origin.x / h).rounded())))
        let ranges = split ? [0..<mid, mid..<ph.nx] : [0..<ph.nx]
        let z = 10 * (ph.origin.z + (Double(iz) + 0.5) * h)
        return ranges.compactMap { range in
            var rows: [(iy: Int, lo: Int, hi: Int)] = []
            for iy in 0..<ph.ny {
                var lo = Int.max, hi = -1
                let base = ph.index(0, iy, iz)
                for ix in range where wanted[Int(ph.labels[base + ix])] { lo = min(lo, ix); hi = max(hi, ix) }
                if hi >= 0 { rows.append((iy, lo, hi)) }
            }
            guard !rows.isEmpty else { return nil }
            func x(_ i: Int) -> Double { 10 * (ph.origin.x + Double(i) * h) }
            func y(_ i: Int) -> Double { 10 * (ph.origin.y + Double(i) * h) }
            var points: [(x: Double, y: Double)] = []
            for r in rows { points.append((x(r.lo), y(r.iy))); points.append((x(r.lo), y(r.iy + 1))) }
            for r in rows.reversed() { points.append((x(r.hi + 1), y(r.iy + 1))); points.append((x(r.hi + 1), y(r.iy))) }
            return (z: z, points: points)
        }
    }

    // MARK: - RT Plan

    static func planObject(_ common: WritableDataSet, uid: UIDs, course: Course, boxes: [FieldRegion.Box], muPerGy: Double?) throws -> WritableDataSet {
        let record = course.record
        let proton = record.radiation == .proton
        let iso = (boxes[0].lower + boxes[0].upper) / 2
        let width = boxes[0].upper.x - boxes[0].lower.x, length = boxes[0].upper.z - boxes[0].lower.z
        let angles: [Double], controlPoints: Int, rotation: String
        switch record.technique {
        case .conformal3D: (angles, controlPoints, rotation) = ([0, 180], 2, "NONE")
        case .imrt: (angles, controlPoints, rotation) = ([0, 72, 144, 216, 288], 4, "NONE")
        case .vmat: (angles, controlPoints, rotation) = ([181, 179], 10, "CW")
        case .passiveScattering, .pencilBeamScanning: (angles, controlPoints, rotation) = ([90, 270], 2, "NONE")
        }
        let fractions = max(1, record.fractions)
        // Photon metersets: the true MU per Gy times the prescribed dose, per fraction, shared by the beams.
        let perBeamMU = (muPerGy ?? 100) * record.prescribedDoseGy / Double(fractions) / Double(angles.count)
        let mlc = record.technique.isModulated
        var beams: [WritableDataSet] = [], references: [WritableDataSet] = []
        for (k, angle) in angles.enumerated() {
            var beam = WritableDataSet()
            try beam.set(Tag(0x300A_00C0), integers: [k + 1])
            try beam.set(Tag(0x300A_00C2), .LO, "B\(k + 1)")
            try beam.set(Tag(0x300A_00C4), .CS, mlc ? "DYNAMIC" : "STATIC")
            try beam.set(Tag(0x300A_00C6), .CS, proton ? "PROTON" : "PHOTON")
            try beam.set(Tag(0x300A_00B2), .SH, proton ? "SYNTH_PT" : "SYNTH_LINAC")
            try beam.set(Tag(0x300A_00B3), .CS, proton ? "NP" : "MU")
            try beam.set(Tag(0x300A_00CE), .CS, "TREATMENT")
            try beam.set(Tag(0x300A_00D0), integers: [0]); try beam.set(Tag(0x300A_00E0), integers: [0])
            try beam.set(Tag(0x300A_00ED), integers: [0]); try beam.set(Tag(0x300A_00F0), integers: [0])
            try beam.set(Tag(0x300A_0110), integers: [controlPoints])
            if proton {
                try beam.set(Tag(0x300A_0308), .CS, record.technique == .pencilBeamScanning ? "MODULATED" : "NONE")
            } else {
                try beam.set(Tag(0x300A_00B4), decimals: [1000])
                var jawX = WritableDataSet(), jawY = WritableDataSet()
                try jawX.set(Tag(0x300A_00B8), .CS, "ASYMX"); try jawX.set(Tag(0x300A_00BC), integers: [1])
                try jawY.set(Tag(0x300A_00B8), .CS, "ASYMY"); try jawY.set(Tag(0x300A_00BC), integers: [1])
                var devices = [jawX, jawY]
                if mlc {
                    var leaves = WritableDataSet()
                    try leaves.set(Tag(0x300A_00B8), .CS, "MLCX"); try leaves.set(Tag(0x300A_00BC), integers: [20])
                    try leaves.set(Tag(0x300A_00BE), decimals: (0...20).map { -100 + 10 * Double($0) })
                    devices.append(leaves)
                }
                beam.set(Tag(0x300A_00B6), items: devices)
            }
            var cps: [WritableDataSet] = []
            for j in 0..<controlPoints {
                var cp = WritableDataSet()
                try cp.set(Tag(0x300A_0112), integers: [j])
                try cp.set(Tag(0x300A_0134), decimals: [Double(j) / Double(controlPoints - 1)])
                if j == 0 {
                    try cp.set(Tag(0x300A_0114), decimals: [record.energyMeV ?? (proton ? 150 : 6)])
                    try cp.set(Tag(0x300A_011E), decimals: [angle])
                    try cp.set(Tag(0x300A_011F), .CS, rotation)
                    try cp.set(Tag(0x300A_0122), decimals: [0])
                    try cp.set(Tag(0x300A_012C), decimals: [iso.x, iso.y, iso.z])
                } else if record.technique == .vmat {
                    try cp.set(Tag(0x300A_011E), decimals: [(angle + (rotation == "CW" ? 1 : -1) * 358 * Double(j) / Double(controlPoints - 1)).truncatingRemainder(dividingBy: 360)])
                }
                if !proton, j == 0 || mlc {
                    var devices: [WritableDataSet] = []
                    if j == 0 {
                        var x = WritableDataSet(), y = WritableDataSet()
                        try x.set(Tag(0x300A_00B8), .CS, "ASYMX"); try x.set(Tag(0x300A_011C), decimals: [-width / 2, width / 2])
                        try y.set(Tag(0x300A_00B8), .CS, "ASYMY"); try y.set(Tag(0x300A_011C), decimals: [-length / 2, length / 2])
                        devices += [x, y]
                    }
                    if mlc {
                        var leaves = WritableDataSet()
                        let open = width / 2 * (0.6 + 0.4 * Double(j) / Double(controlPoints))
                        try leaves.set(Tag(0x300A_00B8), .CS, "MLCX")
                        try leaves.set(Tag(0x300A_011C), decimals: [Double](repeating: -open, count: 20) + [Double](repeating: open, count: 20))
                        devices.append(leaves)
                    }
                    cp.set(Tag(0x300A_011A), items: devices)
                }
                cps.append(cp)
            }
            beam.set(proton ? Tag(0x300A_03A8) : Tag(0x300A_0111), items: cps)
            beams.append(beam)
            var ref = WritableDataSet()
            try ref.set(Tag(0x300C_0006), integers: [k + 1])
            try ref.set(Tag(0x300A_0086), decimals: [proton ? 1 : perBeamMU])
            references.append(ref)
        }
        var ds = common
        try ds.set(.sopClassUID, .UI, proton ? ionPlanClass : planClass)
        try ds.set(.sopInstanceUID, .UI, uid.plan)
        try ds.set(Tag(0x0020_000E), .UI, uid.series(1))
        try ds.set(.modality, .CS, "RTPLAN")
        try ds.set(Tag(0x300A_0002), .SH, String("\(record.targetSite) \(record.technique.rawValue)".prefix(16)))
        try ds.set(Tag(0x300A_000C), .CS, "PATIENT")
        var doseRef = WritableDataSet()
        try doseRef.set(Tag(0x300A_0012), integers: [1])
        try doseRef.set(Tag(0x300A_0014), .CS, "SITE")
        try doseRef.set(Tag(0x300A_0020), .CS, "TARGET")
        try doseRef.set(Tag(0x300A_0026), decimals: [record.prescribedDoseGy])
        ds.set(Tag(0x300A_0010), items: [doseRef])
        var group = WritableDataSet()
        try group.set(Tag(0x300A_0071), integers: [1])
        try group.set(Tag(0x300A_0078), integers: [fractions])
        try group.set(Tag(0x300A_0080), integers: [angles.count])
        try group.set(Tag(0x300A_00A0), integers: [0])
        group.set(Tag(0x300C_0004), items: references)
        ds.set(Tag(0x300A_0070), items: [group])
        ds.set(proton ? Tag(0x300A_03A2) : Tag(0x300A_00B0), items: beams)
        var structureRef = WritableDataSet()
        try structureRef.set(Tag(0x0008_1150), .UI, structureClass)
        try structureRef.set(Tag(0x0008_1155), .UI, uid.structures)
        ds.set(Tag(0x300C_0060), items: [structureRef])
        return ds
    }

    // MARK: - Identifiers

    /// Deterministic UIDs under the 2.25 root (PS3.5 §B.2), from the course and seed.
    struct UIDs {
        let base: String
        init(course: String, seed: UInt64) {
            let a = StableHash.fnv1a(course) ^ seed, b = StableHash.fnv1a("\(seed)|\(course)|rt")
            base = "2.25.\(a | 1 << 63)\(String(format: "%019llu", b % 10_000_000_000_000_000_000))"
        }
        var study: String { base + ".1" }
        var frame: String { base + ".2" }
        var plan: String { base + ".3" }
        var dose: String { base + ".4" }
        var structures: String { base + ".5" }
        func series(_ k: Int) -> String { base + ".1\(k)" }
    }


    static func da(_ d: CalendarDate) -> String { d.description.replacingOccurrences(of: "-", with: "") }
}
