import Foundation
import HarmonicCore

/// What a child's follow-up plan is computed from: the treatment summary of a survivorship
/// passport, reduced to what the dose- and field-dependent surveillance rules read.
public struct TreatmentSummary: Sendable, Codable, Hashable {
    /// One radiotherapy course. Organ mean doses come from the RT dose reconstruction when the
    /// store has them; otherwise the rules fall back to the prescribed dose of fields that expose
    /// the organ (and the plan says so).
    public struct RadiotherapyCourse: Sendable, Codable, Hashable {
        public var startDate: String
        public var endDate: String
        /// Target site as recorded (e.g. `mediastinum`, `craniospinal`, `brain`, `abdomen`, `tbi`).
        public var targetSite: String
        public var prescribedDoseGy: Double
        public var fractions: Int?
        /// `photon`, `proton`, `electron`.
        public var modality: String?
        /// Mean absorbed dose per organ (Gy), keyed by `Organ` raw value (`heart`, `breast`, `thyroid`, …).
        public var organMeanDoseGy: [String: Double]?

        public init(startDate: String, endDate: String, targetSite: String, prescribedDoseGy: Double, fractions: Int? = nil,
                    modality: String? = nil, organMeanDoseGy: [String: Double]? = nil) {
            self.startDate = startDate; self.endDate = endDate; self.targetSite = targetSite
            self.prescribedDoseGy = prescribedDoseGy; self.fractions = fractions; self.modality = modality
            self.organMeanDoseGy = organMeanDoseGy
        }
    }

    /// One chemotherapy agent with its cumulative dose.
    public struct Chemotherapy: Sendable, Codable, Hashable {
        public var agent: String
        public var cumulativeDoseMgPerM2: Double
        public var endDate: String?
        public init(agent: String, cumulativeDoseMgPerM2: Double, endDate: String? = nil) {
            self.agent = agent; self.cumulativeDoseMgPerM2 = cumulativeDoseMgPerM2; self.endDate = endDate
        }
    }

    /// The child (pseudonym, never a site identifier).
    public var child: String
    /// `M` or `F`.
    public var sex: String
    public var birthDate: String
    public var radiotherapy: [RadiotherapyCourse]
    public var chemotherapy: [Chemotherapy]

    public init(child: String, sex: String, birthDate: String, radiotherapy: [RadiotherapyCourse] = [], chemotherapy: [Chemotherapy] = []) {
        self.child = child; self.sex = sex; self.birthDate = birthDate; self.radiotherapy = radiotherapy; self.chemotherapy = chemotherapy
    }

    /// Reads a treatment summary JSON file; errors name the file and the field.
    public static func load(path: String) throws -> TreatmentSummary {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(.file(path), expected: "a readable treatment summary JSON file (docs/follow-up.md shows one)")
        }
        let summary: TreatmentSummary
        do { summary = try JSONDecoder().decode(TreatmentSummary.self, from: data) } catch let DecodingError.keyNotFound(key, context) {
            throw InputError(.file(path), field: (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: "."),
                             expected: "a value (required field missing)")
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw InputError(.file(path), field: context.codingPath.map(\.stringValue).joined(separator: "."), expected: context.debugDescription)
        } catch {
            throw InputError(.file(path), expected: "a treatment summary in JSON (\(error.localizedDescription))")
        }
        try summary.validate(file: path)
        return summary
    }

    /// Checks dates, sex, doses and agents; errors name the field and value.
    public func validate(file: String) throws {
        func date(_ s: String, _ field: String) throws -> CalendarDate {
            guard let d = CalendarDate(iso: s) else { throw InputError(.file(file), field: field, value: s, expected: "a date YYYY-MM-DD") }
            return d
        }
        guard ["M", "F"].contains(sex.uppercased()) else { throw InputError(.file(file), field: "sex", value: sex, expected: "M or F") }
        let birth = try date(birthDate, "birthDate")
        for (i, c) in radiotherapy.enumerated() {
            let start = try date(c.startDate, "radiotherapy[\(i)].startDate"), end = try date(c.endDate, "radiotherapy[\(i)].endDate")
            guard start >= birth, end >= start else {
                throw InputError(.file(file), field: "radiotherapy[\(i)]", value: "\(c.startDate)..\(c.endDate)", expected: "a course after birth whose end is not before its start")
            }
            guard c.prescribedDoseGy.isFinite, (0...100).contains(c.prescribedDoseGy) else {
                throw InputError(.file(file), field: "radiotherapy[\(i)].prescribedDoseGy", value: "\(c.prescribedDoseGy)", expected: "a dose of 0-100 Gy")
            }
            for (organ, dose) in c.organMeanDoseGy ?? [:] {
                guard Organ(rawValue: organ) != nil else {
                    throw InputError(.file(file), field: "radiotherapy[\(i)].organMeanDoseGy.\(organ)", expected: "an organ name (\(Organ.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard dose.isFinite, (0...100).contains(dose) else {
                    throw InputError(.file(file), field: "radiotherapy[\(i)].organMeanDoseGy.\(organ)", value: "\(dose)", expected: "a mean dose of 0-100 Gy")
                }
            }
        }
        for (i, c) in chemotherapy.enumerated() {
            guard c.cumulativeDoseMgPerM2.isFinite, c.cumulativeDoseMgPerM2 >= 0, c.cumulativeDoseMgPerM2 < 100_000 else {
                throw InputError(.file(file), field: "chemotherapy[\(i)].cumulativeDoseMgPerM2", value: "\(c.cumulativeDoseMgPerM2)", expected: "a cumulative dose in mg/m², 0-100000")
            }
        }
    }
}
