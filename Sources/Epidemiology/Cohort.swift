import HarmonicCore

/// How a child's follow-up ended (the earliest of these closes follow-up).
public enum ExitReason: String, Sendable, Codable, CaseIterable {
    case endOfStudy = "end_of_study", death, emigration, lostToFollowUp = "lost_to_follow_up", event
    /// Follow-up censored at a procedure whose organ dose is unknown (dose reconstruction
    /// flagged it): the cumulative dose after it would be wrong (`FlaggedDosePolicy.censor`).
    case doseUnknown = "dose_unknown"
}

/// One exposure (a catheterisation, a radiotherapy course): its date and mean organ doses.
public struct Exposure: Sendable, Hashable {
    public var date: CalendarDate
    public var organDoses: [Organ: Gray]
    /// The exposure's key in its source, e.g. "BE/BE-C00012-P1" (site / site procedure id):
    /// links dose realisations read from a side file to this exposure. Nil when unknown.
    public var key: String?
    public init(date: CalendarDate, organDoses: [Organ: Gray], key: String? = nil) {
        self.date = date; self.organDoses = organDoses; self.key = key
    }
}

/// A diagnosed outcome (cancer) of a cohort member.
public struct OutcomeEvent: Sendable, Hashable {
    public var date: CalendarDate
    public var outcome: String
    public init(date: CalendarDate, outcome: String) { self.date = date; self.outcome = outcome }
}

/// One child as the risk analysis sees it. Filled from the analysis extract (CSV folder), the
/// registry, or the synthetic cohort generator. `entry` is the date of first exposure.
public struct CohortMember: Sendable {
    public var id: String
    public var sex: Sex
    public var country: Country
    public var birth: CalendarDate
    public var entry: CalendarDate
    public var exit: CalendarDate
    public var exitReason: ExitReason
    public var events: [OutcomeEvent]
    /// Exposures in date order (the person-year splitter sorts them if needed).
    public var exposures: [Exposure]
    /// Categorical covariates such as a predisposing condition ("down_syndrome": "yes").
    public var covariates: [String: String]

    public init(id: String, sex: Sex, country: Country, birth: CalendarDate, entry: CalendarDate,
                exit: CalendarDate, exitReason: ExitReason, events: [OutcomeEvent] = [],
                exposures: [Exposure], covariates: [String: String] = [:]) {
        self.id = id; self.sex = sex; self.country = country; self.birth = birth; self.entry = entry
        self.exit = exit; self.exitReason = exitReason; self.events = events
        self.exposures = exposures.sorted { $0.date < $1.date }; self.covariates = covariates
    }
}

/// N realisations of one organ's dose for every exposure of every member (dose uncertainty).
/// Storage is contiguous Float, exposure-major: the realisations of one exposure lie together.
/// The exposures are numbered member by member in the members' exposure order.
public protocol DoseRealisations: Sendable {
    var realisationCount: Int { get }
    /// Index of member i's first exposure in the flat exposure numbering (count = members + 1).
    var exposureOffsets: [Int] { get }
    /// Dose in gray of flat exposure `e` in realisation `r`.
    func dose(exposure e: Int, realisation r: Int) -> Float
}

/// The plain in-memory implementation of `DoseRealisations`.
public struct DoseRealisationMatrix: DoseRealisations {
    public let realisationCount: Int
    public let exposureOffsets: [Int]
    /// values[e * realisationCount + r], gray.
    public var values: [Float]

    public init(realisationCount: Int, exposureOffsets: [Int], values: [Float]) {
        precondition(values.count == (exposureOffsets.last ?? 0) * realisationCount)
        self.realisationCount = realisationCount; self.exposureOffsets = exposureOffsets; self.values = values
    }

    @inline(__always)
    public func dose(exposure e: Int, realisation r: Int) -> Float { values[e * realisationCount + r] }
}
