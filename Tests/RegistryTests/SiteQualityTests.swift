import Foundation
import Testing
import HarmonicTestSupport
@testable import Registry

/// `RegistryStore.siteQuality`: the figures of the site QA dashboard.
@Suite("Site QA: completeness by era, rows per year, quarantine reasons, loads")
struct SiteQualityTests {
    @Test("completeness is counted per decade of the table's date column, field by field", arguments: StoreKind.all)
    func completenessByEra(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients])
        let q = try store.siteQuality(ofSite: "NO")
        let patients = try #require(q.tables.first { $0.table == "patients" })
        // Fixture.patients: P1 born 2001 (alive, no death date), P2 born 1995-06 (dead 2010-05-01); neither emigrated.
        #expect(patients.dateColumn == "birth_date" && patients.rows == 2)
        #expect(patients.eras.map(\.era) == ["1990s", "2000s"])
        #expect(patients.years.map(\.year) == ["1995", "2001"])
        let nineties = patients.eras[0], noughties = patients.eras[1]
        #expect(nineties.fields["death_date"] == 1 && noughties.fields["death_date"] == 0)
        #expect(nineties.fields["emigration_date"] == 0 && noughties.fields["emigration_date"] == 0)
        #expect(nineties.required == 1 && noughties.required == 1)
        // The optional share is the mean of the optional fields' shares.
        let optional = DataDictionary.table(named: "patients")!.columns.filter { !$0.required }.map(\.name)
        #expect(abs(noughties.optional - optional.map { noughties.fields[$0] ?? -1 }.reduce(0, +) / Double(optional.count)) < 1e-12)
        #expect(q.tables.first { $0.table == "cardiac_procedures" }?.rows == 0)
    } }

    @Test("quarantine reasons are counted by table, field and reason, and each load's accepted and rejected rows listed", arguments: StoreKind.all)
    func reasonsAndLoads(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients, "cardiac_procedures": Fixture.procedures(setting: "kap_gycm2", to: "-3")])
        try Fixture.load(store, ["patients": Fixture.patients])
        let q = try store.siteQuality(ofSite: "NO")
        #expect(q.quarantine.count == 1)
        #expect(q.quarantine.first?.table == "cardiac_procedures" && q.quarantine.first?.field == "kap_gycm2" && q.quarantine.first?.rows == 1)
        #expect(q.loads.map(\.files) == [2, 1])
        #expect(q.loads.map(\.accepted) == [3, 2] && q.loads.map(\.rejected) == [1, 0])
    } }

    @Test("a data manager reads only its own site; analysts any site; admins, clinicians and auditors none", arguments: StoreKind.all)
    func roles(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let store = try Fixture.store()
        try Fixture.load(store, ["patients": Fixture.patients])
        #expect(try store.siteQuality(ofSite: "no").site == "NO")
        #expect(throws: AccessDenied.self) { try store.siteQuality(ofSite: "FR") }
        #expect(try store.opened(as: .analyst).siteQuality(ofSite: "NO").tables.first { $0.table == "patients" }?.rows == 2)
        for role in [Role.admin, .clinician(site: "NO"), .auditor, .dataManager(site: "FR")] {
            #expect(throws: AccessDenied.self, "\(role)") { try store.opened(as: role).siteQuality(ofSite: "NO") }
        }
    } }
}
