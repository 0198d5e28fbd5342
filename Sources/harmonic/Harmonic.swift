import ArgumentParser

/// `harmonic`: registry, organ dosimetry and radiation epidemiology for children exposed to
/// medical radiation. Each job is a subcommand; `harmonic help <subcommand>` explains it.
@main
struct Harmonic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "harmonic",
        abstract: "Registry, organ dosimetry and dose-response analysis for children exposed to medical radiation.",
        discussion: """
        Start with `harmonic demo`: it synthesises a cohort, loads it into a local SQLite store \
        and writes an HTML report. Each subcommand's --help explains its inputs and outputs.
        Exit codes: 0 success, 1 failure (nothing changed), 2 usage error, 3 finished with rejected input \
        (see the validation report).
        """,
        version: "0.1.0",
        subcommands: [
            IngestCommand.self,
            SynthCommand.self,
            DemoCommand.self,
            DicomCommand.self,
            IngestDicomCommand.self,
            MCCommand.self,
            SpectrumCommand.self,
            AnalyzeCommand.self,
            DoseCommand.self,
            LibraryCommand.self,
            DRLCommand.self,
            FollowUpCommand.self,
            BiomarkersCommand.self,
            ExportTablesCommand.self,
            PoolCommand.self,
            RiskCommand.self,
            RTCommand.self,
            UsersCommand.self,
            ServeCommand.self,
        ]
    )
}
