import ArgumentParser
import Foundation
import HarmonicCore
import Reports
import RiskProjection

/// `harmonic risk`: lifetime attributable risk (BEIR VII, as RadRAT) and second-cancer risk of plans.
struct RiskCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk",
        abstract: "Lifetime attributable cancer risk from organ doses, OED of a DVH, risk comparison of RT plans, cohort risk.",
        discussion: """
        lar      LAR of cancer incidence and mortality for one child (BEIR VII models, Monte Carlo intervals).
        oed      Organ equivalent dose of a differential DVH (Schneider's linear, linear-exponential, plateau, full models).
        compare  Second-cancer risk of two plans (outputs of `harmonic rt dose --json`), organ by organ, with the ratio.
        cohort   LAR for every child of a store from the doses of `harmonic dose`.
        Method, baselines and the agreement with BEIR VII's tables: docs/risk-projection.md.
        """,
        subcommands: [RiskLARCommand.self, RiskOEDCommand.self, RiskCompareCommand.self, RiskCohortCommand.self]
    )
}

/// Options shared by the commands that project LAR.
struct RiskModelOptions: ParsableArguments {
    @Option(help: "Study country whose national baseline rates to use (BE, DE, DK, ES, FR, IT, NO, UK); none are shipped yet, so this names the alternatives.")
    var country: String?

    @Option(help: "Baseline rates: a shipped name (who-region1, us-1999) or a directory with life_table.csv, incidence.csv, mortality.csv (docs/risk-projection.md). Default who-region1.")
    var baseline: String?

    @Option(help: "Monte Carlo draws of the model parameters (intervals are the 2.5th and 97.5th percentiles).")
    var draws: Int = 1000

    @Option(help: "Random seed of the parameter draws (same seed, same intervals).")
    var seed: UInt64 = 20_051_115

    @Flag(help: "Do not divide solid-cancer risks by the DDREF (use for acute doses above about 0.1 Gy).")
    var noDDREF = false

    func validate() throws {
        guard (10...100_000).contains(draws) else { throw ValidationError("--draws must be 10-100000, got \(draws)") }
        if country != nil && baseline != nil { throw ValidationError("give --country or --baseline, not both") }
    }

    func model(sexes: [Sex] = Sex.allCases, agesAtExposure: [Double]? = nil) throws -> LifetimeRiskModel {
        let b: Baseline
        if let country {
            guard let c = Country(code: country) else { throw ValidationError("--country: '\(country)' is not one of BE, DE, DK, ES, FR, IT, NO, UK") }
            b = try Baseline.forCountry(c)
        } else {
            b = try Baseline.load(baseline ?? "who-region1")
        }
        let models = try Beir7Models.beir7()
        return LifetimeRiskModel(models: models, baseline: b,
                                 draws: ParameterDraws(models: models, count: draws, seed: seed, ddref: !noDDREF), ddref: !noDDREF,
                                 sexes: sexes, agesAtExposure: agesAtExposure)
    }
}



/// "12.3 (4.5-30.1)" per 100,000.
func per100k(_ s: RiskSummary?) -> String {
    guard let s else { return "-" }
    return String(format: "%.1f (%.1f-%.1f)", s.estimate * 1e5, s.lower95 * 1e5, s.upper95 * 1e5)
}

