/// Rows made by one batch of children, per table, ready to be appended to the site files in
/// batch order (so the files do not depend on how many threads ran).
struct ChunkOutput {
    var tables: [CSVRowWriter]
    var organDoses = CSVRowWriter()
    /// `truth/imaging_exams.csv` rows: the true technique of each synthetic diagnostic imaging exam.
    var imagingTruth = CSVRowWriter()
    /// Corrupted rows: table, 0-based row index within this chunk's buffer for the table, kind.
    var corrupted: [(table: SiteExtractTable, row: Int, kind: String)] = []
    var cancersByOutcome: [SynthOutcome: Int] = [:]

    init() {
        tables = SiteExtractTable.allCases.map { _ in CSVRowWriter() }
    }
    subscript(_ t: SiteExtractTable) -> CSVRowWriter {
        get { tables[t.index] }
        _modify { yield &tables[t.index] }
    }
    mutating func markCorrupted(_ t: SiteExtractTable, _ kind: String) {
        corrupted.append((t, self[t].rowCount, kind))
    }
}
