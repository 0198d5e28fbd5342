import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

@Suite("Data dictionary")
struct DataDictionaryTests {
    /// docs/data-dictionary.md, found from this source file's location.
    static let docsURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("docs/data-dictionary.md")

    @Test("docs/data-dictionary.md equals the Markdown generated from the code (regenerate: harmonic ingest --print-dictionary > docs/data-dictionary.md)")
    func committedDocumentationMatchesCode() throws {
        let committed = try String(contentsOf: Self.docsURL, encoding: .utf8)
        #expect(committed == DataDictionary.markdown())
    }

    @Test("every table has its key column and every reference points to a table loaded earlier")
    func keysAndReferencesAreConsistent() throws {
        for table in DataDictionary.tables {
            #expect(table.column(table.key) != nil, "\(table.name) lacks key \(table.key)")
            for ref in table.references {
                let target = try #require(DataDictionary.table(named: ref.table))
                #expect(target.loadOrder < table.loadOrder)
                #expect(table.column(ref.column) != nil)
            }
        }
    }

    @Test("no dictionary column looks like a direct identifier")
    func noDirectIdentifierColumns() {
        for table in DataDictionary.tables {
            for c in table.columns { #expect(!DataDictionary.isDirectIdentifier(header: c.name), "\(table.name).\(c.name)") }
        }
    }

    @Test("headers such as Patient Name, NHS_number, fødselsnummer, e-mail and postcode are recognised as direct identifiers")
    func directIdentifierHeadersRecognised() {
        for h in ["Patient Name", "NHS_number", "fødselsnummer", "e-mail", "postcode", "first_name", "surname", "SSN", "home_address", "phone"] {
            #expect(DataDictionary.isDirectIdentifier(header: h), "\(h)")
        }
    }
}
