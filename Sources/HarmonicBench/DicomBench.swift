import ArgumentParser
import DICOM
import Foundation
import HarmonicCore

/// `harmonic-bench dicom`: copy N dose reports (the real RDSRs of shared/data/dicom/rdsr and the
/// generated vendor-style RDSRs of Tests/DICOMTests/Resources/generated) into a temporary folder,
/// read each and extract every event and per-plane total on all cores, then let pydicom do the
/// same on the same folder (dcmread + walking the content tree to the same values,
/// scripts/pydicom_rdsr_extract.py) in one process per core. Prints files/s, peak memory, and
/// the events, numeric values and DAP sum both sides extracted. Several `--files` values each run
/// in their own process so that peak memory can be compared across N.
struct DicomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Read N dose reports and extract their events (Swift vs pydicom): files/s and peak memory.",
        discussion: """
        Default: copies of the 7 real RDSRs and the 4 generated vendor-style RDSRs only. --mixed uses every \
        readable .dcm under ../shared/data/dicom instead (images, RT objects, dose reports: classification bench).
        Examples:
          swift run -c release harmonic-bench dicom --files 10000
          swift run -c release harmonic-bench dicom --files 2000 --files 10000   # peak memory vs N
        """)
    @Option(help: "Number of dose reports to copy; repeat for several sizes (each runs in its own process).") var files: [Int] = [10_000]
    @Option(help: "Folder of real RDSRs (default: ../shared/data/dicom/rdsr; with --mixed the sample folder, default ../shared/data/dicom).")
    var data: String?
    @Option(help: "Folder of generated RDSRs (default: Tests/DICOMTests/Resources/generated).") var generated: String?
    @Flag(help: "Copy every readable .dcm of ../shared/data/dicom (mixed SOP classes) and classify them instead.") var mixed = false
    @Flag(help: "Skip the pydicom comparison.") var noPython = false

    func validate() throws {
        guard !files.isEmpty, files.allSatisfy({ $0 >= 1 }) else { throw ValidationError("--files must be at least 1") }
    }

    func run() throws {
        if files.count > 1 {
            for n in files {
                print("== \(n) files ==")
                fflush(nil)
                var args = ["dicom", "--files", String(n)]
                if let data { args += ["--data", data] }
                if let generated { args += ["--generated", generated] }
                if mixed { args.append("--mixed") }
                if noPython { args.append("--no-python") }
                let p = Process()
                p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
                p.arguments = args
                try p.run(); p.waitUntilExit()
                guard p.terminationStatus == 0 else { throw ExitCode(p.terminationStatus) }
            }
            return
        }
        let n = files[0]
        let samples = try mixed ? mixedSamples() : doseReportSamples()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-dicom-bench-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in 0..<n {
            let s = samples[i % samples.count]
            try FileManager.default.copyItem(at: s, to: dir.appendingPathComponent(String(format: "%06d-", i) + s.lastPathComponent))
        }
        let urls = DirectoryScan.files(in: dir)
        print("files: \(urls.count) (copies of \(samples.count) distinct \(mixed ? "samples" : "dose reports")), cores: \(ProcessInfo.processInfo.activeProcessorCount)")
        if mixed { try runMixed(urls, dir) } else { try runDoseReports(urls, dir) }
    }

    /// Real RDSRs plus generated ones; every one must read as a dose report.
    func doseReportSamples() throws -> [URL] {
        let real = URL(fileURLWithPath: data ?? dicomBenchSharedData("dicom/rdsr"))
        let gen = URL(fileURLWithPath: generated ?? FileManager.default.currentDirectoryPath + "/Tests/DICOMTests/Resources/generated")
        let samples = (DirectoryScan.files(in: real) + DirectoryScan.files(in: gen)).filter { $0.pathExtension == "dcm" }
        for s in samples where DirectoryScan.classify(s).kind != .radiationDoseReport {
            throw ValidationError("\(s.path) is not a readable radiation dose report")
        }
        guard samples.count >= 2 else { throw ValidationError("no dose reports under \(real.path) and \(gen.path)") }
        return samples
    }

    func mixedSamples() throws -> [URL] {
        let root = URL(fileURLWithPath: data ?? dicomBenchSharedData("dicom"))
        let samples = DirectoryScan.files(in: root).filter { $0.pathExtension == "dcm" && DirectoryScan.classify($0).kind != .unreadable }
        guard !samples.isEmpty else { throw ValidationError("no readable samples under \(root.path)") }
        return samples
    }

    func runDoseReports(_ urls: [URL], _ dir: URL) throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let totals = DoseExtractionTotals()
        let t0 = Date()
        DispatchQueue.concurrentPerform(iterations: cores) { w in
            var local = DoseExtractionTotals.Partial()
            var i = w
            while i < urls.count {
                do {
                    let r = try RadiationDoseReport(file: DICOMFile(contentsOf: urls[i]))
                    local.add(r)
                } catch { local.failures += 1 }
                i += cores
            }
            totals.merge(local)
        }
        let dt = Date().timeIntervalSince(t0)
        let t = totals.value
        print(String(format: "Swift:   %.2f s, %.0f files/s, %d dose events, %d numeric values, DAP sum %.10g Gy·cm², %d unreadable; peak RSS %.0f MiB",
                     dt, Double(urls.count) / dt, t.events, t.values, t.dapSum, t.failures, dicomPeakMemoryMiB()))
        if noPython { return }
        let script = """
        import sys, os, time, resource
        sys.path.insert(0, os.path.join(os.getcwd(), 'scripts'))
        from pydicom_rdsr_extract import report, numeric_fields
        from concurrent.futures import ProcessPoolExecutor
        def one(path):
            try:
                r = report(path)
            except Exception:
                return (0, 0, 0.0, 1)
            return (len(r['events']), numeric_fields(r), sum(e['dap'] or 0.0 for e in r['events']), 0)
        d = sys.argv[1]
        paths = sorted(os.path.join(d, f) for f in os.listdir(d))
        t = time.time()
        with ProcessPoolExecutor(os.cpu_count()) as ex:
            rs = list(ex.map(one, paths, chunksize=64))
        dt = time.time() - t
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        ev, nv, dap, bad = (sum(r[k] for r in rs) for k in range(4))
        print(f"pydicom: {dt:.2f} s, {len(paths)/dt:.0f} files/s, {ev} dose events, {nv} numeric values, DAP sum {dap:.10g} Gy·cm², {bad} unreadable; "
              f"peak RSS (parent + largest worker) {peak/1024:.0f} MiB; {os.cpu_count()} worker processes")
        """
        try runPython(script, dir)
    }

    func runMixed(_ urls: [URL], _ dir: URL) throws {
        let t0 = Date()
        let results = DirectoryScan.scan(urls)
        let swiftTime = Date().timeIntervalSince(t0)
        let events = results.reduce(0) { $0 + $1.events }
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
        try runPython(script, dir)
    }

    func runPython(_ script: String, _ dir: URL) throws {
        fflush(nil)   // our lines first when stdout is a pipe
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, dir.path]
        try p.run(); p.waitUntilExit()
    }
}

