import Foundation
import Testing
import DICOM
import HarmonicCore
import HarmonicTestSupport
@testable import RTDose

/// The field edge of a dose grid: boxes around the 50% isodose, one per connected part and slab,
/// so that a craniospinal plan's out-of-field distances are measured from the brain or the spine
/// field, not from one box around both.
@Suite("Field edge: boxes around the 50% isodose (multi-box fields)")
struct FieldEdgeTests {
    /// A 4 mm grid of 40 x 30 x 60 voxels at the origin, with `regions` (inclusive index ranges
    /// c, r, f) at 50 Gy and 1 Gy elsewhere.
    static func grid(_ regions: [(ClosedRange<Int>, ClosedRange<Int>, ClosedRange<Int>)]) -> RTDoseGrid {
        let nc = 40, nr = 30, nf = 60
        var v = [Double](repeating: 1, count: nc * nr * nf)
        for (cs, rs, fs) in regions { for f in fs { for r in rs { for c in cs { v[(f * nr + r) * nc + c] = 50 } } } }
        return RTDoseGrid(rows: nr, columns: nc, origin: [0, 0, 0], rowSpacing: 4, columnSpacing: 4,
                          frameOffsets: (0..<nf).map { Double($0) * 4 }, values: v)
    }

    @Test("two separated high-dose regions give two boxes, each the region's own voxel extent")
    func twoComponents() throws {
        let g = Self.grid([(2...9, 3...8, 2...10), (20...35, 10...25, 40...55)])
        let field = try #require(FieldRegion(grid: g, prescribedDoseGy: 50))
        #expect(field.boxes.count == 2)
        let sorted = field.boxes.sorted { $0.lower.z < $1.lower.z }
        // Voxel centres at 4 i mm; a box reaches half a voxel beyond the outer centres.
        #expect(sorted[0].lower == SIMD3(6, 10, 6) && sorted[0].upper == SIMD3(38, 34, 42))
        #expect(sorted[1].lower == SIMD3(78, 38, 158) && sorted[1].upper == SIMD3(142, 102, 222))
        // A point between them is measured from the nearer box, not from one box around both.
        #expect(abs(field.distanceCm(20, 20, 100) - 5.8) < 1e-9)
        let single = try #require(FieldRegion(grid: g, prescribedDoseGy: 50, method: .singleBox))
        #expect(single.boxes.count == 1 && single.distanceCm(20, 20, 100) == 0)
    }

    @Test("a connected region whose cross-section shrinks sharply (brain into spine) is cut into a wide and a narrow box")
    func slabs() throws {
        // A 'brain' block 24 x 20 voxels over frames 40-57 joined to a 'spine' column 4 x 4 over frames 5-39.
        let g = Self.grid([(8...31, 5...24, 40...57), (18...21, 18...21, 5...39)])
        let field = try #require(FieldRegion(grid: g, prescribedDoseGy: 50))
        #expect(field.boxes.count == 2)
        let spine = try #require(field.boxes.min { $0.lower.z < $1.lower.z })
        #expect(spine.lower.x == 70 && spine.upper.x == 86, "the spine box is the column's width, not the brain's")
        // Beside the spine, 3 cm lateral of the column: 3 cm from the field, where one box gave 0.
        #expect(abs(field.distanceCm(86 + 30, 80, 60) - 3) < 1e-9)
        #expect(try #require(FieldRegion(grid: g, prescribedDoseGy: 50, method: .singleBox)).distanceCm(86 + 30, 80, 60) == 0)
        // The equivalent square is the brain field's (the largest box), 2ab/(a+b) of 9.6 and 7.2 cm.
        #expect(abs(field.equivalentSquareCm - 2 * 9.6 * 7.2 / (9.6 + 7.2)) < 1e-9)
    }

    @Test("a smooth region (a sphere) becomes a few slabs inside its bounding box, tighter than one box, covering every high voxel")
    func sphere() throws {
        var v = [Double](repeating: 1, count: 40 * 30 * 60)
        for f in 0..<60 { for r in 0..<30 { for c in 0..<40 {
            let d = (Double(c - 20) * Double(c - 20) + Double(r - 15) * Double(r - 15) + Double(f - 30) * Double(f - 30)).squareRoot()
            if d <= 10 { v[(f * 30 + r) * 40 + c] = 50 }
        } } }
        let g = RTDoseGrid(rows: 30, columns: 40, origin: [0, 0, 0], rowSpacing: 4, columnSpacing: 4, frameOffsets: (0..<60).map { Double($0) * 4 }, values: v)
        let field = try #require(FieldRegion(grid: g, prescribedDoseGy: 50))
        let single = try #require(FieldRegion(grid: g, prescribedDoseGy: 50, method: .singleBox))
        // A sphere of radius 10 voxels: the cross-section changes by 1.5x every few frames near the poles.
        #expect(field.boxes.count <= 8)
        #expect(field.boxes.reduce(0) { $0 + $1.volumeCm3 } < 0.8 * single.boxes[0].volumeCm3)
        #expect(field.lower == single.lower && field.upper == single.upper)
        for f in 0..<60 { for r in 0..<30 { for c in 0..<40 where v[(f * 30 + r) * 40 + c] >= 25 {
            #expect(field.contains(Double(4 * c), Double(4 * r), Double(4 * f)))
        } } }
    }

