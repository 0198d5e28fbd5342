import Foundation

/// Progress on stderr: an in-place bar (`\r`) on a terminal, a line every 10% otherwise.
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private var lastDecile = -1
    private var lastLineWidth = 0
    private let lock = NSLock()

    init(_ label: String) { self.label = label }

    func update(_ fraction: Double) { update(fraction, detail: "") }

    /// As `update(_:)`, with `detail` (e.g. the file being read) after the percentage.
    func update(_ fraction: Double, detail: String) {
        lock.lock(); defer { lock.unlock() }
        let f = min(1, max(0, fraction))
        let suffix = detail.isEmpty ? "" : " " + detail
        if isTerminal {
            let width = 30, filled = Int(f * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            var line = "\(label) [\(bar)] \(Int(f * 100))%\(suffix)"
            let shown = line.count
            // Blank what a longer previous line left behind.
            if shown < lastLineWidth { line += String(repeating: " ", count: lastLineWidth - shown) }
            lastLineWidth = shown
            FileHandle.standardError.write(Data("\r\(line)".utf8))
            if f >= 1 { FileHandle.standardError.write(Data("\n".utf8)); lastLineWidth = 0 }
        } else {
            let decile = Int(f * 10)
            if decile > lastDecile {
                lastDecile = decile
                FileHandle.standardError.write(Data("\(label): \(decile * 10)%\(suffix)\n".utf8))
            }
        }
    }
}

/// A line on stderr (stage announcements of long jobs).
func note(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }
