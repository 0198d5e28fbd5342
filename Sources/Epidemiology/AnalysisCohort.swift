import Foundation
import HarmonicCore

/// What the analysis cohort is built from: plain records as a registry store (or a synthetic
/// extract) holds them. Keys join the records: a child is `site/pseudonym` (or `site/id`).
public struct PatientRecord: Sendable {
    public var key: String
    public var sex: Sex
    public var country: Country
    public var birth: CalendarDate
    /// Data-dictionary code: none, down_syndrome, other_chromosomal_syndrome, organ_transplant, ...
    public var predisposingCondition: String
    /// alive, dead, emigrated or lost.
    public var vitalStatus: String
    public var emigration: CalendarDate?
    public var lastContact: CalendarDate
    public var death: CalendarDate?
    public init(key: String, sex: Sex, country: Country, birth: CalendarDate, predisposingCondition: String, vitalStatus: String,
                emigration: CalendarDate?, lastContact: CalendarDate, death: CalendarDate?) {
        self.key = key; self.sex = sex; self.country = country; self.birth = birth
        self.predisposingCondition = predisposingCondition; self.vitalStatus = vitalStatus
        self.emigration = emigration; self.lastContact = lastContact; self.death = death
    }
}

/// One cancer diagnosis with its ICD-O-3 codes.
public struct DiagnosisRecord: Sendable {
    public var patientKey: String
    public var date: CalendarDate
    public var topography: String, morphology: String, behaviour: String
    public init(patientKey: String, date: CalendarDate, topography: String, morphology: String, behaviour: String) {
        self.patientKey = patientKey; self.date = date; self.topography = topography; self.morphology = morphology; self.behaviour = behaviour
    }
}

/// One procedure's reconstructed organ doses; `doses` is nil when the reconstruction flagged
/// the procedure (tier `flagged`: no dose could be given).
public struct ProcedureDoseRecord: Sendable {
    public var patientKey: String
    /// `site/site_procedure_id`: the key of dose realisations in a side file.
    public var procedureKey: String
    public var date: CalendarDate
    public var tier: String
    public var doses: [Organ: Gray]?
    /// Whether the exposure can start the child's follow-up (the study's own exposures: cardiac
    /// procedures, radiotherapy courses). Other exposures (diagnostic imaging) add dose but do not
    /// move cohort entry.
    public var definesEntry: Bool
    public init(patientKey: String, procedureKey: String, date: CalendarDate, tier: String, doses: [Organ: Gray]?, definesEntry: Bool = true) {
        self.patientKey = patientKey; self.procedureKey = procedureKey; self.date = date; self.tier = tier; self.doses = doses
        self.definesEntry = definesEntry
    }
}

/// How procedures without a dose (tier `flagged`) enter the analysis.
public enum FlaggedDosePolicy: String, CaseIterable, Sendable, Codable {
    /// Default. Follow-up ends on the date of the child's first flagged procedure (exit reason
    /// `dose_unknown`): the cumulative dose is known exactly before it and unknown after it.
    /// A child whose first procedure is flagged contributes no person-years.
    case censor
    /// Children with any flagged procedure are left out entirely (complete-case analysis).
    case exclude
    /// Flagged procedures count with zero dose (a sensitivity analysis: it understates dose,
    /// which biases the ERR upwards when flagged procedures carry real dose).
    case zero
}

/// The cohort of a dose-response analysis and an account of everyone left out.
public struct AnalysisCohort: Sendable {
    public var members: [CohortMember]
    public var patientsRead = 0
    /// Children left out, by reason (e.g. "no organ dose rows", "flagged dose (exclude policy)").
    public var excluded: [String: Int] = [:]
    public var proceduresRead = 0
    public var flaggedProcedures = 0
    /// Children whose follow-up ended early at a flagged procedure (censor policy).
    public var censoredAtFlagged = 0
    /// Diagnoses per outcome group, and diagnoses that belong to no group.
    public var diagnosesByGroup: [OutcomeGroup: Int] = [:]
    public var diagnosesOutsideGroups = 0
    /// Diagnoses in an outcome group dated before the child's entry (first exposure) that were not counted as outcomes:
    /// in the radiotherapy registry, the primary cancer the child was treated for.
    public var diagnosesBeforeEntryDropped = 0
    public var policy: FlaggedDosePolicy
    /// Which study the cohort is: cardiac (organ doses of catheterisations) or radiotherapy (courses).
    public var study: StudyCohort = .cardiac
    /// What the exposures' dose is, in words, for the CLI and the report (set by the reader).
    public var doseDescription: String? = nil

