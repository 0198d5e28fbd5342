import Foundation
import HarmonicCore

/// One procedure of a synthetic child before it is written.
struct SimProcedure {
    var day: Int
    var age: Double
    var year: Double
    var interventional: Bool
    var type: String
    var kap: Double
    var organDoses: [Double]
    /// Weight relative to the age median (drives KAP and the recorded weight).
    var weightFactor: Double
}

/// Draws one cardiac child (patient, procedures, irradiation events, follow-up, cancers) from
/// its own random stream and appends its rows to a chunk.
struct CardiacChildSimulator {
    let config: SynthesisConfiguration
    let followUpEndDay: Int
    let lastProcedureDay = CalendarDate(year: 2020, month: 12, day: 31)!.dayNumber
    let firstProcedureDay = CalendarDate(year: 1976, month: 1, day: 1)!.dayNumber

    init(config: SynthesisConfiguration) {
        self.config = config
        self.followUpEndDay = config.followUpEnd.dayNumber
    }

    func simulate(country: Country, number: Int, rng: inout RandomStream, out: inout ChunkOutput) {
        let pid = "\(country.rawValue)-C\(String(number + 100_000).dropFirst())"
        let sex: Sex = rng.uniform() < 0.53 ? .male : .female  // CHD cohorts ~53% boys (Harbron 2015)
        // First procedure: volume rising through the study period (density ∝ 1 + 0.04·(t − 1976)).
        let x = (-1 + (1 + 0.08 * rng.uniform() * 85.5).squareRoot()) / 0.04
        let entryDay = min(lastProcedureDay, firstProcedureDay + Int(x * 365.25))
        let ageBand = rng.uniform()
        let age0: Double = ageBand < 0.30 ? rng.uniform() * 0.25
            : ageBand < 0.50 ? 0.25 + rng.uniform() * 0.75
            : ageBand < 0.72 ? 1 + rng.uniform() * 4
            : ageBand < 0.87 ? 5 + rng.uniform() * 5 : 10 + rng.uniform() * 7.5
        let birthDay = entryDay - Int(age0 * 365.25)
        var birth = CalendarDate(dayNumber: birthDay)
        if birth.year < 1985 && age0 > 0.25 && rng.uniform() < 0.3 {
            birth = CalendarDate(year: birth.year, month: birth.month, day: 15, precision: .month)!
        }
        var conditions: [PredisposingCondition] = []
        for c in PredisposingCondition.allCases where rng.uniform() < c.prevalence { conditions.append(c) }
        let transplant = conditions.contains(.transplant)
        let hospital = Int(rng.uniform() * 6) + 1

        // Procedures: 1 + geometric extra, more biopsies after transplant. Repeat procedures grow
        // with the era of entry (staged interventions replaced surgery): in Norway 1.3 procedures
        // per child in 1975-1989 and 2.0 in 2000-2021 (Afroz et al., J Radiol Prot 2024;44:041513).
        // The chance of one more procedure rises from 0.44 (entry ≤ 1985) to 0.66 (entry ≥ 2005),
        // which gives ~2.15 procedures per child over 1976-2020 (issue 2: ~150,000 for 70,000).
        var procedures: [SimProcedure] = []
        var extra = 0
        let entryYear = 1970 + Double(entryDay) / 365.25
        let moreProcedures = 0.44 + 0.22 * min(1, max(0, (entryYear - 1985) / 20))
        while rng.uniform() < moreProcedures && extra < 12 { extra += 1 }
        if transplant { extra += 3 + Int(rng.uniform() * 8) }
        var day = entryDay
        for k in 0...extra {
            if k > 0 { day += 7 + Int(rng.exponential() * 1.5 * 365.25) }
            let age = Double(day - birthDay) / 365.25
            if day > lastProcedureDay || age >= 18 { break }
            procedures.append(drawProcedure(day: day, age: age, forceBiopsy: transplant && k > 0, rng: &rng))
        }

        // Follow-up in yearly steps from entry: death, emigration, cancers.
        var t = Double(entryDay), exitDay = followUpEndDay
        var vital = "alive"
        var cancers: [(SynthOutcome, Int)] = []
        var had = Set<SynthOutcome>()
        let err = SynthOutcome.allCases.map { config.trueERRPerGy[$0] ?? 0 }
        while t < Double(followUpEndDay) {
            let dt = min(365.25, Double(followUpEndDay) - t)
            let mid = t + dt / 2
            let age = (mid - Double(birthDay)) / 365.25
            let year = 1970 + mid / 365.25
            let hDeath = BaselineRates.deathHazard(age: age, yearsSinceFirstProcedure: (mid - Double(entryDay)) / 365.25, year: year)
            let tDeath = rng.exponential() / hDeath * 365.25
            let tEmig = rng.exponential() / BaselineRates.emigrationHazard * 365.25
            let stepExit = min(tDeath, tEmig)
            let live = min(dt, stepExit)
            for (oi, outcome) in SynthOutcome.allCases.enumerated() where !had.contains(outcome) {
                var rate = BaselineRates.rate(outcome, age: age, sex: sex, year: year)
                for c in conditions { rate *= c.relativeRisk(outcome) }
                let lagged = mid - outcome.lagYears * 365.25
                var dose = 0.0
                let organ = TrueOrganDoseModel.index(of: outcome.organ)
                for p in procedures where Double(p.day) <= lagged { dose += p.organDoses[organ] }
                rate *= 1 + err[oi] * dose
                let tc = rng.exponential() / rate * 365.25
                if tc < live {
                    had.insert(outcome)
                    cancers.append((outcome, Int(t + tc)))
                }
            }
            if stepExit < dt {
                exitDay = Int(t + stepExit)
                vital = tDeath < tEmig ? "dead" : "emigrated"
                break
            }
            t += dt
        }
        procedures.removeAll { $0.day > exitDay }
        if exitDay < entryDay { exitDay = entryDay }

        // Patient row, when corrupted: a duplicate copy, or birth and last-contact dates swapped.
        // A swapped row is rejected (last contact before birth), so the child's procedures and
        // cancers cannot load either and are recorded as such; it is only drawn for children
        // whose procedures all predate event-level dose records (2005), so no event rows cascade,
        // and who were followed for more than a month (a swap of nearly equal dates is no error).
        let corrupt = config.corruptFraction
        var patientKind: String? = nil
        if corrupt > 0 && rng.uniform() < corrupt {
            let swappable = exitDay - birthDay > 31 && procedures.allSatisfy { $0.year < 2005 }
            patientKind = swappable && rng.uniform() < 0.5 ? "swapped_dates" : "duplicate_row"
        }
        let swapped = patientKind == "swapped_dates"
        for copy in 0..<(patientKind == "duplicate_row" ? 2 : 1) {
            if copy == 1 { out.markCorrupted(.patients, "duplicate_row") }
            if swapped { out.markCorrupted(.patients, "swapped_dates") }
            let lastContact = CalendarDate(dayNumber: exitDay)
            out[.patients].text(pid)
            out[.patients].text(country.rawValue)
            out[.patients].text(sex.rawValue)
            out[.patients].date(swapped ? lastContact : birth)
            out[.patients].text("cardiac")
            out[.patients].text(conditions.first?.dictionaryCode ?? "none")
            out[.patients].text(vital)
            if vital == "emigrated" { out[.patients].date(lastContact) } else { out[.patients].empty() }
            out[.patients].date(swapped ? birth : lastContact)
            if vital == "dead" { out[.patients].date(lastContact) } else { out[.patients].empty() }
            out[.patients].endRow()
        }

        for (k, p) in procedures.enumerated() {
            writeProcedure(p, number: k + 1, pid: pid, country: country, hospital: hospital,
                           birthDay: birthDay, ofRejectedChild: swapped, rng: &rng, out: &out)
        }
        for (k, c) in cancers.enumerated() {
            writeCancer(c.0, day: c.1, number: k + 1, pid: pid, country: country, birthDay: birthDay,
                        ofRejectedChild: swapped, rng: &rng, out: &out)
            out.cancersByOutcome[c.0, default: 0] += 1
        }
        // Diagnostic imaging (CT, radiography) from a stream of its own: the rows above are unchanged.
        DiagnosticImagingSimulator(config: config).simulate(country: country, number: number, pid: pid, sex: sex, birthDay: birthDay,
                                                            exitDay: exitDay, hospital: hospital, ofRejectedChild: swapped, out: &out)
    }

