import Foundation

/// How far a load has read its CSV files, in bytes: the file being read and all files of the
/// load together. `RegistryStore.ingest` reports it after each chunk the reader takes from disk
/// (1 MiB, `CSVReader.chunkSize`) and once when a file is done, from the thread that reads the file.
/// Bytes read run slightly ahead of rows stored (a few batches are in flight), so this is a
/// progress measure, not a commit point.
public struct IngestProgress: Sendable, Equatable {
    /// Path of the file being read.
    public let file: String
    public let fileBytesRead: Int64
    public let fileSize: Int64
    /// Bytes of the files already done plus `fileBytesRead`.
    public let totalBytesRead: Int64
    /// Sum of the sizes of all files of the load.
    public let totalSize: Int64

    public init(file: String, fileBytesRead: Int64, fileSize: Int64, totalBytesRead: Int64, totalSize: Int64) {
        self.file = file; self.fileBytesRead = fileBytesRead; self.fileSize = fileSize
        self.totalBytesRead = totalBytesRead; self.totalSize = totalSize
    }

    /// Fraction of the current file read, 0...1 (1 for an empty file).
    public var fileFraction: Double { fileSize > 0 ? min(1, Double(fileBytesRead) / Double(fileSize)) : 1 }
    /// Fraction of all files read, 0...1 (1 when there is nothing to read).
    public var totalFraction: Double { totalSize > 0 ? min(1, Double(totalBytesRead) / Double(totalSize)) : 1 }
    /// True once the current file has been read to its end (or refused).
    public var fileDone: Bool { fileBytesRead >= fileSize }
}

/// Keeps the byte counts of one load and hands `IngestProgress` values to the caller's callback.
final class IngestProgressCounter: @unchecked Sendable {
    private let report: (IngestProgress) -> Void
    private let sizes: [String: Int64]
    private let totalSize: Int64
    private var done: Int64 = 0
    private var file = ""
    private var fileRead: Int64 = 0

    init(files: [String], report: @escaping (IngestProgress) -> Void) {
        var sizes: [String: Int64] = [:]
        for f in files { sizes[f] = ((try? FileManager.default.attributesOfItem(atPath: f))?[.size] as? NSNumber)?.int64Value ?? 0 }
        self.sizes = sizes
        self.totalSize = sizes.values.reduce(0, +)
        self.report = report
    }

    /// A file starts: nothing of it read yet.
    func start(_ name: String) { file = name; fileRead = 0 }

    /// `count` more bytes of the current file were read (called on the reading thread; the
    /// reader hands chunks over one at a time, so no two calls overlap).
    func read(_ count: Int) {
        fileRead += Int64(count)
        emit(fileRead)
    }

    /// The current file is done (loaded or refused): it counts whole (reported unless its last
    /// chunk already reported it whole).
    func finish() {
        let size = sizes[file] ?? fileRead
        if fileRead < size || size == 0 { emit(size) }
        done += size
    }

    private func emit(_ read: Int64) {
        let size = sizes[file] ?? read
        let r = min(read, size)
        report(IngestProgress(file: file, fileBytesRead: r, fileSize: size, totalBytesRead: done + r, totalSize: totalSize))
    }
}
