import Foundation
import Testing
import DICOM
import HarmonicCore
import HarmonicTestSupport
@testable import RTDose

/// Bad input is refused before any dose is computed, with an error naming the file and the tag.
@Suite("Plan files: bad input gives a clear error naming file and tag")
struct PlanFilesBadInputTests {
    func error(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return String(describing: error) }
    }

    @Test("the consistent sample is accepted as a photon IMRT plan")
    func accepted() throws {
        let f = try Sample.files()
        #expect(f.radiation == .photon)
        #expect(f.technique == .imrt)
        #expect(f.plan.prescribedDoseGy == 54)
        #expect(f.plan.fractionsPlanned == 30)
    }

    @Test("a dose grid on another frame of reference than the structures is refused, naming both")
    func otherFrame() {
        let e = error { _ = try Sample.files(dose: "rd_other_frame.dcm") }
        #expect(e.contains("RS.dcm"))
        #expect(e.contains("(3006,0010)"))
        #expect(e.contains("different frames of reference"))
    }

    @Test("pydicom's sample plan, dose and structures (different frames, RELATIVE dose) are refused")
    func sharedSample() {
        let d = SharedData.url("dicom/general")
        let e = error {
            _ = try PlanFiles(plan: d.appendingPathComponent("rtplan.dcm"), dose: d.appendingPathComponent("rtdose.dcm"),
                              structures: d.appendingPathComponent("rtstruct.dcm"))
        }
        #expect(e.contains("rtdose.dcm"))
        #expect(e.contains("(3004,0002)"))
        #expect(e.contains("RELATIVE"))
    }

    @Test("a grid with a missing slice is refused, naming GridFrameOffsetVector and the gap")
    func missingSlice() {
        let e = error { _ = try Sample.files(dose: "rd_uneven.dcm") }
        #expect(e.contains("rd_uneven.dcm"))
        #expect(e.contains("(3004,000C)"))
        #expect(e.contains("missing slice between 6 and 12 mm"))
    }

    @Test("a brachytherapy plan is refused as unsupported")
    func brachy() {
        let e = error { _ = try Sample.files(plan: "rp_brachy.dcm") }
        #expect(e.contains("rp_brachy.dcm"))
        #expect(e.contains("(300A,0230)"))
        #expect(e.contains("brachytherapy is not supported"))
    }

    @Test("a carbon-ion plan is refused as unsupported, naming RadiationType")
    func carbon() {
        let e = error { _ = try Sample.files(plan: "rp_carbon.dcm") }
        #expect(e.contains("rp_carbon.dcm"))
        #expect(e.contains("(300A,00C6)"))
        #expect(e.contains("ION"))
    }

    @Test("a proton PBS ion plan is read as proton pencil-beam scanning")
    func proton() throws {
        let f = try Sample.files(plan: "rp_proton_pbs.dcm")
        #expect(f.radiation == .proton)
        #expect(f.technique == .pencilBeamScanning)
    }

    @Test("open static fields are read as 3D-CRT")
    func conformal() throws {
        #expect(try Sample.files(plan: "rp_3dcrt.dcm").technique == .conformal3D)
    }

    @Test("files given in the wrong order are refused by modality")
    func swapped() {
        let e = error { _ = try Sample.files(plan: "RD.dcm", dose: "RP.dcm") }
        #expect(e.contains("(0008,0060)"))
        #expect(e.contains("RTPLAN"))
    }

    @Test("truncated plan, dose and structure files give an error naming the file, never a dose", arguments: ["RP.dcm", "RD.dcm", "RS.dcm"])
    func truncated(name: String) throws {
        let dir = try SharedData.temporaryDirectory("rt-truncated")
        for n in ["RP.dcm", "RD.dcm", "RS.dcm"] {
            var data = try Data(contentsOf: Sample.url(n))
            if n == name { data = data.prefix(data.count * 2 / 3) }
            try data.write(to: dir.appendingPathComponent(n))
        }
        let e = error {
            let f = try PlanFiles(plan: dir.appendingPathComponent("RP.dcm"), dose: dir.appendingPathComponent("RD.dcm"),
                                  structures: dir.appendingPathComponent("RS.dcm"))
            _ = try PlanDoseCalculation.run(f, patient: Sample.girl)
        }
        #expect(e.contains(name), "\(e)")
    }

    @Test("pydicom's truncated RT Plan is refused naming the file")
    func pydicomTruncated() {
        let d = SharedData.url("dicom/general")
        let e = error {
            _ = try PlanFiles(plan: d.appendingPathComponent("rtplan_truncated.dcm"), dose: Sample.url("RD.dcm"), structures: Sample.url("RS.dcm"))
        }
        #expect(e.contains("rtplan_truncated.dcm"))
    }
}
