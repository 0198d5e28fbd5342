import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

@Suite("Survivorship passport (FHIR R4, PanCare SurPass)")
struct SurvivorshipPassportTests {
    static let summary = TreatmentSummary(
        child: "NO/3f9c2a", sex: "F", birthDate: "2004-05-12",
        radiotherapy: [.init(startDate: "2012-01-10", endDate: "2012-02-21", targetSite: "mediastinum", prescribedDoseGy: 30,
                             fractions: 20, modality: "proton", organMeanDoseGy: ["heart": 11.2, "breast": 6.4, "thyroid": 3.1]),
                       .init(startDate: "2013-03-01", endDate: "2013-03-20", targetSite: "pelvis", prescribedDoseGy: 21, fractions: 14)],
        chemotherapy: [.init(agent: "doxorubicin", cumulativeDoseMgPerM2: 150, endDate: "2012-06-30")])
    static let when = Date(timeIntervalSince1970: 1_790_000_000)

    func bundle(siteIdentifier: String? = nil) -> [String: Any] {
        SurvivorshipPassport.bundle(summary: Self.summary, plan: SurveillanceRules.plan(for: Self.summary),
                                    options: .init(site: "NO", siteIdentifier: siteIdentifier, timestamp: Self.when))
    }

    func resources(_ b: [String: Any]) -> [[String: Any]] { (b["entry"] as! [[String: Any]]).map { $0["resource"] as! [String: Any] } }

    @Test("the bundle parses as FHIR R4 with fhirclient's strict models (no unknown, missing or mistyped elements)")
    func validatesWithFHIRLibrary() throws {
        let dir = try SharedData.temporaryDirectory("surpass")
        let url = dir.appendingPathComponent("passport.json")
        try SurvivorshipPassport.json(bundle()).write(to: url)
        let out = try PeerTool.python("""
            import json, sys
            from fhirclient.models.bundle import Bundle
            b = Bundle(json.load(open(sys.argv[1])), strict=True)
            print(len(b.entry), b.type, b.entry[0].resource.resource_type)
            """, arguments: [url.path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines) == "\(resources(bundle()).count) document Composition")
    }

    @Test("a document bundle: the Composition first, every reference resolves to an entry's fullUrl")
    func referencesResolve() throws {
        let b = bundle()
        let entries = b["entry"] as! [[String: Any]]
        #expect((entries[0]["resource"] as! [String: Any])["resourceType"] as? String == "Composition")
        let fullUrls = Set(entries.map { $0["fullUrl"] as! String })
        let text = String(decoding: try SurvivorshipPassport.json(b), as: UTF8.self)
        let refs = text.components(separatedBy: "\"reference\" : \"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(!refs.isEmpty && refs.allSatisfy(fullUrls.contains))
        #expect(fullUrls.count == entries.count)
    }

    @Test("it holds the treatment summary, each course with target, total dose, fractions and modality, the organ-at-risk doses and the plan")
    func contents() throws {
        let r = resources(bundle())
        let procedures = r.filter { $0["resourceType"] as? String == "Procedure" }
        #expect(procedures.count == 2)
        #expect((procedures[0]["usedCode"] as! [[String: Any]])[0]["text"] as? String == "proton")
        let timing = ((procedures[0]["extension"] as! [[String: Any]]).first { ($0["url"] as! String).hasSuffix("procedure-performedTiming") })
        #expect(((timing?["valueTiming"] as? [String: Any])?["repeat"] as? [String: Any])?["count"] as? Int == 20)
        let observations = r.filter { $0["resourceType"] as? String == "Observation" }
        #expect(observations.count == 2 + 3)                        // two total doses, three organ-at-risk doses
        let heart = try #require(observations.first { (($0["bodySite"] as? [String: Any])?["text"] as? String) == "Heart wall" })
        #expect((heart["valueQuantity"] as! [String: Any])["value"] as? Double == 11.2)
        #expect(r.contains { $0["resourceType"] as? String == "MedicationAdministration" })
        let plan = try #require(r.first { $0["resourceType"] as? String == "CarePlan" })
        #expect((plan["activity"] as! [Any]).count == SurveillanceRules.plan(for: Self.summary).items.count)
    }

    @Test("identifiers stay pseudonymised; the site's own id appears only when the key-holding site exports it")
    func pseudonymised() throws {
        func patient(_ b: [String: Any]) -> [String: Any] { resources(b).first { $0["resourceType"] as? String == "Patient" }! }
        let plain = patient(bundle())
        #expect((plain["identifier"] as! [[String: Any]]).map { $0["value"] as! String } == ["3f9c2a"])
        #expect(!String(decoding: try SurvivorshipPassport.json(bundle()), as: UTF8.self).contains("NO-12345"))
        let name = (plain["name"] as! [[String: Any]])[0]
        #expect(name["family"] == nil && name["_family"] != nil)     // data-absent-reason: masked
        let bySite = patient(bundle(siteIdentifier: "NO-12345"))
        #expect((bySite["identifier"] as! [[String: Any]]).map { $0["value"] as! String } == ["3f9c2a", "NO-12345"])
    }

    @Test("the same export gives the same identifiers (deterministic ids)")
    func deterministic() throws {
        #expect(try SurvivorshipPassport.json(bundle()) == SurvivorshipPassport.json(bundle()))
    }
}
