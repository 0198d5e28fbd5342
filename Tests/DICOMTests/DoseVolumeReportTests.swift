import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// `harmonic dicom dvh`'s report, on the structure set of pydicom's samples with the dose grid
/// generated for its geometry (scripts/generate_rtdose_for_rtstruct.py), and on the real sample
/// pair whose dose grid lies elsewhere.
@Suite("DVH report (harmonic dicom dvh)")
struct DoseVolumeReportTests {
    static let structureURL = SharedData.url("dicom/general/rtstruct.dcm")
    static let generatedDoseURL = Bundle.module.bundleURL.appendingPathComponent("Resources/rt/rtdose_for_rtstruct.dcm")
    static let realDoseURL = SharedData.url("dicom/general/rtdose.dcm")

    @Test("the 'patient' ROI's volume, mean, max, D2% and D98% are those of DoseVolumeSummary, checked against dicompyler-core")
    func patientRow() throws {
        let report = try DoseVolumeReport(doseURL: Self.generatedDoseURL, structureURL: Self.structureURL)
        let row = try #require(report.summaries.first { $0.structure == "patient" })
        let theirs = try dicompylerDVH(structureSet: Self.structureURL.path, dose: Self.generatedDoseURL.path, roi: 1)
        try #require(theirs.count == 5)
        // Same voxel centres as dicompyler-core: volume equal to float rounding (DVHValidationTests).
        #expect(abs(row.volumeCubicCentimetres - theirs[0]) < 1e-6 * theirs[0])
        // dicompyler-core's 0.01 Gy histogram bins (dvhcalc default): one bin of tolerance.
        for (ours, peer) in zip([row.mean, row.max, row.d2, row.d98], theirs.dropFirst()) { #expect(abs(ours - peer) <= 0.01) }
    }

    @Test("point ROIs (the isocentres) are listed as without closed contours, not silently dropped")
    func pointROIs() throws {
        let report = try DoseVolumeReport(doseURL: Self.generatedDoseURL, structureURL: Self.structureURL)
        #expect(report.withoutContours == ["Isocenter 1", "Isocenter 2"])
        #expect(report.text.contains("no closed planar contours: Isocenter 1, Isocenter 2"))
    }

    @Test("the JSON output carries one object per structure with the same numbers as the table")
    func json() throws {
        let report = try DoseVolumeReport(doseURL: Self.generatedDoseURL, structureURL: Self.structureURL)
        let doc = try #require(JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        let rows = try #require(doc["structures"] as? [[String: Any]])
        #expect(rows.count == 1 && rows[0]["structure"] as? String == "patient")
        #expect(rows[0]["voxels"] as? Int == 22_500)
        #expect(rows[0]["d98"] as? Double == report.summaries[0].d98)
        #expect(doc["dose_units"] as? String == "GY")
    }

    @Test("the cumulative DVH CSV falls from 1 at zero dose to 1/N at the maximum")
    func cumulativeCSV() throws {
        let report = try DoseVolumeReport(doseURL: Self.generatedDoseURL, structureURL: Self.structureURL, bins: 50)
        let lines = report.cumulativeCSV.split(separator: "\n")
        #expect(lines.first == "structure,dose,volume_fraction")
        #expect(lines.count == 1 + 51)
        let fractions = lines.dropFirst().map { Double($0.split(separator: ",")[2])! }
        #expect(fractions.first == 1)
        #expect(zip(fractions, fractions.dropFirst()).allSatisfy { $0 >= $1 })
        // At the maximum only the voxels at the maximum remain: at least one of 22,500.
        #expect(fractions.last! >= 1.0 / 22_500 && fractions.last! < 0.01)
    }

    @Test("a structure set outside the dose grid is an error that gives both extents, the frames of reference and the fix")
    func outsideGrid() throws {
        do {
            _ = try DoseVolumeReport(doseURL: Self.realDoseURL, structureURL: Self.structureURL)
            Issue.record("expected DoseGridMismatch")
        } catch let e as DoseGridMismatch {
            #expect(e.description.contains("no structure lies inside the dose grid"))
            #expect(e.description.contains("dose grid voxel centres (mm): x 189.4..279.4"))
            #expect(e.description.contains("structure 'patient'"))
            #expect(e.description.contains("different frames of reference"))
            #expect(e.description.contains("same Frame of Reference UID"))
        }
    }
}
