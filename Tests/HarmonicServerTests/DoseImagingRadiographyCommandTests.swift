import Foundation
import HarmonicTestSupport
import Testing

/// `harmonic dose imaging --modality radiography|fluoroscopy`: organ doses of one radiograph or
/// fluoroscopy from its KAP or entrance air kerma, or a radiograph's typical technique, as JSON and text.
@Suite struct DoseImagingRadiographyCommandTests {
    func report(_ arguments: [String]) throws -> [String: Any] {
        let out = try PeerTool.run(try HarmonicExecutable.executable().path, ["dose", "imaging"] + arguments + ["--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
    }
    func organ(_ j: [String: Any], _ name: String) throws -> [String: Double] {
        let organs = try #require(j["organs"] as? [[String: Any]])
        return try #require(organs.first { $0["organ"] as? String == name }?["dose"] as? [String: Double])
    }

    @Test("a chest radiograph's JSON gives the KAP and entrance air kerma used, its source, and lung doses that double with the KAP")
    func chestRadiographFromKAP() throws {
        let a = try report(["--modality", "radiography", "--region", "chest", "--age", "2", "--sex", "F", "--kap", "0.012"])
        let b = try report(["--modality", "radiography", "--region", "chest", "--age", "2", "--sex", "F", "--kap", "0.024"])
        #expect(a["kap"] as? Double == 0.012 && (a["entranceAirKerma"] as? Double ?? 0) > 0)
        #expect((a["doseIndexSource"] as? String)?.contains("KAP recorded") == true)
        let la = try organ(a, "lung")["central"]!, lb = try organ(b, "lung")["central"]!
        #expect(abs(lb / la - 2) < 1e-9 && la > 0)
    }

    @Test("a radiograph without a dose states the typical FDA technique in its text output")
    func typicalTechniqueStated() throws {
        let out = try PeerTool.run(try HarmonicExecutable.executable().path,
                                   ["dose", "imaging", "--modality", "radiography", "--region", "abdomen", "--age", "8", "--sex", "M"])
        #expect(out.contains("FDA") && out.contains("typical") && out.contains("radiography_typical_technique"), "\(out)")
    }

    @Test("fluoroscopy without KAP, CT quantities and --kap on CT are refused with the reason")
    func badInputRefused() throws {
        let exe = try HarmonicExecutable.executable().path
        let cases: [([String], String)] = [
            (["--modality", "fluoroscopy", "--region", "pelvis", "--age", "4", "--sex", "F"], "no KAP recorded"),
            (["--modality", "radiography", "--region", "chest", "--age", "4", "--sex", "F", "--ctdivol", "3"], "CT quantities"),
            (["--modality", "ct", "--region", "chest", "--age", "4", "--sex", "F", "--ctdivol", "3", "--kap", "0.1"], "--kap applies"),
        ]
        for (arguments, expected) in cases {
            do {
                try PeerTool.run(exe, ["dose", "imaging"] + arguments)
                Issue.record("accepted: \(arguments)")
            } catch let f as PeerTool.Failure {
                #expect(f.stderr.contains(expected), "\(arguments): \(f.stderr)")
            }
        }
    }
}
