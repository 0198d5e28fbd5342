import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

@Suite("Philips private shutter concepts give the collimated field")
struct PhilipsFieldTests {
    /// pydicom's reading of the same private concepts (scheme 99PHI-IXR-XPER), one line per event:
    /// "left+right|top+bottom|X side|Y side" in mm.
    func pydicomShutters(_ path: String) throws -> [[Double]] {
        let script = """
        import sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        def walk(items, found):
            for it in items:
                cn = it.ConceptNameCodeSequence[0]
                if cn.CodingSchemeDesignator == '99PHI-IXR-XPER' and it.ValueType == 'NUM':
                    found.setdefault(cn.CodeValue, float(it.MeasuredValueSequence[0].NumericValue))
                if 'ContentSequence' in it: walk(it.ContentSequence, found)
        for ev in ds.ContentSequence:
            if ev.ConceptNameCodeSequence[0].CodeValue != '113706': continue
            f = {}; walk(ev.ContentSequence, f)
            print(f"{f['007'] + f['008']}|{f['009'] + f['006']}|{f['024']}|{f['025']}")
        """
        return try PeerTool.python(script, arguments: [path]).split(separator: "\n")
            .map { $0.split(separator: "|").compactMap { Double($0) } }
    }

    @Test("both real Philips reports: every event's field width and height come from the shutters, limited by the detector field")
    func realPhilipsReports() throws {
        for name in ["RF-RDSR-Philips_Allura.dcm", "philips_allura_clarity_u104.dcm"] {
            let url = SharedData.url("dicom/rdsr/" + name)
            let report = try RadiationDoseReport(file: DICOMFile(contentsOf: url))
            let py = try pydicomShutters(url.path)
            #expect(py.count == report.events.count, "\(name)")
            for (e, p) in zip(report.events, py) {
                let width = try #require(e.collimatedFieldWidth?.millimetre)
                let height = try #require(e.collimatedFieldHeight?.millimetre)
                // Decimal strings in mm converted through cm: equal up to float rounding (1e-9 mm).
                #expect(abs(width - min(p[0], p[2])) < 1e-9, "\(name) width")
                #expect(abs(height - min(p[1], p[3])) < 1e-9, "\(name) height")
                #expect(abs(e.collimatedFieldArea! - width * height / 100) < 1e-9)
                #expect(e.collimatedFieldSource == .philipsShutters)
            }
        }
    }

    @Test("a field opened beyond the detector is limited by the detector (u104 event 1: top+bottom 327 mm on a 300 mm side)")
    func limitedByDetector() throws {
        let report = try RadiationDoseReport(file: DICOMFile(contentsOf: SharedData.url("dicom/rdsr/philips_allura_clarity_u104.dcm")))
        // pydicom: Left 130, Right 130, Top 163.5, Bottom 163.5, X side 380, Y side 300 (mm).
        #expect(report.events[0].collimatedFieldWidth?.millimetre == 260)
        #expect(report.events[0].collimatedFieldHeight?.millimetre == 300)
    }

    @Test("reports that carry the standard Collimated Field concepts keep them")
    func standardFieldsUntouched() throws {
        for name in ["RF-RDSR-GE.dcm", "RF-RDSR-Siemens-Zee.dcm", "RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm"] {
            let report = try RadiationDoseReport(file: DICOMFile(contentsOf: SharedData.url("dicom/rdsr/" + name)))
            #expect(report.events.allSatisfy { $0.collimatedFieldSource == .standard }, "\(name)")
        }
    }
}
