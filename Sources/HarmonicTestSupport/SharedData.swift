import Foundation

/// Locates the project's real test data (`../shared/data` beside the repository, or the
/// folder named by `HARMONIC_SHARED_DATA`) and runs peer tools for comparison tests.
public enum SharedData {
    /// The repository root (the folder holding Package.swift).
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }   // Sources/HarmonicTestSupport/SharedData.swift
        return url
    }()

    /// `../shared/data`, or `$HARMONIC_SHARED_DATA`.
    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["HARMONIC_SHARED_DATA"] {
            return URL(fileURLWithPath: env)
        }
        return repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    /// A file below the shared data root, e.g. `url("dicom/rdsr/RF-RDSR-GE.dcm")`.
    public static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// A fresh empty temporary folder for one test.
    public static func temporaryDirectory(_ name: String = "harmonic-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs an external program (python3, Rscript, dcmtk) and returns its standard output.
/// Peer tools are installed by `.ci/run`; a missing tool is a test failure, not a skip.
public enum PeerTool {
    public struct Failure: Error, CustomStringConvertible {
        public let command: [String]; public let status: Int32; public let stderr: String
        public var description: String { "\(command.joined(separator: " ")) exited \(status): \(stderr)" }
    }

    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], stdin: String? = nil,
                           currentDirectory: URL? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [executable] + arguments
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out; p.standardError = err; p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? inp.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty tool cannot fill one and block.
        let errData = LockedData()
        let t = Thread { errData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        t.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        while !errData.done { usleep(1000) }
        guard p.terminationStatus == 0 else {
            throw Failure(command: [executable] + arguments, status: p.terminationStatus,
                          stderr: String(decoding: errData.value, as: UTF8.self))
        }
        return String(decoding: outData, as: UTF8.self)
    }

    /// Runs a Python 3 script given as text.
    public static func python(_ script: String, arguments: [String] = []) throws -> String {
        try run("python3", ["-c", script] + arguments)
    }

    /// Runs an R script given as text with `Rscript`.
    public static func r(_ script: String, arguments: [String] = []) throws -> String {
        try run("Rscript", ["--vanilla", "-e", script] + arguments)
    }
}

private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var finished = false
    var done: Bool { lock.withLock { finished } }
    var value: Data { lock.withLock { data } }
    func set(_ d: Data) { lock.withLock { data = d; finished = true } }
}
