import Foundation
import Testing
@testable import Synthesis

@Suite("Synthetic cohort realism")
struct RealismTests {
    static let cohort: (URL, SynthesisSummary) = {
        try! SynthFixture.make(SynthesisConfiguration(seed: 11, cardiacChildren: 3000), name: "realism")
    }()

    func procedures() throws -> [[String: String]] {
        let dir = Self.cohort.0
        return try CardiacCohortShares.childrenPer70000.flatMap { c, _ in
            try SynthFixture.rows(dir.appendingPathComponent("\(c.rawValue)-cardiac/cardiac_procedures.csv"))
        }
    }

    @Test("median KAP of diagnostic procedures at ages 1-4 falls decade by decade from the 1990s")
    func kapFallsByDecade() throws {
        let truth = try SynthFixture.rows(Self.cohort.0.appendingPathComponent("truth/organ_doses.csv"))
        var byDecade: [Int: [Double]] = [:]
        for r in truth {
            guard let age = Double(r["age_years"]!), age >= 1, age < 5, let kap = Double(r["kap_gy_cm2"]!) else { continue }
            byDecade[Int(r["procedure_date"]!.prefix(3))! * 10, default: []].append(kap)
        }
        let m = [1980, 1990, 2000, 2010].map { SynthFixture.median(byDecade[$0] ?? []) }
        // The model's era factor falls 4.5%/year (≈36% per decade); with >100 procedures per
        // decade the sampling noise of a median (lognormal σ 0.7) is far below that.
        #expect(m[0] > m[1] && m[1] > m[2] && m[2] > m[3], "medians by decade \(m)")
    }

    @Test("interventional procedures become the majority after 2005 and are a minority before 1990")
    func interventionalShareRises() throws {
        let rows = try procedures()
        func share(_ years: ClosedRange<Int>) -> Double {
            let s = rows.filter { years.contains(Int($0["procedure_date"]!.prefix(4))!) }
            return Double(s.filter { $0["procedure_class"] == "interventional" }.count) / Double(max(1, s.count))
        }
        #expect(share(1976...1989) < 0.3)
        #expect(share(2006...2020) > 0.5)
    }

    @Test("event-level records only from 2005, and no dose record for most procedures before 1985")
    func completenessByEra() throws {
        let rows = try procedures()
        let events = rows.filter { $0["dose_record_level"] == "event" }
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { Int($0["procedure_date"]!.prefix(4))! >= 2005 })
        let early = rows.filter { Int($0["procedure_date"]!.prefix(4))! < 1985 }
        #expect(Double(early.filter { $0["dose_record_level"] == "none" }.count) / Double(early.count) > 0.8)
    }

    @Test("most children are first catheterised in infancy and ages stay within 0-18")
    func agesAtProcedure() throws {
        let truth = try SynthFixture.rows(Self.cohort.0.appendingPathComponent("truth/organ_doses.csv"))
        let ages = truth.compactMap { Double($0["age_years"]!) }
        #expect(ages.allSatisfy { $0 >= 0 && $0 < 18 })
        // Age at each child's first procedure: the model draws 50% under one year
        // (CardiacChildSimulator); 0.4 leaves room for sampling noise at the fixture's size.
        var first: [String: Double] = [:]
        for r in truth { if let a = Double(r["age_years"]!) { first[r["patient_id"]!] = min(first[r["patient_id"]!] ?? .infinity, a) } }
        #expect(Double(first.values.filter { $0 < 1 }.count) / Double(first.count) > 0.4)
    }

    @Test("the truth file lists every procedure with organ doses and the true risks")
    func truthFiles() throws {
        let (dir, summary) = Self.cohort
        let truth = try SynthFixture.rows(dir.appendingPathComponent("truth/organ_doses.csv"))
        #expect(truth.count == summary.rows[.procedures])
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("truth/truth.json"))) as! [String: Any]
        let outcomes = json["outcomes"] as! [String: Any]
        let leuk = outcomes["leukaemia"] as! [String: Any]
        #expect(leuk["true_err_per_gy"] as? Double == SynthOutcome.leukaemia.defaultTrueERRPerGy)
        #expect(leuk["organ"] as? String == "red_marrow")
        // Effective dose per KAP under 1 year: 1.70 mSv/(Gy·cm²) (Ubeda et al. 2017).
        let infant = truth.first { Double($0["age_years"]!)! < 1 }!
        let ratio = Double(infant["effective_dose_msv"]!)! / Double(infant["kap_gy_cm2"]!)!
        #expect(abs(ratio - 1.70) < 0.01)  // 0.01: rounding of the 4-5 decimals written
    }
}
