import Foundation

/// The `--json` output of every command: pretty-printed, keys sorted (stable diffs), and
/// non-finite numbers as the strings "nan", "inf", "-inf" (an organ with no deposit has an
/// undefined relative uncertainty; a profile bound may be unbounded) instead of failing.
/// The web API returns the same JSON.
func jsonString<T: Encodable>(_ value: T) throws -> String {
    let enc = JSONEncoder(); enc.outputFormatting = [.prettyPrinted, .sortedKeys]
    enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return String(decoding: try enc.encode(value), as: UTF8.self)
}
