import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Synthesis
import Testing

@Suite("Procedure doses read from the registry store", .serialized)
struct StoreProcedureDoseTests {
    /// 600 synthetic cardiac children loaded site by site, as `harmonic demo` does.
    static let store = Result(catching: { () throws -> (path: String, sites: [String]) in
        let dir = try SharedData.temporaryDirectory("drl-store")
        let extract = dir.appendingPathComponent("extract"), path = dir.appendingPathComponent("store.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let summary = try CohortSynthesizer.run(SynthesisConfiguration(seed: 41, cardiacChildren: 600, radiotherapyChildren: 0), to: extract)
        var sites: [String] = []
        for folder in summary.siteFolders {
            let site = String(folder.prefix(2)).uppercased()
            sites.append(site)
            let store = try RegistryStore(path: path, role: .dataManager(site: site))
            let files = ["patients", "cardiac_procedures"].map { extract.appendingPathComponent(folder).appendingPathComponent("\($0).csv").path }
            _ = try store.ingest(files: files, site: site, pseudonymiser: Pseudonymiser(keyBytes: Array(site.utf8) + [UInt8](repeating: 3, count: 32)), user: "test")
        }
        return (path, sites)
    })

    @Test("an analyst reads every procedure with the same KAP total, weights and ages at procedure as sqlite3 computes")
    func analystReadsAllAsSQLiteDoes() throws {
        let (path, _) = try Self.store.get()
        let procedures = try RegistryStore(path: path, role: .analyst).procedureDoses()
        let out = try PeerTool.run("sqlite3", ["-cmd", ".timeout 30000", "-separator", "|", path, """
            SELECT COUNT(*), printf('%.6f', SUM(kap_gycm2)), COUNT(weight_kg) FROM cardiac_procedures;
            SELECT printf('%.9f', SUM((julianday(c.procedure_date)
                     - julianday(CASE WHEN length(p.birth_date) = 7 THEN p.birth_date || '-15' ELSE p.birth_date END)) / 365.25)), COUNT(*)
              FROM cardiac_procedures c JOIN patients p ON p.site = c.site AND p.patient_pseudonym = c.patient_pseudonym;
            """])
        let lines = out.split(separator: "\n").map { $0.split(separator: "|").map(String.init) }
        #expect(procedures.count == Int(lines[0][0])!)
        #expect(procedures.count > 600)
        #expect(abs(procedures.compactMap(\.kapGyCm2).reduce(0, +) - Double(lines[0][1])!) < 1e-4)
        #expect(procedures.filter { $0.weightKg != nil }.count == Int(lines[0][2])!)
        // Birth dates known to the month (YYYY-MM) are placed on day 15, the registry's convention (CalendarDate).
        #expect(Int(lines[1][1])! == procedures.count)
        #expect(abs(procedures.map(\.ageYears).reduce(0, +) - Double(lines[1][0])!) < 1e-6)
        #expect(procedures.allSatisfy { $0.child.hasPrefix($0.site + "/") && $0.ageYears >= 0 && $0.ageYears <= 18.01 })
    }

    @Test("a data manager reads only their own site's procedures; an auditor reads none")
    func rolesLimitRows() throws {
        let (path, sites) = try Self.store.get()
        let site = try #require(sites.first)
        let own = try RegistryStore(path: path, role: .dataManager(site: site)).procedureDoses()
        #expect(!own.isEmpty && own.allSatisfy { $0.site == site })
        let all = try RegistryStore(path: path, role: .analyst).procedureDoses()
        #expect(own.count == all.filter { $0.site == site }.count)
        #expect(throws: AccessDenied.self) { _ = try RegistryStore(path: path, role: .auditor).procedureDoses() }
    }

    @Test("the whole registry's tables hold a local DRL for every class and age band with enough hospitals")
    func registryTables() throws {
        let (path, _) = try Self.store.get()
        let procedures = try RegistryStore(path: path, role: .analyst).procedureDoses()
        let table = ReferenceLevelTable.compute(procedures, options: ReferenceLevelOptions(minProceduresPerHospital: 5))
        for band in PatientBand.ageBands {
            let g = try #require(table.group(.procedureClass, "all", band), "\(band)")
            #expect(g.localDRLGyCm2 != nil && g.localDRLGyCm2! >= g.achievableDoseGyCm2!)
            #expect(g.hospitals.reduce(0) { $0 + $1.procedures } == g.procedures)
        }
    }
}
