import HarmonicCore
import Testing

@Suite("CSV lines of committed tables (RFC 4180 quoting)")
struct CSVLineTests {
    @Test("plain fields split at commas, empty fields kept")
    func plain() {
        #expect(CSVLine.fields("a,b,,d,") == ["a", "b", "", "d", ""])
    }

    @Test("a quoted field keeps its commas, and a doubled quote inside it is one quote")
    func quotedFields() {
        #expect(CSVLine.fields(#"OPRIPALC,"Ubeda et al., 2021","say ""P75""",12.5"#)
                == ["OPRIPALC", "Ubeda et al., 2021", #"say "P75""#, "12.5"])
    }

    @Test("quoting a field and splitting it again gives it back, whatever it holds")
    func roundTrip() {
        let fields = ["NO", "a,b", #"q"uote"#, "", "plain", #""""#]
        #expect(CSVLine.fields(fields.map(CSVLine.quoted).joined(separator: ",")) == fields)
    }
}
