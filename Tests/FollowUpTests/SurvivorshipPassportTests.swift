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
        chemotherapy: [.init(agent: "doxorubicin", cumulativeDoseMgPerM2: 150, endDate: "2012-06-30")],
        transplants: [.init(date: "2012-09-01", type: "allogeneic", tbiConditioning: true)],
        surgeries: [.init(date: "2011-12-15", region: "lung"), .init(date: "2013-05-02", region: "other")])
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
            for e in b.entry:
                r = e.resource
                if r.resource_type == "Procedure" and r.performedDateTime is not None:
                    print(r.meta.profile[0].rsplit("/", 1)[1], r.category.coding[0].code, r.performedDateTime.as_json())
            """, arguments: [url.path])
        #expect(out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n") == [
            "\(resources(bundle()).count) document Composition",
            "Procedure-sct-eu-pcsp 77465005 2012-09-01",
            "Procedure-surgery-eu-pcsp 387713003 2011-12-15", "Procedure-surgery-eu-pcsp 387713003 2013-05-02",
        ])
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
        let procedures = r.filter { profile($0) == "Procedure-radiotheraphy-eu-pcsp" }
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

    func profile(_ resource: [String: Any]) -> String? {
        ((resource["meta"] as? [String: Any])?["profile"] as? [String])?.first?.components(separatedBy: "/").last
    }

    func subsection(_ b: [String: Any], code: String) -> [String: Any]? {
        let composition = resources(b)[0]
        let flt = (composition["section"] as! [[String: Any]])[0]
        return (flt["section"] as? [[String: Any]])?.first {
            (($0["code"] as? [String: Any])?["coding"] as? [[String: Any]])?.first?["code"] as? String == code
        }
    }

    @Test("a transplant is a PCSP stem-cell-transplant Procedure (SNOMED allogeneic or autogenous), its TBI conditioning a PCSP SCT-prophylaxis Procedure, both in the section-sct subsection")
    func transplants() throws {
        let b = bundle()
        let r = resources(b)
        let hsct = try #require(r.first { profile($0) == "Procedure-sct-eu-pcsp" })
        #expect((((hsct["code"] as! [String: Any])["coding"] as! [[String: Any]])[0]["code"] as? String) == "50223000")
        #expect(hsct["performedDateTime"] as? String == "2012-09-01")
        let conditioning = try #require(r.first { profile($0) == "Procedure-sct-prophylaxis-eu-pcsp" })
        #expect((conditioning["reasonReference"] as! [[String: Any]]).count == 2)
        let entries = b["entry"] as! [[String: Any]]
        func fullUrl(_ resource: [String: Any]) -> String? {
            entries.first { NSDictionary(dictionary: $0["resource"] as! [String: Any]).isEqual(to: resource) }?["fullUrl"] as? String
        }
        let section = try #require(subsection(b, code: "section-sct"))
        #expect((section["entry"] as! [[String: Any]]).map { $0["reference"] as! String } == [fullUrl(hsct), fullUrl(conditioning)].compactMap { $0 })
        let autologous = TreatmentSummary(child: "NO/1", sex: "M", birthDate: "2005-01-01",
                                          transplants: [.init(date: "2010-01-01", type: "autologous", tbiConditioning: false)])
        let plain = resources(SurvivorshipPassport.bundle(summary: autologous, plan: SurveillanceRules.plan(for: autologous), options: .init(site: "NO", timestamp: Self.when)))
        #expect(plain.filter { profile($0)?.hasPrefix("Procedure-sct") == true }.count == 1)
        let code = try #require(plain.first { profile($0) == "Procedure-sct-eu-pcsp" }?["code"] as? [String: Any])
        #expect((code["coding"] as! [[String: Any]])[0]["code"] as? String == "53088000")
    }

    @Test("an operation is a PCSP surgery Procedure with the region as a SNOMED body site from the IG's organ value sets, in the Major Surgery subsection")
    func surgeries() throws {
        let b = bundle()
        let ops = resources(b).filter { profile($0) == "Procedure-surgery-eu-pcsp" }
        #expect(ops.count == 2)
        let lung = (ops[0]["bodySite"] as! [[String: Any]])[0]
        #expect((lung["coding"] as! [[String: Any]]).map { $0["code"] as! String } == ["51185008", "39607008"])
        let other = (ops[1]["bodySite"] as! [[String: Any]])[0]
        #expect(other["coding"] == nil && other["text"] as? String == "other")
        #expect((try #require(subsection(b, code: "8690-0"))["entry"] as! [Any]).count == 2)
        let none = TreatmentSummary(child: "NO/2", sex: "F", birthDate: "2005-01-01")
        let empty = SurvivorshipPassport.bundle(summary: none, plan: SurveillanceRules.plan(for: none), options: .init(site: "NO", timestamp: Self.when))
        #expect(subsection(empty, code: "8690-0") == nil && subsection(empty, code: "section-sct") == nil)
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
        // Only the Patient (and the registry site's Organization) carries identifiers: the treatment Procedures do not.
        #expect(resources(bundle(siteIdentifier: "NO-12345")).filter { $0["identifier"] != nil }.map { $0["resourceType"] as! String }.sorted() == ["Organization", "Patient"])
    }

    @Test("the same export gives the same identifiers (deterministic ids)")
    func deterministic() throws {
        #expect(try SurvivorshipPassport.json(bundle()) == SurvivorshipPassport.json(bundle()))
    }
}
