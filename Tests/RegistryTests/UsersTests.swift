import Foundation
import Testing
@testable import Registry

@Suite("Users, roles and the request audit trail")
struct UsersTests {
    static let password = "a long enough password"

    @Test("an admin adds a user; only the bcrypt hash of the password is stored", arguments: StoreKind.all)
    func passwordStoredAsBcrypt(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let admin = try Fixture.store(role: .admin)
        try admin.addUser(name: "kari", role: .dataManager(site: "NO"), password: Self.password, actor: "ops")
        let stored = try admin.backend.read { try $0.fetch("SELECT name, role, site, password_hash FROM users") }
        #expect(stored.count == 1 && stored[0].string(1) == "data_manager" && stored[0].string(2) == "NO")
        let hash = try #require(stored[0].string(3))
        // Modular crypt format of bcrypt: $2b$ (or $2a$/$2y$), cost 12, 22 characters of salt and 31 of hash (60 in all).
        #expect(hash.range(of: #"^\$2[aby]\$12\$[./A-Za-z0-9]{53}$"#, options: .regularExpression) != nil, "\(hash)")
        #expect(!(try Fixture.snapshot(admin)).joined().contains(Self.password))
        #expect(!hash.contains(Self.password))
    } }

    @Test("the right password signs in with the account's role; a wrong one or an unknown user does not", arguments: StoreKind.all)
    func authenticate(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let admin = try Fixture.store(role: .admin)
        try admin.addUser(name: "nils", role: .clinician(site: "FR"), password: Self.password, actor: "ops")
        #expect(try admin.authenticate(name: "nils", password: Self.password)?.registryRole == .clinician(site: "FR"))
        #expect(try admin.authenticate(name: "nils", password: Self.password + "x") == nil)
        #expect(try admin.authenticate(name: "nobody", password: Self.password) == nil)
        #expect(try admin.authenticate(name: "nils' OR '1'='1", password: Self.password) == nil)
    } }

    @Test("adding a user is audited (who, what, when); changing one is audited as a change", arguments: StoreKind.all)
    func userChangesAudited(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let admin = try Fixture.store(role: .admin)
        try admin.addUser(name: "ana", role: .analyst, password: Self.password, actor: "ops")
        try admin.addUser(name: "ana", role: .auditor, password: Self.password + "2", actor: "ops")
        let events = try admin.opened(as: .auditor).auditEvents()
        #expect(events.map(\.action) == ["user.add", "user.change"])
        #expect(events.allSatisfy { $0.user == "ops" && $0.role == "admin" && $0.outcome == "ok" && !$0.at.isEmpty })
        #expect(events[1].target.contains("auditor"))
        #expect(try admin.users().map(\.role) == ["auditor"])
        #expect(try admin.authenticate(name: "ana", password: Self.password) == nil, "the old password no longer works")
    } }

    @Test("only an admin manages users", arguments: StoreKind.all)
    func onlyAdmins(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let admin = try Fixture.store(role: .admin)
        for role in [Role.analyst, .auditor, .dataManager(site: "NO"), .clinician(site: "NO")] {
            #expect(throws: AccessDenied.self) { try admin.opened(as: role).addUser(name: "x", role: .admin, password: Self.password, actor: "x") }
            #expect(throws: AccessDenied.self) { try admin.opened(as: role).users() }
        }
        #expect(try admin.users().isEmpty)
    } }

    @Test("bad user names and short passwords are refused naming what is expected, and nothing is stored", arguments: StoreKind.all)
    func badInput(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let admin = try Fixture.store(role: .admin)
        for name in ["", "kari nordmann", "x'; DROP TABLE users; --", String(repeating: "a", count: 65)] {
            #expect(throws: UserError.self) { try admin.addUser(name: name, role: .analyst, password: Self.password, actor: "ops") }
        }
        do { try admin.addUser(name: "kari", role: .analyst, password: "short", actor: "ops"); Issue.record("short password accepted") } catch {
            #expect("\(error)".contains("at least 12"))
        }
        #expect(try admin.users().isEmpty)
        #expect(try admin.opened(as: .auditor).auditEvents().isEmpty)
    } }

    @Test("roles parse from their names; site-bound roles need a two-letter site and consortium roles take none")
    func roleNames() throws {
        #expect(try Role(name: "site_data_manager", site: "no") == .dataManager(site: "NO"))
        #expect(try Role(name: "clinician", site: "FR") == .clinician(site: "FR"))
        #expect(try Role(name: "admin", site: nil) == .admin)
        #expect(throws: RoleError.self) { try Role(name: "data_manager", site: nil) }
        #expect(throws: RoleError.self) { try Role(name: "analyst", site: "NO") }
        #expect(throws: RoleError.self) { try Role(name: "clinician", site: "NOR") }
        #expect(throws: RoleError.self) { try Role(name: "superuser", site: nil) }
    }

    @Test("a user of site NO reads no patient row of site FR; admins and auditors read none", arguments: StoreKind.all)
    func siteIsolation(_ kind: StoreKind) throws { try StoreKind.$current.withValue(kind) { () throws -> Void in
        let no = try Fixture.store()
        try Fixture.load(no, ["patients": Fixture.patients])
        let fr = try no.opened(as: .dataManager(site: "FR"))
        try Fixture.load(fr, ["patients": Fixture.patients.replacingOccurrences(of: ",NO,", with: ",FR,")], key: Fixture.keyBE, site: "FR")
        #expect(try no.patients(ofSite: "NO").count == 2)
        #expect(throws: AccessDenied.self) { try no.patients(ofSite: "FR") }
        #expect(throws: AccessDenied.self) { try no.opened(as: .clinician(site: "NO")).patients(ofSite: "FR") }
        #expect(throws: AccessDenied.self) { try no.opened(as: .clinician(site: "NO")).rows(of: "patients", site: "FR", where: "sex", equals: "M") }
        #expect(throws: AccessDenied.self) { try no.opened(as: .admin).patients(ofSite: "NO") }
        #expect(throws: AccessDenied.self) { try no.opened(as: .auditor).patients(ofSite: "NO") }
        #expect(throws: AccessDenied.self) { try no.opened(as: .admin).count("patients") }
        #expect(try no.opened(as: .analyst).patients(ofSite: "FR").allSatisfy { $0.site == "FR" })
        #expect(try no.opened(as: .clinician(site: "NO")).count("patients") == 2)
    } }
}