/// Per-run sums of what the Swift side extracted, merged from one partial per worker.
final class DoseExtractionTotals: @unchecked Sendable {
    struct Partial {
        var events = 0, values = 0, failures = 0
        var dapSum = 0.0

        /// Counts the numeric values extracted, as scripts/pydicom_rdsr_extract.py's numeric_fields does.
        mutating func add(_ r: RadiationDoseReport) {
            events += r.events.count
            for e in r.events {
                let v: [Double?] = [e.doseAreaProduct?.value, e.doseAtReferencePoint?.value, e.primaryAngleDegrees,
                                    e.secondaryAngleDegrees, e.kVp?.value, e.tubeCurrentMilliampere, e.pulseWidthMilliseconds,
                                    e.exposureTime?.value, e.irradiationDuration?.value, e.numberOfPulses, e.sourceToDetector?.value,
                                    e.tableLongitudinal?.value, e.tableLateral?.value, e.tableHeight?.value,
                                    e.collimatedFieldArea, e.collimatedFieldHeight?.value, e.collimatedFieldWidth?.value]
                values += v.count { $0 != nil }
                values += e.filters.reduce(0) { $0 + ($1.thicknessMinimum == nil ? 0 : 1) + ($1.thicknessMaximum == nil ? 0 : 1) }
                dapSum += e.doseAreaProduct?.value ?? 0
            }
            for a in r.accumulated {
                let v: [Double?] = [a.doseAreaProductTotal?.value, a.doseAtReferencePointTotal?.value, a.fluoroDoseAreaProductTotal?.value,
                                    a.fluoroDoseAtReferencePointTotal?.value, a.totalFluoroTime?.value,
                                    a.acquisitionDoseAreaProductTotal?.value, a.acquisitionDoseAtReferencePointTotal?.value,
                                    a.totalAcquisitionTime?.value, a.totalNumberOfRadiographicFrames]
                values += v.count { $0 != nil }
            }
        }
    }
    private let lock = NSLock()
    private var total = Partial()
    func merge(_ p: Partial) {
        lock.lock(); defer { lock.unlock() }
        total.events += p.events; total.values += p.values; total.failures += p.failures; total.dapSum += p.dapSum
    }
    var value: Partial { lock.lock(); defer { lock.unlock() }; return total }
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
