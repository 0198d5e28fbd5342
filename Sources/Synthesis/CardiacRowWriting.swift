import Foundation
import HarmonicCore

extension CardiacChildSimulator {
    /// Writes a procedure, its true organ doses and (for event-level records) its irradiation events.
    /// `ofRejectedChild`: the child's row is corrupted, so this row cannot load (it is recorded as
    /// `child_of_corrupted_row` and not corrupted on its own).
    func writeProcedure(_ p: SimProcedure, number: Int, pid: String, country: Country, hospital: Int,
                        birthDay: Int, ofRejectedChild: Bool = false, rng: inout RandomStream, out: inout ChunkOutput) {
        let procId = "\(pid)-P\(number)"
        let record = CardiacPractice.doseRecord(year: p.year, u: rng.uniform())
        let weight = CardiacPractice.interpolate(CardiacPractice.growthWeight, age: p.age) * 0.9 * p.weightFactor
        let height = CardiacPractice.interpolate(CardiacPractice.growthHeight, age: p.age) * exp(0.04 * rng.normal())
        // Field area at the reference point grows with the child: ~40 cm² for infants to
        // ~150 cm² for adolescents, so Ka,r/KAP ~ 25 → 7 mGy per Gy·cm² (Harbron et al. 2015).
        let fieldArea = (40 + 6.5 * min(p.age, 17)) * exp(0.2 * rng.normal())
        let kar = p.kap * 1000 / fieldArea
        let fluoroMedian = p.type == "ablation" ? 1800.0 : (p.interventional ? 900.0 : 600.0)
        let fluoroTime = fluoroMedian * (1 + max(0, 2010 - p.year) * 0.01) * exp(0.6 * rng.normal())
        let cineRuns = max(1, Int((p.interventional ? 10.0 : 8.0) * exp(0.4 * rng.normal())))
        let cineFrames = cineRuns * Int(40 + rng.uniform() * 80)
        let equipment = CardiacPractice.equipment(year: p.year, u: rng.uniform())
        let date = CalendarDate(dayNumber: p.day)

        // Corruption of procedures only where no event rows hang on them (no cascade).
        var kind: String? = nil
        if ofRejectedChild {
            out.markCorrupted(.procedures, "child_of_corrupted_row")
        } else if config.corruptFraction > 0, record != .events, rng.uniform() < config.corruptFraction {
            let kinds = ["unknown_patient", "procedure_before_birth", "age_out_of_range", "kap_in_mgy_cm2", "duplicate_row"]
            kind = kinds[Int(rng.uniform() * Double(kinds.count))]
            if kind == "kap_in_mgy_cm2" && (record == .none || p.kap * 1000 < 2000) { kind = "unknown_patient" }
        }
        for copy in 0..<(kind == "duplicate_row" ? 2 : 1) {
            var rowDate = date, rowPid = pid, rowKAP = p.kap
            if copy == 1 || (kind != nil && kind != "duplicate_row") { out.markCorrupted(.procedures, kind!) }
            if copy == 0 {
                switch kind {
                case "unknown_patient": rowPid = "\(country.rawValue)-C9\(String(number + 100_000).dropFirst())X"
                case "procedure_before_birth": rowDate = CalendarDate(dayNumber: birthDay - 30 - Int(rng.uniform() * 300))
                case "age_out_of_range": rowDate = CalendarDate(dayNumber: birthDay + Int((21 + rng.uniform() * 30) * 365.25))
                case "kap_in_mgy_cm2": rowKAP = p.kap * 1000
                default: break
                }
            }
            var w = out[.procedures]
            out[.procedures] = CSVRowWriter()
            w.text(procId); w.text(rowPid); w.date(rowDate)
            w.text("\(country.rawValue)-H\(hospital)")
            w.text(p.type); w.text(p.interventional ? "interventional" : "diagnostic")
            w.decimal(weight, 1); w.decimal(height, 0)
            if record == .none {
                w.empty(); w.empty()
                if rng.uniform() < 0.4 { w.int(Int(fluoroTime)) } else { w.empty() }
                w.empty()
                w.empty()
            } else {
                w.decimal(rowKAP, 3); w.decimal(kar, 1); w.int(Int(fluoroTime)); w.int(cineRuns); w.int(cineFrames)
            }
            w.text(equipment); w.text(record.rawValue)
            w.endRow()
            out[.procedures] = w
        }

        // True organ doses (truth/organ_doses.csv), whatever the record completeness.
        var t = out.organDoses
        out.organDoses = CSVRowWriter()
        t.text(procId); t.text(pid); t.date(date); t.decimal(p.age, 3); t.decimal(p.kap, 4)
        t.decimal(p.kap * TrueOrganDoseModel.effectivePerKAP(age: p.age) * 1000, 5)
        for d in p.organDoses { t.decimal(d * 1000, 5) }
        t.endRow()
        out.organDoses = t

        if record == .events {
            writeEvents(procId: procId, p: p, kar: kar, fluoroTime: fluoroTime, cineRuns: cineRuns,
                        date: date, rng: &rng, out: &out)
        }
    }

