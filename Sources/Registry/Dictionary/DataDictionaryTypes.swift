/// The kinds of value a dictionary column holds, as written in a site's CSV extract.
public enum ColumnType: String, Sendable, CaseIterable {
    /// Free text (hospital, equipment, storage location).
    case text
    /// A whole number (fractions, cine runs).
    case integer
    /// A decimal number with the column's unit.
    case real
    /// `YYYY-MM-DD`; `YYYY-MM` too where the column allows month precision.
    case date
    /// `YYYY-MM-DDTHH:MM:SS` (DICOM event times).
    case dateTime
    /// One of the column's allowed codes.
    case code
    /// An identifier chosen by the site (never a direct identifier).
    case identifier
}

/// One column of a dictionary table: what the site writes, what Harmonic checks.
public struct ColumnSpec: Sendable {
    public let name: String
    public let type: ColumnType
    /// Unit of the value (UCUM-like), nil where dimensionless.
    public let unit: String?
    public let required: Bool
    /// Plausible closed range for numbers; values outside are rejected.
    public let range: ClosedRange<Double>?
    /// Allowed codes for `.code` columns (lower-case, compared case-insensitively).
    public let codes: [String]
    /// Month precision (`YYYY-MM`) accepted for `.date` columns.
    public let monthPrecision: Bool
    /// Text for data managers: what the value means and where it comes from.
    public let description: String
    /// The dictionary version that added the column: a store made before it gets the column
    /// by migration (`RegistrySchema`), empty in its old rows. Later columns are never required.
    public let addedIn: String

    public init(_ name: String, _ type: ColumnType, unit: String? = nil, required: Bool = false,
                range: ClosedRange<Double>? = nil, codes: [String] = [], monthPrecision: Bool = false,
                addedIn: String = DataDictionary.firstVersion, _ description: String) {
        self.name = name; self.type = type; self.unit = unit; self.required = required
        self.range = range; self.codes = codes; self.monthPrecision = monthPrecision
        self.description = description; self.addedIn = addedIn
    }
}

/// A reference from one table's column to the key of another table.
public struct ReferenceSpec: Sendable {
    public let column: String
    public let table: String
}

/// One table of the dictionary: one CSV file per table in a site extract, with a header row.
public struct TableSpec: Sendable {
    public let name: String
    public let description: String
    /// The column whose value identifies a row within a site (duplicates are rejected).
    public let key: String
    public let columns: [ColumnSpec]
    /// Columns that must name a row already known (in the store or earlier in the same load).
    public let references: [ReferenceSpec]
    /// Loading order: lower first (patients before procedures before events).
    public let loadOrder: Int
    /// The dictionary version that added the table (a store made before it gets it by migration).
    public var addedIn: String = DataDictionary.firstVersion

    public func column(_ name: String) -> ColumnSpec? { columns.first { $0.name == name } }
}
