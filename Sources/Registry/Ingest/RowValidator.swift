import Foundation
import GRDB
import HarmonicCore

/// The checking half of a file load: parses and checks rows (types, ranges, codes, dates,
/// cross-row rules, duplicates) without touching the database, so it can run on its own core
/// while `TableLoader` writes the previous batch. It reads a snapshot of the load cache taken
/// at the start of the file: a row never depends on rows of its own table (patients are
/// checked against nothing loaded in the same file, procedures against patients, events
/// against procedures), so the snapshot gives the same verdicts as a live cache.
struct RowValidator: Sendable {
    let table: TableSpec
    let site: String
    let pseudonymiser: Pseudonymiser
    /// Position in the CSV header of each dictionary column (nil: absent, optional column).
    let index: [Int?]
    let headerCount: Int
    let keyPos: Int
    let cache: LoadCache
    let failAfterRows: Int?

    /// Reads every row of `source` into batches of `batchSize` rows and hands each to `emit`
    /// (which returns false when the consumer has stopped).
    func run(_ source: RowSource, batchSize: Int = 8192, emit: (RowBatch) -> Bool) throws {
        var fields: [String] = []
        let columnCount = table.columns.count
        var values = [DatabaseValue](repeating: .null, count: columnCount)
        // Keys seen in this file, as 64-bit hashes so that millions of event UIDs take a few tens of
        // MB; two different keys share a hash with probability about n²/2⁶⁵ (2e-7 for 3 million).
        var seen = Set<Int>()
        var rows = 0
        var batch = RowBatch(capacity: batchSize, columns: columnCount)
        // Every identifier column (the row's own key and its references to other tables) is stored
        // only as its keyed hash, so no site record number, DICOM UID or patient id enters the store.
        let isIdentifier = table.columns.map { $0.type == .identifier }
        // The last raw reference and its hash per column: rows of a child or procedure come together
        // (an RDSR's events, a child's courses), so most references repeat the previous row's and
        // cost no HMAC.
        var lastRaw = [String](repeating: "", count: columnCount), lastHash = [String](repeating: "", count: columnCount)
        while try source.next(into: &fields) {
            // A blank line (or one of only separators, as spreadsheets export after the last row) is no row.
            if fields.allSatisfy({ IngestRules.trimmed($0).isEmpty }) { continue }
            rows += 1
            if let failAfterRows, rows > failAfterRows { throw InjectedFailure() }
            let rawKey = index[keyPos].map { $0 < fields.count ? IngestRules.trimmed(fields[$0]) : "" } ?? ""
            let rowKey: String
            if rawKey.isEmpty { rowKey = "\(source.name):\(source.line)" }
            else { rowKey = pseudonymiser.pseudonym(for: rawKey, column: table.key) }
            do throws(RowProblem) {
                if fields.count != headerCount {
                    throw RowProblem(field: "row", value: "\(fields.count) fields", reason: "expected \(headerCount) fields as in the header")
                }
                // Columns are read through a buffer pointer: no copy (retain/release) of each ColumnSpec per row.
                try table.columns.withUnsafeBufferPointer { (columns) throws(RowProblem) in
                    for i in 0..<columnCount {
                        values[i] = try IngestRules.parse(index[i].map { fields[$0] } ?? "", columns[i])
                        if isIdentifier[i], case .string(let id) = values[i].storage {
                            if i == keyPos { values[i] = rowKey.databaseValue; continue }
                            if id != lastRaw[i] { lastRaw[i] = id; lastHash[i] = pseudonymiser.pseudonym(for: id, column: columns[i].name) }
                            values[i] = lastHash[i].databaseValue
                        }
                    }
                }
                if seen.contains(rowKey.hashValue) {
                    throw RowProblem(field: table.key, value: rowKey, reason: "duplicate key: already given earlier in this file (the value shown is its keyed hash; the line number finds the row)")
                }
                try checkCrossRow(values, cache: cache)
            } catch {
                // Identifiers are already keyed hashes here (replaced before any cross-row check).
                batch.keys.append(rowKey)
                batch.problems.append(QuarantineEntry(site: site, table: table.name, rowKey: rowKey, file: source.name, line: source.line,
                                                      field: error.field, value: error.value, reason: error.reason))
                if batch.keys.count == batchSize { guard emit(batch) else { return }; batch = RowBatch(capacity: batchSize, columns: columnCount) }
                continue
            }
            seen.insert(rowKey.hashValue)
            batch.keys.append(rowKey)
            batch.problems.append(nil)
            batch.values.append(contentsOf: values)
            if batch.keys.count == batchSize { guard emit(batch) else { return }; batch = RowBatch(capacity: batchSize, columns: columnCount) }
        }
        if !batch.keys.isEmpty { _ = emit(batch) }
    }
}

/// Checked rows on their way from the validator to the writer.
final class RowBatch: @unchecked Sendable {
    /// Row key of each row (the keyed hash of its identifier; file:line when the key is missing).
    var keys: [String] = []
    /// Why each row was rejected; nil for a good row.
    var problems: [QuarantineEntry?] = []
    /// Parsed values of the good rows, one dictionary row after another.
    var values: [DatabaseValue] = []

    init(capacity: Int, columns: Int) {
        keys.reserveCapacity(capacity); problems.reserveCapacity(capacity); values.reserveCapacity(capacity * columns)
    }
}

/// A bounded hand-over of batches between the validator thread and the writer (at most
/// `capacity` batches in flight, so memory stays flat whatever the file size).
final class BatchChannel: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [RowBatch] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    let capacity: Int

    init(capacity: Int = 8) { self.capacity = capacity }

    /// Waits for room; false when the writer has stopped.
    func put(_ batch: RowBatch) -> Bool {
        condition.lock(); defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { return false }
        queue.append(batch)
        condition.broadcast()
        return true
    }

    /// The producer is done (with the error that stopped it, if any).
    func finish(_ error: (any Error)?) {
        condition.lock(); defer { condition.unlock() }
        finished = true; failure = error
        condition.broadcast()
    }

    /// The next batch; nil at the end; rethrows the producer's error after the batches before it.
    func take() throws -> RowBatch? {
        condition.lock()
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            let b = queue.removeFirst()
            condition.broadcast(); condition.unlock()
            return b
        }
        let failure = self.failure
        condition.unlock()
        if let failure { throw failure }
        return nil
    }

    /// The writer stops: wakes a waiting producer, which then ends.
    func cancel() {
        condition.lock(); defer { condition.unlock() }
        cancelled = true
        condition.broadcast()
    }
}

/// Carries a non-Sendable value to the validator thread; the hand-over is ordered by the
/// channel and the completion semaphore, so the two threads never use it at the same time.
final class Handover<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
