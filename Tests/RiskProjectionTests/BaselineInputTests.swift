import Foundation
import Testing
import HarmonicCore
@testable import RiskProjection

@Suite("Baseline directories")
struct BaselineInputTests {
    /// Writes a baseline directory with a complete life table and the given incidence rows.
    static func write(life: String? = nil, incidence: String) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("harmonic-baseline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let lifeText = life ?? ("sex,age,death_probability\n" + ["M", "F"].flatMap { s in (0..<100).map { "\(s),\($0),0.01" } }.joined(separator: "\n"))
        try lifeText.write(to: dir.appendingPathComponent("life_table.csv"), atomically: true, encoding: .utf8)
        try incidence.write(to: dir.appendingPathComponent("incidence.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    @Test("a user baseline with 5-year bands expands to single years and is used as given")
    func bands() throws {
        let rows = (0..<20).map { "F,\($0 * 5),\($0 * 5 + 5),breast,\(Double($0) * 10)" }.joined(separator: "\n")
        let dir = try Self.write(incidence: "# my national rates\nsex,age_from,age_to,site,rate_per_100000\n" + rows)
        let b = try Baseline(directory: dir, name: "mine")
        #expect(b.incidence[.female]![.breast]![12] == 20e-5)
        #expect(b.incidence[.male]![.breast] == nil)
        #expect(b.source == ["my national rates"] || b.source.isEmpty)
    }

    @Test("a negative rate is rejected naming file, line, field and value")
    func negativeRate() throws {
        let dir = try Self.write(incidence: "sex,age_from,age_to,site,rate_per_100000\nF,0,100,breast,-3")
        #expect {
            _ = try Baseline(directory: dir, name: "bad")
        } throws: { e in
            let s = "\(e)"
            return s.contains("incidence.csv, line 2") && s.contains("rate_per_100000") && s.contains("-3")
        }
    }

    @Test("an unknown site is rejected with the list of sites")
    func unknownSite() throws {
        let dir = try Self.write(incidence: "sex,age_from,age_to,site,rate_per_100000\nF,0,100,spleen,3")
        #expect { _ = try Baseline(directory: dir, name: "bad") } throws: { "\($0)".contains("spleen") && "\($0)".contains("leukaemia") }
    }

    @Test("rates that leave ages uncovered are rejected, naming sex, site and first missing age")
    func gap() throws {
        let dir = try Self.write(incidence: "sex,age_from,age_to,site,rate_per_100000\nM,0,50,colon,3")
        #expect { _ = try Baseline(directory: dir, name: "bad") } throws: { "\($0)".contains("M colon 50") }
    }

    @Test("overlapping bands are rejected")
    func overlap() throws {
        let dir = try Self.write(incidence: "sex,age_from,age_to,site,rate_per_100000\nM,0,60,colon,3\nM,50,100,colon,4")
        #expect { _ = try Baseline(directory: dir, name: "bad") } throws: { "\($0)".contains("line 3") && "\($0)".contains("already covered") }
    }

    @Test("a life table with a probability above 1 is rejected")
    func badLife() throws {
        let dir = try Self.write(life: "sex,age,death_probability\nM,0,1.5", incidence: "sex,age_from,age_to,site,rate_per_100000\n")
        #expect { _ = try Baseline(directory: dir, name: "bad") } throws: { "\($0)".contains("life_table.csv, line 2") && "\($0)".contains("1.5") }
    }

    @Test("a study country without shipped national rates is an error that names the alternatives")
    func country() {
        #expect { _ = try Baseline.forCountry(.france) } throws: { "\($0)".contains("FR") && "\($0)".contains("--baseline") }
    }

    @Test("a site without baseline rates is reported as not computable, not as zero")
    func missingSite() throws {
        let models = try Beir7Models.beir7()
        let m = LifetimeRiskModel(models: models, baseline: try Baseline.load("us-1999"),
                                  draws: ParameterDraws(models: models, count: 20, seed: 1))
        let r = m.risk(sex: .female, exposures: [Exposure(ageYears: 5, doses: [.lung: Gray(0.1), .breast: Gray(0.1)])])
        let lung = r.sites.first { $0.site == .lung }!
        #expect(lung.incidence == nil)
        #expect(lung.note?.contains("no lung incidence") == true)
        #expect(r.sites.first { $0.site == .breast }!.incidence != nil)
    }
}
