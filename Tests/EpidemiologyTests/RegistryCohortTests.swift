import Foundation
import HarmonicCore
import HarmonicTestSupport
import Registry
import Synthesis
import Testing
@testable import Epidemiology

@Suite("Analysis cohort from the registry store")
struct RegistryCohortTests {
    /// 1,500 children, every 7th procedure flagged by the "reconstruction".
    static let flagged = Result(catching: { try StoreFixture.make("epi-store-flagged", children: 1500, seed: 31, flagEvery: 7) })

    @Test("the store's cohort equals the cohort read from synth's own files: children, exposures, doses, cases, follow-up")
    func storeEqualsSynthFiles() throws {
        let f = try StoreFixture.make("epi-store-plain", children: 1200, seed: 17)
        let fromStore = try f.analystStore().analysisCohort(storePath: f.storePath)
        let files = try SyntheticCohortFolder.read(directory: f.extract)
        let fromFiles = AnalysisCohort.build(patients: files.patients, diagnoses: files.diagnoses, doses: files.doses)
        #expect(fromStore.members.count == fromFiles.members.count)
        #expect(fromStore.members.count > 1000)
        func totals(_ c: AnalysisCohort) -> (Int, Double, Int, Int) {
            (c.members.reduce(0) { $0 + $1.exposures.count },
             c.members.reduce(0.0) { $0 + $1.exposures.reduce(0.0) { $0 + ($1.organDoses[.redMarrow]?.value ?? 0) } },
             c.members.reduce(0) { $0 + $1.entry.days(to: $1.exit) },
             c.members.reduce(0) { $0 + $1.events.count })
        }
        let a = totals(fromStore), b = totals(fromFiles)
        #expect(a.0 == b.0); #expect(a.2 == b.2); #expect(a.3 == b.3)
        #expect(abs(a.1 - b.1) <= 1e-9 * b.1) // same decimal values through SQLite REAL: summation order only
        #expect(fromStore.diagnosesByGroup == fromFiles.diagnosesByGroup)
        #expect(fromStore.flaggedProcedures == 0 && fromStore.censoredAtFlagged == 0)
    }

    @Test("censor policy: follow-up ends at the first flagged procedure and no exposure without a dose remains")
    func censorAtFlagged() throws {
        let f = try Self.flagged.get()
        let c = try f.analystStore().analysisCohort(policy: .censor)
        #expect(c.flaggedProcedures > 0)
        #expect(c.members.allSatisfy { m in m.exposures.allSatisfy { !$0.organDoses.isEmpty } })
        #expect(c.members.contains { $0.exitReason == .doseUnknown })
        #expect(c.members.allSatisfy { m in m.exposures.allSatisfy { $0.date <= m.exit } })
        #expect(c.censoredAtFlagged > 0)
    }

    @Test("exclude policy leaves out every child with a flagged procedure; zero policy keeps them with zero-dose exposures")
    func excludeAndZero() throws {
        let f = try Self.flagged.get()
        let store = try f.analystStore()
        let censor = try store.analysisCohort(policy: .censor), exclude = try store.analysisCohort(policy: .exclude)
        let zero = try store.analysisCohort(policy: .zero)
        #expect(exclude.members.count + (exclude.excluded["children with a flagged procedure (exclude policy)"] ?? 0) == censor.members.count)
        #expect(zero.members.count == censor.members.count)
        let zeroExposures = zero.members.flatMap(\.exposures)
        #expect(zeroExposures.filter { $0.organDoses.isEmpty }.count == zero.flaggedProcedures)
        #expect(exclude.members.allSatisfy { $0.exitReason != .doseUnknown })
    }

