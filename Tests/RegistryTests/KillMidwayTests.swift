import Foundation
import GRDB
import Testing
import HarmonicTestSupport
@testable import Registry

/// A real crash: a child `harmonic ingest` process is killed with SIGKILL while it writes a
/// large file; the store must be exactly as before that file, and a re-run must load it whole.
@Suite("Loading: a load killed midway (real process)")
struct KillMidwayTests {
    /// The `harmonic` executable built beside the test bundle (`swift test` builds every product).
    static func harmonicExecutable() throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("harmonic"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("harmonic"),
            Bundle.main.bundleURL.appendingPathComponent("harmonic"),
            SharedData.repositoryRoot.appendingPathComponent(".build/debug/harmonic"),
        ]
        return try #require(candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) },
                            "the harmonic executable (run `swift build` first); looked in \(candidates.map(\.path))")
    }

    /// `rows` valid irradiation events of procedure C1 (2005-01-10) of the fixture.
    static func largeEventsFile(rows: Int) -> String {
        var s = String(Fixture.events.split(separator: "\n")[0]) + "\n"
        s.reserveCapacity(rows * 160)
        for i in 0..<rows {
            if i > 0 { s += "\n" }
            s += "1.2.826.0.1.3680043.10.\(i),C1,2005-01-10T10:\(String(format: "%02d", (i / 60) % 60)):\(String(format: "%02d", i % 60)),fluoroscopy,a,0.0015,0.02,30,0,70,12,5,0.3,4,copper,0.2,200,140,140,1000,0,0,800,chest"
        }
        return s
    }

    static func runHarmonic(_ arguments: [String], stdout: Pipe? = nil, stderr: Pipe? = nil) throws -> Process {
        let p = Process()
        p.executableURL = try harmonicExecutable()
        p.arguments = arguments
        p.standardOutput = stdout ?? FileHandle.nullDevice
        p.standardError = stderr ?? FileHandle.nullDevice
        try p.run()
        return p
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int) ?? 0
    }

    @Test("SIGKILL midway through a file leaves the store as before that file; a re-run loads it fully")
    func killedProcessLeavesStoreAsBefore() throws {
        let dir = try SharedData.temporaryDirectory("registry-kill")
        let storePath = dir.appendingPathComponent("store.sqlite").path
        let keyPath = dir.appendingPathComponent("no.key").path
        try Pseudonymiser.writeNewKey(to: keyPath)
        let key = try Pseudonymiser(keyFile: keyPath)
        let rows = 100_000
        for sub in ["first", "events"] { try FileManager.default.createDirectory(at: dir.appendingPathComponent(sub), withIntermediateDirectories: true) }
        let first = try Fixture.write(["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures], in: dir.appendingPathComponent("first"))
        let eventsDir = dir.appendingPathComponent("events")
        let events = try Fixture.write(["irradiation_events": Self.largeEventsFile(rows: rows)], in: eventsDir)

        var before: [String] = []
        do {
            let store = try RegistryStore(path: storePath, role: .dataManager(site: "NO"))
            _ = try store.ingest(files: first, site: "NO", pseudonymiser: key, user: "tester")
            before = try Fixture.snapshot(store)
        }

        // Kill the child once it is writing the events file: its write-ahead log grows with the
        // open transaction (SQLite spills pages of a large transaction to the WAL).
        let wal = storePath + "-wal"
        let walBefore = Self.fileSize(wal)
        let child = try Self.runHarmonic(["ingest", events[0], "--store", storePath, "--site-key-file", keyPath, "--site", "NO", "--user", "killed"])
        let deadline = Date().addingTimeInterval(120)
        while child.isRunning && Self.fileSize(wal) < walBefore + (2 << 20) && Date() < deadline { usleep(20_000) }
        let wasRunning = child.isRunning
        let walAtKill = Self.fileSize(wal)
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        #expect(wasRunning, "the child finished before it could be killed: make the file larger")
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        #expect(walAtKill >= walBefore + (2 << 20), "rows of the file had been written when the child was killed")

        do {
            let store = try RegistryStore(path: storePath, role: .dataManager(site: "NO"))
            #expect(try Fixture.snapshot(store) == before, "no partial rows: the store is as before the file")
            #expect(try store.count("irradiation_events") == 0)
            let loads = try store.auditLoads()
            // The killed load never recorded its file; the next load marks it interrupted.
            #expect(loads.count == 2 && loads[1].user == "killed" && loads[1].files.isEmpty && loads[1].finishedAt == nil)
        }

        let output = Pipe()
        let rerun = try Self.runHarmonic(["ingest", events[0], "--store", storePath, "--site-key-file", keyPath, "--site", "NO", "--user", "rerun"], stdout: output)
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        rerun.waitUntilExit()
        #expect(rerun.terminationStatus == 0, "\(printed)")
        let store = try RegistryStore(path: storePath, role: .dataManager(site: "NO"))
        #expect(try store.count("irradiation_events") == rows)
        let loads = try store.auditLoads()
        #expect(loads.map(\.status) == ["finished", "interrupted", "finished"])
        #expect(loads[2].files.map(\.inserted) == [rows])
    }
}
