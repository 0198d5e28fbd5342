import Foundation
import HarmonicCore

/// One ICRP Publication 143 paediatric reference phantom's skeleton table
/// (`<phantom>_skeleton.dat`, as distributed with OpenDXMC, `data/phantoms/icrp/<phantom>/`):
/// per skeletal site, masses of active and inactive marrow, trabecular and cortical bone
/// (exclusive of miscellaneous skeletal tissue), the 50 µm endosteal layer TM50 (inclusive of
/// MST) and the bone surface areas.
///
/// The file is tab-separated with irregular runs of tabs, so fields are read by position
/// among the non-empty fields: the site name, then AM, IM, TBV, CBV (exclusive of MST), AM,
/// IM, TM50, TBV, CBV (inclusive of MST), TBS, CBSHC and an optional CBSMC. The "Totals" row
/// is checked against the sum of the sites (to the rounding of the printed totals), so a
/// shifted or mistyped column is caught. Used by `harmonic-bench skeleton-tables`, which
/// generates `ICRP143SkeletonData.swift`; the product never reads these files at run time.
public struct ICRP143SkeletonTable: Sendable {
    /// The phantom's label from the file name, e.g. "05M".
    public let phantom: String
    /// The sites, in `SkeletalSite` order.
    public let sites: [SkeletalSiteTissues]

    /// Column labels of the second header line, in file order.
    static let columns = ["AM", "IM", "TBV", "CBV", "AM", "IM", "TM50", "TBV", "CBV", "TBS", "CBSHC", "CBSMC"]
    /// Column names used in error messages.
    static let columnNames = ["AM (g, excl. MST)", "IM (g, excl. MST)", "TBV (g, excl. MST)", "CBV (g, excl. MST)",
                              "AM (g, incl. MST)", "IM (g, incl. MST)", "TM50 (g, incl. MST)", "TBV (g, incl. MST)",
                              "CBV (g, incl. MST)", "TBS (m2)", "CBSHC (m2)", "CBSMC (m2)"]

    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(.file(url.path), expected: "a readable ICRP 143 skeleton table (\(error.localizedDescription))")
        }
        try self.init(text: text, file: url.lastPathComponent)
    }

    /// Parses the text of a skeleton table; `file` names it in errors (its first three
    /// characters, e.g. "05M", label the phantom).
    public init(text: String, file: String) throws {
        phantom = String(file.prefix(3))
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        func fields(_ line: Substring) -> [String] {
            line.split(separator: "\t", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard lines.count > 2 else {
            throw InputError(.file(file), expected: "a title line, a column header line and one row per skeletal site")
        }
        let header = fields(lines[1])
        guard header.first == "Skeletal Site", Array(header.dropFirst().prefix(11)) == Array(Self.columns.prefix(11)) else {
            throw InputError(.row(file: file, line: 2), field: "column header", value: header.joined(separator: " "),
                             expected: "Skeletal Site, then " + Self.columns.joined(separator: " "))
        }
        var bySite: [SkeletalSite: (values: [Double], line: Int)] = [:]
        var totals: (values: [Double], decimals: [Int], line: Int)?
        let names = Dictionary(uniqueKeysWithValues: SkeletalSite.allCases.map { ($0.icrp143RowName.lowercased(), $0) })
        for (i, line) in lines.enumerated().dropFirst(2) {
            let f = fields(line)
            guard let name = f.first, !name.hasPrefix("Total Skeletal") else { continue }
            let lineNumber = i + 1
            let loc = InputLocation.row(file: file, line: lineNumber)
            let raw = Array(f.dropFirst())
            guard raw.count == 11 || raw.count == 12 else {
                throw InputError(loc, field: name, value: raw.joined(separator: " "),
                                 expected: "11 or 12 numbers (\(Self.columnNames.joined(separator: ", ")))")
            }
            var values: [Double] = []
            for (k, s) in raw.enumerated() {
                guard let v = Double(s), v.isFinite, v >= 0 else {
                    throw InputError(loc, field: "\(name): \(Self.columnNames[k])", value: s, expected: "a non-negative number")
                }
                values.append(v)
            }
            if values.count == 11 { values.append(0) }
            if name == "Totals" {
                let decimals = raw.map { $0.split(separator: ".").dropFirst().first?.count ?? 0 } + (raw.count == 11 ? [1] : [])
                totals = (values, decimals, lineNumber)
                continue
            }
            guard let site = names[name.lowercased()] else {
                throw InputError(loc, field: "Skeletal Site", value: name,
                                 expected: "one of the ICRP 143 sites (" + SkeletalSite.allCases.map(\.icrp143RowName).joined(separator: ", ") + ") or Totals")
            }
            if let previous = bySite[site] {
                throw InputError(loc, field: "Skeletal Site", value: name, expected: "each site once (already on line \(previous.line))")
            }
            bySite[site] = (values, lineNumber)
        }
        for site in SkeletalSite.allCases where bySite[site] == nil {
            throw InputError(.file(file), field: "Skeletal Site", value: site.icrp143RowName, expected: "a row for every ICRP 143 site; this one is missing")
        }
        guard let totals else { throw InputError(.file(file), field: "Totals", expected: "a Totals row after the sites") }
        // The totals are printed rounded (0 decimals for masses, 1 for surfaces) and the sites
        // to 2 (masses) or 3 (surfaces) decimals: the sum may differ by half a unit of each.
        let rows = SkeletalSite.allCases.map { bySite[$0]! }
        for k in 0..<12 {
            let sum = rows.reduce(0) { $0 + $1.values[k] }
            let siteHalfUnit = k >= 9 ? 0.0005 : 0.005
            let tolerance = 0.5 * pow(10, -Double(totals.decimals[k])) + Double(rows.count) * siteHalfUnit + 1e-9
            if abs(sum - totals.values[k]) > tolerance {
                throw InputError(.row(file: file, line: totals.line), field: "Totals: \(Self.columnNames[k])",
                                 value: String(format: "%g", totals.values[k]),
                                 expected: "the sum of the sites, \(String(format: "%.3f", sum)) (within \(String(format: "%.3f", tolerance)))")
            }
        }
        sites = rows.map { r in
            let v = r.values
            return SkeletalSiteTissues(activeMarrow: v[0], inactiveMarrow: v[1], trabecularBone: v[2], corticalBone: v[3],
                                       endosteum: v[6], trabecularSurface: v[9], corticalSurface: v[10] + v[11])
        }
    }

    public func tissues(_ site: SkeletalSite) -> SkeletalSiteTissues { sites[site.rawValue] }
}
