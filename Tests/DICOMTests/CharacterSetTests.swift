import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

let charsetFolder: URL = Bundle.module.bundleURL.appendingPathComponent("Resources/charset")

/// pydicom's decoding of raw bytes under a Specific Character Set (its `charset.decode_bytes`).
func pydicomDecode(_ bytes: [UInt8], _ terms: [String]) throws -> String {
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    let script = """
    import sys, pydicom.charset as c
    sys.stdout.buffer.write(c.decode_bytes(bytes.fromhex(sys.argv[1]), c.convert_encodings(sys.argv[2].split("|")), set()).encode('utf-8'))
    """
    return try PeerTool.python(script, arguments: [hex, terms.joined(separator: "|")])
}

@Suite("Specific Character Set: ISO 2022 code extensions")
struct CharacterSetTests {
    @Test("Japanese person names (ISO 2022 IR 87, with IR 13 and IR 6) decode exactly as pydicom decodes them")
    func japaneseNamesMatchPydicom() throws {
        for name in ["chrH31.dcm", "chrH32.dcm", "chrJapMulti.dcm", "chrJapMultiExplicitIR6.dcm", "chrFrenMulti.dcm"] {
            let url = charsetFolder.appendingPathComponent(name)
            let ours = try DICOMFile(contentsOf: url).dataSet.string(.patientName)
            let theirs = try PeerTool.python("import sys,pydicom; sys.stdout.buffer.write(str(pydicom.dcmread(sys.argv[1]).PatientName).encode('utf-8'))",
                                             arguments: [url.path])
            #expect(ours == theirs, "\(name)")
            #expect(!(ours ?? "").contains("\u{FFFD}"), "\(name) has undecoded characters")
        }
    }

    @Test("a Kanji name reads as 山田^太郎 in chrH31")
    func kanjiLiteral() throws {
        let ds = try DICOMFile(contentsOf: charsetFolder.appendingPathComponent("chrH31.dcm")).dataSet
        #expect(ds.string(.patientName) == "Yamada^Tarou=山田^太郎=やまだ^たろう")
    }

    @Test("ISO 2022 IR 100 and IR 6 switching (ESC - A, ESC ( B) decodes like pydicom")
    func latin1Switching() throws {
        // "Buc^Jérôme" with G1 designated Latin-1 by escape, then back to ASCII, then Kanji.
        let bytes: [UInt8] = Array("Buc^J".utf8) + [0x1B, 0x2D, 0x41, 0xE9] + Array("r".utf8) + [0xF4] + Array("me".utf8)
            + [0x3D, 0x1B, 0x24, 0x42, 0x3B, 0x33, 0x45, 0x44, 0x1B, 0x28, 0x42]
        let terms = ["ISO 2022 IR 6", "ISO 2022 IR 100", "ISO 2022 IR 87"]
        let ours = bytes.withUnsafeBytes { ISO2022Decoder(terms: terms).decode($0) }
        #expect(ours == "Buc^Jérôme=山田")
        #expect(ours == (try pydicomDecode(bytes, terms)))
    }

    @Test("an undecodable ISO 2022 set (IR 149 Korean) gives replacement characters, never an error")
    func unsupportedSetDegrades() {
        let bytes: [UInt8] = Array("Kim=".utf8) + [0x1B, 0x24, 0x29, 0x43, 0xB1, 0xE8]
        let s = bytes.withUnsafeBytes { ISO2022Decoder(terms: ["", "ISO 2022 IR 149"]).decode($0) }
        #expect(s.hasPrefix("Kim="))
        #expect(s.contains("\u{FFFD}"))
    }
}
