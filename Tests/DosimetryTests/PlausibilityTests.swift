import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Impossible values are flagged, not dosed")
struct PlausibilityTests {
    func reconstruct(_ p: ProcedureInput, events: [EventInput]) -> ProcedureDose {
        var (procedures, all) = Cohort.mixed()
        var q = p
        q.eventStart = all.count
        all += events
        procedures.append(q)
        let engine = DoseReconstruction(procedures: procedures, events: all, source: AnalyticCoefficientFixture(),
                                        settings: ReconstructionSettings(realisations: 20))
        return Cohort.run(engine).0.last!!
    }

    @Test("a negative event KAP flags the procedure with a reason and gives it no dose")
    func negativeKAP() {
        var events = Cohort.events(2)
        events[1].kapGyCm2 = -0.4
        let d = reconstruct(Cohort.procedure("X", events: 0..<2), events: events)
        #expect(d.tier == .flagged)
        #expect(d.flagReason?.contains("KAP -0.4") == true)
        #expect(d.mean.allSatisfy { $0.isNaN })
    }

    @Test("a kVp outside 40-150 (65 kV entered in volts) is flagged")
    func kVpInVolts() {
        var events = Cohort.events(2)
        events[0].kVp = 65000
        let d = reconstruct(Cohort.procedure("X", events: 0..<2), events: events)
        #expect(d.tier == .flagged)
        #expect(d.flagReason?.contains("kVp 65000") == true)
    }

    @Test("a positioner angle outside -180..180 is flagged")
    func angleOutOfRange() {
        var events = Cohort.events(2)
        events[1].primaryDegrees = 270
        #expect(reconstruct(Cohort.procedure("X", events: 0..<2), events: events).tier == .flagged)
    }

    @Test("a total KAP absurd for the body size (400 Gy·cm² for a 3 kg newborn) is flagged, not imputed over")
    func absurdKAPForSize() {
        let d = reconstruct(Cohort.procedure("X", age: 0.05, weight: 3, kap: 400), events: [])
        #expect(d.tier == .flagged)
        #expect(d.flagReason?.contains("absurd for 3 kg") == true)
        #expect(!d.kapUsed.isFinite)
    }

    @Test("a plausible procedure passes every check")
    func plausiblePasses() {
        let events = Cohort.events(2)
        let p = Cohort.procedure("X", kap: 1, events: 0..<2)
        #expect(events.withUnsafeBufferPointer { Plausibility.problem(p, events: $0) } == nil)
    }
}
