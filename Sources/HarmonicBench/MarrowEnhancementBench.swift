import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic-bench marrow-enhancement`: the photoelectron dose enhancement of the active marrow
/// (`PhotoelectronEnhancement`, the chord model of the spongiosa) by skeletal site, age and photon
/// energy, with each site's spongiosa scale; no transport. The "AM-weighted" row weights the sites
/// by their share of the active marrow: the enhancement of a uniform fluence over the skeleton.
struct MarrowEnhancementBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marrow-enhancement",
        abstract: "Photoelectron dose enhancement of the active marrow by skeletal site, age and photon energy (chord model of the ICRP 143 spongiosa; Markdown or JSON).",
        discussion: """
            The factor multiplies the marrow kerma: how much more dose the active marrow gets because \
            photoelectrons from the bone trabeculae cross into it. It is large where the marrow cavities \
            are small beside dense trabeculae (the newborn's skull) and at 30-70 keV, where bone absorbs \
            photoelectrically. `harmonic-bench chang2017 --marrow-response enhanced` applies it in transport. \
            Method and limits: docs/red-marrow.md ("Photoelectron enhancement").

            Example: harmonic-bench marrow-enhancement --ages 0,5,15 --energies 30,50,70,100,150
            """)

    @Option(help: "Ages in years, comma-separated (any age 0-30; between the ICRP 143 ages the structure is interpolated).")
    var ages: String = "0,1,5,10,15"
    @Option(help: "Photon energies in keV, comma-separated (1-152).") var energies: String = "30,50,70,100,150"
    @Option(help: "Sex: male or female.") var sex: String = "male"
    @Flag(help: "Print JSON (one object per age) instead of Markdown.") var json = false

    struct AgeResult: Encodable {
        struct Site: Encodable {
            let site: String
            let activeMarrowPercent: Double
            let trabecularChordMicrometres: Double, marrowChordMicrometres: Double
            let enhancement: [Double]
        }
        let ageYears: Double
        let sex: String
        let energiesKeV: [Double]
        let sites: [Site]
        let activeMarrowWeighted: [Double]
    }

    func run() throws {
        guard let s = Sex(rawValue: sex == "male" ? "M" : sex == "female" ? "F" : sex) else {
            throw ValidationError("--sex: '\(sex)' is not male or female")
        }
        let ageList = try ages.split(separator: ",").map { a -> Double in
            guard let y = Double(a.trimmingCharacters(in: .whitespaces)), (0...30).contains(y) else {
                throw ValidationError("--ages: '\(a)' is not an age in years from 0 to 30")
            }
            return y
        }
        let energyList = try energies.split(separator: ",").map { e -> Double in
            guard let k = Double(e.trimmingCharacters(in: .whitespaces)), (1...152).contains(k) else {
                throw ValidationError("--energies: '\(e)' is not a photon energy from 1 to 152 keV")
            }
            return k
        }
        var results: [AgeResult] = []
        for age in ageList {
            let structure = SpongiosaMicrostructure.reference(ageYears: age, sex: s)
            let composition = SkeletonComposition.reference(ageYears: age, sex: s)
            let factors = PhotoelectronEnhancement(structure: structure, cellularity: composition.cellularity)
            func at(_ f: [Double], _ e: Double) -> Double {
                let i = min(Int(e), f.count - 2), t = e - Double(i)
                return (1 - t) * f[i] + t * f[i + 1]
            }
            let sites = SkeletalSite.allCases.map { site in
                AgeResult.Site(site: site.displayName, activeMarrowPercent: 100 * composition.activeMarrowFraction[site.rawValue],
                               trabecularChordMicrometres: 1e4 * structure[site.rawValue].trabecularChord,
                               marrowChordMicrometres: 1e4 * structure[site.rawValue].marrowChord,
                               enhancement: energyList.map { at(factors.activeMarrow[site.rawValue], $0) })
            }
            let weighted = energyList.indices.map { k in
                sites.reduce(0.0) { $0 + $1.activeMarrowPercent / 100 * $1.enhancement[k] }
            }
            results.append(AgeResult(ageYears: age, sex: s.rawValue, energiesKeV: energyList, sites: sites, activeMarrowWeighted: weighted))
        }
        if json {
            print(try prettyJSON(results))
            return
        }
        for r in results {
            print("### \(r.ageYears.formatted()) y, \(s == .male ? "male" : "female")\n")
            print("| site | % of AM | trabecula / marrow chord (µm) | " + r.energiesKeV.map { "\($0.formatted()) keV" }.joined(separator: " | ") + " |")
            print("|---|---:|---:|" + r.energiesKeV.map { _ in "---:" }.joined(separator: "|") + "|")
            for site in r.sites where site.activeMarrowPercent > 0 {
                print("| \(site.site) | " + String(format: "%.1f | %.0f / %.0f | ", site.activeMarrowPercent,
                                                    site.trabecularChordMicrometres, site.marrowChordMicrometres)
                      + site.enhancement.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
            }
            print("| **AM-weighted** | 100 | | " + r.activeMarrowWeighted.map { String(format: "**%.3f**", $0) }.joined(separator: " | ") + " |\n")
        }
    }
}
