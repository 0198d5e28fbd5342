import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

@Suite("Reference levels and hospital benchmarking")
struct ReferenceLevelTests {
    static let options = ReferenceLevelOptions(minProceduresPerHospital: 10, groupings: [.procedureClass], bandKinds: [.age])

    func diagnostic1to5(_ procedures: [ProcedureDose]) throws -> ReferenceLevelGroup {
        let table = ReferenceLevelTable.compute(procedures, options: Self.options)
        return try #require(table.group(.procedureClass, "diagnostic", PatientBand.ageBands[1]))
    }

    @Test("the local DRL is the 75th and the achievable dose the 50th percentile of the hospital medians (ICRP 135, NCRP 172)")
    func drlIsP75OfMedians() throws {
        let g = try diagnostic1to5(ProcedureFixtures.fiveHospitals())
        // Used medians 2, 4, 6, 8 (H5 has 3 < 10 procedures): P75 by linear interpolation = 4 + 0.25·... = 6.5, P50 = 5.
        #expect(g.hospitalsUsed == 4)
        #expect(abs(g.localDRLGyCm2! - 6.5) < 1e-12)
        #expect(abs(g.achievableDoseGyCm2! - 5.0) < 1e-12)
        #expect(g.procedures == 45)
    }

    @Test("a hospital with fewer procedures than the minimum is listed with its median but does not enter the DRL")
    func smallHospitalListedNotUsed() throws {
        let g = try diagnostic1to5(ProcedureFixtures.fiveHospitals())
        let h5 = try #require(g.hospitals.first { $0.hospital == "NO/H5" })
        #expect(h5.procedures == 3 && h5.medianKAPGyCm2 == 10 && !h5.usedForDRL)
        #expect(g.hospitals.filter(\.usedForDRL).count == 4)
    }

    @Test("hospitals whose median exceeds the DRL are flagged with median/DRL; the others are not")
    func hospitalsAboveDRLFlagged() throws {
        let g = try diagnostic1to5(ProcedureFixtures.fiveHospitals())
        let above = Set(g.hospitals.filter(\.aboveDRL).map(\.hospital))
        #expect(above == ["NO/H4", "NO/H5"])
        let h4 = try #require(g.hospitals.first { $0.hospital == "NO/H4" })
        #expect(abs(h4.ratioToDRL! - 8.0 / 6.5) < 1e-12)
        #expect(g.hospitals.map(\.medianKAPGyCm2) == g.hospitals.map(\.medianKAPGyCm2).sorted(by: >)) // sorted for the bar chart
    }

    @Test("percentiles agree with numpy's default (linear) percentile on random data")
    func percentilesAgreeWithNumpy() throws {
        var rng = RandomStream(seed: 11)
        let values = (0..<37).map { _ in exp(rng.normal()) }
        let text = values.map { String($0) }.joined(separator: " ")
        let out = try PeerTool.python("""
            import numpy as np, sys
            v = np.array([float(x) for x in sys.argv[1].split()])
            print(" ".join(repr(float(np.percentile(v, p))) for p in (0, 10, 25, 50, 75, 90, 100)))
            """, arguments: [text])
        let numpy = out.split(separator: " ").map { Double($0.trimmingCharacters(in: .whitespacesAndNewlines))! }
        for (p, expected) in zip([0.0, 10, 25, 50, 75, 90, 100], numpy) {
            #expect(abs(Percentile.of(values, p)! - expected) <= 1e-12 * expected, "P\(p)")
        }
    }

    @Test("age and weight band boundaries: lower limit inclusive, upper exclusive; 16 y and 80 kg fall outside")
    func bandBoundaries() {
        #expect(PatientBand.band(.age, containing: 0.99)?.description == "<1 y")
        #expect(PatientBand.band(.age, containing: 1.0)?.description == "1-<5 y")
        #expect(PatientBand.band(.age, containing: 15.999)?.description == "10-<16 y")
        #expect(PatientBand.band(.age, containing: 16.0) == nil)
        #expect(PatientBand.band(.weight, containing: 4.99)?.description == "<5 kg")
        #expect(PatientBand.band(.weight, containing: 5.0)?.description == "5-<15 kg")
        #expect(PatientBand.band(.weight, containing: 80.0) == nil)
    }

    @Test("procedures without KAP, at 16 y or older, or without a weight are counted, not silently dropped")
    func exclusionsCounted() {
        let ps = [ProcedureFixtures.procedure(1, hospital: "H1", kap: nil),
                  ProcedureFixtures.procedure(2, hospital: "H1", kap: 3, age: 16.5, weight: 60),
                  ProcedureFixtures.procedure(3, hospital: "H1", kap: 3, weight: nil)]
        let t = ReferenceLevelTable.compute(ps, options: ReferenceLevelOptions())
        #expect(t.withoutKAP == 1 && t.outsideAgeBands == 1 && t.outsideWeightBands == 1)
    }

