import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// A data set with every kind of value the writer supports: text of odd and even length, DS/IS,
/// US, UL, AT, OW bytes, and a sequence of two items, the second with a nested sequence.
private func sampleDataSet() throws -> WritableDataSet {
    var ds = WritableDataSet()
    try ds.set(.sopClassUID, .UI, "1.2.840.10008.5.1.4.1.1.481.2")
    try ds.set(.sopInstanceUID, .UI, "2.25.1234567")             // odd length: NUL padded
    try ds.set(.modality, .CS, "RTDOSE")
    try ds.set(.patientID, .LO, "BE-R00001")                      // odd length: space padded
    try ds.set(Tag(0x0028_0030), decimals: [2.5, 1.0 / 3])
    try ds.set(Tag(0x0028_0008), integers: [3])
    ds.set(Tag(0x0028_0010), us: [4])
    ds.set(Tag(0x0028_0009), at: [Tag(0x3004_000C)])
    ds.set(Tag(0x0040_A13A), ul: [70_000])
    ds.set(.pixelData, .OW, bytes: [1, 0, 2, 0, 3, 0])
    var inner = WritableDataSet()
    try inner.set(Tag(0x3006_0084), integers: [7])
    var first = WritableDataSet(), second = WritableDataSet()
    try first.set(Tag(0x3006_0026), .LO, "Heart")
    try second.set(Tag(0x3006_0026), .LO, "Lung_L")
    second.set(Tag(0x3006_0040), items: [inner, inner])
    ds.set(Tag(0x3006_0020), items: [first, second])
    return ds
}

@Suite("DICOM Part 10 writer")
struct DataSetWriterTests {
    @Test("a written file reads back through Harmonic's reader with every value, in both sequence encodings", arguments: [false, true])
    func roundTrip(undefined: Bool) throws {
        let bytes = try DataSetWriter(undefinedLengthSequences: undefined).part10(sampleDataSet())
        let file = try DICOMFile(bytes: bytes, name: "written.dcm")
        #expect(file.hasPreamble)
        #expect(file.transferSyntax == .explicitLittle)
        #expect(file.meta.string(Tag(0x0002_0002)) == "1.2.840.10008.5.1.4.1.1.481.2")
        #expect(file.meta.string(Tag(0x0002_0003)) == "2.25.1234567")
        // The group length counts the meta elements after it: the data set starts right there.
        let groupLength = try #require(file.meta.doubles(Tag(0x0002_0000)).first)
        let afterLength = try #require(file.meta.element(Tag(0x0002_0001))).headerOffset
        #expect(afterLength + Int(groupLength) == file.dataSet.elements.first?.headerOffset)
        let ds = file.dataSet
        #expect(ds.string(.sopInstanceUID) == "2.25.1234567")
        #expect(ds.string(.patientID) == "BE-R00001")
        #expect(ds.doubles(Tag(0x0028_0030)) == [2.5, 0.333333333333])
        #expect(ds.int(Tag(0x0028_0008)) == 3 && ds.int(Tag(0x0028_0010)) == 4)
        #expect(ds.tags(Tag(0x0028_0009)) == [Tag(0x3004_000C)])
        #expect(ds.double(Tag(0x0040_A13A)) == 70_000)
        #expect(Array(ds.bytes(.pixelData) ?? []) == [1, 0, 2, 0, 3, 0])
        let rois = ds.sequence(Tag(0x3006_0020))
        #expect(rois.map { $0.string(Tag(0x3006_0026)) } == ["Heart", "Lung_L"])
        #expect(rois[1].sequence(Tag(0x3006_0040)).map { $0.int(Tag(0x3006_0084)) } == [7, 7])
    }

    @Test("pydicom reads a written file without error and finds the same values", arguments: [false, true])
    func pydicomReads(undefined: Bool) throws {
        let dir = try SharedData.temporaryDirectory("writer-pydicom")
        let url = dir.appendingPathComponent("written.dcm")
        try DataSetWriter(undefinedLengthSequences: undefined).write(sampleDataSet(), to: url)
        let out = try PeerTool.python("""
        import sys, pydicom
        d = pydicom.dcmread(sys.argv[1])  # not force=True: a conformant Part 10 file is required
        assert d.file_meta.TransferSyntaxUID == '1.2.840.10008.1.2.1', d.file_meta.TransferSyntaxUID
        assert d.file_meta.MediaStorageSOPInstanceUID == d.SOPInstanceUID
        print(d.PatientID, d.Modality, ' '.join(repr(float(x)) for x in d.PixelSpacing), int(d.Rows), int(d[0x0040A13A].value),
              '|'.join(r.ROIName for r in d.StructureSetROISequence),
              len(d.StructureSetROISequence[1].ContourSequence), int(d.StructureSetROISequence[1].ContourSequence[0].ReferencedROINumber))
        """, arguments: [url.path]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(out == "BE-R00001 RTDOSE 2.5 0.333333333333 4 70000 Heart|Lung_L 2 7")
    }

    @Test("dcmdump (dcmtk) reads a written file without error or warning", arguments: [false, true])
    func dcmdumpReads(undefined: Bool) throws {
        let dir = try SharedData.temporaryDirectory("writer-dcmdump")
        let url = dir.appendingPathComponent("written.dcm")
        try DataSetWriter(undefinedLengthSequences: undefined).write(sampleDataSet(), to: url)
        // dcmdump exits non-zero on a parse error; its warnings and errors go to the output as "W:"/"E:" lines.
        let out = try PeerTool.run("dcmdump", ["-dc", url.path])
        #expect(!out.contains("E: ") && !out.contains("W: "))
        #expect(out.contains("(0010,0020) LO [BE-R00001 ]") || out.contains("(0010,0020) LO [BE-R00001]"))
        #expect(out.contains("(0002,0010) UI =LittleEndianExplicit"))
        #expect(out.contains("(3006,0026) LO [Lung_L]"))
    }

    @Test("a text value longer than its VR allows is refused, naming the tag")
    func tooLong() throws {
        var ds = WritableDataSet()
        let e = #expect(throws: InputError.self) { try ds.set(.sopInstanceUID, .UI, String(repeating: "1", count: 65)) }
        #expect(e?.description.contains("(0008,0018)") == true)
        #expect(e?.description.contains("64") == true)
    }

    @Test("a data set without SOP Class and Instance UID cannot become a Part 10 file")
    func noSOP() throws {
        var ds = WritableDataSet()
        try ds.set(.modality, .CS, "RTDOSE")
        #expect(throws: InputError.self) { try DataSetWriter().part10(ds) }
    }

    @Test("a non-finite decimal is refused, naming the tag")
    func nonFinite() throws {
        var ds = WritableDataSet()
        let e = #expect(throws: InputError.self) { try ds.set(Tag(0x3004_000E), decimals: [.nan]) }
        #expect(e?.description.contains("(3004,000E)") == true)
    }
}
