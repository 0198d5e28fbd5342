import Foundation
import Testing
import HarmonicCore
import Reports
@testable import RiskProjection

/// Plan-dose fixtures in the shared shape of `harmonic rt dose --json` (schema harmonic.rt-plan-dose/1).
enum PlanFixture {
    struct Organ { var name: String; var source: String; var doses: [Double]; var volumes: [Double] }

    static func json(label: String, radiation: String = "photon", age: Double = 8, sex: String = "F", organs: [Organ], schema: String = "harmonic.rt-plan-dose/1") -> String {
        let items = organs.map { o -> String in
            let mean = zip(o.doses, o.volumes).reduce(0) { $0 + $1.0 * $1.1 } / o.volumes.reduce(0, +)
            return """
            {"organ": "\(o.name)", "source": "\(o.source)", "meanDoseGy": \(mean), "d2Gy": \(o.doses.max()!), "interval95Gy": [\(mean * 0.8), \(mean * 1.2)],
             "components": {"inFieldGy": \(mean), "patientScatterGy": 0.0, "headScatterLeakageGy": 0.0, "neutronAbsorbedGy": 0.0, "neutronEquivalentSv": 0.0, "imagingGy": null},
             "differentialDVH": {"doseGy": \(o.doses), "volumeCm3": \(o.volumes)}}
            """
        }
        return """
        {"schema": "\(schema)", "patient": {"ageYears": \(age), "sex": "\(sex)"},
         "plan": {"label": "\(label)", "radiation": "\(radiation)", "technique": "IMRT", "fractions": 30, "prescribedDoseGy": 54.0},
         "organs": [\(items.joined(separator: ","))]}
        """
    }

