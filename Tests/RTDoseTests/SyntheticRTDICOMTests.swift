import Foundation
import Testing
import DICOM
import HarmonicCore
import HarmonicTestSupport
@testable import RTDose

/// DICOM-RT that `harmonic synth` writes for a sample of courses: readable by Harmonic, pydicom
/// and dcmtk; read back as the course's plan; altered copies give the existing errors.
@Suite("Synthetic DICOM-RT of a course (harmonic synth --rt-dicom-fraction)")
struct SyntheticRTDICOMTests {
    static let seed: UInt64 = 14
    static func course(_ technique: String = "imrt", modality: String = "photon", site: String = "thorax") throws -> SyntheticRTDICOM.Course {
        try SyntheticRTDICOM.Course(courseID: "DK-R00042-RT1", patientID: "DK-R00042", birthDate: CalendarDate(iso: "2004-03-01")!, sex: .female,
                                    startDate: CalendarDate(iso: "2014-06-02")!,
                                    record: CourseRecord(targetSite: site, modality: modality, technique: technique, prescribedDoseGy: 30,
                                                         fractions: 17, energyMeV: modality == "proton" ? 180 : 6, location: .file("test")))
    }
    static func written(_ objects: SyntheticRTDICOM.CourseObjects, _ name: String) throws -> (plan: URL, dose: URL, structures: URL) {
        try objects.write(to: SharedData.temporaryDirectory("synthetic-rt-\(name)"))
    }
    func error(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return String(describing: error) }
    }

    @Test("the three files read back as the course: modality, technique, prescription, fractions, true MU per Gy, one frame of reference, patient and study date",
          arguments: [("3d_crt", "photon", Technique.conformal3D), ("imrt", "photon", .imrt), ("vmat", "photon", .vmat),
                      ("passive_scattering", "proton", .passiveScattering), ("pencil_beam_scanning", "proton", .pencilBeamScanning)])
    func readsBack(technique: String, modality: String, expected: Technique) throws {
        let course = try Self.course(technique, modality: modality)
        let urls = try Self.written(SyntheticRTDICOM.objects(for: course, seed: Self.seed), technique)
        let files = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures)
        #expect(files.technique == expected)
        #expect(files.radiation.rawValue == modality)
        #expect(files.plan.prescribedDoseGy == 30 && files.plan.fractionsPlanned == 17)
        let header = try DICOMFile(contentsOf: urls.dose).dataSet
        #expect(header.string(.patientID) == "DK-R00042")
        #expect(header.date(Tag(0x0008_0020)) == CalendarDate(iso: "2014-05-23"), "planning CT 10 days before the first fraction")
        // The grid holds the prescribed dose in the field and less outside; its maximum is the prescription.
        #expect(abs((files.grid.values.max() ?? 0) - 30) < 1e-6)
        if modality == "photon" {
            let variation = SyntheticRTTruth.variation(courseID: course.courseID, technique: expected, seed: Self.seed)
            let mu = files.plan.beams.compactMap(\.meterset).reduce(0, +) * 17 / 30
            let truth = try variation.monitorUnitsPerGy ?? ModelParameters.resource(ModelParameters.photonFile)["mu_ref"]
            #expect(abs(mu - truth) < 1e-6 * truth, "beam metersets carry the course's true MU per Gy")
        }
    }

    @Test("pydicom and dcmdump read plan, dose and structures without error; pydicom's dose grid equals Harmonic's")
    func peersRead() throws {
        let urls = try Self.written(SyntheticRTDICOM.objects(for: Self.course(), seed: Self.seed), "peers")
        for url in [urls.plan, urls.dose, urls.structures] {
            let out = try PeerTool.run("dcmdump", ["-dc", url.path])
            #expect(!out.contains("E: ") && !out.contains("W: "), "dcmdump on \(url.lastPathComponent)")
        }
        let py = try PeerTool.python("""
        import sys, pydicom
        p, d, s = (pydicom.dcmread(a) for a in sys.argv[1:4])
        a = d.pixel_array * float(d.DoseGridScaling)
        print(p.Modality, d.Modality, s.Modality, len(s.StructureSetROISequence), repr(float(a.sum())), repr(float(a.max())))
        """, arguments: [urls.plan.path, urls.dose.path, urls.structures.path]).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let grid = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures).grid
        #expect(py[0...2] == ["RTPLAN", "RTDOSE", "RTSTRUCT"])
        // Sum of ~10^5 voxels: both multiply the same integers by the same scaling (summation order differs).
        #expect(abs(grid.values.reduce(0, +) - Double(py[4])!) < 1e-9 * Double(py[4])!)
        #expect(grid.values.max() == Double(py[5]))
    }

    @Test("the plan's organ doses reproduce the course's true doses for the contoured in-field and far organs")
    func organDosesAgainstTruth() throws {
        let course = try Self.course()
        let urls = try Self.written(SyntheticRTDICOM.objects(for: course, seed: Self.seed), "truth")
        let files = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures)
        let plan = try PlanDoseCalculation.run(files, patient: PatientDescription(ageYears: course.ageYears, sex: .female))
        let variation = SyntheticRTTruth.variation(courseID: course.courseID, technique: .imrt, seed: Self.seed)
        let truth = try CourseDoseCache().dosesPerGy(course.record, ageYears: course.ageYears, sex: .female, variation: variation)
        func ratio(_ o: Organ) throws -> Double {
            let r = try #require(plan.organs.first { $0.organ == o }), t = try #require(truth.first { $0.organ == o })
            return r.meanDoseGy / (t.total * 30)
        }
        // Same model, same phantom, same fields: only the 5 mm grid, contour rasterisation, the field
        // edge found from the 50% isodose and the nearest-voxel lookup differ. 10% on the lungs (in
        // and beside a thorax field) and on the brain (far: the model only) bounds those.
        #expect(abs(try ratio(.lungs) - 1) < 0.10)
        #expect(abs(try ratio(.brain) - 1) < 0.10)
        #expect(abs(try ratio(.bladder) - 1) < 0.10)
    }

    @Test("a written plan on another frame of reference than its dose is refused, naming the plan file and (0020,0052)")
    func planOtherFrame() throws {
        var objects = try SyntheticRTDICOM.objects(for: Self.course(), seed: Self.seed)
        try objects.plan.set(Tag(0x0020_0052), .UI, "2.25.999")
        let urls = try Self.written(objects, "other-frame")
        let e = error { _ = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures) }
        #expect(e.contains(urls.plan.path))
        #expect(e.contains("(0020,0052)"))
        #expect(e.contains("different frames of reference"))
    }

    @Test("a written dose grid with a missing slice is refused, naming the dose file, (3004,000C) and the gap")
    func missingSlice() throws {
        var objects = try SyntheticRTDICOM.objects(for: Self.course(), seed: Self.seed)
        let good = try Self.written(objects, "missing-slice-good")
        let grid = try RTDoseGrid(DICOMFile(contentsOf: good.dose).dataSet)
        guard case let .bytes(pixels)? = objects.dose.elements[.pixelData]?.value else { Issue.record("no pixel data"); return }
        let frameBytes = grid.rows * grid.columns * 4, drop = 3
        var offsets = grid.frameOffsets
        offsets.remove(at: drop)
        objects.dose.set(.pixelData, .OW, bytes: Array(pixels[0 ..< drop * frameBytes] + pixels[(drop + 1) * frameBytes ..< pixels.count]))
        try objects.dose.set(Tag(0x0028_0008), integers: [grid.frames - 1])
        try objects.dose.set(Tag(0x3004_000C), decimals: offsets)
        let urls = try Self.written(objects, "missing-slice")
        let e = error { _ = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures) }
        #expect(e.contains(urls.dose.path))
        #expect(e.contains("(3004,000C)"))
        #expect(e.contains("missing slice between 10 and 20 mm"))
    }

    @Test("the sample is about the requested share of courses and the same for the same seed")
    func sampling() {
        let ids = (0..<2000).map { "BE-R\($0)-RT1" }
        let a = ids.filter { SyntheticRTDICOM.isSampled(courseID: $0, seed: 1, fraction: 0.1) }
        #expect(a == ids.filter { SyntheticRTDICOM.isSampled(courseID: $0, seed: 1, fraction: 0.1) })
        // Binomial(2000, 0.1): mean 200, SD 13.4; 4 SD either side.
        #expect(a.count > 146 && a.count < 254)
        #expect(!ids.contains { SyntheticRTDICOM.isSampled(courseID: $0, seed: 1, fraction: 0) })
    }
}
