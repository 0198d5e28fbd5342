/// Picks the reconstruction tier of a procedure from the completeness of its record.
///
/// Rules, in order: any impossible value → `flagged` (with its reason, no dose); at least
/// one irradiation event → `event`; a recorded total KAP → `totals`; otherwise `imputed`.
/// A recorded KAP is never replaced by an imputed one.
public enum TierSelection {
    public static func tier(for p: ProcedureInput, events: UnsafeBufferPointer<EventInput>) -> (tier: DoseTier, reason: String?) {
        if let reason = Plausibility.problem(p, events: events) { return (.flagged, reason) }
        if p.eventCount > 0 { return (.event, nil) }
        if p.totalKAP.isFinite { return (.totals, nil) }
        return (.imputed, nil)
    }

    /// Tier of `procedures[i]` with its slice of `events`.
    public static func tiers(procedures: [ProcedureInput], events: [EventInput]) -> [(tier: DoseTier, reason: String?)] {
        events.withUnsafeBufferPointer { all in
            procedures.map { p in
                tier(for: p, events: UnsafeBufferPointer(rebasing: all[p.eventStart ..< p.eventStart + p.eventCount]))
            }
        }
    }
}
