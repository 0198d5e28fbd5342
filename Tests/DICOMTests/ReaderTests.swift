import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// pydicom's view of a file's top-level elements: "tag|VR|first string value" per line.
func pydicomTopLevel(_ path: String) throws -> [String] {
    let script = """
    import sys, pydicom
    ds = pydicom.dcmread(sys.argv[1], force=True)
    for el in ds:
        v = ''
        if el.VR in ('CS','LO','SH','UI','DA','TM','DS','IS','PN','AE','LT','ST'):
            val = el.value
            if isinstance(val, pydicom.multival.MultiValue): val = val[0] if len(val) else ''
            v = str(val).strip() if val is not None else ''
            if el.VR in ('DS','IS') and v: v = repr(float(v))
        print(f"{el.tag.group:04X}{el.tag.element:04X}|{el.VR}|{v}")
    """
    return try PeerTool.python(script, arguments: [path]).split(separator: "\n").map(String.init)
}

func ourTopLevel(_ file: DICOMFile) -> [String] {
    let ds = file.dataSet
    return ds.elements.map { e in
        let hex = String(e.tag.raw, radix: 16, uppercase: true)
        let tag = String(repeating: "0", count: 8 - hex.count) + hex
        var v = ""
        if ["CS", "LO", "SH", "UI", "DA", "TM", "PN", "AE", "LT", "ST"].contains(e.vr.description) { v = ds.stringValues(e).first ?? "" }
        if ["DS", "IS"].contains(e.vr.description) { v = ds.numericValues(e).first.map { "\($0)" } ?? "" }
        return "\(tag)|\(e.vr)|\(v)"
    }
}

@Suite("DICOM reader")
struct ReaderTests {
    @Test("every transfer syntax sample reads to the same top-level tags, VRs and values as pydicom",
          arguments: ["CT_small.dcm", "MR_small_implicit.dcm", "MR_small_bigendian.dcm", "MR_small_expb.dcm",
                      "ExplVR_BigEnd.dcm", "ExplVR_LitEndNoMeta.dcm", "image_dfl.dcm", "chrFren.dcm", "chrGerm.dcm",
                      "rtdose.dcm", "rtplan.dcm", "rtstruct.dcm", "test-SR.dcm", "UN_sequence.dcm", "empty_charset_LEI.dcm"])
    func matchesPydicom(name: String) throws {
        let url = SharedData.url("dicom/general/" + name)
        let file = try DICOMFile(contentsOf: url)
        let ours = ourTopLevel(file).filter { !$0.hasPrefix("0002") }
        let theirs = try pydicomTopLevel(url.path).filter { !$0.hasPrefix("0002") }
        // pydicom reports private/unknown tags of implicit files as UN; compare tags always, VR+value when pydicom knows it.
        #expect(ours.map { $0.prefix(8) } == theirs.map { $0.prefix(8) })
        for (o, t) in zip(ours, theirs) where !t.contains("|UN|") && !o.contains("|UN|") {
            #expect(o == t, "\(name)")
        }
    }

    @Test("the transfer syntax is recognised from the file meta, or guessed for raw data sets")
    func transferSyntaxes() throws {
        func ts(_ n: String) throws -> TransferSyntax { try DICOMFile(contentsOf: SharedData.url("dicom/general/" + n)).transferSyntax }
        #expect(try ts("MR_small_implicit.dcm") == .implicitLittle)
        #expect(try ts("MR_small_bigendian.dcm") == .explicitBig)
        #expect(try ts("image_dfl.dcm") == .deflatedExplicitLittle)
        #expect(try ts("ExplVR_LitEndNoMeta.dcm") == .explicitLittle)
        #expect(try DICOMFile(contentsOf: SharedData.url("dicom/general/ExplVR_LitEndNoMeta.dcm")).hasPreamble == false)
    }

    @Test("pixel data is located by offset and length without being decoded")
    func pixelDataLocated() throws {
        let file = try DICOMFile(contentsOf: SharedData.url("dicom/general/CT_small.dcm"))
        let e = try #require(file.dataSet.element(.pixelData))
        let rows = try #require(file.dataSet.int(Tag(0x0028_0010)))
        let cols = try #require(file.dataSet.int(Tag(0x0028_0011)))
        #expect(e.length == rows * cols * 2)
        // dcmdump: the pixel data is followed by a 126-byte DataSetTrailingPadding (FFFC,FFFC).
        #expect(e.valueOffset + e.length + 12 + 126 == file.dataSet.buffer.bytes.count)
    }

    @Test("ISO_IR 100 person names decode like pydicom")
    func latin1Names() throws {
        for name in ["chrFren.dcm", "chrGerm.dcm"] {
            let url = SharedData.url("dicom/general/" + name)
            let ours = try DICOMFile(contentsOf: url).dataSet.string(.patientName)
            let theirs = try PeerTool.python("import sys,pydicom; print(str(pydicom.dcmread(sys.argv[1]).PatientName))", arguments: [url.path])
            #expect(ours == theirs.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    @Test("a real report declaring ISO 2022 IR 87 (Philips Allura) reads its person name as pydicom does")
    func iso2022RealReport() throws {
        let url = SharedData.url("dicom/rdsr/RF-RDSR-Philips_Allura.dcm")
        let file = try DICOMFile(contentsOf: url)
        var isISO2022 = false
        if case .iso2022 = file.dataSet.characterSet { isISO2022 = true }
        #expect(isISO2022)
        let theirs = try PeerTool.python("import sys,pydicom; sys.stdout.buffer.write(str(pydicom.dcmread(sys.argv[1]).PatientName).encode('utf-8'))",
                                         arguments: [url.path])
        #expect(file.dataSet.string(.patientName) == theirs)
    }

    @Test("multi-valued strings split on backslash")
    func multiValued() throws {
        let ds = try DICOMFile(contentsOf: SharedData.url("dicom/general/CT_small.dcm")).dataSet
        #expect(ds.strings(Tag(0x0008_0008)).count >= 2) // ImageType
        #expect(ds.doubles(Tag(0x0020_0037)).count == 6) // ImageOrientationPatient
    }

    @Test("dates and times parse into calendar dates and seconds of day")
    func dates() {
        #expect(DICOMDateTime.date("20200108") == CalendarDate(year: 2020, month: 1, day: 8))
        let expected: Double = 14 * 3600 + 40 * 60 + 20.5
        #expect(DICOMDateTime.secondsOfDay("144020.5") == expected)
        #expect(DICOMDateTime.dateTime("20200108144020")?.secondsOfDay == 52820)
    }

    @Test("the dump lists tags, VRs, lengths and keywords, and --depth hides nested items")
    func dump() throws {
        let ds = try DICOMFile(contentsOf: SharedData.url("dicom/general/rtplan.dcm")).dataSet
        let full = DICOMDump.dataSet(ds)
        #expect(full.contains("(300A,00B0) SQ"))
        #expect(full.contains("BeamSequence"))
        #expect(full.contains("(0008,0016) UI [1.2.840.10008.5.1.4.1.1.481.5]"))
        let shallow = DICOMDump.dataSet(ds, maxDepth: 0)
        #expect(shallow.split(separator: "\n").count < full.split(separator: "\n").count)
        #expect(!shallow.contains("(FFFE,E000)"))
    }
}