    /// Irradiation events as a radiation dose structured report lists them: fluoroscopy and
    /// acquisition runs with the technique factors of modern paediatric systems (pulsed
    /// fluoroscopy 7.5-15 p/s, 0.1-0.9 mm Cu, 60-85 kVp; Ubeda et al. 2017; Harbron et al. 2015).
    func writeEvents(procId: String, p: SimProcedure, kar: Double, fluoroTime: Double, cineRuns: Int,
                     date: CalendarDate, rng: inout RandomStream, out: inout ChunkOutput) {
        // One RDSR fluoroscopy event per continuous run (pedal press). Runs average ~20 s (a
        // modelling assumption), so events follow fluoroscopy time: ~30 for a 10-minute
        // diagnostic study, ~45 for an intervention, ~90 for an ablation, plus one per cine run.
        let fluoroEvents = max(4, Int(fluoroTime / 20 * exp(0.3 * rng.normal())))
        let n = min(300, fluoroEvents + cineRuns)
        var weights = [Double](repeating: 0, count: n)
        var sum = 0.0
        for j in 0..<n {
            // Acquisition runs carry more dose per event than fluoroscopy runs.
            weights[j] = rng.exponential() * (j < fluoroEvents ? 1.0 : 3.0)
            sum += weights[j]
        }
        var fluoroSum = 0.0
        for j in 0..<min(n, fluoroEvents) { fluoroSum += weights[j] }
        let biplane = p.year >= 2005 && rng.uniform() < 0.5
        let ageSize = min(p.age, 17)
        var second = 8 * 3600 + Int(rng.uniform() * 4 * 3600)
        var w = out[.irradiationEvents]
        out[.irradiationEvents] = CSVRowWriter()
        let corrupt = config.corruptFraction
        for j in 0..<n {
            let fluoro = j < fluoroEvents
            let share = weights[j] / sum
            let planeB = biplane && rng.uniform() < 0.4
            // Clamped to 50-125 kVp, the working range of paediatric cardiac systems.
            let kvp = min(125, max(50, (fluoro ? 66.0 : 62.0) + ageSize * 0.8 + 5 * rng.normal()))
            let time = fluoro ? fluoroTime * weights[j] / max(1e-9, fluoroSum) : 2 + rng.uniform() * 6
            var kap = p.kap * share, kvpOut = kvp
            var procRef = procId
            var kind: String? = nil
            if corrupt > 0 && rng.uniform() < corrupt {
                let kinds = ["negative_kap", "kvp_in_volts", "unknown_procedure"]
                kind = kinds[Int(rng.uniform() * 3)]
                out.corrupted.append((.irradiationEvents, w.rowCount, kind!))
                switch kind {
                case "negative_kap": kap = -kap - 0.001
                case "kvp_in_volts": kvpOut = kvp * 1000
                default: procRef = procId + "X"
                }
            }
            let rate = fluoro ? (p.year < 2010 ? 15.0 : 7.5) : (rng.uniform() < 0.5 ? 15.0 : 30.0)
            let side = (15 + ageSize * 0.5) * exp(0.1 * rng.normal())
            w.id(procId, "-E", j + 1)
            w.text(procRef)
            w.dateTime(date, secondOfDay: second)
            w.text(fluoro ? "fluoroscopy" : "stationary_acquisition")
            w.text(biplane ? (planeB ? "b" : "a") : "single")
            w.decimal(kap, 5)
            w.decimal(kar * share, 3)
            w.decimal(planeB ? 90 + 10 * rng.normal() : 25 * rng.normal(), 0)
            w.decimal(planeB ? 5 * rng.normal() : 15 * rng.normal(), 0)
            w.decimal(kvpOut, 1)
            w.decimal(fluoro ? 5 + rng.uniform() * 35 : 100 + rng.uniform() * 300, 1)
            w.decimal(fluoro ? 4 + rng.uniform() * 6 : 2 + rng.uniform() * 4, 1)
            w.decimal(time, 1)
            w.int(max(1, Int(time * rate)))
            w.text("copper")
            w.decimal(fluoro ? 0.3 + 0.6 * rng.uniform() : 0.1 + 0.2 * rng.uniform(), 1)
            w.decimal(side * side, 0)
            w.decimal(950 + rng.uniform() * 250, 0)
            w.endRow()
            second += Int(time) + 5 + Int(rng.uniform() * 60)
        }
        out[.irradiationEvents] = w
    }

