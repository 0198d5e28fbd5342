/// A coded concept (code value, scheme, meaning), PS3.3 §8.8.
public struct CodedConcept: Hashable, Sendable, CustomStringConvertible {
    public let value: String
    public let scheme: String
    public let meaning: String
    public init(_ value: String, _ scheme: String, _ meaning: String = "") {
        self.value = value; self.scheme = scheme; self.meaning = meaning
    }
    init?(_ item: DataSet?) {
        guard let item else { return nil }
        let v = item.string(Tag(0x0008_0100)) ?? item.string(Tag(0x0008_0119)) ?? item.string(Tag(0x0008_0120))
        guard let v else { return nil }
        self.init(v, item.string(Tag(0x0008_0102)) ?? "", item.string(Tag(0x0008_0104)) ?? "")
    }
    /// Same concept: code value and scheme (meanings vary by vendor and are misspelt).
    public func matches(_ other: CodedConcept) -> Bool { value == other.value && (scheme == other.scheme || scheme.isEmpty || other.scheme.isEmpty || Self.sameScheme(scheme, other.scheme)) }
    private static func sameScheme(_ a: String, _ b: String) -> Bool {
        let snomed: Set<String> = ["SRT", "SCT", "SNM3"]
        return snomed.contains(a) && snomed.contains(b)
    }
    public var description: String { "(\(value),\(scheme),\"\(meaning)\")" }
}

/// One node of an SR content tree (PS3.3 §C.17.3): relationship, value type, concept name,
/// its value and its children.
public struct ContentItem: Sendable {
    public let relationship: String
    public let valueType: String
    public let conceptName: CodedConcept?
    public let text: String?
    public let code: CodedConcept?
    public let numericValue: Double?
    public let unit: CodedConcept?
    public let uid: String?
    public let dateTime: String?
    public let children: [ContentItem]

    /// The content tree of an SR document (the document root is a CONTAINER item).
    public init(document: DataSet) { self.init(item: document, relationship: "", depth: 0) }

    init(item: DataSet, relationship: String, depth: Int) {
        self.relationship = relationship.isEmpty ? (item.string(Tag(0x0040_A010)) ?? "") : relationship
        valueType = item.string(Tag(0x0040_A040)) ?? ""
        conceptName = CodedConcept(item.sequence(Tag(0x0040_A043)).first)
        text = item.string(Tag(0x0040_A160)) ?? item.string(Tag(0x0040_A123))
        code = CodedConcept(item.sequence(Tag(0x0040_A168)).first)
        let measured = item.sequence(Tag(0x0040_A300)).first
        numericValue = measured?.double(Tag(0x0040_A30A))
        unit = CodedConcept(measured?.sequence(Tag(0x0040_08EA)).first)
        uid = item.string(Tag(0x0040_A124))
        dateTime = item.string(Tag(0x0040_A120)) ?? item.string(Tag(0x0040_A121)).map { d in d + (item.string(Tag(0x0040_A122)) ?? "") }
        children = item.sequence(Tag(0x0040_A730)).map { ContentItem(item: $0, relationship: "", depth: depth + 1) }
    }

    /// The first child whose concept name has this code value.
    public func child(_ code: String) -> ContentItem? { children.first { $0.conceptName?.value == code } }
    public func children(_ code: String) -> [ContentItem] { children.filter { $0.conceptName?.value == code } }

    /// The value as dsrdump prints it.
    public var valueDescription: String {
        if let numericValue { return "\"\(formatNumber(numericValue))\" \(unit?.description ?? "")" }
        if let code { return code.description }
        if let text { return "\"\(text)\"" }
        if let uid { return uid }
        if let dateTime { return dateTime }
        return ""
    }
}

func formatNumber(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
}
