import Testing
import HarmonicCore
@testable import Dosimetry

@Suite("Reconstruction tiers")
struct TierSelectionTests {
    @Test("a procedure with irradiation events is dosed event by event")
    func eventsGiveEventTier() {
        let events = Cohort.events(3)
        let p = Cohort.procedure("A", kap: 1.5, events: 0..<3)
        #expect(TierSelection.tiers(procedures: [p], events: events)[0].tier == .event)
    }

    @Test("a procedure with only a total KAP is dosed from its totals")
    func totalsGiveTotalsTier() {
        #expect(TierSelection.tiers(procedures: [Cohort.procedure("A", kap: 4.2)], events: [])[0].tier == .totals)
    }

    @Test("a procedure without any dose record is imputed")
    func nothingGivesImputed() {
        #expect(TierSelection.tiers(procedures: [Cohort.procedure("A")], events: [])[0].tier == .imputed)
    }

    @Test("imputation never replaces a recorded KAP: the KAP used is the recorded one")
    func recordedKAPIsNeverImputed() {
        let (procedures, events) = Cohort.mixed()
        let engine = DoseReconstruction(procedures: procedures, events: events, source: AnalyticCoefficientFixture(),
                                        settings: ReconstructionSettings(realisations: 50))
        let (doses, _) = Cohort.run(engine)
        for (i, p) in procedures.enumerated() where p.totalKAP.isFinite || p.eventCount > 0 {
            #expect(doses[i]!.tier != .imputed)
            let recorded = p.eventCount > 0 ? Double(p.eventCount) * 0.5 : p.totalKAP
            #expect(abs(doses[i]!.kapUsed - recorded) < 1e-12)
        }
        #expect(doses.last!!.tier == .imputed)
    }

    @Test("the totals tier takes its projection mix from the event-level procedures of its hospital, era and type")
    func totalsUseTheFinestGroup() {
        let (procedures, events) = Cohort.mixed(n: ProjectionMixModel.minimumProcedures)
        let tiers = TierSelection.tiers(procedures: procedures, events: events).map(\.tier)
        let model = ProjectionMixModel(procedures: procedures, tiers: tiers, events: events)
        let mix = model.mix(for: procedures[procedures.count - 2])
        #expect(mix.source == "hospital/era/type")
        // Events alternate PA and left lateral with equal KAP: half each.
        #expect(abs(mix.shares[ProjectionClass.pa.rawValue] - 0.5) < 1e-12)
        #expect(abs(mix.shares[ProjectionClass.leftLateral.rawValue] - 0.5) < 1e-12)
    }

    @Test("with too few event-level procedures in its group, a 1985 procedure falls back to a coarser group and the era's beam quality")
    func fallbackToCoarserGroup() {
        let (procedures, events) = Cohort.mixed(n: ProjectionMixModel.minimumProcedures)
        let tiers = TierSelection.tiers(procedures: procedures, events: events).map(\.tier)
        let model = ProjectionMixModel(procedures: procedures, tiers: tiers, events: events)
        let old = Cohort.procedure("old", hospital: "H9", year: 1985, type: "diagnostic", kap: 10)
        let mix = model.mix(for: old)
        #expect(mix.source.hasPrefix("all"))
        #expect(mix.copperMillimetres == 0)
    }
}
