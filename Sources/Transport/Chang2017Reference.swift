import Foundation
import HarmonicCore

/// Reference organ dose per air kerma for the ICRP 143 paediatric phantoms in idealised
/// whole-body photon beams: Chang LA, Simon SL, Jorgensen TJ, Schauer DA, Lee C,
/// J Radiol Prot 37 (2017), supplementary data (shared/data/reference/chang2017_icrp_paediatric_photon_dcc.csv).
public struct Chang2017Reference: Sendable {
    public struct Key: Hashable, Sendable {
        public let age: Int, sex: Sex, organ: Organ, keV: Double, geometry: String
    }
    public let values: [Key: Double]

    /// Chang's organ names → Harmonic organs.
    public static let organNames: [String: Organ] = [
        "Active Marrow": .redMarrow, "Adrenals": .adrenals, "Brain": .brain, "Breasts": .breast, "Colon": .colon,
        "Esophagus": .oesophagus, "Extrathoracics": .extrathoracic, "Gall Bladder Wall": .gallbladder,
        "Heart Wall": .heart, "Kidneys": .kidneys, "Lens": .eyeLens, "Liver": .liver, "Lungs": .lungs,
        "Lymph Nodes": .lymphNodes, "Muscle": .muscle, "Oral Mucosa": .oralMucosa, "Ovaries": .ovaries,
        "Pancreas": .pancreas, "Prostate": .prostate, "Salivary Glands": .salivaryGlands, "Skin": .skin,
        "Small Intestine Wall": .smallIntestine, "Spleen": .spleen, "Stomach Wall": .stomach, "TM50": .boneSurface,
        "Testes": .testes, "Thymus": .thymus, "Thyroid": .thyroid, "Urinary Bladder Wall": .bladder, "Uterus": .uterus,
    ]

    /// Reads the CSV; errors name the file, line, field and value.
    public init(contentsOf url: URL) throws {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw InputError(.file(url.path), expected: "a readable UTF-8 CSV file (\(error.localizedDescription))")
        }
        var values: [Key: Double] = [:]
        for (i, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() where i > 0 && !line.isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let loc = InputLocation.row(file: url.lastPathComponent, line: i + 1)
            guard f.count == 6 else { throw InputError(loc, value: String(line), expected: "6 comma-separated fields") }
            guard let age = Int(f[0]) else { throw InputError(loc, field: "age_years", value: f[0], expected: "an integer") }
            guard let sex = Sex(code: f[1]) else { throw InputError(loc, field: "sex", value: f[1], expected: "M or F") }
            guard let organ = Self.organNames[f[2]] else { throw InputError(loc, field: "organ", value: f[2], expected: "a known organ name") }
            guard let mev = Double(f[3]) else { throw InputError(loc, field: "energy_MeV", value: f[3], expected: "a number") }
            guard let v = Double(f[5]) else { throw InputError(loc, field: "dose_per_air_kerma_Gy_per_Gy", value: f[5], expected: "a number") }
            values[Key(age: age, sex: sex, organ: organ, keV: (mev * 1000).rounded(), geometry: f[4])] = v
        }
        self.values = values
    }

    /// The phantom ages (years) the file holds.
    public var ages: [Int] { Array(Set(values.keys.map(\.age))).sorted() }

    public func value(age: Int, sex: Sex, organ: Organ, keV: Double, geometry: String) -> Double? {
        values[Key(age: age, sex: sex, organ: organ, keV: keV, geometry: geometry)]
    }
}
