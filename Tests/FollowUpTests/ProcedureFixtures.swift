import FollowUp
import HarmonicCore

/// Hand-built procedures for reference-level tests.
enum ProcedureFixtures {
    static func procedure(_ id: Int, hospital: String, kap: Double?, age: Double = 3, weight: Double? = 14, cls: String = "diagnostic",
                          type: String = "diagnostic", year: Int = 2015, day: Int = 1, equipment: String? = nil, child: String? = nil,
                          fluoro: Double? = nil, frames: Double? = nil, doses: [String: Double] = [:]) -> ProcedureDose {
        ProcedureDose(site: "NO", child: child ?? "NO/c\(id)", procedure: "NO/p\(id)",
                      date: CalendarDate(year: year, month: 1, day: 1)!.adding(days: day), hospital: hospital, equipment: equipment,
                      procedureType: type, procedureClass: cls, ageYears: age, weightKg: weight, kapGyCm2: kap,
                      fluoroTimeS: fluoro, cineFrames: frames, organDoses: doses)
    }

    /// Five hospitals, 1-<5 y diagnostic procedures with KAPs chosen so that the hospital medians are
    /// 2, 4, 6, 8 and 10 Gy·cm² (the fifth hospital has only 3 procedures).
    static func fiveHospitals() -> [ProcedureDose] {
        var out: [ProcedureDose] = []
        var id = 0
        let plan: [(String, [Double])] = [
            ("H1", Array(repeating: 1.0, count: 5) + Array(repeating: 3.0, count: 5) + [2.0]),   // median 2
            ("H2", [3, 3, 3, 3, 3, 4, 5, 5, 5, 5, 5]),                                             // median 4
            ("H3", [6, 6, 6, 6, 6, 6, 6, 6, 6, 6]),                                                // median 6
            ("H4", [7, 7, 7, 7, 7, 9, 9, 9, 9, 9]),                                                // median 8
            ("H5", [10, 10, 10]),                                                                  // median 10, n = 3
        ]
        for (h, kaps) in plan {
            for k in kaps { id += 1; out.append(procedure(id, hospital: h, kap: k)) }
        }
        return out
    }
}