struct RiskLARCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lar",
        abstract: "Lifetime attributable risk (LAR) of cancer incidence and mortality for one child, with 95% intervals.",
        discussion: """
        Doses are absorbed doses in Gy per organ (low-LET). Each BEIR VII site takes its organ's dose: stomach, colon, \
        liver, lung, breast, prostate, uterus, ovaries (ovary), bladder, thyroid, red_marrow (leukaemia); `other` (all \
        other solid cancers) takes other=GY if given, else the mean of the ICRP 103 remainder tissues you give (heart, \
        ...); `whole_body=GY` sets every site. Sites without a dose are listed as not computed, never counted as zero.

        Output: LAR per 100,000 children with this exposure (= cases per 100,000; divide by 1,000 for percent) by site, \
        all solid cancers, leukaemia and total; estimate = BEIR VII central parameters; interval = 2.5th-97.5th \
        percentile of the Monte Carlo draws (risk coefficients, DDREF 1.5 with geometric sd 1.35, latency). \
        Models: BEIR VII Phase 2 ch. 12 as implemented in RadRAT (docs/risk-projection.md).

        Examples:
          harmonic risk lar --age-at-exposure 5 --sex F --doses "breast=0.12,lung=0.15,red_marrow=0.02,thyroid=0.01"
          harmonic risk lar --age-at-exposure 5 --sex F --doses "whole_body=0.1" --baseline us-1999 --json
          harmonic risk lar --exposures child.json      (several ages; format in docs/risk-projection.md)
          harmonic risk lar --store harmonic-out/harmonic.sqlite --child NO/3f2a...   (every dosed exposure of a child in the store:
              cardiac procedures, and radiotherapy courses through the OED rules of `harmonic risk cohort`)
        """
    )

    @Option(help: "Age at exposure in years (0-99).")
    var ageAtExposure: Double?

    @Option(help: "Sex: M or F.")
    var sex: String?

    @Option(help: "Organ doses in Gy: \"organ=Gy,organ=Gy\" (organ names as in `harmonic dose`, plus other and whole_body).")
    var doses: String?

    @Option(help: "JSON file with sex and exposures at several ages: {\"sex\":\"F\",\"exposures\":[{\"ageYears\":2,\"doses\":{\"lung\":0.01}}]}.")
    var exposures: String?

    @Option(help: "Registry store: take the exposures of --child from its reconstructed organ doses (harmonic dose, harmonic rt dose --store).")
    var store: String?

    @Option(help: "With --store: the child, SITE/PSEUDONYM (or the bare pseudonym).")
    var child: String?

    @OptionGroup var model: RiskModelOptions

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        if store != nil || child != nil {
            guard store != nil, child != nil else { throw ValidationError("--store and --child go together") }
            guard exposures == nil, doses == nil, ageAtExposure == nil, sex == nil else {
                throw ValidationError("with --store and --child the exposures come from the store: leave out --exposures, --doses, --age-at-exposure and --sex")
            }
            return
        }
        if exposures == nil {
            guard let a = ageAtExposure, (0..<100).contains(a) else { throw ValidationError("--age-at-exposure (0-99 years) is required without --exposures") }
            guard sex != nil else { throw ValidationError("--sex M or F is required without --exposures") }
            guard doses != nil else { throw ValidationError("--doses \"organ=Gy,...\" is required without --exposures") }
        } else if doses != nil || ageAtExposure != nil {
            throw ValidationError("give either --exposures FILE or --age-at-exposure with --doses, not both")
        }
    }

    static func parseDoses(_ text: String, source: String, sex: Sex) throws -> [Organ: Gray] {
        var organs: [Organ: Gray] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            guard kv.count == 2, let gy = Double(kv[1]), gy.isFinite, gy >= 0 else {
                throw InputError(.file(source), field: "doses", value: String(part), expected: "organ=Gy with a dose >= 0 in Gy, e.g. lung=0.15")
            }
            if kv[0] == "whole_body" { for o in Organ.allCases { organs[o] = Gray(gy) }; continue }
            guard let organ = Organ(rawValue: kv[0]) ?? (kv[0] == "ovary" ? .ovaries : nil) else {
                if kv[0] == "other" { continue }
                throw InputError(.file(source), field: "doses", value: kv[0], expected: "an organ name: " + Organ.allCases.map(\.rawValue).joined(separator: ", ") + ", other, whole_body")
            }
            if gy > 5 {
                throw InputError(.file(source), field: "doses", value: String(part), expected: "a dose up to 5 Gy: BEIR VII models are for low doses; use `harmonic risk compare` (OED) for radiotherapy doses")
            }
            organs[organ] = Gray(gy)
        }
        return organs
    }

    static func otherDose(_ text: String) -> Gray? {
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingWhitespace() }
            if kv.count == 2, kv[0] == "other" || kv[0] == "whole_body", let g = Double(kv[1]) { return Gray(g) }
        }
        return nil
    }

    struct ExposureFile: Decodable {
        struct Item: Decodable { var ageYears: Double; var doses: [String: Double] }
        var sex: String
        var exposures: [Item]
    }

    func run() throws {
        let s: Sex, xs: [Exposure]
        if let store, let child {
            let cohort = try CohortRiskDoses.read(storePath: store, exposures: Set(CohortRiskDoses.ExposureType.allCases))
            guard let c = cohort.children.first(where: { $0.id == child || $0.id.hasSuffix("/" + child) }) else {
                throw InputError(.file(store), field: "child", value: child,
                                 expected: "a child with reconstructed organ doses (SITE/PSEUDONYM); run harmonic dose or harmonic rt dose --store first")
            }
            s = c.sex; xs = c.exposures
            if cohort.types[c.id]?.contains(.radiotherapy) == true, !cohort.leftOut.isEmpty {
                note("radiotherapy organ doses above 2 Gy without a cell-killing alpha are left out (docs/risk-projection.md, risk cohort)")
            }
        } else if let exposures {
            guard let data = FileManager.default.contents(atPath: exposures) else {
                throw InputError(.file(exposures), expected: "a readable JSON file {\"sex\":..., \"exposures\":[...]}")
            }
            let f: ExposureFile
            do { f = try JSONDecoder().decode(ExposureFile.self, from: data) } catch {
                throw InputError(.file(exposures), expected: "JSON {\"sex\":\"F\",\"exposures\":[{\"ageYears\":2,\"doses\":{\"lung\":0.01}}]} (\(error))")
            }
            guard let fs = Sex(code: f.sex) else { throw InputError(.file(exposures), field: "sex", value: f.sex, expected: "M or F") }
            s = fs
            xs = try f.exposures.enumerated().map { i, item in
                guard (0..<100).contains(item.ageYears) else {
                    throw InputError(.file(exposures), field: "exposures[\(i)].ageYears", value: "\(item.ageYears)", expected: "an age 0-99 years")
                }
                let text = item.doses.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                return Exposure(ageYears: item.ageYears, organDoses: try Self.parseDoses(text, source: "\(exposures) exposures[\(i)]", sex: fs),
                                sex: fs, otherDose: Self.otherDose(text))
            }
        } else {
            guard let fs = Sex(code: sex!) else { throw ValidationError("--sex: '\(sex!)' is not M or F") }
            s = fs
            xs = [Exposure(ageYears: ageAtExposure!, organDoses: try Self.parseDoses(doses!, source: "--doses", sex: fs), sex: fs,
                           otherDose: Self.otherDose(doses!))]
        }
        let m = try model.model(sexes: [s], agesAtExposure: xs.map(\.ageYears))
        let r = m.risk(sex: s, exposures: xs)
        if json { print(try jsonString(r)); return }
        print("Lifetime attributable risk, \(s == .female ? "female" : "male"), \(xs.count) exposure(s) at age \(xs.map { String(format: "%.1f", $0.ageYears) }.joined(separator: ", ")) y")
        print("Baseline: \(m.baseline.name); \(m.draws.count) draws; DDREF \(m.applyDDREF ? "1.5 (lognormal, GSD 1.35)" : "off")")
        print("Per 100,000 exposed children: estimate (95% interval)")
        let pad = { (s: String, n: Int) in s.padding(toLength: n, withPad: " ", startingAt: 0) }
        print(pad("site", 14) + pad("dose Gy", 10) + pad("incidence", 26) + "mortality")
        for site in r.sites {
            let dose = xs.compactMap { $0.doses[site.site]?.value }.reduce(0, +)
            let doseText = xs.contains { $0.doses[site.site] != nil } ? String(format: "%.4g", dose) : "-"
            if site.incidence == nil && site.mortality == nil {
                print(pad(site.site.displayName, 14) + pad(doseText, 10) + "not computed: \(site.note ?? "")")
            } else {
                print(pad(site.site.displayName, 14) + pad(doseText, 10) + pad(per100k(site.incidence), 26) + per100k(site.mortality)
                      + (site.note.map { "  (\($0))" } ?? ""))
            }
        }
        print(pad("All solid", 24) + pad(per100k(r.allSolid[.incidence]), 26) + per100k(r.allSolid[.mortality]))
        print(pad("Leukaemia", 24) + pad(per100k(r.leukaemia[.incidence]), 26) + per100k(r.leukaemia[.mortality]))
        print(pad("Total", 24) + pad(per100k(r.total[.incidence]), 26) + per100k(r.total[.mortality]))
    }
}

