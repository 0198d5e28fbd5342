import Foundation
import HarmonicCore

/// The plan-dose JSON written by `harmonic rt dose --json` (schema `harmonic.rt-plan-dose/1`, shared by
/// issues 14 and 15): the patient, the plan and per organ its mean dose, its source and, when known, its
/// differential DVH. Extra fields are ignored.
public struct PlanDose: Sendable, Codable {
    public static let schemaName = "harmonic.rt-plan-dose/1"

    public struct Patient: Sendable, Codable { public var ageYears: Double; public var sex: String }
    public struct Plan: Sendable, Codable {
        public var label: String
        public var radiation: String
        public var technique: String?
        public var fractions: Int
        public var prescribedDoseGy: Double?
    }
    public struct DVH: Sendable, Codable { public var doseGy: [Double]; public var volumeCm3: [Double] }
    public struct OrganDose: Sendable, Codable {
        public var organ: String
        public var source: String
        public var meanDoseGy: Double
        public var d2Gy: Double?
        public var interval95Gy: [Double]?
        public var differentialDVH: DVH?
    }

    public var schema: String
    public var patient: Patient
    public var plan: Plan
    public var organs: [OrganDose]

    /// Reads and checks a plan-dose file; errors name the file, the JSON field and the value.
    public static func read(_ path: String) throws -> PlanDose {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.file(path), expected: "a readable plan-dose JSON file (output of `harmonic rt dose --json`)")
        }
        let p: PlanDose
        do { p = try JSONDecoder().decode(PlanDose.self, from: data) } catch let DecodingError.keyNotFound(key, ctx) {
            throw InputError(.file(path), field: (ctx.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."),
                             expected: "this field (schema \(schemaName))")
        } catch let DecodingError.typeMismatch(_, ctx) {
            throw InputError(.file(path), field: ctx.codingPath.map(\.stringValue).joined(separator: "."), expected: ctx.debugDescription)
        } catch {
            throw InputError(.file(path), expected: "plan-dose JSON of schema \(schemaName) (\(error))")
        }
        guard p.schema == schemaName else {
            throw InputError(.file(path), field: "schema", value: p.schema, expected: schemaName)
        }
        guard p.plan.fractions >= 1 else {
            throw InputError(.file(path), field: "plan.fractions", value: "\(p.plan.fractions)", expected: "a number of fractions >= 1")
        }
        guard ["photon", "proton"].contains(p.plan.radiation) else {
            throw InputError(.file(path), field: "plan.radiation", value: p.plan.radiation, expected: "photon or proton")
        }
        guard Sex(code: p.patient.sex) != nil else {
            throw InputError(.file(path), field: "patient.sex", value: p.patient.sex, expected: "M or F")
        }
        guard p.patient.ageYears.isFinite, (0..<100).contains(p.patient.ageYears) else {
            throw InputError(.file(path), field: "patient.ageYears", value: "\(p.patient.ageYears)", expected: "an age in years, 0 to 99")
        }
        for (i, o) in p.organs.enumerated() {
            guard Organ(rawValue: o.organ) != nil else {
                throw InputError(.file(path), field: "organs[\(i)].organ", value: o.organ, expected: "a Harmonic organ name (lung, red_marrow, breast, ...)")
            }
            guard ["contoured", "phantom", "outOfField"].contains(o.source) else {
                throw InputError(.file(path), field: "organs[\(i)].source", value: o.source, expected: "contoured, phantom or outOfField")
            }
            guard o.meanDoseGy.isFinite, o.meanDoseGy >= 0 else {
                throw InputError(.file(path), field: "organs[\(i)].meanDoseGy", value: "\(o.meanDoseGy)", expected: "a mean dose >= 0 Gy")
            }
            if let d = o.differentialDVH {
                _ = try DifferentialDVH(doseGy: d.doseGy, volumeCm3: d.volumeCm3, source: "\(path) organs[\(i)] (\(o.organ))")
            }
        }
        return p
    }
}
