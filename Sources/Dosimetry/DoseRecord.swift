import HarmonicCore

/// How a procedure's organ doses were reconstructed, recorded on every dose.
/// - `event`: from each irradiation event of its dose report (KAP, angles, kVp, copper, field).
/// - `totals`: from the procedure's total KAP, with the projection mix and beam quality of
///   comparable event-level procedures (`ProjectionMixModel`).
/// - `imputed`: no dose record; KAP drawn from the log-linear model of `KAPImputation`.
/// - `flagged`: an impossible value was found (`Plausibility`); not dosed.
public enum DoseTier: String, Sendable, Hashable, CaseIterable, Codable {
    case event, totals, imputed, flagged
}

/// One irradiation event as the reconstruction reads it. Missing technique factors are NaN.
public struct EventInput: Sendable, Hashable {
    public var kapGyCm2: Double
    public var primaryDegrees: Double
    public var secondaryDegrees: Double
    public var kVp: Double
    public var copperMillimetres: Double
    public var fieldAreaCm2: Double

    public init(kapGyCm2: Double, primaryDegrees: Double = .nan, secondaryDegrees: Double = .nan,
                kVp: Double = .nan, copperMillimetres: Double = .nan, fieldAreaCm2: Double = .nan) {
        self.kapGyCm2 = kapGyCm2; self.primaryDegrees = primaryDegrees; self.secondaryDegrees = secondaryDegrees
        self.kVp = kVp; self.copperMillimetres = copperMillimetres; self.fieldAreaCm2 = fieldAreaCm2
    }
}

/// One cardiac procedure with what the registry knows about the child and its dose record.
/// Its events are `events[eventStart ..< eventStart + eventCount]` of the batch's event array,
/// so millions of events live in one contiguous array.
public struct ProcedureInput: Sendable, Hashable {
    public var site: String
    public var procedureID: String
    public var patient: String
    /// Procedure date (day number since 1970-01-01).
    public var day: Int
    public var ageYears: Double
    public var sex: Sex
    /// Recorded body weight (kg), NaN when absent.
    public var weightKg: Double
    public var heightCm: Double
    public var hospital: String
    public var country: String
    public var procedureType: String
    /// Recorded total KAP (Gy·cm²), NaN when absent.
    public var totalKAP: Double
    public var fluoroSeconds: Double
    public var cineFrames: Double
    public var eventStart: Int
    public var eventCount: Int

    public init(site: String, procedureID: String, patient: String, day: Int, ageYears: Double, sex: Sex,
                weightKg: Double = .nan, heightCm: Double = .nan, hospital: String, country: String,
                procedureType: String, totalKAP: Double = .nan, fluoroSeconds: Double = .nan, cineFrames: Double = .nan,
                eventStart: Int = 0, eventCount: Int = 0) {
        self.site = site; self.procedureID = procedureID; self.patient = patient; self.day = day
        self.ageYears = ageYears; self.sex = sex; self.weightKg = weightKg; self.heightCm = heightCm
        self.hospital = hospital; self.country = country; self.procedureType = procedureType
        self.totalKAP = totalKAP; self.fluoroSeconds = fluoroSeconds; self.cineFrames = cineFrames
        self.eventStart = eventStart; self.eventCount = eventCount
    }

    /// Calendar year with fraction.
    public var year: Double { 1970 + Double(day) / 365.25 }
    /// Era bin used by every model (`DoseEra`).
    public var era: DoseEra { DoseEra(year: year) }
}

/// Calendar era of a procedure: five-year bins 1975-1979 … 2015-2020 (practice and
/// equipment changed in steps of this order; Harbron et al., J Radiol Prot 2018).
public struct DoseEra: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// First year of the bin (1975, 1980, …, 2015).
    public let start: Int
    public init(year: Double) { start = min(2015, max(1975, Int(year.rounded(.down)) / 5 * 5)) }
    public init(start: Int) { self.start = start }
    public static let all: [DoseEra] = stride(from: 1975, through: 2015, by: 5).map { DoseEra(start: $0) }
    public var index: Int { (start - 1975) / 5 }
    public var description: String { "\(start)-\(start == 2015 ? 2020 : start + 4)" }
    public static func < (a: DoseEra, b: DoseEra) -> Bool { a.start < b.start }
}

/// The organs the reconstruction reports, with effective dose last: the quantities of
/// `procedure_organ_dose` and of each realisation block.
public enum DoseQuantity: Int, CaseIterable, Sendable {
    case redMarrow, breast, lung, heart, thyroid, oesophagus, brain, effective

    public static let organs: [Organ] = [.redMarrow, .breast, .lungs, .heart, .thyroid, .oesophagus, .brain]
    /// Column names of `procedure_organ_dose` in this order.
    public static let columnNames = ["red_marrow_mgy", "breast_mgy", "lung_mgy", "heart_mgy", "thyroid_mgy",
                                     "oesophagus_mgy", "brain_mgy", "effective_dose_msv"]
    public static let count = 8
}

/// A procedure's reconstructed dose: tier, the KAP used and the arithmetic means over the
/// realisations (mGy for organs, mSv for effective dose), plus the deterministic central value.
public struct ProcedureDose: Sendable {
    public var tier: DoseTier
    public var flagReason: String?
    /// KAP used (recorded, or the median of the imputation for `imputed`), Gy·cm².
    public var kapUsed: Double
    /// Arithmetic mean over realisations, one per `DoseQuantity`.
    public var mean: [Double]
    /// Central estimate (no uncertainty drawn), one per `DoseQuantity`.
    public var central: [Double]
    /// Where the projection mix and beam quality came from (totals/imputed), e.g. "hospital/era/type".
    public var mixSource: String

    public init(tier: DoseTier, flagReason: String? = nil, kapUsed: Double, mean: [Double], central: [Double], mixSource: String = "") {
        self.tier = tier; self.flagReason = flagReason; self.kapUsed = kapUsed; self.mean = mean; self.central = central
        self.mixSource = mixSource
    }
}