    /// Every voxel of `regions` lies in one of the field's boxes.
    static func covers(_ field: FieldRegion, _ regions: [(ClosedRange<Int>, ClosedRange<Int>, ClosedRange<Int>)]) -> Bool {
        regions.allSatisfy { cs, rs, fs in
            fs.allSatisfy { f in rs.allSatisfy { r in cs.allSatisfy { c in field.contains(Double(4 * c), Double(4 * r), Double(4 * f)) } } }
        }
    }

    @Test("two lateral fields joined by a thin bridge over the same z range become a box each and one for the bridge")
    func lateralFieldsWithBridge() throws {
        // Left and right fields 10 x 14 voxels over frames 20-39 (bilateral neck fields), joined
        // across the midline by a 2 x 2 voxel bridge of high dose at frames 29-30.
        let regions = [(2...11, 8...21, 20...39), (28...37, 8...21, 20...39), (12...27, 14...15, 29...30)]
        let g = Self.grid(regions)
        let field = try #require(FieldRegion(grid: g, prescribedDoseGy: 50))
        #expect(field.boxes.count == 3)
        #expect(Self.covers(field, regions))
        let byX = field.boxes.sorted { $0.lower.x < $1.lower.x }
        #expect(byX[0].lower.x == 6 && byX[0].upper.x == 46, "the left field's own width")
        #expect(byX[2].lower.x == 110 && byX[2].upper.x == 150, "the right field's own width")
        // Between the fields, away from the bridge: 3.0 cm from the right field, where one box gave 0.
        #expect(abs(field.distanceCm(80, 32, 88) - 3.0) < 1e-9)
        #expect(try #require(FieldRegion(grid: g, prescribedDoseGy: 50, method: .singleBox)).distanceCm(80, 32, 88) == 0)
    }

    @Test("two fields touching side by side, offset in y over the same z range, become two boxes")
    func touchingSideBySide() throws {
        let regions = [(4...17, 2...13, 20...40), (18...31, 10...25, 20...40)]
        let g = Self.grid(regions)
        let field = try #require(FieldRegion(grid: g, prescribedDoseGy: 50))
        #expect(field.boxes.count == 2)
        #expect(Self.covers(field, regions))
        // In the empty corner of the union box: 3.4 cm from the left field.
        #expect(abs(field.distanceCm(32, 88, 120) - 3.4) < 1e-9)
        #expect(try #require(FieldRegion(grid: g, prescribedDoseGy: 50, method: .singleBox)).distanceCm(32, 88, 120) == 0)
    }

    @Test("a single rectangular field is not cut laterally")
    func rectangleStaysOneBox() throws {
        let field = try #require(FieldRegion(grid: Self.grid([(5...30, 4...20, 10...50)]), prescribedDoseGy: 50))
        #expect(field.boxes.count == 1)
    }

    @Test("many scattered hot voxels are merged into at most the box limit, nearest first")
    func manyComponents() throws {
        var regions: [(ClosedRange<Int>, ClosedRange<Int>, ClosedRange<Int>)] = []
        for f in stride(from: 0, to: 60, by: 3) { for c in stride(from: 0, to: 40, by: 8) { regions.append((c...c, 0...0, f...f)) } }
        let field = try #require(FieldRegion(grid: Self.grid(regions), prescribedDoseGy: 50))
        #expect(field.boxes.count == IsodoseBoxes.maxBoxes)
        for (cs, _, fs) in regions { #expect(field.contains(Double(4 * cs.lowerBound), 0, Double(4 * fs.lowerBound))) }
    }
}

/// A synthetic craniospinal course (brain field + spinal field, the truth's own fields) planned
/// with `SyntheticRTDICOM`: organ doses with the multi-box field edge against the course's truth,
/// and against the single box around the whole 50% isodose.
@Suite("Field edge of a craniospinal plan against the course's true organ doses")
struct CraniospinalFieldEdgeTests {
    static let organs: [Organ] = [.lungs, .heart, .thyroid, .ovaries, .kidneys, .liver, .breast, .bladder]