struct RiskOEDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oed",
        abstract: "Organ equivalent dose (OED, Gy) of a differential DVH under Schneider's dose-response models.",
        discussion: """
        The DVH CSV has a header `dose_gy,volume_cm3`: bin-centre dose (Gy) and organ volume in the bin (cm3). \
        OED = sum(V_i RED(D_i)) / V: the uniform dose with the same cancer risk as the DVH.
        Models (Schneider, Sumila, Robotka 2011, Theor Biol Med Model 8:27):
          linear               RED = D (the low-dose BEIR VII path; OED = mean dose)
          linear-exponential   RED = D exp(-alpha D)                       (--alpha, Gy^-1)
          plateau              RED = (1 - exp(-delta D)) / delta           (--delta, Gy^-1)
          full                 cell killing with alpha' = alpha + beta D/n, repopulation R, n fractions
                               (--alpha, --repopulation R, --alpha-beta 3, --fractions n)
        Parameters not given on the command line come from the shipped table (schneider_oed_parameters.csv) when it \
        has the organ; otherwise the command says which option is needed.
        Examples:
          harmonic risk oed --dvh lung.csv --organ lung --model linear-exponential
          harmonic risk oed --dvh lung.csv --organ lung --model full --fractions 30 --alpha 0.042 --repopulation 0.83 --json
        """
    )

    @Option(help: "Differential DVH CSV with columns dose_gy,volume_cm3.") var dvh: String
    @Option(help: "Organ (Harmonic organ name, e.g. lung, breast, thyroid).") var organ: String
    @Option(help: "linear, linear-exponential, plateau or full.") var model: String = "full"
    @Option(help: "Number of fractions (full model).") var fractions: Int = 1
    @Option(help: "Cell-killing alpha, Gy^-1 (linear-exponential, full).") var alpha: Double?
    @Option(help: "Plateau delta, Gy^-1.") var delta: Double?
    @Option(help: "Repopulation/repair fraction R, 0-1 (full).") var repopulation: Double?
    @Option(help: "alpha/beta in Gy (full; Schneider 2011 uses 3).") var alphaBeta: Double = 3
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard fractions >= 1 else { throw ValidationError("--fractions must be >= 1") }
        guard ["linear", "linear-exponential", "plateau", "full"].contains(model) else {
            throw ValidationError("--model must be linear, linear-exponential, plateau or full, got \(model)")
        }
        if let r = repopulation, !(0...1).contains(r) { throw ValidationError("--repopulation must be 0-1, got \(r)") }
        guard alphaBeta > 0 else { throw ValidationError("--alpha-beta must be > 0 Gy") }
    }

    struct Output: Encodable { var organ: String; var model: String; var parameters: [String: Double]; var parameterSources: [String: String]; var oedGy: Double; var meanDoseGy: Double; var volumeCm3: Double }

    func run() throws {
        guard let o = Organ(rawValue: organ) else {
            throw ValidationError("--organ: '\(organ)' is not an organ name (\(Organ.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        guard let text = try? String(contentsOfFile: dvh, encoding: .utf8) else {
            throw InputError(.file(dvh), expected: "a readable CSV with header dose_gy,volume_cm3")
        }
        let d = try DifferentialDVH(csvText: text, file: dvh)
        let table = try OEDParameters.shipped()
        var sources: [String: String] = [:]
        func param(_ given: Double?, _ name: String, column: String, option: String) throws -> Double {
            if let given { sources[name] = "command line"; return given }
            if let e = table.value(organ: o, model: column, parameter: name) { sources[name] = e.source; return e.value }
            throw ValidationError("no shipped \(name) for \(o.rawValue) (\(model) model): give \(option)")
        }
        let m: OEDModel
        var params: [String: Double] = [:]
        switch model {
        case "linear": m = .linear
        case "linear-exponential":
            let a = try param(alpha, "alpha", column: "linear_exponential", option: "--alpha"); params["alpha"] = a
            m = .linearExponential(alpha: a)
        case "plateau":
            let dl = try param(delta, "delta", column: "plateau", option: "--delta"); params["delta"] = dl
            m = .plateau(delta: dl)
        default:
            let a = try param(alpha, "alpha", column: "full", option: "--alpha")
            let r = try param(repopulation, "R", column: "full", option: "--repopulation")
            params = ["alpha": a, "R": r, "alphaBeta": alphaBeta, "fractions": Double(fractions)]
            m = .full(alpha: a, repopulation: r, alphaBeta: alphaBeta, fractions: fractions)
        }
        let out = Output(organ: o.rawValue, model: m.name, parameters: params, parameterSources: sources, oedGy: m.oed(d),
                         meanDoseGy: d.meanDose, volumeCm3: d.totalVolume)
        if json { print(try jsonString(out)); return }
        print("Organ \(o.rawValue), \(m.name) model \(params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
        print(String(format: "OED %.4g Gy  (mean dose %.4g Gy, volume %.1f cm3, %d bins)", out.oedGy, out.meanDoseGy, out.volumeCm3, d.doseGy.count))
        for (k, v) in sources.sorted(by: { $0.key < $1.key }) { print("  \(k): \(v)") }
    }
}
