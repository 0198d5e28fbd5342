import Foundation
import HarmonicCore

/// Elemental composition of a tissue medium: mass fractions (sum 1) and density.
public struct TissueMedium: Sendable, Equatable, Codable {
    /// Atomic numbers and mass fractions (0-1), in the order of the source table.
    public var elements: [(z: Int, fraction: Double)] { zip(ICRP143MediaTable.atomicNumbers, fractions).map { ($0, $1) } }
    /// Mass fractions of H, C, N, O, Na, Mg, P, S, Cl, K, Ca, Fe, I (0-1).
    public let fractions: [Double]
    /// g/cm³
    public let density: Double

    public init(fractions: [Double], density: Double) { self.fractions = fractions; self.density = density }
}

/// One ICRP 143 phantom's media table (`<phantom>_media.dat`): per medium, the mass percentages
/// of H, C, N, O, Na, Mg, P, S, Cl, K, Ca, Fe, I and the density. Fields are read by position
/// among the non-empty tab-separated fields (ID, name, 13 percentages, density); each row's
/// percentages must sum to 100 (within the table's rounding). Used to take each skeletal site's
/// spongiosa composition (`SkeletalSite.icrp143SpongiosaMediumName`).
public struct ICRP143MediaTable: Sendable {
    static let atomicNumbers = [1, 6, 7, 8, 11, 12, 15, 16, 17, 19, 20, 26, 53]
    static let elementNames = ["H", "C", "N", "O", "Na", "Mg", "P", "S", "Cl", "K", "Ca", "Fe", "I"]
    public let media: [String: TissueMedium]

    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(.file(url.path), expected: "a readable ICRP 143 media table (\(error.localizedDescription))")
        }
        try self.init(text: text, file: url.lastPathComponent)
    }

    public init(text: String, file: String) throws {
        var media: [String: TissueMedium] = [:]
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where i > 0 {
            let f = line.split(separator: "\t").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !f.isEmpty else { continue }
            let loc = InputLocation.row(file: file, line: i + 1)
            guard f.count == 16, Int(f[0]) != nil else {
                throw InputError(loc, value: f.joined(separator: " "),
                                 expected: "Media ID, name, 13 mass percentages (\(Self.elementNames.joined(separator: " "))) and a density")
            }
            var values: [Double] = []
            for (k, s) in f[2...].enumerated() {
                guard let v = Double(s), v >= 0 else {
                    throw InputError(loc, field: "\(f[1]): " + (k < 13 ? Self.elementNames[k] + " (%)" : "density (g/cm3)"),
                                     value: s, expected: "a non-negative number")
                }
                values.append(v)
            }
            let sum = values.prefix(13).reduce(0, +)
            guard abs(sum - 100) <= 0.1 else {
                throw InputError(loc, field: "\(f[1]): mass percentages", value: String(format: "%.2f", sum), expected: "a sum of 100 (within 0.1)")
            }
            media[f[1]] = TissueMedium(fractions: values.prefix(13).map { $0 / sum }, density: values[13])
        }
        self.media = media
    }
}
