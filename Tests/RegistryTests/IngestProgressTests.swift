import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

/// Progress of a load by bytes read: per file and overall, through the library callback and on
/// the stderr of `harmonic ingest`.
@Suite("Loading: progress by bytes read")
struct IngestProgressTests {
    @Test("byte progress climbs chunk by chunk to each file's size and to the total of all files")
    func bytesReachSizes() throws {
        // 10,000 events are about 1.6 MB: more than one 1 MiB chunk of the reader.
        let paths = try Fixture.write(["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
                                       "irradiation_events": KillMidwayTests.largeEventsFile(rows: 10_000)])
        let sizes = Dictionary(uniqueKeysWithValues: paths.map { ($0, Int64(KillMidwayTests.fileSize($0))) })
        let total = sizes.values.reduce(0, +)
        var seen: [IngestProgress] = []
        let lock = NSLock()
        let store = try Fixture.store()
        let report = try store.ingest(files: paths, site: "NO", pseudonymiser: Fixture.keyNO, user: "tester",
                                      byteProgress: { p in lock.lock(); seen.append(p); lock.unlock() })
        #expect(report.exitCode == 0)
        #expect(seen.allSatisfy { $0.totalSize == total })
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0.totalBytesRead <= $1.totalBytesRead }, "overall progress never goes back")
        for path in paths {
            let mine = seen.filter { $0.file == path }
            #expect(mine.allSatisfy { $0.fileSize == sizes[path] })
            #expect(mine.last?.fileBytesRead == sizes[path] && mine.last?.fileDone == true)
        }
        let events = seen.filter { $0.file.hasSuffix("irradiation_events.csv") }
        #expect(events.contains { $0.fileFraction > 0 && $0.fileFraction < 1 }, "a file of several chunks reports partway")
        #expect(seen.last?.totalBytesRead == total && seen.last?.totalFraction == 1)
    }

    @Test("a refused file still counts whole in the overall progress")
    func refusedFileCounts() throws {
        let withName = Fixture.patients.replacingOccurrences(of: "site_patient_id,", with: "site_patient_id,surname,")
        let paths = try Fixture.write(["patients": withName])
        var last: IngestProgress?
        let report = try Fixture.store().ingest(files: paths, site: "NO", pseudonymiser: Fixture.keyNO, user: "tester",
                                                byteProgress: { last = $0 })
        #expect(report.refusedFiles.count == 1)
        #expect(last?.totalFraction == 1 && last?.fileDone == true)
    }

    @Test("harmonic ingest prints progress lines with the file name to stderr when it is not a terminal")
    func cliProgressLines() throws {
        let dir = try SharedData.temporaryDirectory("registry-progress")
        let keyPath = dir.appendingPathComponent("no.key").path
        try Pseudonymiser.writeNewKey(to: keyPath)
        let files = try Fixture.write(["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures], in: dir)
        let err = Pipe()
        let p = try KillMidwayTests.runHarmonic(["ingest"] + files + ["--store", dir.appendingPathComponent("s.sqlite").path,
                                                 "--site-key-file", keyPath, "--site", "NO"], stderr: err)
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(text)")
        let lines = text.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("loading ") && $0.hasSuffix("patients.csv") })
        #expect(lines.contains { $0.hasPrefix("ingest: 100% cardiac_procedures.csv 100% of") }, "\(text)")
        #expect(!text.contains("\r"), "no carriage returns when stderr is a pipe")
    }
}
