import ArgumentParser
import Foundation
import Phantoms

/// `harmonic-bench phantom-fit`: fits the stylised family to ICRP 89 and writes
/// Sources/Phantoms/FittedParameters.swift (so runtime and debug tests skip the fit).
struct PhantomFitBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "phantom-fit",
        abstract: "Fit the paediatric phantom family to ICRP 89 masses and print FittedParameters.swift.")

    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        let start = Date()
        let source = StylisedPhantom.fittedParametersSource()
        if let output { try source.write(toFile: output, atomically: true, encoding: .utf8) } else { print(source) }
        FileHandle.standardError.write("fitted 12 phantoms in \(String(format: "%.1f", Date().timeIntervalSince(start))) s\n".data(using: .utf8)!)
    }
}
