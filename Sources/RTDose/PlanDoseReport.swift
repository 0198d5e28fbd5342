import Foundation
import HarmonicCore

/// The plan-dose JSON shared with `harmonic risk compare` (schema `harmonic.rt-plan-dose/1`)
/// and a text table, from a `PlanDoseResult`.
public extension PlanDoseResult {
    static let schema = "harmonic.rt-plan-dose/1"

    /// JSON of the shared shape: schema, patient, plan, organs (organ, source, meanDoseGy, d2Gy,
    /// interval95Gy, components, differentialDVH), plus unmapped structures, field, model and notes.
    var json: String {
        struct Patient: Encodable { let ageYears: Double; let sex: String; let heightCm: Double?; let massKg: Double? }
        struct Plan: Encodable {
            let label: String, radiation: String, technique: String, fractions: Int, prescribedDoseGy: Double
            let nominalEnergyMeV: Double?, monitorUnitsPerGy: Double?
        }
        struct Field: Encodable { let boxesMm: [[[Double]]], highDoseVolumeCm3: Double, definition: String }
        struct Doc: Encodable {
            let schema: String, patient: Patient, plan: Plan, organs: [OrganPlanDose]
            let unmappedStructures: [UnmappedStructure], field: Field, outOfFieldModel: String
            let neutronWeighting: String?, notes: [String]
        }
        let doc = Doc(schema: Self.schema,
                      patient: Patient(ageYears: patient.ageYears, sex: patient.sex.rawValue, heightCm: patient.heightCm, massKg: patient.massKg),
                      plan: Plan(label: plan.label, radiation: plan.radiation.rawValue, technique: plan.technique.rawValue,
                                 fractions: plan.fractions, prescribedDoseGy: plan.prescribedDoseGy,
                                 nominalEnergyMeV: plan.nominalEnergyMeV, monitorUnitsPerGy: plan.monitorUnitsPerGy),
                      organs: organs, unmappedStructures: unmapped,
                      field: Field(boxesMm: field.boxes.map { [[$0.lower.x, $0.lower.y, $0.lower.z], [$0.upper.x, $0.upper.y, $0.upper.z]] },
                                   highDoseVolumeCm3: field.highDoseVolumeCm3, definition: fieldDefinition),
                      outOfFieldModel: modelLabel,
                      neutronWeighting: plan.radiation == .proton
                        ? "meanDoseGy includes the neutron absorbed dose; neutronEquivalentSv = neutron absorbed dose x w_R, w_R = 10 spectrum-averaged (proton_secondary.csv; ICRP 103 eq. 4.3 ranges 2.5-20.7)"
                        : nil,
                      notes: notes)
        let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? e.encode(doc)) ?? Data(), as: UTF8.self)
    }

    /// A table: organ, source, mean, D2%, 95% interval, components; then unmapped structures and notes.
    var fieldDefinition: String {
        courseSite == nil ? "boxes around the 50% isodose of the prescribed dose (one per connected part, split along z where its cross-section changes by more than 1.5x); distances from the field edge are measured from the nearest box; lower and upper corners, mm"
            : "site-typical field boxes for target site \(courseSite!) on the phantom (course-record tier); lower and upper corners, mm"
    }

    var text: String {
        func f(_ x: Double) -> String { String(format: x >= 0.1 ? "%.3f" : "%.2e", x) }
        var out = "\(plan.label): \(plan.radiation.rawValue) \(plan.technique.rawValue), \(plan.fractions) fractions, "
            + String(format: "%.4g Gy prescribed", plan.prescribedDoseGy)
            + (plan.monitorUnitsPerGy.map { String(format: ", %.0f MU/Gy", $0) } ?? "") + "\n"
        out += "patient: \(String(format: "%.3g", patient.ageYears)) y \(patient.sex.rawValue); doses in Gy (neutron H in Sv)\n"
        let header = ["organ", "source", "mean", "D2%", "95% interval", "in-field", "pt scatter", "head+leak", "neutron D", "neutron H"]
        let widths = [17, 12, 10, 10, 22, 10, 10, 10, 10, 10]
        func row(_ cells: [String]) -> String { zip(cells, widths).map { $0.count >= $1 ? $0 + " " : $0 + String(repeating: " ", count: $1 - $0.count) }.joined() + "\n" }
        out += row(header)
        for o in organs {
            let c = o.components
            out += row([o.organ.rawValue, o.source.rawValue, f(o.meanDoseGy), f(o.d2Gy), "\(f(o.interval95Gy[0]))-\(f(o.interval95Gy[1]))",
                        f(c.inFieldGy), f(c.patientScatterGy), f(c.headScatterLeakageGy), f(c.neutronAbsorbedGy), f(c.neutronEquivalentSv)])
        }
        if !unmapped.isEmpty {
            out += "structures without an organ dose:\n"
            for u in unmapped { out += "  \(u.name): \(u.reason)\n" }
        }
        out += "out-of-field model: \(modelLabel)\n"
        for n in notes { out += "note: \(n)\n" }
        return out
    }
}
