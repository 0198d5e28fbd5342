import ArgumentParser

/// Parses a comma-separated option value (`--ages 0,1,5`) with `parse`, failing with a message that
/// names the option and its value when any item does not parse or the list is empty.
func commaList<T>(_ text: String, option: String, _ parse: (String) -> T?) throws -> [T] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(parse)
    guard !values.isEmpty, values.count == parts.count else { throw ValidationError("--\(option) '\(text)': not a valid list") }
    return values
}
