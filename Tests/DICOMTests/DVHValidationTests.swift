import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// dicompyler-core's DVH of ROI `roi` of a structure set over a dose grid: volume (cm³), mean,
/// max, D2%, D98% (Gy), one per line.
func dicompylerDVH(structureSet: String, dose: String, roi: Int) throws -> [Double] {
    let script = """
    import sys, pydicom, pydicom.dicomio
    from pydicom.dataset import FileMetaDataset
    from pydicom.uid import ImplicitVRLittleEndian
    # dicompyler-core 0.5.6 imports read_file, which pydicom 3 renamed dcmread.
    pydicom.dicomio.read_file = lambda f, *a, **k: pydicom.dcmread(f, force=True)
    from dicompylercore import dvhcalc
    def load(path):
        ds = pydicom.dcmread(path, force=True)
        if 'TransferSyntaxUID' not in getattr(ds, 'file_meta', {}):   # pydicom's rtstruct.dcm has no file meta
            m = FileMetaDataset(); m.MediaStorageSOPClassUID = ds.SOPClassUID
            m.MediaStorageSOPInstanceUID = ds.SOPInstanceUID; m.TransferSyntaxUID = ImplicitVRLittleEndian
            ds.file_meta = m
        return ds
    h = dvhcalc.get_dvh(load(sys.argv[1]), load(sys.argv[2]), int(sys.argv[3]))
    for v in (h.volume, h.mean, h.max, h.D2.value, h.D98.value): print(float(v))
    """
    return try PeerTool.python(script, arguments: [structureSet, dose, String(roi)])
        .split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
}

@Suite("DVH validated against dicompyler-core on a consistent structure set and dose grid")
struct DVHValidationTests {
    /// pydicom's sample RT Structure Set with the dose grid generated for its geometry by
    /// scripts/generate_rtdose_for_rtstruct.py (the sample RT Dose lies elsewhere).
    static let structurePath = SharedData.url("dicom/general/rtstruct.dcm").path
    static let dosePath = Bundle.module.bundleURL.appendingPathComponent("Resources/rt/rtdose_for_rtstruct.dcm").path

    @Test("volume, mean, max, D2% and D98% of the 'patient' ROI agree with dicompyler-core")
    func matchesDicompyler() throws {
        let grid = try RTDoseGrid(DICOMFile(contentsOf: URL(fileURLWithPath: Self.dosePath)).dataSet)
        let ss = try RTStructureSet(DICOMFile(contentsOf: URL(fileURLWithPath: Self.structurePath)).dataSet)
        let roi = try #require(ss.structures.first { $0.name == "patient" })
        let ours = try #require(DoseVolumeSummary(structure: roi, grid: grid))
        let theirs = try dicompylerDVH(structureSet: Self.structurePath, dose: Self.dosePath, roi: roi.number)
        try #require(theirs.count == 5)
        // 100 × 75 voxel centres inside the 400 × 300 mm contour on 3 planes, 4 × 4 × 10 mm each.
        #expect(ours.voxels == 22_500)
        // Volume: both count the same voxel centres (none lies on a contour edge by construction):
        // equal to float rounding.
        #expect(abs(ours.volumeCubicCentimetres - theirs[0]) < 1e-6 * theirs[0])
        // Dose statistics: dicompyler-core bins doses in 0.01 Gy (dvhcalc's default 1 cGy
        // histogram) and reports bin edges, so it can differ from the exact voxel values by up to
        // one bin: tolerance 0.01 Gy (dicompyler-core 0.5.6 dvhcalc.calculate_dvh, dvh.DVH).
        let binWidth = 0.01
        #expect(abs(ours.mean - theirs[1]) <= binWidth, "mean \(ours.mean) vs \(theirs[1])")
        #expect(abs(ours.max - theirs[2]) <= binWidth, "max \(ours.max) vs \(theirs[2])")
        #expect(abs(ours.d2 - theirs[3]) <= binWidth, "D2% \(ours.d2) vs \(theirs[3])")
        #expect(abs(ours.d98 - theirs[4]) <= binWidth, "D98% \(ours.d98) vs \(theirs[4])")
    }

    @Test("the generated dose grid covers the structure planes and reads back as written (32-bit, scaling 1e-5 Gy)")
    func generatedGridGeometry() throws {
        let grid = try RTDoseGrid(DICOMFile(contentsOf: URL(fileURLWithPath: Self.dosePath)).dataSet)
        #expect(grid.columns == 103 && grid.rows == 78 && grid.frames == 5)
        #expect(grid.origin == [-203, -153, -210])
        #expect(grid.frameOffsets == [0, 10, 20, 30, 40])
        // Voxel (x=-203, y=-153, z=-210): D = 1 + 0.01·(-3) + 0.004·(-3) + 3·exp(-(253² + 133²)/3200) + 0.02·(-10),
        // the generator's formula, rounded to the 1e-5 Gy scaling.
        let expected = 1 - 0.03 - 0.012 + 3 * exp(-(253.0 * 253 + 133 * 133) / 3200) - 0.2
        #expect(abs(grid.dose(frame: 0, row: 0, column: 0) - expected) <= 0.5e-5)
    }
}
