/// One line of a small CSV file (committed parameter tables, realisation headers), split into
/// its fields per RFC 4180: double quotes enclose a field holding commas or quotes, and `""`
/// inside a quoted field is one quote. Site extracts go through the registry's streaming
/// `CSVReader` instead (quoted line breaks, byte counts, precise errors).
public enum CSVLine {
    public static func fields(_ line: some StringProtocol) -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var i = line.startIndex
        while i < line.endIndex {
            let c = line[i]
            if quoted {
                if c == "\"" {
                    let next = line.index(after: i)
                    if next < line.endIndex && line[next] == "\"" { current.append("\""); i = next } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" { quoted = true } else if c == "," { fields.append(current); current = "" } else { current.append(c) }
            i = line.index(after: i)
        }
        fields.append(current)
        return fields
    }

    /// A field quoted when it needs to be (it holds a comma, a quote or a line break).
    public static func quoted(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" })
            ? "\"" + field.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\"" : field
    }
}