    @Test("a store without procedure_organ_dose says that no organ doses are available and how to get them")
    func missingOrganDoses() throws {
        let f = try StoreFixture.make("epi-store-nodose", children: 100, seed: 5, withDoses: false)
        let store = try f.analystStore()
        #expect(try store.hasOrganDoses() == false)
        #expect { try store.analysisCohort(storePath: f.storePath) } throws: { e in
            "\(e)".contains("no organ doses") && "\(e)".contains("procedure_organ_dose") && "\(e)".contains("dose reconstruction")
        }
    }

    @Test("leukaemia vs red-marrow dose fitted from the store: the 95% profile interval covers synth's true ERR/Gy")
    func recoversTrueERR() throws {
        let f = try StoreFixture.truth20k.get()
        let truth = try SyntheticCohortFolder.trueERRPerGy(truthFile: f.extract.appendingPathComponent("truth/truth.json"), outcome: .leukaemia)
        #expect(truth == 150)
        let cohort = try f.analystStore().analysisCohort()
        let spec = try ModelSpecification.parse("err: dose; background: strata(sex, attained_age) + predisposing_condition")
        let r = try DoseResponseAnalysis.run(members: cohort.members, request: .init(outcome: "leukaemia", organ: .redMarrow, lagYears: 2, model: spec,
                                                                                   doseCuts: [0.002, 0.005, 0.01, 0.02]))
        let b = try #require(r.fit.parameter("err_per_gy"))
        let lo = try #require(b.profileLower?.value), hi = try #require(b.profileUpper?.value)
        // A 95% interval: this fixed seed is one draw; a correct fit covers the truth 95% of the time.
        #expect(lo <= truth && truth <= hi, "ERR/Gy \(b.estimate) [\(lo), \(hi)] vs truth \(truth)")
        #expect(lo > 0, "the dose effect is detected")
    }
}

@Suite("ICD-O-3 outcome groups")
struct OutcomeGroupTests {
    @Test("haematological morphologies classify by morphology whatever the site (ICCC-3 groups I and II)")
    func haematological() {
        #expect(OutcomeGroup.classify(topography: "C42.1", morphology: "9836/3", behaviour: "3") == .leukaemia)
        #expect(OutcomeGroup.classify(topography: "C42.1", morphology: "9861/3", behaviour: "3") == .leukaemia)
        #expect(OutcomeGroup.classify(topography: "C77.9", morphology: "9650/3", behaviour: "3") == .lymphoma)
        // A lymphoma of the breast is a lymphoma, not a breast cancer (ICD-10 C81-C96 rule).
        #expect(OutcomeGroup.classify(topography: "C50.9", morphology: "9680/3", behaviour: "3") == .lymphoma)
    }

    @Test("solid groups classify by topography; benign tumours and unreadable codes belong to no group")
    func solid() {
        #expect(OutcomeGroup.classify(topography: "C71.9", morphology: "9440/3", behaviour: "3") == .cns)
        #expect(OutcomeGroup.classify(topography: "C75.1", morphology: "8272/3", behaviour: "3") == .cns)
        #expect(OutcomeGroup.classify(topography: "C73.9", morphology: "8260/3", behaviour: "3") == .thyroid)
        #expect(OutcomeGroup.classify(topography: "C34.1", morphology: "8140/3", behaviour: "3") == .lung)
        #expect(OutcomeGroup.classify(topography: "C15.5", morphology: "8070/3", behaviour: "3") == .oesophagus)
        #expect(OutcomeGroup.classify(topography: "C50.4", morphology: "8500/3", behaviour: "3") == .breast)
        #expect(OutcomeGroup.classify(topography: "C71.9", morphology: "9530/0", behaviour: "0") == nil)
        #expect(OutcomeGroup.classify(topography: "C34.1", morphology: "9050/3", behaviour: "3") == nil) // mesothelioma → C45
        #expect(OutcomeGroup.classify(topography: "X34", morphology: "98A6", behaviour: "3") == nil)
        #expect(OutcomeGroup(name: "brain") == .cns && OutcomeGroup(name: "breast_cancer") == .breast)
    }
}

