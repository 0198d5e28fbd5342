import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench marrow-sites`: which skeletal sites a typical paediatric cardiac field
/// irradiates: each site's share of the active marrow (ICRP 143 / ICRP 89) and of the red-marrow
/// dose, for a PA field on the heart (the cardiac-trend fields: 6-13 cm at 60 cm focus-skin,
/// 70 kVp, 3.5 mm Al + 0.2 mm Cu), newborn to 15 y. With `--whole-body-kev`, instead each site's
/// active-marrow dose per air kerma in Chang et al. 2017's whole-body beams (monoenergetic; AP and
/// PA, or the `--beams` given), side by side: which sites make the difference between beams.
struct MarrowSitesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marrow-sites",
        abstract: "Active marrow by skeletal site and each site's share of the red-marrow dose in a PA cardiac field, newborn to 15 y (Markdown table, or JSON with --json).")

    @Option(help: "Histories per age (per beam with --whole-body-kev).") var histories: Int = 300_000
    @Option(help: "Photon energies (keV, comma-separated): compare the sites in whole-body AP and PA beams (Chang 2017 geometry) instead of the cardiac field.")
    var wholeBodyKev: String?
    @Option(help: "Ages in years for --whole-body-kev, comma-separated (0, 1, 5, 10, 15).") var ages: String = "0"
    @Option(help: "Beams for --whole-body-kev, comma-separated, the first the reference of the ratios: AP, PA, LLAT, RLAT (e.g. AP,LLAT to see which sites make the lateral beams' marrow dose).")
    var beams: String = "AP,PA"
    @Flag(help: "Print JSON instead of Markdown: per age (the cardiac field), per age, sex and energy (--whole-body-kev), or per phantom and site (--volumes).") var json = false

    @Option(help: ArgumentHelp("Active-marrow response: 'kerma' (default) or 'enhanced' (with the photoelectron enhancement of each site's spongiosa, `harmonic-bench marrow-enhancement`).", valueName: "kerma|enhanced"))
    var marrowResponse: MarrowResponse = .marrowKerma

    @Flag(help: "Print each site's bone volume and mass in the voxelised phantom against the ICRP 143 reference phantom's (AM/1.03 + IM/0.98 + (TBV + CBV)/1.92 cm³, masses exclusive of MST), for --ages, both sexes; no transport.")
    var volumes = false

    func run() throws {
        if volumes { return try boneVolumes() }
        if let wholeBodyKev { return try wholeBody(wholeBodyKev) }
        let spectrum = SourceSpectrum(XRaySpectrum(kVp: 70, anodeAngleDegrees: 12, filtration: try Filtration(parsing: "3.5mmAl+0.2mmCu")))
        let cases: [(ReferenceAge, Double)] = [(.newborn, 6), (.one, 7), (.five, 9), (.ten, 11), (.fifteen, 13)]
        var out: [CardiacFieldSites] = []
        for (age, field) in cases {
            // Arms raised, as in catheterisation and in the coefficient library.
            let phantom = StylisedPhantom.reference(age: age, sex: .female).withArms(.raised)
            var config = TransportConfiguration(phantom: phantom, beam: .cArm(projection: .pa, fieldWidth: field, fieldHeight: field,
                                                                              distance: .focusToSkin(60), target: .heart),
                                                spectrum: spectrum, histories: histories, seed: 143)
            config.marrowResponse = marrowResponse
            let r = try TransportSimulation.run(config)
            let marrow = r.dose(.redMarrow)!.perKAP!
            let sites = (r.skeletalSites ?? []).map { s in
                CardiacFieldSites.Site(site: s.site.displayName, activeMarrowPercent: 100 * s.activeMarrowFraction,
                                       marrowPerKAP: s.marrowPerKAP ?? 0,
                                       doseSharePercent: 100 * s.activeMarrowFraction * (s.marrowPerKAP ?? 0) / marrow)
            }
            out.append(.init(ageYears: age.rawValue, sex: Sex.female.rawValue, fieldCm: field, histories: histories,
                             marrowResponse: marrowResponse.rawValue, redMarrowPerKAP: marrow, sites: sites))
        }
        if json { return print(try prettyJSON(out)) }
        print("| site | " + cases.map { "\($0.0.label): % of AM / % of AM dose" }.joined(separator: " | ") + " |")
        print("|---|" + cases.map { _ in "---:" }.joined(separator: "|") + "|")
        for (k, site) in SkeletalSite.allCases.enumerated() {
            let cells = out.map { String(format: "%.1f / %.1f", $0.sites[k].activeMarrowPercent, $0.sites[k].doseSharePercent) }
            print("| \(site.displayName) | " + cells.joined(separator: " | ") + " |")
        }
        print("| red marrow, mGy/(Gy·cm²) | " + out.map { String(format: "%.3f", $0.redMarrowPerKAP) }.joined(separator: " | ") + " |")
    }

    /// One age of the cardiac-field table (what `--json` prints): per site, its share of the active
    /// marrow, its marrow dose per KAP (mGy/(Gy·cm²)) and its share of the red-marrow dose.
    struct CardiacFieldSites: Codable {
        struct Site: Codable { let site: String; let activeMarrowPercent, marrowPerKAP, doseSharePercent: Double }
        let ageYears: Int, sex: String, fieldCm: Double, histories: Int, marrowResponse: String
        let redMarrowPerKAP: Double
        let sites: [Site]
    }

    /// `--ages` as paediatric reference ages.
    private func referenceAges() throws -> [ReferenceAge] {
        try ages.split(separator: ",").map { s -> ReferenceAge in
            guard let y = Int(s.trimmingCharacters(in: .whitespaces)), let a = ReferenceAge(rawValue: y), a != .adult else {
                throw ValidationError("--ages: '\(s)' is not a paediatric reference age (0, 1, 5, 10, 15)")
            }
            return a
        }
    }

    /// One site's bone in the voxelised phantom against the ICRP 143 phantom's (what `--volumes --json` prints).
    struct SiteVolume: Codable {
        let phantom: String, site: String
        let harmonicCm3, icrp143Cm3, harmonicGrams, icrp143Grams: Double
    }

    private func boneVolumes() throws {
        let years = try referenceAges()
        var rows: [SiteVolume] = []
        for age in years { for sex in Sex.allCases {
            let v = StylisedPhantom.reference(age: age, sex: sex).voxelise()
            guard let icrp = ICRP143SkeletonData.tissues(age: age, sex: sex) else { continue }
            let key = String(format: "%02d", age.rawValue) + sex.rawValue  // the ICRP 143 phantom's name, for the table
            for site in SkeletalSite.allCases {
                var volume = 0.0, mass = 0.0
                for (i, r) in v.regions.enumerated() where r.role == .bone(site) {
                    volume += Double(r.voxelCount) * v.voxelVolume
                    mass += v.mass(ofRegion: i)
                }
                let t = icrp[site.rawValue]
                let rv = t.activeMarrow / 1.03 + t.inactiveMarrow / 0.98 + (t.trabecularBone + t.corticalBone) / 1.92
                let rm = t.activeMarrow + t.inactiveMarrow + t.trabecularBone + t.corticalBone
                rows.append(.init(phantom: key, site: site.displayName, harmonicCm3: volume, icrp143Cm3: rv, harmonicGrams: mass, icrp143Grams: rm))
            }
        } }
        if json { return print(try prettyJSON(rows)) }
        print("| phantom | site | Harmonic cm³ | ICRP 143 cm³ | ratio | Harmonic g | ICRP 143 g | ratio |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for r in rows {
            print(String(format: "| %@ | %@ | %.1f | %.1f | %.2f | %.1f | %.1f | %.2f |", r.phantom, r.site, r.harmonicCm3, r.icrp143Cm3,
                         r.harmonicCm3 / r.icrp143Cm3, r.harmonicGrams, r.icrp143Grams, r.harmonicGrams / r.icrp143Grams))
        }
    }

    /// One whole-body comparison: per site, its share of the active marrow, and in each beam its
    /// marrow dose per air kerma and its share of the red-marrow dose (keyed by beam: AP, PA, LLAT, RLAT).
    struct WholeBodySites: Codable {
        struct Site: Codable { let site: String; let activeMarrowPercent: Double; let perAirKerma, sharePercent: [String: Double] }
        let ageYears: Int, sex: String, keV: Double, histories: Int
        let redMarrow: [String: Double]
        let sites: [Site]
    }

    private func wholeBody(_ energies: String) throws {
        let keVs = try energies.split(separator: ",").map { s -> Double in
            guard let e = Double(s.trimmingCharacters(in: .whitespaces)), e > 0 else { throw ValidationError("--whole-body-kev: '\(s)' is not a positive energy in keV") }
            return e
        }
        let names = beams.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
        let projections = try names.map { name -> Projection in
            guard let p = Chang2017Comparison.geometries[name] else { throw ValidationError("--beams: '\(name)' is not one of AP, PA, LLAT, RLAT") }
            return p
        }
        guard names.count >= 2, Set(names).count == names.count else {
            throw ValidationError("--beams: give two or more different beams, e.g. AP,PA or AP,LLAT (got '\(beams)')")
        }
        let years = try referenceAges()
        var out: [WholeBodySites] = []
        for age in years { for sex in Sex.allCases { for keV in keVs {
            let phantom = StylisedPhantom.reference(age: age, sex: sex)
            let runs = try projections.map { projection in
                var config = TransportConfiguration(phantom: phantom, beam: .wholeBodyParallel(projection),
                                                    spectrum: .monoenergetic(keV), histories: histories, seed: 2017)
                config.marrowResponse = marrowResponse
                return try TransportSimulation.run(config)
            }
            let marrow = runs.map { $0.dose(.redMarrow)!.perAirKerma }
            let sites = SkeletalSite.allCases.map { site -> WholeBodySites.Site in
                let doses = runs.map { $0.skeletalSites![site.rawValue] }
                let fraction = doses[0].activeMarrowFraction
                return .init(site: site.displayName, activeMarrowPercent: 100 * fraction,
                             perAirKerma: Dictionary(uniqueKeysWithValues: zip(names, doses.map(\.marrowPerAirKerma))),
                             sharePercent: Dictionary(uniqueKeysWithValues: zip(names, zip(doses, marrow).map { 100 * fraction * $0.marrowPerAirKerma / $1 })))
            }
            out.append(.init(ageYears: age.rawValue, sex: sex.rawValue, keV: keV, histories: histories,
                             redMarrow: Dictionary(uniqueKeysWithValues: zip(names, marrow)), sites: sites))
        } } }
        if json { return print(try prettyJSON(out)) }
        let first = names[0], others = names.dropFirst()
        for c in out {
            let totals = names.map { "\(String(format: "%.3f", c.redMarrow[$0]!)) \($0)" }.joined(separator: ", ")
            print("### \(c.ageYears) y \(c.sex), \(Int(c.keV)) keV: red marrow \(totals) Gy/Gy (\(c.histories) histories per beam)")
            print("")
            print("| site | % of AM | " + names.map { "\($0) Gy/Gy" }.joined(separator: " | ") + " | "
                  + others.map { "\($0)/\(first)" }.joined(separator: " | ") + " | " + names.map { "% of AM dose \($0)" }.joined(separator: " | ") + " |")
            print("|---|---:|" + Array(repeating: "---:", count: 2 * names.count + others.count).joined(separator: "|") + "|")
            for s in c.sites {
                let base = s.perAirKerma[first]!
                print("| \(s.site) | " + String(format: "%.1f", s.activeMarrowPercent) + " | "
                      + names.map { String(format: "%.3f", s.perAirKerma[$0]!) }.joined(separator: " | ") + " | "
                      + others.map { String(format: "%.2f", base > 0 ? s.perAirKerma[$0]! / base : 0) }.joined(separator: " | ") + " | "
                      + names.map { String(format: "%.1f", s.sharePercent[$0]!) }.joined(separator: " | ") + " |")
            }
            print("")
        }
    }
}
