import FollowUp
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Testing

@Suite("Dose alerts")
struct DoseAlertTests {
    @Test("a procedure above the DRL multiple is listed with its multiple; one at exactly the multiple is not")
    func procedureAboveMultiple() throws {
        var ps = ProcedureFixtures.fiveHospitals()           // diagnostic 1-<5 y, DRL 6.5 Gy·cm²
        ps.append(ProcedureFixtures.procedure(100, hospital: "H3", kap: 13.0))   // exactly 2 × 6.5
        ps.append(ProcedureFixtures.procedure(101, hospital: "H3", kap: 13.1))
        let table = ReferenceLevelTable.compute(ps, options: ReferenceLevelOptions(groupings: [.procedureClass, .procedureType], bandKinds: [.age]))
        let drl = try #require(table.group(.procedureType, "diagnostic", PatientBand.ageBands[1])?.localDRLGyCm2)
        var limits = AlertThresholds(); limits.drlMultiple = 13.0 / drl
        let report = DoseAlertReport.compute(ps, table: table, thresholds: limits)
        #expect(report.procedureAlerts.map(\.procedure) == ["NO/p101"])
        #expect(abs(report.procedureAlerts[0].multipleOfDRL - 13.1 / drl) < 1e-12)
    }

    @Test("cumulative KAP passes the threshold only for procedures within the window")
    func cumulativeWithinWindow() {
        var limits = AlertThresholds(); limits.cumulativeKAPGyCm2 = 50; limits.cumulativeDoses = [:]; limits.windowMonths = 12
        let window = limits.windowDays   // 365 days
        // Child A: 30 + 30 Gy·cm² one day inside the window → alert. Child B: the same, exactly one window apart → none.
        let ps = [ProcedureFixtures.procedure(1, hospital: "H1", kap: 30, day: 0, child: "NO/A"),
                  ProcedureFixtures.procedure(2, hospital: "H1", kap: 30, day: window - 1, child: "NO/A"),
                  ProcedureFixtures.procedure(3, hospital: "H1", kap: 30, day: 0, child: "NO/B"),
                  ProcedureFixtures.procedure(4, hospital: "H1", kap: 30, day: window, child: "NO/B")]
        let table = ReferenceLevelTable.compute(ps)
        let report = DoseAlertReport.compute(ps, table: table, thresholds: limits)
        #expect(report.cumulativeAlerts.map(\.child) == ["NO/A"])
        let a = report.cumulativeAlerts[0]
        #expect(a.maximumWindowSum == 60 && a.proceduresInWindow == 2 && a.quantity == "kap_gycm2")
        #expect(a.firstPassed == CalendarDate(year: 2015, month: 1, day: 1)!.adding(days: window - 1).description)
    }

    @Test("cumulative reconstructed dose (e.g. effective dose) is checked against its own threshold")
    func cumulativeOrganDose() {
        var limits = AlertThresholds(); limits.cumulativeKAPGyCm2 = nil; limits.cumulativeDoses = ["red_marrow_mgy": 10]
        let ps = [ProcedureFixtures.procedure(1, hospital: "H1", kap: 3, day: 0, child: "NO/A", doses: ["red_marrow_mgy": 6]),
                  ProcedureFixtures.procedure(2, hospital: "H1", kap: 3, day: 30, child: "NO/A", doses: ["red_marrow_mgy": 5]),
                  ProcedureFixtures.procedure(3, hospital: "H1", kap: 3, day: 0, child: "NO/B", doses: ["red_marrow_mgy": 9])]
        let report = DoseAlertReport.compute(ps, table: ReferenceLevelTable.compute(ps), thresholds: limits)
        #expect(report.cumulativeAlerts.map { "\($0.child) \($0.quantity) \($0.maximumWindowSum)" } == ["NO/A red_marrow_mgy 11.0"])
    }

    @Test("the thresholds file round-trips; unknown keys, non-positive values and bad JSON are refused naming file and field")
    func thresholdsFile() throws {
        let dir = try SharedData.temporaryDirectory("drl-thresholds")
        let good = dir.appendingPathComponent("good.json")
        try #"{"drlMultiple": 3, "windowMonths": 6, "cumulativeKAPGyCm2": null, "cumulativeDoses": {"red_marrow_mgy": 20}}"#
            .write(to: good, atomically: true, encoding: .utf8)
        let t = try AlertThresholds.load(path: good.path)
        #expect(t.drlMultiple == 3 && t.windowMonths == 6 && t.cumulativeKAPGyCm2 == nil && t.cumulativeDoses == ["red_marrow_mgy": 20])
        for (name, text, field) in [("unknown", #"{"drlMultiplier": 2}"#, "drlMultiplier"),
                                    ("negative", #"{"drlMultiple": -1}"#, "drlMultiple"),
                                    ("column", #"{"cumulativeDoses": {"marrow": 5}}"#, "cumulativeDoses.marrow"),
                                    ("json", "{drlMultiple: 2", "JSON")] {
            let url = dir.appendingPathComponent("\(name).json")
            try text.write(to: url, atomically: true, encoding: .utf8)
            #expect {
                _ = try AlertThresholds.load(path: url.path)
            } throws: { e in "\(e)".contains("\(name).json") && "\(e)".contains(field) }
        }
    }
}