    static func write(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plan-\(UUID().uuidString).json")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// A photon plan (more scatter to distant organs) and a proton plan (less), brain tumour of a girl of 8.
    static func pair() throws -> (PlanDose, PlanDose) {
        func organs(_ scatter: Double) -> [Organ] {
            [Organ(name: "brain", source: "contoured", doses: [5, 30, 54], volumes: [400, 500, 300]),
             Organ(name: "thyroid", source: "contoured", doses: [0.5 * scatter * 10, 2 * scatter * 10], volumes: [10, 5]),
             Organ(name: "lung", source: "outOfField", doses: [0.3 * scatter], volumes: [900]),
             Organ(name: "breast", source: "outOfField", doses: [0.15 * scatter], volumes: [150]),
             Organ(name: "red_marrow", source: "phantom", doses: [0.2 * scatter * 5, 20], volumes: [500, 60]),
             Organ(name: "colon", source: "outOfField", doses: [0.05 * scatter], volumes: [400]),
             Organ(name: "heart", source: "outOfField", doses: [0.5 * scatter], volumes: [300])]
        }
        let a = try PlanDose.read(write(json(label: "IMRT brain", organs: organs(1.0))))
        let b = try PlanDose.read(write(json(label: "PBS brain", radiation: "proton", organs: organs(0.2))))
        return (a, b)
    }

    static let models = try! Beir7Models.beir7()
    static func model(draws: Int = 1000) throws -> LifetimeRiskModel {
        LifetimeRiskModel(models: models, baseline: try Baseline.load("who-region1"), draws: ParameterDraws(models: models, count: draws, seed: 21))
    }
}

@Suite("Plan comparison")
struct PlanComparisonTests {
    @Test("the ratio B/A from paired draws has a narrower (log) interval than either plan's own total")
    func pairedTighter() throws {
        let (a, b) = try PlanFixture.pair()
        let c = try PlanComparison(planA: a, planB: b, model: try PlanFixture.model(), ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        let width = { (s: RiskSummary) in log(s.upper95 / s.lower95) }
        #expect(width(c.totalRatio) < width(c.total[0]))
        #expect(width(c.totalRatio) < width(c.total[1]))
        #expect(width(c.totalRatio) < 0.5 * min(width(c.total[0]), width(c.total[1])))
        #expect(c.totalRatio.estimate < 1)   // less scatter dose with protons
        #expect(abs(c.totalRatio.estimate - c.total[1].estimate / c.total[0].estimate) < 1e-12)
    }

    @Test("an in-field organ with a shipped alpha: OED = sum V D exp(-alpha D) / V, LAR = BEIR VII coefficient x OED")
    func inFieldOED() throws {
        let (a, b) = try PlanFixture.pair()
        let m = try PlanFixture.model(draws: 100)
        let c = try PlanComparison(planA: a, planB: b, model: m, ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        let thyroid = c.organs.first { $0.organ == "thyroid" }!
        let alpha = 0.033   // Schneider 2005 Table 1, thyroid
        let expected = (10 * 5 * exp(-alpha * 5) + 5 * 20 * exp(-alpha * 20)) / 15
        #expect(abs(thyroid.oedGy[0]! - expected) < 1e-12)
        let lar = c.sites.first { $0.site == .thyroid }!.lar[0]!.estimate
        let k = m.centralCoefficient(site: .thyroid, sex: .female, outcome: .incidence, ageAtExposure: 8)!
        #expect(abs(lar / (k * expected) - 1) < 1e-12)
    }

    @Test("an out-of-field organ uses its mean dose (the BEIR VII low-dose path)")
    func outOfField() throws {
        let (a, b) = try PlanFixture.pair()
        let c = try PlanComparison(planA: a, planB: b, model: try PlanFixture.model(draws: 50), ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        let lung = c.organs.first { $0.organ == "lung" }!
        #expect(lung.oedGy[0] == lung.meanDoseGy[0])
        #expect(lung.model[0].hasPrefix("linear (mean dose)"))
    }

    @Test("organs without a BEIR VII site of their own (heart) form 'other solid' through their OED")
    func otherSite() throws {
        let (a, b) = try PlanFixture.pair()
        let m = try PlanFixture.model(draws: 50)
        let c = try PlanComparison(planA: a, planB: b, model: m, ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        let other = c.sites.first { $0.site == .other }!.lar[0]!.estimate
        #expect(abs(other / (m.centralCoefficient(site: .other, sex: .female, outcome: .incidence, ageAtExposure: 8)! * 0.5) - 1) < 1e-12)
    }

    @Test("an in-field organ above the linear range without an alpha (brain at 54 Gy) is left out and listed, not extrapolated")
    func inFieldWithoutAlpha() throws {
        let (a, b) = try PlanFixture.pair()
        let c = try PlanComparison(planA: a, planB: b, model: try PlanFixture.model(draws: 50), ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        #expect(c.notComputed[0] == ["brain", "red_marrow"])   // red marrow has a 20 Gy bin in the fixture
        #expect(c.organs.first { $0.organ == "brain" }!.oedGy[0] == nil)
        var p = try OEDParameters.shipped()
        p.entries["brain/linear_exponential/alpha"] = .init(value: 0.1, source: "test")
        let c2 = try PlanComparison(planA: a, planB: b, model: try PlanFixture.model(draws: 50), ageYears: 8, sex: .female, parameters: p)
        #expect(c2.notComputed[0] == ["red_marrow"])
        #expect(c2.organs.first { $0.organ == "brain" }!.oedGy[0]! < 10)
    }

    @Test("a file of another schema is rejected naming the field and the expected schema")
    func wrongSchema() throws {
        let path = try PlanFixture.write(PlanFixture.json(label: "x", organs: [.init(name: "lung", source: "contoured", doses: [1], volumes: [1])], schema: "other/2"))
        #expect { _ = try PlanDose.read(path) } throws: { "\($0)".contains("schema") && "\($0)".contains("harmonic.rt-plan-dose/1") }
    }

    @Test("an unknown organ name is rejected naming organs[i].organ")
    func unknownOrgan() throws {
        let path = try PlanFixture.write(PlanFixture.json(label: "x", organs: [.init(name: "lungs", source: "contoured", doses: [1], volumes: [1])]))
        #expect { _ = try PlanDose.read(path) } throws: { "\($0)".contains("organs[0].organ") && "\($0)".contains("lungs") }
    }

    @Test("a DVH with fewer volumes than doses is rejected naming the organ")
    func badDVH() throws {
        let text = PlanFixture.json(label: "x", organs: [.init(name: "lung", source: "contoured", doses: [1, 2], volumes: [1])])
        let path = try PlanFixture.write(text)
        #expect { _ = try PlanDose.read(path) } throws: { "\($0)".contains("lung") && "\($0)".contains("differentialDVH") }
    }

    @Test("a missing required field is named with its JSON path")
    func missingField() throws {
        let path = try PlanFixture.write(#"{"schema": "harmonic.rt-plan-dose/1", "patient": {"ageYears": 8}, "plan": {"label": "a", "radiation": "photon", "fractions": 30}, "organs": []}"#)
        #expect { _ = try PlanDose.read(path) } throws: { "\($0)".contains("patient.sex") }
    }

    @Test("the HTML page has one bar per plan and site, ordered by risk, with interval data")
    func html() throws {
        let (a, b) = try PlanFixture.pair()
        let c = try PlanComparison(planA: a, planB: b, model: try PlanFixture.model(draws: 100), ageYears: 8, sex: .female, parameters: try OEDParameters.shipped())
        let page = PlanRiskPage.html(c)
        #expect(page.contains("<svg"))
        #expect(page.components(separatedBy: "data-series=\"IMRT brain\"").count - 1 == c.sites.count)
        #expect(page.components(separatedBy: "data-series=\"PBS brain\"").count - 1 == c.sites.count)
        #expect(page.contains("data-low="))
    }
}