    /// |reconstructed/true - 1| per organ for both field edges, for one course, and the organ's
    /// grid sensitivity: the largest relative change of its true mean dose when the true fields
    /// move by half the dose grid's spacing (2.5 mm) forwards or backwards along x, y or z. The
    /// grid samples the truth's step edge at its nodes, so the edge it shows can be up to half a
    /// spacing off; where that edge runs along an organ's boundary, one column of the phantom's
    /// voxels more or less in the field changes the organ's mean by that much from the grid alone.
    static func errors(courseID: String, birth: String, sex: Sex, technique: String) throws -> (boxes: Int, errors: [(organ: Organ, boxes: Double, single: Double, grid: Double)]) {
        let record = try CourseRecord(targetSite: "craniospinal", modality: "photon", technique: technique, prescribedDoseGy: 36, fractions: 20,
                                      energyMeV: 6, location: .file("test"))
        let course = SyntheticRTDICOM.Course(courseID: courseID, patientID: "DE-P1", birthDate: CalendarDate(iso: birth)!, sex: sex,
                                             startDate: CalendarDate(iso: "2015-03-02")!, record: record)
        let urls = try SyntheticRTDICOM.objects(for: course, seed: 14).write(to: SharedData.temporaryDirectory("csi-\(courseID)"))
        let files = try PlanFiles(plan: urls.plan, dose: urls.dose, structures: urls.structures)
        let patient = PatientDescription(ageYears: course.ageYears, sex: sex)
        var single = PlanDoseOptions(); single.fieldEdge = .singleBox
        let withBoxes = try PlanDoseCalculation.run(files, patient: patient)
        let withOne = try PlanDoseCalculation.run(files, patient: patient, options: single)
        let variation = SyntheticRTTruth.variation(courseID: courseID, technique: record.technique, seed: 14)
        let cache = try CourseDoseCache()
        let truth = try cache.dosesPerGy(record, ageYears: course.ageYears, sex: sex, variation: variation)
        let half = SyntheticRTDICOM.gridSpacingMillimetres / 2
        let moved = try [SIMD3<Double>(1, 0, 0), SIMD3(0, 1, 0), SIMD3(0, 0, 1)].map { axis in
            try [half, -half].map { step in
                var v = variation; v.shiftMillimetres += step * axis
                return try cache.dosesPerGy(record, ageYears: course.ageYears, sex: sex, variation: v)
            }
        }
        return (withBoxes.field.boxes.count, try organs.filter { $0.exists(in: sex) }.map { o in
            func total(_ d: [OrganComponentsPerGy]) throws -> Double { try #require(d.first { $0.organ == o }).total }
            let t = try total(truth)
            let grid = try moved.joined().map { abs(try total($0) / t - 1) }.max()!
            let a = try #require(withBoxes.organs.first { $0.organ == o }).meanDoseGy
            let b = try #require(withOne.organs.first { $0.organ == o }).meanDoseGy
            return (o, abs(a / (36 * t) - 1), abs(b / (36 * t) - 1), grid)
        })
    }

    @Test("the plan's field edge is a brain box and a spine box, and the organ doses come closer to truth than with one box around both",
          arguments: [("DE-P1-C1", "2005-01-10", Sex.female, "3d_crt"), ("DE-P2-C1", "2011-06-20", Sex.male, "imrt")])
    func closerToTruth(courseID: String, birth: String, sex: Sex, technique: String) throws {
        let (boxes, e) = try Self.errors(courseID: courseID, birth: birth, sex: sex, technique: technique)
        for x in e { print(String(format: "CSI %@ %@: |reconstructed/true - 1| boxes %.3f, one box %.3f, grid sensitivity %.3f", courseID, x.organ.rawValue, x.boxes, x.single, x.grid)) }
        #expect(boxes == 2)
        let mean = (boxes: e.map(\.boxes).reduce(0, +) / Double(e.count), single: e.map(\.single).reduce(0, +) / Double(e.count))
        let worst = (boxes: e.map(\.boxes).max()!, single: e.map(\.single).max()!)
        #expect(mean.boxes < mean.single && worst.boxes < worst.single)
        // What is left with the truth's own fields: contour rasterisation and nearest-voxel look-up
        // (within 12% where no field edge runs through the organ) or, where one does, the 5 mm grid:
        // it shows the edge up to half a spacing off, and the organ's grid sensitivity is what that
        // does to its true mean (4% more allowed for the contours). The boy of DE-P2-C1 is such a
        // case: his spinal field's lateral edge (x = 31.3 mm) lies 1.2 mm inside the grid's
        // (32.5 mm) and just medial of a column of his lungs' and kidneys' voxels, so moving the true
        // field 2.5 mm to the patient's left (+x) raises their true means by 18% and 16%, moving it
        // right changes nothing; the reconstruction reads 18.8% and 15.2% above the truth. The girl's
        // ovaries lie at a corner of her spinal field (110% for a 2.5 mm move) and read within 1%.
        for x in e {
            #expect(x.boxes < max(0.12, x.grid + 0.04), "\(x.organ.rawValue): \(x.boxes) from truth, grid sensitivity \(x.grid)")
        }
    }
}
