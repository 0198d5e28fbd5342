import ArgumentParser
import FollowUp
import Foundation
import HarmonicCore
import Registry

/// `harmonic followup`: a child's late-effect surveillance plan under the IGHG / PanCare guidelines.
struct FollowUpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followup",
        abstract: "Surveillance plan of a child (or summary for the registry) under the dose-dependent IGHG / PanCare guidelines.",
        discussion: """
        For each late effect the child qualifies for: the exposure that triggers it (with the dose and where the dose \
        came from), the start age and date, the modality and frequency, the strength of the recommendation and the \
        source. Rules: breast cancer (IGHG 2013/2020), cardiomyopathy (IGHG 2023 update, doxorubicin equivalents), \
        thyroid cancer (IGHG 2018), thyroid function (COG v6.0), hearing loss (IGHG 2019: cisplatin or head RT ≥ 30 Gy), \
        premature ovarian insufficiency (IGHG 2016: alkylating agents or RT exposing the ovaries), colorectal cancer \
        (COG: abdominal, pelvic or spinal RT ≥ 30 Gy), hypothalamic-pituitary axis problems and central precocious \
        puberty (IGHG 2022 / PanCare: RT exposing the HP region; referral at ≥ 30 Gy or after surgery in the HP region), \
        cerebrovascular problems (PanCare: RT to the head, brain or neck), carotid ultrasound (COG: neck RT ≥ 40 Gy) and \
        pulmonary dysfunction (IGHG 2024 / PanCare: RT exposing the lungs, allogeneic HSCT, thoracic surgery; bleomycin, \
        busulfan, nitrosoureas); transplants and operations come from the store's hsct and surgery tables; thresholds and sources in docs/follow-up.md. From a store, chemotherapy comes from its chemotherapy table (agent, cumulative mg/m²).

        Organ mean doses are used where they are known (a treatment summary with organMeanDoseGy; RT organ doses in the \
        store once the RT dose reconstruction writes them); otherwise the prescribed dose of each field that exposes \
        the organ, and the plan says so. The hypothalamic-pituitary region and the carotid arteries are not organs of \
        the store: their rules read, per course, the structure's mean dose from the plan's DVH (a treatment summary with \
        structureMeanDoseGy: hypothalamus, pituitary, hypothalamic_pituitary, carotid_arteries), else a phantom \
        estimate from the organ doses (brain mean of a whole-brain field; thyroid and salivary glands beside the \
        carotids), else the prescribed dose, and each item lists the dose sources it used.

        Examples:
          harmonic followup --treatment child.json            # a treatment summary (docs/follow-up.md)
          harmonic followup --store harmonic.sqlite --child DE/3f9c…   # a child of the radiotherapy registry
          harmonic followup --store harmonic.sqlite --all --json
        """
    )

    @Option(help: "Treatment summary JSON file of one child (docs/follow-up.md).") var treatment: String?
    @Option(help: "Registry store (SQLite).") var store: String?
    @Option(help: "Open the store as the data manager of this site (default: analyst, all sites).") var site: String?
    @Option(help: "The child, SITE/pseudonym or pseudonym (with --store).") var child: String?
    @Flag(help: "Plans for every child of the radiotherapy registry, summarised.") var all = false
    @Flag(help: "Print JSON.") var json = false
    @Option(help: "Write the child's survivorship passport (HL7 FHIR R4 Bundle, PanCare SurPass IG) to this file.") var fhir: String?
    @Option(help: "With --fhir from a store: the site's own patient id; with --site-key-file it finds the child and is written into the passport.") var siteId: String?
    @Option(help: "The site's pseudonymisation key file (with --site-id): only the site holding the key can export its own id.") var siteKeyFile: String?

    func run() throws {
        let summaries: [TreatmentSummary]
        if let treatment {
            summaries = [try TreatmentSummary.load(path: treatment)]
        } else if let store {
            guard FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store: no file at \(store)") }
            var wanted = child
            if let siteId {
                guard let siteKeyFile, let site else { throw ValidationError("--site-id needs --site and --site-key-file (the site's key turns its id into the pseudonym)") }
                wanted = "\(site.uppercased())/" + (try Pseudonymiser(keyFile: siteKeyFile)).pseudonym(for: siteId)
            }
            guard all || wanted != nil else { throw ValidationError("with --store, give --child SITE/PSEUDONYM (or --site-id with the site key) or --all") }
            let registry = try RegistryStore(path: store, role: site.map { .dataManager(site: $0.uppercased()) } ?? .analyst)
            summaries = try registry.treatmentSummaries(children: all ? nil : [wanted!])
            if !all && summaries.isEmpty {
                throw ValidationError("\(wanted!): no radiotherapy course for this child in \(store) (give SITE/pseudonym as `harmonic analyze` and the report print them)")
            }
        } else {
            throw ValidationError("give --treatment FILE, or --store S with --child or --all")
        }
        let t0 = Date()
        let plans = summaries.map(SurveillanceRules.plan)
        if let fhir {
            guard plans.count == 1 else { throw ValidationError("--fhir writes one child's passport: give --treatment, --child or --site-id, not --all") }
            let siteCode = site?.uppercased() ?? String(summaries[0].child.split(separator: "/").first ?? "XX")
            let bundle = SurvivorshipPassport.bundle(summary: summaries[0], plan: plans[0],
                                                     options: .init(site: siteCode, siteIdentifier: siteKeyFile == nil ? nil : siteId))
            try SurvivorshipPassport.json(bundle).write(to: URL(fileURLWithPath: fhir))
            note("followup: survivorship passport (FHIR R4 document Bundle, \((bundle["entry"] as? [Any])?.count ?? 0) resources) written to \(fhir)")
        }
        note(String(format: "followup: %d plans in %.3f s", plans.count, Date().timeIntervalSince(t0)))
        if all {
            let summary = SurveillanceSummary(plans: plans)
            if json { print(try jsonString(summary)); return }
            print("\(summary.children) children; \(summary.withAnyItem) qualify for at least one surveillance")
            for row in summary.byRule { print("  \(row.rule) (\(row.strength)): \(row.children)") }
            return
        }
        if json { print(try jsonString(plans.count == 1 ? AnyEncodable(plans[0]) : AnyEncodable(plans))); return }
        for plan in plans {
            print("Surveillance plan for \(plan.child) (\(plan.sex)):")
            if plan.items.isEmpty { print("  no dose- or field-dependent surveillance applies") }
            for i in plan.items {
                print("- \(i.lateEffect) [\(i.strength)\(i.riskGroup.map { ", \($0)" } ?? "")]")
                print("    trigger: \(i.trigger)")
                print("    \(i.modality), \(i.frequency), from \(i.startDate) (age \(i.startAgeYears))")
                print("    dose: \(i.doseBasis)")
                print("    source: \(i.sources.joined(separator: "; "))")
            }
            for n in plan.notes { print("  note: \(n)") }
        }
    }
}

/// Plans of a whole registry, counted by rule and strength (`harmonic followup --all`).
struct SurveillanceSummary: Encodable {
    struct Row: Encodable { var rule: String; var strength: String; var children: Int }
    var children: Int
    var withAnyItem: Int
    var byRule: [Row]
    init(plans: [SurveillancePlan]) {
        children = plans.count
        withAnyItem = plans.filter { !$0.items.isEmpty }.count
        var counts: [String: Int] = [:]
        for p in plans { for i in p.items { counts["\(i.rule)\u{1F}\(i.strength)", default: 0] += 1 } }
        byRule = counts.keys.sorted().map { k in
            let parts = k.split(separator: "\u{1F}").map(String.init)
            return Row(rule: parts[0], strength: parts[1], children: counts[k]!)
        }
    }
}

/// Type-erased `Encodable` for printing one plan or several.
struct AnyEncodable: Encodable {
    let encodeTo: (Encoder) throws -> Void
    init(_ value: some Encodable) { encodeTo = value.encode }
    func encode(to encoder: Encoder) throws { try encodeTo(encoder) }
}
