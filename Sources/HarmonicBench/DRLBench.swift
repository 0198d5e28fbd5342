import ArgumentParser
import FollowUp
import Foundation
import HarmonicCore
import Registry
import Synthesis

/// `harmonic-bench drl`: reference-level tables, alerts and the KAP factor model over the whole
/// synthetic cardiac registry (about 150,000 procedures for 70,000 children), from the store.
struct DRLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drl",
        abstract: "DRL tables, alerts, KAP factor model and follow-up plans over the synthetic registry: seconds and peak memory.",
        discussion: "Example: swift run -c release harmonic-bench drl --children 70000")

    @Option(help: "Children of the synthetic cardiac cohort.") var children = 70_000
    @Option(help: "Working folder (extract, store).")
    var workDir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-drl-bench").path
    @Flag(help: "Reuse the store already in the working folder (skip synth and ingest).") var reuse = false
    @Option(help: "Timed repetitions.") var repeats = 3

    var storePath: String { workDir + "/harmonic.sqlite" }

    func run() throws {
        if !reuse || !FileManager.default.fileExists(atPath: storePath) { try buildStore() }
        let store = try RegistryStore(path: storePath, role: .analyst)
        for round in 1...max(1, repeats) {
            let t0 = Date()
            let procedures = try store.procedureDoses()
            let t1 = Date()
            let table = ReferenceLevelTable.compute(procedures)
            let t2 = Date()
            let alerts = DoseAlertReport.compute(procedures, table: table, thresholds: AlertThresholds())
            let t3 = Date()
            let model = try KAPFactorModel.fit(procedures, procedure: "interventional", grouping: .procedureClass,
                                               band: PatientBand.ageBands[1], table: table)
            let t4 = Date()
            let plans = try store.treatmentSummaries().map(SurveillanceRules.plan)
            let t5 = Date()
            var me = rusage(); getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &me)
            print(String(format: "round %d: %d procedures, %d groups, %d procedure alerts, %d cumulative alerts, factor model on %d procedures; "
                         + "read %.2f s, tables %.2f s, alerts %.2f s, factor model %.2f s, total %.2f s; follow-up plans for %d RT children %.3f s; peak RSS %.0f MiB",
                         round, procedures.count, table.groups.count, alerts.procedureAlerts.count, alerts.cumulativeAlerts.count, model.procedures,
                         t1.timeIntervalSince(t0), t2.timeIntervalSince(t1), t3.timeIntervalSince(t2), t4.timeIntervalSince(t3),
                         t4.timeIntervalSince(t0), plans.count, t5.timeIntervalSince(t4), Double(me.ru_maxrss) / 1024))
        }
    }

    func buildStore() throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: workDir)
        try fm.createDirectory(atPath: workDir, withIntermediateDirectories: true)
        let t = Date()
        let extract = URL(fileURLWithPath: workDir + "/extract")
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 1, cardiacChildren: children), to: extract)
        var accepted = 0
        for folder in summary.siteFolders {
            let country = String(folder.prefix(2))
            let store = try RegistryStore(path: storePath, role: .dataManager(site: country))
            let files = ["patients", "cardiac_procedures", "rt_courses"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
                .filter { fm.fileExists(atPath: $0) }
            let key = try BenchSiteKeys.key(folder: folder)
            accepted += try store.ingest(files: files, site: country, pseudonymiser: key, user: "bench").accepted
        }
        FileHandle.standardError.write(Data(String(format: "synth + ingest of %d children: %d rows in %.1f s\n", children, accepted,
                                                   Date().timeIntervalSince(t)).utf8))
    }
}
