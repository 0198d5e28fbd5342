import ArgumentParser
import Foundation
import Phantoms

/// `harmonic-bench skeleton-tables`: regenerates Sources/Phantoms/Skeleton/ICRP143SkeletonRaw.swift
/// from the ICRP 143 phantom tables (skeleton sites and spongiosa media), so the product never
/// reads ../shared at run time.
struct SkeletonTablesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skeleton-tables",
        abstract: "Generate the ICRP 143 skeleton data (active marrow, endosteum, surfaces, spongiosa media by site) from the shared tables.",
        discussion: """
        Reads <phantom>_skeleton.dat and <phantom>_media.dat for 00F ... 15M, checks every Totals row \
        against the sum of the sites, and writes the Swift source of ICRP143SkeletonRaw.

        Example: swift run harmonic-bench skeleton-tables --output Sources/Phantoms/Skeleton/ICRP143SkeletonRaw.swift
        """)

    @Option(help: "Folder of the ICRP 143 tables.") var source: String = "../shared/data/reference/icrp143"
    @Option(help: "Write to this file instead of standard output.") var output: String?

    func run() throws {
        let text = try ICRP143SkeletonData.generatedSource(directory: URL(fileURLWithPath: source))
        if let output { try text.write(toFile: output, atomically: true, encoding: .utf8) } else { print(text, terminator: "") }
    }
}
