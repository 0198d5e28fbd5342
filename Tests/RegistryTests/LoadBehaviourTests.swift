import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

@Suite("Loading: idempotence, corrections, refusals, atomicity")
struct LoadBehaviourTests {
    let all = ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures,
               "irradiation_events": Fixture.events, "cancer_outcomes": Fixture.outcomes]

    @Test("loading the same extract twice changes nothing the second time", arguments: StoreKind.all)
    func idempotentReload(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = try Fixture.write(all.merging(["cardiac_procedures": Fixture.procedures(setting: "kap_gycm2", to: "-3")]) { $1 })
        _ = try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "t")
        let before = try Fixture.snapshot(store)
        let second = try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "t")
        #expect(try Fixture.snapshot(store) == before)
        #expect(second.files.allSatisfy { $0.inserted == 0 && $0.updated == 0 })
    } }

    @Test("blank lines and lines of only separators (a spreadsheet's trailing rows) are skipped, not quarantined", arguments: StoreKind.all)
    func blankLinesAreNoRows(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let separators = String(repeating: ",", count: Fixture.patients.split(separator: "\n")[0].split(separator: ",").count - 1)
        let r = try Fixture.load(store, ["patients": Fixture.patients + "\n\n" + separators + "\n  \n"])
        #expect(r.files[0].rejected == 0)
        #expect(try store.quarantine().isEmpty)
        #expect(try store.count("patients") == Fixture.patients.split(separator: "\n").count - 1)
    } }

    @Test("a corrected row loaded later replaces its quarantined twin", arguments: StoreKind.all)
    func correctionReplacesQuarantine(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures(setting: "kap_gycm2", to: "-3")])
        #expect(try store.quarantine().count == 1)
        let r = try Fixture.load(store, ["cardiac_procedures": Fixture.procedures])
        #expect(try store.quarantine().isEmpty)
        #expect(r.files[0].replaced == 1)
        #expect(try store.count("cardiac_procedures") == 2)
        #expect(try store.auditChanges().contains { $0.action == "quarantine_resolved" && $0.rowKey == Fixture.keyed("C1", "site_procedure_id") })
    } }

    @Test("a changed row replaces the stored one and is recorded as an update in the audit", arguments: StoreKind.all)
    func updateRecorded(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures])
        let r = try Fixture.load(store, ["cardiac_procedures": Fixture.procedures(setting: "hospital", to: "HUS")])
        #expect(r.files[0].updated == 1 && r.files[0].unchanged == 1)
        #expect(try store.rows(of: "cardiac_procedures", site: "NO", where: "site_procedure_id", equals: Fixture.keyed("C1", "site_procedure_id")).first?["hospital"] == "HUS".databaseValue)
        #expect(try store.auditChanges().map(\.action) == ["updated"])
    } }

    @Test("a file with a column of names is refused whole, naming file and column, and nothing is stored", arguments: StoreKind.all)
    func nameColumnRefused(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let withNames = Fixture.patients.replacingOccurrences(of: "site_patient_id,", with: "site_patient_id,patient_name,")
            .replacingOccurrences(of: "P1,", with: "P1,Kari Nordmann,").replacingOccurrences(of: "P2,", with: "P2,Ola Nordmann,")
        let r = try Fixture.load(store, ["patients": withNames])
        #expect(r.exitCode == 1)
        #expect(r.files[0].message.contains("patient_name") && r.files[0].message.contains("patients.csv"))
        #expect(try store.count("patients") == 0)
        #expect(try Fixture.snapshot(store).allSatisfy { !$0.contains("Nordmann") })
    } }

    @Test("a file of random bytes is refused and changes nothing", arguments: StoreKind.all)
    func randomBytes(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients])
        let before = try Fixture.snapshot(store)
        let dir = try SharedData.temporaryDirectory("registry-random")
        let path = dir.appendingPathComponent("cardiac_procedures.csv")
        var rng = SystemRandomNumberGenerator()
        try Data((0..<5000).map { _ in UInt8.random(in: 0...255, using: &rng) }).write(to: path)
        let r = try store.ingest(files: [path.path], site: "NO", pseudonymiser: Fixture.keyNO, user: "t")
        #expect(r.exitCode == 1)
        #expect(try Fixture.snapshot(store) == before)
    } }

    @Test("a truncated file (ending inside a quoted field) is refused and changes nothing", arguments: StoreKind.all)
    func truncatedFile(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients])
        let before = try Fixture.snapshot(store)
        let cut = Fixture.procedures.replacingOccurrences(of: "Siemens Artis", with: "\"Siemens Ar")
        let r = try Fixture.load(store, ["cardiac_procedures": cut])
        #expect(r.refusedFiles.first?.message.contains("closing quote") == true)
        #expect(try Fixture.snapshot(store) == before)
    } }

    @Test("a missing file is refused and the other files still load", arguments: StoreKind.all)
    func unreadableFile(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = try Fixture.write(["patients": Fixture.patients]) + ["/nonexistent/cardiac_procedures.csv"]
        let r = try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "t")
        #expect(r.refusedFiles.count == 1 && r.exitCode == 1)
        #expect(try store.count("patients") == 2)
    } }

    @Test("a load interrupted midway through a file leaves the store as before that file", arguments: StoreKind.all)
    func interruptedLoadRollsBack(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients])
        let before = try Fixture.snapshot(store)
        let files = try Fixture.write(["cardiac_procedures": Fixture.procedures])
        #expect(throws: InjectedFailure.self) {
            try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "t", failAfterRows: 1)
        }
        #expect(try Fixture.snapshot(store) == before)
        // and the cache was restored too: the same file now loads completely
        #expect(try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "t").exitCode == 0)
    } }

    @Test("files load in dependency order whatever order they are given in", arguments: StoreKind.all)
    func dependencyOrder(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = try Fixture.write(all).sorted().reversed()
        #expect(try store.ingest(files: Array(files), site: "NO", pseudonymiser: Fixture.keyNO, user: "t").exitCode == 0)
    } }

    @Test("the audit lists a load's files in the order they loaded, the same whatever order they were given in", arguments: StoreKind.all)
    func auditFileOrder(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let files = try Fixture.write(all).sorted()
        var orders: [[String]] = []
        for given in [files, Array(files.reversed())] {
            let store = try Fixture.store()
            try store.ingest(files: given, site: "NO", pseudonymiser: Fixture.keyNO, user: "t")
            orders.append(try #require(try store.auditLoads().first).files.map(\.table))
        }
        #expect(orders[0] == orders[1])
        let rank = Dictionary(uniqueKeysWithValues: DataDictionary.tables.map { ($0.name, $0.loadOrder) })
        let ranks = orders[0].map { rank[$0] ?? -1 }
        #expect(ranks == ranks.sorted(), "referenced tables load first: \(orders[0])")
        #expect(orders[0].count == files.count)
    } }

    @Test("the audit records who loaded, each file's SHA-256 and its counts", arguments: StoreKind.all)
    func auditRecordsLoad(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        let files = try Fixture.write(["patients": Fixture.patients])
        try store.ingest(files: files, site: "NO", pseudonymiser: Fixture.keyNO, user: "alice")
        let load = try #require(try store.auditLoads().first)
        #expect(load.user == "alice" && load.status == "finished")
        let sha = try PeerTool.run("sha256sum", [files[0]]).split(separator: " ")[0]
        #expect(load.files.first?.sha256 == String(sha))
        #expect(load.files.first?.inserted == 2)
    } }
}
