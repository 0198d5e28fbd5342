import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import Registry

@Suite("Streaming CSV reader")
struct CSVReaderTests {
    func records(_ bytes: [UInt8]) throws -> [[String]] {
        let url = try SharedData.temporaryDirectory("csv").appendingPathComponent("t.csv")
        try Data(bytes).write(to: url)
        let r = try CSVReader(path: url.path)
        var out = [try r.readHeader()]
        var f: [String] = []
        while try r.next(into: &f) { out.append(f) }
        return out
    }

    @Test("semicolons are detected, quoted fields keep delimiters, doubled quotes and line breaks, CRLF is accepted")
    func semicolonQuotedCRLF() throws {
        let text = "a;b;c\r\n1;\"x;y\";\"say \"\"hi\"\"\"\r\n2;\"two\nlines\";\r\n"
        #expect(try records(Array(text.utf8)) == [["a", "b", "c"], ["1", "x;y", "say \"hi\""], ["2", "two\nlines", ""]])
    }

    @Test("a UTF-8 byte-order mark is skipped and the last line may lack a newline")
    func bomAndNoFinalNewline() throws {
        #expect(try records([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2".utf8)) == [["a", "b"], ["1", "2"]])
    }

    @Test("invalid UTF-8 is an error naming the line")
    func invalidUTF8() throws {
        #expect(throws: InputError.self) { try records(Array("a,b\n1,".utf8) + [0xFF, 0xFE]) }
    }

    @Test("records spanning the 1 MiB read chunks are read whole")
    func chunkBoundary() throws {
        let long = String(repeating: "x", count: CSVReader.chunkSize + 10)
        #expect(try records(Array("a,b\n1,\(long)\n2,3\n".utf8)) == [["a", "b"], ["1", long], ["2", "3"]])
    }
}