    /// ICD-O-3 topography and morphology of the drawn cancer (the commonest childhood and
    /// young-adult types of each group).
    static func codes(_ o: SynthOutcome, u: Double) -> (String, String) {
        switch o {
        case .leukaemia: u < 0.75 ? ("C42.1", "9836") : ("C42.1", "9861")
        case .lymphoma: u < 0.5 ? ("C77.9", "9650") : ("C77.9", "9680")
        case .brain: u < 0.5 ? ("C71.9", "9440") : ("C71.6", "9470")
        case .thyroid: ("C73.9", "8260")
        case .breast: ("C50.9", "8500")
        case .lung: ("C34.9", "8140")
        }
    }

    func writeCancer(_ o: SynthOutcome, day: Int, number: Int, pid: String, country: Country, birthDay: Int,
                     ofRejectedChild: Bool = false, rng: inout RandomStream, out: inout ChunkOutput) {
        var (topo, morph) = Self.codes(o, u: rng.uniform())
        var dayOut = day
        var copies = 1
        if ofRejectedChild {
            out.markCorrupted(.cancers, "child_of_corrupted_row")
        } else if config.corruptFraction > 0 && rng.uniform() < config.corruptFraction {
            let kinds = ["malformed_icdo3", "diagnosis_before_birth", "duplicate_row"]
            let kind = kinds[Int(rng.uniform() * 3)]
            switch kind {
            case "malformed_icdo3": out.markCorrupted(.cancers, kind); topo = "X" + topo.dropFirst(); morph = "98A6"
            case "diagnosis_before_birth": out.markCorrupted(.cancers, kind); dayOut = birthDay - 100
            default: copies = 2
            }
        }
        for copy in 0..<copies {
            if copy == 1 { out.markCorrupted(.cancers, "duplicate_row") }
            var w = out[.cancers]
            out[.cancers] = CSVRowWriter()
            w.id(pid, "-K", number); w.text(pid); w.date(CalendarDate(dayNumber: dayOut))
            w.text(topo); w.text(morph + "/3"); w.text("3"); w.text("7")
            w.text("\(country.rawValue)-cancer-registry")
            w.endRow()
            out[.cancers] = w
        }
    }
}