    /// A short plain-text account for the CLI and the report.
    public var summary: String {
        var s: String
        if study == .radiotherapy {
            s = "\(members.count) of \(patientsRead) radiotherapy children in the analysis cohort; \(proceduresRead) radiotherapy courses"
            if diagnosesBeforeEntryDropped > 0 { s += ", \(diagnosesBeforeEntryDropped) outcome-group diagnoses before the first course (the cancers treated) not counted as outcomes" }
        } else {
            s = "\(members.count) of \(patientsRead) children in the analysis cohort; \(proceduresRead) procedures with a dose row, \(flaggedProcedures) flagged (no dose; policy: \(policy.rawValue)"
            if policy == .censor { s += ", \(censoredAtFlagged) children censored at a flagged procedure" }
            s += ")"
        }
        for (reason, n) in excluded.sorted(by: { $0.key < $1.key }) { s += "; left out: \(n) \(reason)" }
        let groups = OutcomeGroup.allCases.compactMap { g in diagnosesByGroup[g].map { "\(g.rawValue) \($0)" } }
        s += ". Diagnoses: " + (groups.isEmpty ? "none" : groups.joined(separator: ", ")) + ", \(diagnosesOutsideGroups) in no group."
        if let d = doseDescription { s += "\nDose: " + d }
        return s
    }

    /// Builds cohort members: entry at the first procedure with a dose row, exit at the earliest
    /// of last contact, death and emigration (exit reason from the vital status), outcomes from
    /// ICD-O-3 codes (`OutcomeGroup`), exposures with their organ doses and procedure keys.
    /// `dropDiagnosesBeforeEntry`: diagnoses dated before the child's first exposure are not outcomes
    /// (radiotherapy registry: the primary cancer precedes its treatment; counted in
    /// `diagnosesBeforeEntryDropped`). Otherwise such a diagnosis ends the child's follow-up before it starts.
    public static func build(patients: [PatientRecord], diagnoses: [DiagnosisRecord], doses: [ProcedureDoseRecord],
                             policy: FlaggedDosePolicy = .censor, study: StudyCohort = .cardiac,
                             dropDiagnosesBeforeEntry: Bool = false) -> AnalysisCohort {
        var cohort = AnalysisCohort(members: [], policy: policy, study: study)
        cohort.patientsRead = patients.count
        cohort.proceduresRead = doses.filter(\.definesEntry).count
        var byPatient: [String: [ProcedureDoseRecord]] = [:]
        for d in doses { byPatient[d.patientKey, default: []].append(d); if d.doses == nil { cohort.flaggedProcedures += 1 } }
        var events: [String: [OutcomeEvent]] = [:]
        for d in diagnoses {
            guard let g = OutcomeGroup.classify(topography: d.topography, morphology: d.morphology, behaviour: d.behaviour) else {
                cohort.diagnosesOutsideGroups += 1; continue
            }
            cohort.diagnosesByGroup[g, default: 0] += 1
            events[d.patientKey, default: []].append(OutcomeEvent(date: d.date, outcome: g.rawValue))
        }
        func leaveOut(_ reason: String) { cohort.excluded[reason, default: 0] += 1 }
        cohort.members.reserveCapacity(patients.count)
        for p in patients {
            guard var procs = byPatient[p.key], let first = procs.filter(\.definesEntry).min(by: { ($0.date, $0.procedureKey) < ($1.date, $1.procedureKey) }) else {
                leaveOut("children without organ dose rows"); continue
            }
            procs.sort { ($0.date, $0.procedureKey) < ($1.date, $1.procedureKey) }
            var exit = p.lastContact, reason: ExitReason
            switch p.vitalStatus {
            case "dead": reason = .death
            case "emigrated": reason = .emigration
            case "lost": reason = .lostToFollowUp
            default: reason = .endOfStudy
            }
            if let d = p.death, d < exit { exit = d; reason = .death }
            if let e = p.emigration, e < exit { exit = e; reason = .emigration }
            let entry = first.date
            guard p.birth <= entry else { leaveOut("children with a procedure before birth"); continue }
            guard exit >= entry else { leaveOut("children whose follow-up ends before their first procedure"); continue }
            var exposures: [Exposure] = []
            if let firstFlagged = procs.firstIndex(where: { $0.doses == nil }) {
                switch policy {
                case .exclude: leaveOut("children with a flagged procedure (exclude policy)"); continue
                case .censor:
                    let day = procs[firstFlagged].date
                    // A flagged exposure before entry (diagnostic imaging) ends follow-up at entry.
                    if day < exit { exit = max(day, entry); reason = .doseUnknown }
                    cohort.censoredAtFlagged += 1
                    procs = Array(procs[..<firstFlagged])
                case .zero: break
                }
            }
            for r in procs where r.date <= exit {
                exposures.append(Exposure(date: r.date, organDoses: r.doses ?? [:], key: r.procedureKey))
            }
            var childEvents = events[p.key] ?? []
            if dropDiagnosesBeforeEntry {
                let before = childEvents.filter { $0.date < entry }.count
                cohort.diagnosesBeforeEntryDropped += before
                if before > 0 { childEvents.removeAll { $0.date < entry } }
            }
            var member = CohortMember(id: p.key, sex: p.sex, country: p.country, birth: p.birth, entry: entry, exit: exit,
                                      exitReason: reason, events: childEvents, exposures: exposures,
                                      covariates: ["predisposing_condition": p.predisposingCondition])
            // A child censored at its first procedure keeps its entry; it has no person-years.
            if exposures.isEmpty { member.exit = entry }
            cohort.members.append(member)
        }
        return cohort
    }
}
