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
        /// Mean dose (Gy) of contoured structures that are not organs of the shared list, from the
        /// plan's DVH, keyed by `ContouredStructure` raw value (`hypothalamus`, `pituitary`,
        /// `hypothalamic_pituitary`, `carotid_arteries`): the first choice of the HP and carotid rules.
        public var structureMeanDoseGy: [String: Double]?

        public init(startDate: String, endDate: String, targetSite: String, prescribedDoseGy: Double, fractions: Int? = nil,
                    modality: String? = nil, organMeanDoseGy: [String: Double]? = nil, structureMeanDoseGy: [String: Double]? = nil) {
            self.startDate = startDate; self.endDate = endDate; self.targetSite = targetSite
            self.prescribedDoseGy = prescribedDoseGy; self.fractions = fractions; self.modality = modality
            self.organMeanDoseGy = organMeanDoseGy; self.structureMeanDoseGy = structureMeanDoseGy
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

    /// One haematopoietic stem-cell transplant (data dictionary table `hsct`).
    public struct Transplant: Sendable, Codable, Hashable {
        public var date: String
        /// `allogeneic` or `autologous`.
        public var type: String
        /// Whether the conditioning included total-body irradiation.
        public var tbiConditioning: Bool
        public init(date: String, type: String, tbiConditioning: Bool) {
            self.date = date; self.type = type; self.tbiConditioning = tbiConditioning
        }
        public var isAllogeneic: Bool { type.lowercased() == "allogeneic" }
    }

    /// One operation (data dictionary table `surgery`), with the region operated on.
    public struct Surgery: Sendable, Codable, Hashable {
        public var date: String
        /// `lung`, `chest_wall`, `mediastinum` (thoracic), or another region (`Surgery.regions`).
        public var region: String
        public init(date: String, region: String) { self.date = date; self.region = region }

        /// Regions of the data dictionary's `surgery.region`; the first three are thoracic.
        public static let regions = ["lung", "chest_wall", "mediastinum", "hypothalamic_pituitary", "brain", "spine", "kidney",
                                     "thyroid", "abdomen", "pelvis", "other"]
        /// "Surgery to the lung or chest wall" (IGHG pulmonary guideline), "thoracic surgery" (PanCare SurPass).
        public static let thoracicRegions: Set<String> = ["lung", "chest_wall", "mediastinum"]
        public var isThoracic: Bool { Self.thoracicRegions.contains(region.lowercased()) }
    }

    /// The child (pseudonym, never a site identifier).
    public var child: String
    /// `M` or `F`.
    public var sex: String
    public var birthDate: String
    public var radiotherapy: [RadiotherapyCourse]
    public var chemotherapy: [Chemotherapy]
    /// Stem-cell transplants (absent in older treatment summaries: none).
    public var transplants: [Transplant]?
    /// Operations (absent in older treatment summaries: none).
    public var surgeries: [Surgery]?

    public init(child: String, sex: String, birthDate: String, radiotherapy: [RadiotherapyCourse] = [], chemotherapy: [Chemotherapy] = [],
                transplants: [Transplant]? = nil, surgeries: [Surgery]? = nil) {
        self.child = child; self.sex = sex; self.birthDate = birthDate; self.radiotherapy = radiotherapy; self.chemotherapy = chemotherapy
        self.transplants = transplants; self.surgeries = surgeries
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
            for (structure, dose) in c.structureMeanDoseGy ?? [:] {
                guard ContouredStructure(rawValue: structure) != nil else {
                    throw InputError(.file(file), field: "radiotherapy[\(i)].structureMeanDoseGy.\(structure)",
                                     expected: "a contoured structure (\(ContouredStructure.allCases.map(\.rawValue).joined(separator: ", ")))")
                }
                guard dose.isFinite, (0...100).contains(dose) else {
                    throw InputError(.file(file), field: "radiotherapy[\(i)].structureMeanDoseGy.\(structure)", value: "\(dose)", expected: "a mean dose of 0-100 Gy")
                }
            }
        }
        for (i, t) in (transplants ?? []).enumerated() {
            guard try date(t.date, "transplants[\(i)].date") >= birth else {
                throw InputError(.file(file), field: "transplants[\(i)].date", value: t.date, expected: "a date after birth")
            }
            guard ["allogeneic", "autologous"].contains(t.type.lowercased()) else {
                throw InputError(.file(file), field: "transplants[\(i)].type", value: t.type, expected: "allogeneic or autologous")
            }
        }
        for (i, op) in (surgeries ?? []).enumerated() {
            guard try date(op.date, "surgeries[\(i)].date") >= birth else {
                throw InputError(.file(file), field: "surgeries[\(i)].date", value: op.date, expected: "a date after birth")
            }
            guard Surgery.regions.contains(op.region.lowercased()) else {
                throw InputError(.file(file), field: "surgeries[\(i)].region", value: op.region, expected: Surgery.regions.joined(separator: ", "))
            }
        }
        for (i, c) in chemotherapy.enumerated() {
            guard c.cumulativeDoseMgPerM2.isFinite, c.cumulativeDoseMgPerM2 >= 0, c.cumulativeDoseMgPerM2 < 100_000 else {
                throw InputError(.file(file), field: "chemotherapy[\(i)].cumulativeDoseMgPerM2", value: "\(c.cumulativeDoseMgPerM2)", expected: "a cumulative dose in mg/m², 0-100000")
            }
        }
    }
}
