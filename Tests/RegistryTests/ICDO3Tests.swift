import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

/// ICD-O-3 codes: the topography list of WHO ICD-O-3 and the form of morphology codes, with
/// reasons that say what is wrong and how to fix it.
@Suite("ICD-O-3 codes")
struct ICDO3Tests {
    /// Rows (code, level, title) of the committed source table.
    static func sourceTable() throws -> [(code: String, level: String, title: String)] {
        try rows("icdo3-topography.tsv", header: "code").map { ($0[0], $0[1], $0[2]) }
    }

    /// Data rows of a committed table in scripts/data (comment lines and the header left out).
    static func rows(_ file: String, header: String) throws -> [[String]] {
        let text = try String(contentsOf: SharedData.repositoryRoot.appendingPathComponent("scripts/data/" + file), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix(header + "\t") }
            .map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test("the Swift histology table is the committed ICD-O-3 + ICD-O-3.2 table (regenerate with scripts/generate_icdo3_tables.py)")
    func histologyMatchesSource() throws {
        let rows = try Self.rows("icdo3-histology.tsv", header: "histology")
        #expect(Set(rows.map { Int($0[0])! }) == ICDO3Histology.all)
        #expect(Set(rows.filter { $0[1].split(separator: " ").contains("3.2") }.map { Int($0[0])! }) == ICDO3Histology.revision32)
        // The 16 histology codes ICD-O-3.1 deleted from ICD-O-3 (e.g. 9836 precursor B-cell
        // lymphoblastic leukaemia, now 9811-9818; 9826 Burkitt cell leukaemia, now 9687).
        #expect(ICDO3Histology.deletedAfterEdition3 == [8157, 8444, 8462, 8463, 8471, 8473, 8965, 9150, 9670, 9728, 9729, 9752, 9753, 9754, 9826, 9836])
    }

    @Test("histology codes of either edition are accepted; one in neither is rejected naming its group's codes", arguments: [
        ("9836/3", nil), ("9811/3", nil), ("9509/1", nil), ("8158/3", nil),
        ("9999/3", "outside the ICD-O-3 morphology range"), ("8006/3", "codes of group 800x are 8000, 8001, 8002, 8003, 8004, 8005"),
        ("9862/3", "histology 9862 is not an ICD-O-3 (2000) or ICD-O-3.2 morphology code"),
    ] as [(String, String?)])
    func histologyList(_ code: String, _ reason: String?) {
        let problem = ICDO3Check.morphologyProblem(code)
        if let reason { #expect(problem?.contains(reason) == true, "\(problem ?? "accepted")") } else { #expect(problem == nil, "\(problem ?? "")") }
    }

    @Test("the Swift topography table is the committed WHO table (regenerate with scripts/generate_icdo3_tables.py)")
    func tableMatchesSource() throws {
        let rows = try Self.sourceTable()
        #expect(Dictionary(uniqueKeysWithValues: rows.filter { $0.level == "4" }.map { ($0.code, $0.title) }) == ICDO3Topography.codes)
        #expect(Dictionary(uniqueKeysWithValues: rows.filter { $0.level == "3" }.map { ($0.code, $0.title) }) == ICDO3Topography.sites)
        // WHO ICD-O-3 topography: 70 three-character sites C00-C80 (C27-C29, C35-C36, C43, C45-C46, C59, C78-C79 do not exist).
        #expect(ICDO3Topography.sites.count == 70)
        #expect(ICDO3Topography.codes.keys.allSatisfy { ICDO3Topography.sites[String($0.prefix(3))] != nil })
    }

    @Test("every code of the list is accepted, in upper or lower case")
    func everyCodeAccepted() {
        #expect(ICDO3Topography.codes.keys.allSatisfy { ICDO3Check.topographyProblem($0) == nil })
        #expect((try? IngestRules.checkTopography("c71.9")) != nil)
    }

    @Test("a fourth digit the site does not have is rejected, listing the site's codes", arguments: [
        ("C80.0", "C80 (unknown primary site) has only C80.9"),
        ("C42.5", "has only C42.0, C42.1, C42.2, C42.3, C42.4"),
        ("C14.1", "has only C14.0, C14.2, C14.8"),
        ("C22.9", "has only C22.0, C22.1"),
        ("C71.9x", "expected an ICD-O-3 topography code Cxx.x"),
    ])
    func missingSubsite(_ code: String, _ reason: String) {
        let problem = ICDO3Check.topographyProblem(code)
        #expect(problem?.contains(reason) == true, "\(problem ?? "accepted")")
    }

    @Test("an ICD-10 category without ICD-O-3 topography is rejected with where to code the tumour instead", arguments: [
        ("C78.0", "code the primary site"), ("C79.3", "code the primary site"), ("C43.5", "skin site C44.x"),
        ("C45.0", "mesothelioma"), ("C91.0", "bone marrow C42.1"), ("C81.9", "lymph nodes C77.x"), ("C97.9", "its own row"),
    ])
    func icd10Category(_ code: String, _ hint: String) {
        let problem = ICDO3Check.topographyProblem(code)
        #expect(problem?.hasPrefix("\(code.prefix(3)) is not an ICD-O-3 topography site") == true)
        #expect(problem?.contains(hint) == true, "\(problem ?? "accepted")")
    }

    @Test("a site number that ICD-O-3 leaves out is rejected", arguments: ["C27.0", "C36.9", "C59.9"])
    func absentSite(_ code: String) {
        #expect(ICDO3Check.topographyProblem(code)?.contains("without C27-C29, C35-C36") == true)
    }

    @Test("a code without its point is rejected with the written form to use")
    func missingPoint() {
        #expect(ICDO3Check.topographyProblem("C719")?.hasSuffix("write C71.9") == true)
        #expect(ICDO3Check.topographyProblem("D421")?.contains("D codes are ICD-10") == true)
    }

    @Test("a malformed morphology is rejected saying how to write it", arguments: [
        ("M9861/3", "drop the M prefix and write 9861/3"), ("M-9861/3", "drop the M prefix and write 9861/3"),
        ("9861", "the behaviour digit is missing"), ("98613", "the slash is missing (write 9861/3)"),
        ("9861/31", "sixth digit"), ("7999/3", "outside the ICD-O-3 morphology range 8000-9993"),
        ("9861/4", "behaviour digit 4 is not an ICD-O-3 behaviour code: 0 benign"), ("98A6", "four histology digits"),
    ])
    func malformedMorphology(_ code: String, _ reason: String) {
        let problem = ICDO3Check.morphologyProblem(code)
        #expect(problem?.contains(reason) == true, "\(problem ?? "accepted")")
    }

    @Test("every behaviour digit of ICD-O-3 is accepted", arguments: ["8000/0", "8000/1", "8010/2", "9861/3", "8000/6", "8000/9", "9993/3"])
    func behaviours(_ code: String) { #expect(ICDO3Check.morphologyProblem(code) == nil) }

    @Test("a cancer row with a topography code the site does not have is quarantined with the reason; the good row is kept")
    func quarantinedInIngest() throws {
        let store = try Fixture.store()
        let outcomes = Fixture.replace(Fixture.outcomesBothChildren, row: 1, column: "topography", value: "C80.0")
        try Fixture.load(store, ["patients": Fixture.patients, "cancer_outcomes": outcomes])
        let q = try #require(try store.quarantine().first)
        #expect(q.field == "topography" && q.value == "C80.0" && q.line == 2)
        #expect(q.reason == "C80.0 is not an ICD-O-3 topography code: C80 (unknown primary site) has only C80.9; C80.9 is Unknown primary site")
        #expect(try store.count("cancer_outcomes") == 1)
    }
}
