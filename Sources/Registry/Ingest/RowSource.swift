/// Rows to load: a CSV file, or rows built in memory (e.g. irradiation events from a DICOM RDSR).
public protocol RowSource: AnyObject {
    /// Name recorded in quarantine and audit (file path or e.g. "RDSR file.dcm").
    var name: String { get }
    /// Line (or item number) of the row last returned by `next(into:)`.
    var line: Int { get }
    func readHeader() throws -> [String]
    func next(into fields: inout [String]) throws -> Bool
}

extension CSVReader: RowSource {
    public var name: String { path }
}

/// Rows given as dictionaries column name -> text, in the dictionary's CSV layout.
public final class DictionaryRowSource: RowSource {
    public let name: String
    public private(set) var line = 1
    private let header: [String]
    private let rows: [[String: String]]
    private var index = 0

    public init(name: String, rows: [[String: String]]) {
        self.name = name
        self.rows = rows
        self.header = Array(Set(rows.flatMap(\.keys))).sorted()
    }

    public func readHeader() throws -> [String] { header }

    public func next(into fields: inout [String]) throws -> Bool {
        guard index < rows.count else { return false }
        fields = header.map { rows[index][$0] ?? "" }
        index += 1; line = index + 1
        return true
    }
}
