import ArgumentParser
import DICOM
import Foundation
import HarmonicCore

/// `harmonic-bench dicom`: parse ≥ N DICOM files and extract dose events on all cores, then do the
/// same with pydicom in a python subprocess; prints files/s and peak memory of both.
struct DicomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Parse and extract dose events from many files (Swift vs pydicom): files/s and peak memory.")
    @Option(help: "Number of files to copy into the temporary folder.") var files = 10_000
    @Option(help: "Folder with real RDSRs and samples (default: ../shared/data/dicom).") var data: String?
    @Flag(help: "Skip the pydicom comparison.") var noPython = false

    func run() throws {
        let root = URL(fileURLWithPath: data ?? dicomBenchSharedData("dicom"))
        let samples = DirectoryScan.files(in: root).filter { u in
            u.pathExtension == "dcm" && DirectoryScan.classify(u).kind != .unreadable
        }
        guard !samples.isEmpty else { throw ValidationError("no readable samples under \(root.path)") }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-dicom-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 0..<files {
            let s = samples[i % samples.count]
            try FileManager.default.copyItem(at: s, to: dir.appendingPathComponent(String(format: "%06d-", i) + s.lastPathComponent))
        }
        let urls = DirectoryScan.files(in: dir)
        let t0 = Date()
        let results = DirectoryScan.scan(urls)
        let swiftTime = Date().timeIntervalSince(t0)
        let events = results.reduce(0) { $0 + $1.events }
        print("files: \(urls.count) (\(samples.count) distinct samples), cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        print(String(format: "Swift:   %.2f s, %.0f files/s, %d dose events, peak RSS %.0f MiB", swiftTime, Double(urls.count) / swiftTime, events, dicomPeakMemoryMiB()))
        if noPython { return }
        let script = """
        import sys, os, time, resource, pydicom
        from concurrent.futures import ProcessPoolExecutor
        def walk(item):
            for c in getattr(item, 'ContentSequence', []):
                yield c
                yield from walk(c)
        def one(path):
            try:
                ds = pydicom.dcmread(path)
            except Exception:
                return 0
            if getattr(ds, 'SOPClassUID', '') != '1.2.840.10008.5.1.4.1.1.88.67': return 0
            n = 0
            for c in ds.ContentSequence:
                if c.ConceptNameCodeSequence[0].CodeValue == '113706':
                    n += 1
                    for x in walk(c):
                        if 'MeasuredValueSequence' in x and len(x.MeasuredValueSequence):
                            float(x.MeasuredValueSequence[0].NumericValue)
            return n
        d = sys.argv[1]
        paths = sorted(os.path.join(d, f) for f in os.listdir(d))
        t = time.time()
        with ProcessPoolExecutor(os.cpu_count()) as ex:
            n = sum(ex.map(one, paths, chunksize=64))
        dt = time.time() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        print(f"pydicom: {dt:.2f} s, {len(paths)/dt:.0f} files/s, {n} dose events, peak RSS (parent + largest child) {peak/1024:.0f} MiB")
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, dir.path]
        try p.run(); p.waitUntilExit()
    }
}

/// `harmonic-bench dicom-fuzz`: random mutations of the sample files; every input must parse or
/// throw InputError (a crash ends the process, so finishing is the result).
struct DicomFuzzBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom-fuzz", abstract: "Parse random mutations of the DICOM samples; report inputs/s and that nothing crashed.")
    @Option(help: "Number of mutated inputs.") var inputs = 100_000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(help: "Folder with samples (default: ../shared/data/dicom).") var data: String?

    func run() throws {
        let root = URL(fileURLWithPath: data ?? dicomBenchSharedData("dicom"))
        let samples = try DirectoryScan.files(in: root).filter { $0.pathExtension == "dcm" }.map { [UInt8](try Data(contentsOf: $0)) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let parsed = DicomBenchCounter(), thrown = DicomBenchCounter()
        let t0 = Date()
        DispatchQueue.concurrentPerform(iterations: cores) { w in
            var rng = RandomStream(seed: seed, stream: UInt64(w))
            var i = w
            while i < inputs {
                var b = samples[i % samples.count]
                Fuzz.mutate(&b, rng: &rng)
                do {
                    try Fuzz.exercise(b, name: "fuzz-\(i)")
                    parsed.add()
                } catch { thrown.add() }
                i += cores
            }
        }
        let dt = Date().timeIntervalSince(t0)
        print(String(format: "%d inputs in %.2f s (%.0f inputs/s) on %d cores: %d parsed, %d rejected with InputError, 0 crashes; peak RSS %.0f MiB",
                     inputs, dt, Double(inputs) / dt, cores, parsed.value, thrown.value, dicomPeakMemoryMiB()))
    }
}

final class DicomBenchCounter: @unchecked Sendable {
    private let lock = NSLock(); private var n = 0
    func add() { lock.lock(); n += 1; lock.unlock() }
    var value: Int { lock.lock(); defer { lock.unlock() }; return n }
}

func dicomBenchSharedData(_ sub: String) -> String {
    if let env = ProcessInfo.processInfo.environment["HARMONIC_SHARED_DATA"] { return env + "/" + sub }
    return FileManager.default.currentDirectoryPath + "/../shared/data/" + sub
}

/// Peak resident set size (VmHWM from /proc/self/status), in MiB.
func dicomPeakMemoryMiB() -> Double {
    guard let s = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
          let line = s.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
          let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return .nan }
    return kb / 1024
}
