import Foundation
import HarmonicCore

/// A fast cohort simulator with a known true excess relative risk per gray, for coverage
/// checks and benchmarks (the study's full generator is `harmonic synth`). Children are
/// born 1976-2010, first exposed at 0-10 years with 1-4 exposures within two years; organ
/// dose per exposure is log-normal; follow-up ends at 31 December 2020, emigration or
/// death; the outcome hazard is λ₀·exp(0.3·male)·(1 + β·D(t − lag)) with D the cumulative dose.
public struct CohortSimulator: Sendable {
    public var children: Int
    public var errPerGy: Double
    /// Background rate per person-year (females).
    public var baselineRate: Double
    /// Median dose per exposure (Gy) and log-normal σ.
    public var medianDose: Double
    public var doseSigma: Double
    public var lagYears: Double
    public var organ: Organ
    public var outcome: String

    public init(children: Int, errPerGy: Double = 2.0, baselineRate: Double = 2e-3, medianDose: Double = 0.05,
                doseSigma: Double = 1.0, lagYears: Double = 2, organ: Organ = .redMarrow, outcome: String = "leukaemia") {
        self.children = children; self.errPerGy = errPerGy; self.baselineRate = baselineRate
        self.medianDose = medianDose; self.doseSigma = doseSigma; self.lagYears = lagYears
        self.organ = organ; self.outcome = outcome
    }

    /// The cohort for `seed`; identical on any number of cores.
    public func generate(seed: UInt64) -> [CohortMember] {
        let end = CalendarDate(year: 2020, month: 12, day: 31)!
        let y1976 = CalendarDate(year: 1976, month: 1, day: 1)!.dayNumber, y2010 = CalendarDate(year: 2010, month: 12, day: 31)!.dayNumber
        let countries = Country.cardiac
        let lagDays = Int((lagYears * 365.25).rounded())
        let blocks = 32
        let parts: [[CohortMember]] = ParallelSlots.map(blocks, initial: []) { b in
            let lo = children * b / blocks, hi = children * (b + 1) / blocks
            var out: [CohortMember] = []; out.reserveCapacity(hi - lo)
            for i in lo..<hi {
                var rng = RandomStream(seed: seed, stream: UInt64(i))
                let birth = y1976 + Int(rng.uniform() * Double(y2010 - y1976))
                let entry = min(birth + Int(rng.uniform() * 10 * 365.25), end.dayNumber - 1)
                let nExp = 1 + Int(rng.uniform() * 4)
                var exps: [Exposure] = []
                var day = entry
                for j in 0..<nExp {
                    if j > 0 { day += 1 + Int(rng.uniform() * 365) }
                    let d = medianDose * exp(doseSigma * rng.normal())
                    exps.append(Exposure(date: CalendarDate(dayNumber: day), organDoses: [organ: Gray(d)]))
                }
                let male = rng.uniform() < 0.55
                // Competing exit: emigration/death at 1%/y.
                let otherExit = entry + Int(rng.exponential() / 0.01 * 365.25)
                var exit = min(end.dayNumber, otherExit)
                let reason: ExitReason = otherExit < end.dayNumber ? .emigration : .endOfStudy
                // Piecewise-constant hazard from entry; breakpoints at lagged exposure dates.
                let lam0 = baselineRate * (male ? exp(0.3) : 1)
                var t = entry, cum = 0.0, eventDay: Int? = nil
                var k = 0
                var need = rng.exponential()
                while t < exit {
                    while k < exps.count && exps[k].date.dayNumber + lagDays <= t { cum += exps[k].organDoses[organ]!.value; k += 1 }
                    let next = k < exps.count ? min(exps[k].date.dayNumber + lagDays, exit) : exit
                    let rate = lam0 * max(0, 1 + errPerGy * cum) / 365.25
                    let span = Double(next - t) * rate
                    if span >= need { eventDay = t + max(1, Int((need / rate).rounded(.up))); break }
                    need -= span; t = next
                }
                var events: [OutcomeEvent] = []
                var why = reason
                if let e = eventDay, e <= exit { events.append(OutcomeEvent(date: CalendarDate(dayNumber: e), outcome: outcome)); exit = e; why = .event }
                out.append(CohortMember(id: "S\(i)", sex: male ? .male : .female, country: countries[Int(rng.uniform() * Double(countries.count))],
                                        birth: CalendarDate(dayNumber: birth), entry: CalendarDate(dayNumber: entry),
                                        exit: CalendarDate(dayNumber: exit), exitReason: why, events: events, exposures: exps))
            }
            return out
        }
        return parts.flatMap { $0 }
    }
}
