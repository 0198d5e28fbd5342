import Dosimetry
import Foundation

/// The incremental part shared by the store's dose runs: which rows are unchanged since the
/// previous run (same key, same input hash, a row in a usable previous realisation file), and
/// the rewrite of the realisation file (to `PATH.tmp`, then renamed) that copies those rows and
/// asks the caller only for the others, block by block.
///
/// Used by the imaging run (`ImagingDoseRun`) and the RT run (`RTDoseRun`); the cardiac run
/// (`DoseRun`), whose block pipeline overlaps computing and writing, still does the same steps inline.
struct IncrementalRealisationFile {
    let path: String
    let quantities: Int, realisations: Int
    /// The previous file when its shape fits (same realisations and quantities).
    let previousFile: RealisationReader?
    /// Row of the previous file holding row i's unchanged realisations; -1: compute row i.
    let previousRow: [Int]

    /// - Parameters: `keys[i]`, `hashes[i]`: row i's key and input hash; `previous`: the key's
    ///   stored hash and realisation row from the last run's table.
    init(path: String, quantities: Int, realisations: Int, keys: [String], hashes: [String],
         previous: [String: (hash: String, row: Int?)]) {
        self.path = path; self.quantities = quantities; self.realisations = realisations
        let old = try? RealisationReader(path: path)
        let usable = old.flatMap { $0.realisations == realisations && $0.quantities == quantities ? $0 : nil }
        previousFile = usable
        previousRow = keys.indices.map { i in
            guard let usable, let p = previous[keys[i]], p.hash == hashes[i], let row = p.row, row >= 0, row < usable.rows else { return -1 }
            return row
        }
    }

    func isUnchanged(_ i: Int) -> Bool { previousRow[i] >= 0 }

    /// Writes the new file to `PATH.tmp` (`commit()` renames it): rows in order, each unchanged row copied from the previous file and
    /// the others filled by `fill(range, block)` (the block holds the rows of `range`, each
    /// `quantities × realisations` values; the callee fills the rows it computes and may leave
    /// unchanged rows alone: they are copied after the call).
    func write(rows: Int, seed: UInt64, fill: (Range<Int>, UnsafeMutableBufferPointer<Float16>) throws -> Void) throws {
        let temporary = path + ".tmp"
        let writer = try RealisationWriter(path: temporary, rows: rows, quantities: quantities, realisations: realisations, seed: seed)
        let perRow = quantities * realisations
        let blockRows = max(1, min(4096, (32 << 20) / max(1, perRow * 2)))
        let buffer = UnsafeMutableBufferPointer<Float16>.allocate(capacity: blockRows * perRow)
        defer { buffer.deallocate() }
        var lo = 0
        while lo < rows {
            let hi = min(rows, lo + blockRows)
            let block = UnsafeMutableBufferPointer(rebasing: buffer[0 ..< (hi - lo) * perRow])
            block.initialize(repeating: .nan)
            try fill(lo..<hi, block)
            for i in lo..<hi where previousRow[i] >= 0 {
                previousFile!.copyRow(previousRow[i], into: UnsafeMutableBufferPointer(rebasing: block[(i - lo) * perRow ..< (i - lo + 1) * perRow]))
            }
            try writer.append(UnsafeBufferPointer(block))
            lo = hi
        }
        try writer.finish()
    }

    /// Replaces the previous file by the one `write` made: call it once the table rows that point
    /// into the new file are written, so that a failure before leaves the old table and file together.
    func commit() throws {
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.moveItem(atPath: path + ".tmp", toPath: path)
    }
}
