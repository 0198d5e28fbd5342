import ArgumentParser
import Foundation
import Reports
import Synthesis

/// `harmonic-bench synth`: time to write the full synthetic cohort, and the demo end to end.
struct SynthBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Synthetic cohort write speed (and optionally the whole demo) for BENCHMARKS.md.",
        discussion: "Example: swift run -c release harmonic-bench synth --children 70000 --demo"
    )

    @Option(help: "Cardiac children.") var children: Int = 70_000
    @Option(help: "Scratch folder (removed afterwards).") var out: String = "/tmp/harmonic-bench-synth"
    @Flag(help: "Also run the demo pipeline (synth -> ingest -> report) at the same size.") var demo = false

    func run() throws {
        let dir = URL(fileURLWithPath: out)
        try? FileManager.default.removeItem(at: dir)
        let start = Date()
        let s = try CohortSynthesizer.run(SynthesisConfiguration(seed: 1, cardiacChildren: children, corruptFraction: 0.01),
                                          to: dir.appendingPathComponent("synth"))
        let seconds = Date().timeIntervalSince(start)
        var bytes = 0
        if let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.fileSizeKey]) {
            for case let u as URL in e { bytes += (try? u.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0) ?? 0 }
        }
        let rows = s.rows.values.reduce(0, +)
        print(String(format: "synth: %d children, %d procedures, %d events, %d rows, %.0f MiB in %.2f s (%.0f rows/s, %.0f MiB/s) on %d cores",
                     children, s.rows[.procedures] ?? 0, s.rows[.irradiationEvents] ?? 0, rows, Double(bytes) / 1048576, seconds,
                     Double(rows) / seconds, Double(bytes) / 1048576 / seconds, ProcessInfo.processInfo.activeProcessorCount))
        if demo {
            let t = Date()
            let r = try DemoPipeline(children: children, seed: 1, corruptFraction: 0.01, outputDirectory: dir.appendingPathComponent("demo")).run()
            print(String(format: "demo: synth %.1f s, ingest %.1f s (%d accepted, %d rejected), report %.1f s; total %.1f s",
                         r.synthSeconds, r.ingestSeconds, r.accepted, r.rejected, r.reportSeconds, Date().timeIntervalSince(t)))
        }
        try? FileManager.default.removeItem(at: dir)
    }
}
