import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

func readError(_ bytes: [UInt8], name: String = "test.dcm") -> InputError? {
    do { _ = try DICOMFile(bytes: bytes, name: name); return nil } catch let e as InputError { return e } catch { return nil }
}

func fileBytes(_ relative: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: SharedData.url(relative))) }

/// A minimal Part 10 file: preamble, DICM, transfer syntax, then `body`.
func part10(_ body: [UInt8], syntax: String = "1.2.840.10008.1.2.1") -> [UInt8] {
    var uid = Array(syntax.utf8); if uid.count % 2 == 1 { uid.append(0) }
    var b = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
    b += [0x02, 0x00, 0x10, 0x00] + Array("UI".utf8) + [UInt8(uid.count), 0] + uid
    return b + body
}

func explicitElement(_ group: UInt16, _ element: UInt16, _ vr: String, _ value: [UInt8]) -> [UInt8] {
    var b: [UInt8] = [UInt8(group & 0xFF), UInt8(group >> 8), UInt8(element & 0xFF), UInt8(element >> 8)] + Array(vr.utf8)
    if ["OB", "OW", "SQ", "UN", "UT"].contains(vr) {
        let n = UInt32(value.count)
        b += [0, 0, UInt8(n & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n >> 16 & 0xFF), UInt8(n >> 24)]
    } else { b += [UInt8(value.count & 0xFF), UInt8(value.count >> 8)] }
    return b + value
}

@Suite("DICOM bad input")
struct BadInputTests {
    @Test("a truncated MR file fails naming the file, the tag and the byte offset")
    func truncatedMR() throws {
        let bytes = try fileBytes("dicom/general/MR_truncated.dcm")
        let e = try #require(readError(bytes, name: "MR_truncated.dcm"))
        guard case .tag(let file, let tag, let offset) = e.location else { Issue.record("no tag location: \(e)"); return }
        #expect(file == "MR_truncated.dcm")
        #expect(tag == "(7FE0,0010)") // the pixel data element is cut short
        #expect(offset > 0 && offset < bytes.count)
        #expect(e.description.contains("remain"))
    }

    @Test("a truncated RT plan fails with a located error")
    func truncatedPlan() throws {
        let e = try #require(readError(try fileBytes("dicom/general/rtplan_truncated.dcm"), name: "rtplan_truncated.dcm"))
        guard case .tag(_, _, let offset) = e.location else { Issue.record("\(e)"); return }
        #expect(offset > 0 && offset <= 2129)
    }

    @Test("a value that does not fit its VR (IS '1A' in badVR.dcm) is reported with tag, offset and value")
    func badVR() throws {
        let ds = try DICOMFile(bytes: try fileBytes("dicom/general/badVR.dcm"), name: "badVR.dcm").dataSet
        do {
            _ = try ds.integers(Tag(0x0028_0008))
            Issue.record("IS '1A' was accepted")
        } catch let e as InputError {
            #expect(e.value == "1A")
            #expect(e.field == "NumberOfFrames")
            guard case .tag(let file, let tag, let offset) = e.location else { Issue.record("\(e)"); return }
            #expect(file == "badVR.dcm" && tag == "(0028,0008)")
            #expect(offset == ds.element(Tag(0x0028_0008))?.headerOffset)
        }
    }

    @Test("an unknown explicit VR code is reported with the tag and the letters found")
    func unknownVR() throws {
        let bad = part10(explicitElement(0x0010, 0x0010, "ZZ", Array("ABCD".utf8)))
        let e = try #require(readError(bad))
        #expect(e.value == "ZZ")
        #expect(e.location == .tag(file: "test.dcm", tag: "(0010,0010)", offset: bad.count - 12 + 4))
    }

    @Test("a value length past the end of the file is an error, not a crash")
    func lengthPastEnd() throws {
        let body = explicitElement(0x0010, 0x0010, "LO", Array("ABCD".utf8))
        var bad = part10(body); bad[bad.count - 6] = 0xFF // length 0x00FF with 4 bytes present
        let e = try #require(readError(bad))
        #expect(e.location == .tag(file: "test.dcm", tag: "(0010,0010)", offset: bad.count - 12))
    }

    @Test("odd value lengths are read, not rejected")
    func oddLength() throws {
        let file = try DICOMFile(bytes: part10(explicitElement(0x0010, 0x0010, "LO", Array("ABC".utf8))), name: "odd.dcm")
        #expect(file.dataSet.string(.patientName) == "ABC")
    }

    @Test("sequences nested a thousand deep stop at the depth limit with an error")
    func deepNesting() throws {
        // Each level: SQ (0040,A730) undefined length -> item undefined length -> ... then delimiters.
        var body: [UInt8] = []
        let depth = 1000
        for _ in 0..<depth {
            body += [0x40, 0x00, 0x30, 0xA7] + Array("SQ".utf8) + [0, 0, 0xFF, 0xFF, 0xFF, 0xFF]
            body += [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF]
        }
        for _ in 0..<depth {
            body += [0xFE, 0xFF, 0x0D, 0xE0, 0, 0, 0, 0]
            body += [0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0]
        }
        let e = try #require(readError(part10(body)))
        #expect(e.expected.contains("nested at most"))
    }

    @Test("a text file is rejected as not DICOM at byte 0")
    func notDICOM() throws {
        let e = try #require(readError(try fileBytes("dicom/general/PYDICOM_TEST_FILES_README.txt"), name: "README.txt"))
        #expect(e.expected.contains("DICM"))
    }

    @Test("random bytes fail with an error naming the file")
    func randomBytes() {
        var rng = RandomStream(seed: 3, stream: 0)
        for n in [0, 1, 7, 131, 132, 500, 4096] {
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: Int(rng.uniform() * 256)) }
            if let e = readError(bytes, name: "random.bin") { #expect(e.location.file == "random.bin") }
        }
    }

    @Test("2,000 random mutations of sample files never crash: each parses or throws InputError")
    func fuzz() throws {
        let samples = try ["dicom/general/CT_small.dcm", "dicom/general/MR_small_implicit.dcm", "dicom/general/rtplan.dcm",
                           "dicom/general/MR_small_bigendian.dcm", "dicom/rdsr/RF-RDSR-GE.dcm"].map(fileBytes)
        var rng = RandomStream(seed: 2026, stream: 1)
        var thrown = 0, parsed = 0
        for i in 0..<2000 {
            var b = samples[i % samples.count]
            Fuzz.mutate(&b, rng: &rng)
            do {
                try Fuzz.exercise(b, name: "fuzz-\(i)")
                parsed += 1
            } catch is InputError { thrown += 1 }
        }
        #expect(parsed + thrown == 2000)
        #expect(thrown > 0)
    }
}
