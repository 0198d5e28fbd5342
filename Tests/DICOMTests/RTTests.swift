import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

func rtDataSet(_ name: String) throws -> DataSet { try DICOMFile(contentsOf: SharedData.url("dicom/general/" + name)).dataSet }

@Suite("RT objects")
struct RTTests {
    @Test("RT Plan beams, energy, angles, isocentre, meterset and fractions match pydicom")
    func plan() throws {
        let plan = try RTPlan(rtDataSet("rtplan.dcm"))
        let py = try PeerTool.python("""
        import sys, pydicom
        p = pydicom.dcmread(sys.argv[1]); b = p.BeamSequence[0]; cp = b.ControlPointSequence[0]
        fg = p.FractionGroupSequence[0]
        print(len(p.BeamSequence), b.RadiationType, float(cp.NominalBeamEnergy), float(cp.GantryAngle),
              ' '.join(repr(float(x)) for x in cp.IsocenterPosition), float(fg.ReferencedBeamSequence[0].BeamMeterset),
              int(fg.NumberOfFractionsPlanned), len(b.ControlPointSequence))
        """, arguments: [SharedData.url("dicom/general/rtplan.dcm").path]).split(separator: " ").map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let b = try #require(plan.beams.first)
        #expect(plan.beams.count == Int(py[0]))
        #expect(b.radiationType == py[1])
        #expect(b.nominalEnergyMeV == Double(py[2]))
        #expect(b.gantryAngleDegrees == Double(py[3]))
        #expect(b.isocentreMillimetres == [Double(py[4])!, Double(py[5])!, Double(py[6])!])
        #expect(b.meterset == Double(py[7]))
        #expect(plan.fractionsPlanned == Int(py[8]))
        #expect(b.controlPoints == Int(py[9]))
    }

    @Test("RT Dose geometry, scaling, units and every voxel match pydicom's pixel_array × DoseGridScaling",
          arguments: ["rtdose.dcm", "rtdose_expb.dcm"])
    func dose(name: String) throws {
        let grid = try RTDoseGrid(rtDataSet(name))
        let py = try PeerTool.python("""
        import sys, pydicom
        d = pydicom.dcmread(sys.argv[1])
        a = d.pixel_array * float(d.DoseGridScaling)
        print(d.Rows, d.Columns, d.NumberOfFrames, ' '.join(repr(float(x)) for x in d.ImagePositionPatient),
              repr(float(d.PixelSpacing[0])), d.DoseUnits, d.DoseSummationType)
        print(' '.join(repr(float(x)) for x in a.ravel()))
        """, arguments: [SharedData.url("dicom/general/" + name).path]).split(separator: "\n")
        let head = py[0].split(separator: " ").map(String.init)
        #expect(grid.rows == Int(head[0]) && grid.columns == Int(head[1]) && grid.frames == Int(head[2]))
        #expect(grid.origin == [Double(head[3])!, Double(head[4])!, Double(head[5])!])
        #expect(grid.rowSpacing == Double(head[6]))
        #expect(grid.units == head[7] && grid.summationType == head[8])
        let theirs = py[1].split(separator: " ").compactMap { Double($0) }
        // Exact: both multiply the same integers by the same double.
        #expect(grid.values == theirs)
    }

    @Test("RT Structure Set ROI names and contour point counts match pydicom")
    func structures() throws {
        let ss = try RTStructureSet(rtDataSet("rtstruct.dcm"))
        let py = try PeerTool.python("""
        import sys, pydicom
        s = pydicom.dcmread(sys.argv[1], force=True)
        n = {c.ReferencedROINumber: sum(int(k.NumberOfContourPoints) for k in c.ContourSequence) for c in s.ROIContourSequence}
        for r in s.StructureSetROISequence: print(f"{r.ROIName}|{n.get(r.ROINumber, 0)}")
        """, arguments: [SharedData.url("dicom/general/rtstruct.dcm").path]).split(separator: "\n").map(String.init)
        #expect(ss.structures.map { "\($0.name)|\($0.pointCount)" } == py)
        #expect(ss.structures.first?.contours.count == 3)
    }

    @Test("DVH of a square ROI on a dose ramp gives the hand-computed mean, max, D2% and D98%")
    func dvh() throws {
        // 10×10 grid, 1 mm voxels, dose = column index (Gy). ROI covers columns 0–4, all rows: 50 voxels,
        // doses 0,1,2,3,4 ten times each. Mean 2; max 4; D2% = 4 (hottest 1 voxel); D98% = 0.
        let values = (0..<100).map { Double($0 % 10) }
        let grid = RTDoseGrid(rows: 10, columns: 10, origin: [0, 0, 0], rowSpacing: 1, columnSpacing: 1, frameOffsets: [0], values: values)
        let roi = RTStructure(number: 1, name: "box", contours: [(z: 0, points: [(-0.5, -0.5), (4.5, -0.5), (4.5, 9.5), (-0.5, 9.5)])], pointCount: 4)
        let s = try #require(DoseVolumeSummary(structure: roi, grid: grid))
        #expect(s.voxels == 50)
        #expect(s.mean == 2 && s.max == 4 && s.d2 == 4 && s.d98 == 0)
        #expect(s.volumeFraction.first == 1)
        #expect(s.volumeFraction.last == 0.2) // 10 of 50 voxels receive the maximum
    }

    @Test("the sample structure set lies outside the sample dose grid, so no DVH is produced")
    func disjointSamples() throws {
        // rtstruct contours are at z = -200…-180 mm; rtdose frames at z = -761.87…-691.87 mm (pydicom).
        let grid = try RTDoseGrid(rtDataSet("rtdose.dcm"))
        let ss = try RTStructureSet(rtDataSet("rtstruct.dcm"))
        #expect(DoseVolumeSummary(structure: ss.structures[0], grid: grid) == nil)
    }
}