    func drawProcedure(day: Int, age: Double, forceBiopsy: Bool, rng: inout RandomStream) -> SimProcedure {
        let year = 1970 + Double(day) / 365.25
        var interventional = forceBiopsy || rng.uniform() < CardiacPractice.interventionalShare(year: year)
        var type = "diagnostic", factor = 1.0
        if forceBiopsy {
            type = "biopsy"; factor = 0.3
        } else if interventional {
            let available = CardiacPractice.interventionalTypes.filter { CardiacPractice.available($0.code, year: year) }
            let total = available.reduce(0) { $0 + $1.weight }
            var u = rng.uniform() * total
            for a in available {
                u -= a.weight
                if u <= 0 { type = a.code; factor = a.kapFactor; break }
            }
            if type == "diagnostic" { interventional = false }
        }
        let bodySize = exp(0.12 * rng.normal())
        // Capped at 10 Gy·cm² per kg, beyond the highest published paediatric values (Harbron 2015).
        let weight = CardiacPractice.interpolate(CardiacPractice.growthWeight, age: age) * 0.9 * bodySize
        let kap = min(10 * weight, CardiacPractice.medianKAP2010(age: age) * CardiacPractice.eraFactor(year: year) * factor
            * pow(bodySize, 0.8) * exp(0.7 * rng.normal()))
        return SimProcedure(day: day, age: age, year: year, interventional: interventional, type: type,
                            kap: kap, organDoses: TrueOrganDoseModel.organDoses(kap: kap, age: age),
                            weightFactor: bodySize)
    }
}