@Suite("Analysis cohort from records")
struct AnalysisCohortBuildTests {
    static func d(_ s: String) -> CalendarDate { CalendarDate(iso: s)! }
    static func patient(_ key: String, vital: String, emigration: String? = nil, death: String? = nil, last: String = "2020-12-31") -> PatientRecord {
        PatientRecord(key: key, sex: .female, country: .norway, birth: d("2000-01-01"), predisposingCondition: "down_syndrome", vitalStatus: vital,
                      emigration: emigration.map(d), lastContact: d(last), death: death.map(d))
    }
    static func dose(_ key: String, _ date: String, mGy: Double?) -> ProcedureDoseRecord {
        ProcedureDoseRecord(patientKey: key, procedureKey: "NO/\(key)-\(date)", date: d(date), tier: mGy == nil ? "flagged" : "event",
                            doses: mGy.map { [.redMarrow: Gray($0 / 1000)] })
    }

    @Test("entry is the first procedure; exit is the earliest of last contact, death and emigration, with its reason")
    func entryAndExit() {
        let c = AnalysisCohort.build(
            patients: [Self.patient("a", vital: "dead", death: "2010-05-01", last: "2010-05-01"),
                       Self.patient("b", vital: "emigrated", emigration: "2012-03-01", last: "2012-03-01"),
                       Self.patient("c", vital: "alive"), Self.patient("d", vital: "alive")],
            diagnoses: [DiagnosisRecord(patientKey: "c", date: Self.d("2008-01-01"), topography: "C42.1", morphology: "9836/3", behaviour: "3")],
            doses: [Self.dose("a", "2001-02-01", mGy: 3), Self.dose("a", "2000-06-01", mGy: 2), Self.dose("b", "2001-01-01", mGy: 1),
                    Self.dose("c", "2002-01-01", mGy: 5)])
        #expect(c.members.count == 3 && c.excluded["children without organ dose rows"] == 1)
        let a = c.members.first { $0.id == "a" }!, b = c.members.first { $0.id == "b" }!, cc = c.members.first { $0.id == "c" }!
        #expect(a.entry == Self.d("2000-06-01") && a.exit == Self.d("2010-05-01") && a.exitReason == .death)
        #expect(a.exposures.map { $0.organDoses[.redMarrow]!.value } == [0.002, 0.003])
        #expect(b.exit == Self.d("2012-03-01") && b.exitReason == .emigration)
        #expect(cc.exitReason == .endOfStudy && cc.events.map(\.outcome) == ["leukaemia"])
        #expect(cc.covariates["predisposing_condition"] == "down_syndrome")
    }

    @Test("a flagged second procedure censors follow-up on its date; a flagged first procedure leaves no person-years")
    func censorDates() throws {
        let c = AnalysisCohort.build(patients: [Self.patient("a", vital: "alive"), Self.patient("b", vital: "alive")], diagnoses: [],
                                     doses: [Self.dose("a", "2001-01-01", mGy: 3), Self.dose("a", "2004-01-01", mGy: nil), Self.dose("a", "2005-01-01", mGy: 9),
                                             Self.dose("b", "2001-01-01", mGy: nil), Self.dose("b", "2002-01-01", mGy: 4)])
        let a = c.members.first { $0.id == "a" }!, b = c.members.first { $0.id == "b" }!
        #expect(a.exit == Self.d("2004-01-01") && a.exitReason == .doseUnknown && a.exposures.count == 1)
        #expect(b.exposures.isEmpty && b.exit == b.entry)
        #expect(c.flaggedProcedures == 2 && c.censoredAtFlagged == 2)
        let t = try PersonYearSplitter.split(c.members, options: PersonYearOptions(outcome: "leukaemia", organ: .redMarrow, lagYears: 0, exclusionYears: 0)).table
        // Only child a contributes: 2001-01-01 to 2004-01-01 = 1095 days.
        #expect(abs(t.personYears.reduce(0, +) - 1095 / 365.25) < 1e-12)
    }
}
