/// Where in the input a problem was found. Every error Harmonic reports about input data
/// names the file and, as far as it is known, the row or DICOM tag and byte offset.
public enum InputLocation: Hashable, Sendable, CustomStringConvertible {
    /// A whole file (unreadable, wrong format).
    case file(String)
    /// A CSV row: file and 1-based line number (the header is line 1).
    case row(file: String, line: Int)
    /// A DICOM element: file, tag as "(gggg,eeee)", byte offset from the start of the file.
    case tag(file: String, tag: String, offset: Int)

    public var file: String {
        switch self {
        case .file(let f), .row(let f, _), .tag(let f, _, _): f
        }
    }

    public var description: String {
        switch self {
        case .file(let f): f
        case .row(let f, let line): "\(f), line \(line)"
        case .tag(let f, let tag, let offset): "\(f), tag \(tag) at byte \(offset)"
        }
    }
}

/// A problem with input data: where, which field, what value, what was expected.
/// Its description is a sentence a data manager can act on.
public struct InputError: Error, Hashable, Sendable, CustomStringConvertible {
    public var location: InputLocation
    public var field: String?
    public var value: String?
    public var expected: String

    public init(_ location: InputLocation, field: String? = nil, value: String? = nil, expected: String) {
        self.location = location; self.field = field; self.value = value; self.expected = expected
    }

    public var description: String {
        var s = location.description + ":"
        if let field { s += " field '\(field)'" }
        if let value { s += " value '\(value.count > 80 ? String(value.prefix(77)) + "..." : value)'" }
        s += (field == nil && value == nil ? " " : ": ") + expected
        return s
    }
}
