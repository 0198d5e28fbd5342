/// A bad simulation setting (CLI option or configuration field): which, what value, what was expected.
public struct TransportInputError: Error, CustomStringConvertible, Sendable {
    public let field: String, value: String, expected: String
    public init(field: String, value: String, expected: String) {
        self.field = field; self.value = value; self.expected = expected
    }
    public var description: String { "\(field) '\(value)': expected \(expected)" }
}
