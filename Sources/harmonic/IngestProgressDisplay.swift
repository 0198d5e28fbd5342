import Dispatch
import Foundation
import Registry

/// The progress of `harmonic ingest` on stderr, by bytes read: overall in the bar, the file being
/// read and its own percentage after it. Drawn through `ProgressBar` (in place with `\r` on a
/// terminal, a line at each tenth otherwise), at most every `interval` so that a fast load of
/// many chunks spends no time drawing; the end of each file and of the load are always drawn.
final class IngestProgressDisplay: @unchecked Sendable {
    private let bar = ProgressBar("ingest")
    private let lock = NSLock()
    private var lastDrawn: UInt64 = 0
    private let interval: UInt64
    /// True when stderr is a terminal (then per-file "loading" lines would break the bar).
    let isTerminal = isatty(STDERR_FILENO) != 0

    init(intervalMilliseconds: UInt64 = 100) { interval = intervalMilliseconds * 1_000_000 }

    func report(_ p: IngestProgress) {
        let now = DispatchTime.now().uptimeNanoseconds
        lock.lock()
        let due = p.fileDone || now &- lastDrawn >= interval
        if due { lastDrawn = now }
        lock.unlock()
        guard due else { return }
        let name = URL(fileURLWithPath: p.file).lastPathComponent
        bar.update(p.totalFraction, detail: "\(name) \(Int(p.fileFraction * 100))% of \(Self.size(p.fileSize))")
    }

    /// A file size for people: kB under a megabyte, MB under a gigabyte, else GB (powers of 1000).
    static func size(_ bytes: Int64) -> String {
        let b = Double(bytes)
        return b < 1e6 ? String(format: "%.0f kB", b / 1e3) : b < 1e9 ? String(format: "%.1f MB", b / 1e6) : String(format: "%.2f GB", b / 1e9)
    }
}
