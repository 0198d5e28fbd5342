import Foundation
import HarmonicTestSupport
import Testing

/// Every command that prints results also prints them as JSON (`--json`), with the same figures as
/// its text output, so scripts and the web API read one format.
@Suite struct CommandJSONTests {
    func json(_ arguments: [String]) throws -> [String: Any] {
        let out = try PeerTool.run(try HarmonicExecutable.executable().path, arguments)
        return try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "not a JSON object: \(out.prefix(200))")
    }

    @Test func spectrumJSONCarriesTheFiguresOfTheTextOutput() throws {
        let text = try PeerTool.run(try HarmonicExecutable.executable().path, ["spectrum", "--kvp", "70", "--filter", "3.5mmAl+0.1mmCu"])
        let j = try json(["spectrum", "--kvp", "70", "--filter", "3.5mmAl+0.1mmCu", "--json"])
        let hvl = try #require(j["first_hvl_mm_al"] as? Double)
        #expect(text.contains(String(format: "first HVL      %.3f mm Al", hvl)))
        let energies = try #require(j["energies_kev"] as? [Double]), fluence = try #require(j["photons_per_mm2_per_mas_at_1m"] as? [Double])
        #expect(energies.count == fluence.count && energies.count > 10)
        #expect(try #require(j["mean_energy_kev"] as? Double) > 30)
    }

    @Test func libraryInfoJSONDescribesTheCommittedLibrary() throws {
        let j = try json(["library", "info", "--json"])
        let ages = try #require(j["ages"] as? [Int])
        #expect(ages.contains(0) && ages.contains(15))
        #expect(try #require(j["records"] as? Int) > 0)
        #expect(try #require(j["histories_per_point"] as? Int) > 0)
    }

    @Test func libraryLookupJSONGivesEveryOrganOfTheSexAndTheEffectiveDose() throws {
        let j = try json(["library", "lookup", "--age", "3", "--sex", "F", "--projection", "PA", "--json"])
        let organs = try #require(j["organs"] as? [[String: Any]])
        let names = organs.compactMap { $0["organ"] as? String }
        #expect(names.contains("red_marrow") && names.contains("breast") && !names.contains("testes"))
        let lung = try #require(organs.first { $0["organ"] as? String == "lung" }?["mgy_per_gy_cm2"] as? Double)
        #expect(lung > 0)
        #expect(try #require(j["effective_dose_icrp103_msv_per_gy_cm2"] as? Double) > 0)
    }
}
