import ArgumentParser

/// Parses a comma-separated option value (`--ages 0,1,5`) with `parse`, failing with a message that
/// names the option and its value when any item does not parse or the list is empty.
func commaList<T>(_ text: String, option: String, _ parse: (String) -> T?) throws -> [T] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(parse)
    guard !values.isEmpty, values.count == parts.count else { throw ValidationError("--\(option) '\(text)': not a valid list") }
    return values
}

/// What the table-building commands (`library ct`, `library kv-imaging`) print with `--json`.
struct TableBuildJSON: Encodable {
    let out: String
    let rows: Int
    let seconds: Double
    /// Effective dose (ICRP 103) per unit of the table's index, one per simulated scan or image set.
    let simulations: [Simulation]
    struct Simulation: Encodable {
        let modality: String, region: String, age: Int, sex: String, kvp: Double
        let effectiveDose103PerIndex: Double
        enum CodingKeys: String, CodingKey { case modality, region, age, sex, kvp, effectiveDose103PerIndex = "effective_dose_icrp103_per_index" }
    }
}
