import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// One content item line of a dsrdump-style tree, reduced to what both printers show.
struct ContentTreeLine: Equatable, CustomStringConvertible {
    let depth: Int, relationship: String, valueType: String, meaning: String, value: String
    var description: String { "\(String(repeating: "  ", count: depth))<\(relationship) \(valueType):\(meaning)=\(value)>" }

    /// Same item: the same place, relationship, value type and concept meaning, and the same value
    /// (numbers compared as numbers: dsrdump prints "1.6e-005" where we print "1.6e-05", same DS text).
    func sameItem(_ o: ContentTreeLine) -> Bool {
        guard depth == o.depth, relationship == o.relationship, valueType == o.valueType, meaning == o.meaning else { return false }
        switch valueType {
        case "CONTAINER", "IMAGE", "COMPOSITE", "WAVEFORM": return true
        case "NUM":
            func number(_ s: String) -> Double? { Double(s.split(separator: " ").first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "") }
            func unit(_ s: String) -> String { s.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? "" }
            return number(value) == number(o.value) && unit(value) == unit(o.value)
        default:
            let a = value.trimmingCharacters(in: CharacterSet(charactersIn: "\"")), b = o.value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            // dsrdump shortens long text values to their first characters followed by "...".
            if b.hasSuffix("..."), b.count > a.count || !a.hasSuffix("...") { return a.hasPrefix(b.dropLast(3)) }
            return a == b
        }
    }
}

/// dsrdump's lines: `  <contains NUM:(,,"Dose (RP)")="0.00014" (Gy,UCUM,"Gy")>`.
func parseDsrdump(_ text: String) throws -> [ContentTreeLine] {
    try parseContentTreeLines(text, pattern: #"^( *)<([a-z ]+ )?([A-Z]+):\(,,"(.*?)"\)(?:=(.*?))?>(?: \{.*\})?$"#)
}

/// Our lines: `  <contains NUM:"Dose (RP)" 113738 = "0.00014" (Gy,UCUM,"Gy")>`.
func parseHarmonicTree(_ text: String) throws -> [ContentTreeLine] {
    try parseContentTreeLines(text, pattern: #"^( *)<([a-z ]+ )?([A-Z]+):"(.*?)" [^ ]+(?: = (.*))?>$"#)
}

/// Lines of a content-tree dump matched by `pattern`, whose groups are: indent, relationship,
/// value type, concept meaning, value.
func parseContentTreeLines(_ text: String, pattern: String) throws -> [ContentTreeLine] {
    let re = try Regex(pattern)
    return text.split(separator: "\n").compactMap { line in
        guard let m = try? re.wholeMatch(in: String(line)) else { return nil }
        return ContentTreeLine(depth: (m.output[1].substring?.count ?? 0) / 2,
                               relationship: (m.output[2].substring.map(String.init) ?? "").trimmingCharacters(in: .whitespaces),
                               valueType: String(m.output[3].substring ?? ""), meaning: String(m.output[4].substring ?? ""),
                               value: m.output[5].substring.map(String.init) ?? "")
    }
}

@Suite("SR content tree dump (harmonic dicom dump --sr) against dcmtk's dsrdump")
struct ContentTreeDumpTests {
    static let file = SharedData.url("dicom/rdsr/RF-RDSR-Siemens-Zee.dcm")

    @Test("every content item of a real Siemens RDSR prints with dsrdump's depth, relationship, value type, concept name and value")
    func matchesDsrdump() throws {
        let ours = try parseHarmonicTree(DICOMDump.contentTree(ContentItem(document: DICOMFile(contentsOf: Self.file).dataSet)))
        let theirs = try parseDsrdump(PeerTool.run("dsrdump", [Self.file.path]))
        // dsrdump prints 326 content item lines for this file (counted with grep -c '^ *<').
        #expect(theirs.count == 326)
        try #require(ours.count == theirs.count, "\(ours.count) lines, dsrdump \(theirs.count)")
        for (o, t) in zip(ours, theirs) { #expect(o.sameItem(t), "ours \(o) vs dsrdump \(t)") }
    }

    @Test("the tree shows the measured value with its UCUM unit as dsrdump does")
    func numericLine() throws {
        let tree = try DICOMDump.contentTree(ContentItem(document: DICOMFile(contentsOf: Self.file).dataSet))
        // dsrdump: <contains NUM:(,,"Dose (RP) Total")="0.00252" (Gy,UCUM,"Gy")>
        #expect(tree.contains(#"<contains NUM:"Dose (RP) Total" 113725 = "0.00252" (Gy,UCUM,"Gy")>"#))
    }
}

@Suite("Specific Character Set ISO_IR 192 (UTF-8)")
struct UTF8CharacterSetTests {
    static let file = SharedData.url("dicom/general/chrX1.dcm")

    @Test("a UTF-8 person name's alphabetic, ideographic and phonetic groups decode exactly as pydicom decodes them")
    func matchesPydicom() throws {
        let ours = try #require(try DICOMFile(contentsOf: Self.file).dataSet.string(.patientName))
        let script = """
        import sys, pydicom
        pn = pydicom.dcmread(sys.argv[1]).PatientName
        sys.stdout.buffer.write('|'.join([pn.alphabetic, pn.ideographic, pn.phonetic]).encode('utf-8'))
        """
        let theirs = try PeerTool.python(script, arguments: [Self.file.path]).components(separatedBy: "|")
        var groups = ours.components(separatedBy: "=")
        while groups.count < 3 { groups.append("") }
        #expect(groups == theirs)
        #expect(theirs[1] == "王^小東")
    }

    @Test("chrX1's patient name reads Wang^XiaoDong=王^小東= (empty phonetic group kept), as dcmdump prints it")
    func literal() throws {
        let ds = try DICOMFile(contentsOf: Self.file).dataSet
        #expect(ds.string(Tag(0x0008_0005)) == "ISO_IR 192")
        #expect(ds.string(.patientName) == "Wang^XiaoDong=王^小東=")
    }
}
