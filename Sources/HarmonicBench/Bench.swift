import ArgumentParser
import Foundation

/// `harmonic-bench`: the benchmarks quoted in BENCHMARKS.md. Run in release:
/// `swift run -c release harmonic-bench <name>`.
@main
struct HarmonicBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harmonic-bench",
        abstract: "Benchmarks for Harmonic (figures in BENCHMARKS.md). Build with -c release.",
        subcommands: [
            IngestBench.self,
            StoreIngestBench.self,
            StoreDoseRunBench.self,
            SynthBench.self,
            DicomBench.self, DicomFuzzBench.self, DicomIngestBench.self,
            PhantomFitBench.self, TransportBench.self, Chang2017Bench.self, CardiacTrendBench.self,
            SkeletonTablesBench.self, MarrowSitesBench.self, MarrowEnhancementBench.self,
            XRayPhysicsBench.self,
            CTValidationBench.self,
            EpidemiologyBench.self,
            CoverageBench.self,
            DoseBench.self,
            LibraryBench.self,
            DRLBench.self,
            RiskBench.self, RiskCompareBench.self,
            RTPlanBench.self, RTRegistryBench.self,
            PoolBench.self,
            ImagingBench.self,
            HarbronBench.self,
        ]
    )
}

/// Pretty-printed JSON with sorted keys: what every `--json` of `harmonic-bench` prints.
func prettyJSON<T: Encodable>(_ value: T) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