    @Test("KAP per kg is the median of each procedure's KAP/weight")
    func kapPerKg() throws {
        let ps = [ProcedureFixtures.procedure(1, hospital: "H1", kap: 2, weight: 10),
                  ProcedureFixtures.procedure(2, hospital: "H1", kap: 3, weight: 10),
                  ProcedureFixtures.procedure(3, hospital: "H1", kap: 8, weight: 20)]
        let g = try diagnostic1to5(ps)
        #expect(abs(g.medianKAPPerKg! - 0.3) < 1e-12) // 0.2, 0.3, 0.4
    }

    @Test("each X-ray system of a hospital gets its own median")
    func perSystemMedians() throws {
        var ps: [ProcedureDose] = []
        for i in 0..<6 { ps.append(ProcedureFixtures.procedure(i, hospital: "H1", kap: 2, equipment: "Siemens Artis")) }
        for i in 6..<10 { ps.append(ProcedureFixtures.procedure(i, hospital: "H1", kap: 5, equipment: "Philips Allura")) }
        let g = try diagnostic1to5(ps)
        #expect(Set(g.systems.map { "\($0.equipment!)=\($0.medianKAPGyCm2)/\($0.procedures)" }) == ["Siemens Artis=2.0/6", "Philips Allura=5.0/4"])
        #expect(g.hospitals.count == 1 && g.hospitals[0].medianKAPGyCm2 == 2)
    }

    @Test("the trend gives the median KAP and n of each calendar year")
    func yearlyTrend() throws {
        let ps = [ProcedureFixtures.procedure(1, hospital: "H1", kap: 10, year: 2005),
                  ProcedureFixtures.procedure(2, hospital: "H1", kap: 20, year: 2005),
                  ProcedureFixtures.procedure(3, hospital: "H1", kap: 4, year: 2015)]
        let g = try diagnostic1to5(ps)
        #expect(g.trend.map { "\($0.year) n=\($0.procedures) median=\($0.medianKAPGyCm2)" } == ["2005 n=2 median=15.0", "2015 n=1 median=4.0"])
    }

    @Test("published values are matched by class and band: OPRIPALC's same band, the Australian sub-bands within <1 y")
    func publishedMatched() throws {
        var ps: [ProcedureDose] = []
        for i in 0..<12 { ps.append(ProcedureFixtures.procedure(i, hospital: "H1", kap: 2.9, age: 0.5, cls: "diagnostic")) }
        let t = ReferenceLevelTable.compute(ps, options: ReferenceLevelOptions(groupings: [.procedureClass], bandKinds: [.age]))
        let diag = try #require(t.group(.procedureClass, "diagnostic", PatientBand.ageBands[0]))
        let opripalc = try #require(diag.published.first { $0.source == "OPRIPALC 2022" })
        #expect(opripalc.publishedGyCm2 == 2.9 && opripalc.sameBand && abs(opripalc.ratio! - 1) < 1e-12)
        let all = try #require(t.group(.procedureClass, "all", PatientBand.ageBands[0]))
        let australian = all.published.filter { $0.source == "Australia 2017" }
        #expect(Set(australian.map(\.publishedBand)) == ["0-30 d", "1-12 mo"])
        #expect(australian.allSatisfy { !$0.sameBand })
        #expect(all.published.contains { $0.source == "Greece 2018" && $0.quantity == "median" && $0.oursGyCm2 == 2.9 })
    }

    @Test("the built-in published table holds the abstracts' values (OPRIPALC diagnostic <1 y 2.9, interventional 50-<80 kg 53.4)")
    func builtInTable() {
        let t = PublishedReferenceLevel.builtIn
        #expect(t.count == 28)
        #expect(t.contains { $0.source == "OPRIPALC 2022" && $0.procedureClass == "diagnostic" && $0.bandKind == .age && $0.lower == 0 && $0.valueGyCm2 == 2.9 })
        #expect(t.contains { $0.procedureClass == "interventional" && $0.bandKind == .weight && $0.lower == 50 && $0.valueGyCm2 == 53.4 })
    }

    @Test("a malformed published-levels row is refused naming line, field and value")
    func publishedBadRow() {
        let text = "source,citation,quantity,procedure_class,band_kind,lower,upper,band_label,value_gycm2\nX,Y,p90,all,age,0,1,<1 y,2\n"
        #expect {
            _ = try PublishedReferenceLevel.parse(text, file: "levels.csv")
        } throws: { e in
            let d = "\(e)"; return d.contains("levels.csv, line 2") && d.contains("quantity") && d.contains("p90")
        }
    }
}
