import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench marrow-sites`: which skeletal sites a typical paediatric cardiac field
/// irradiates: each site's share of the active marrow (ICRP 143 / ICRP 89) and of the red-marrow
/// dose, for a PA field on the heart (the cardiac-trend fields: 6-13 cm at 60 cm focus-skin,
/// 70 kVp, 3.5 mm Al + 0.2 mm Cu), newborn to 15 y.
struct MarrowSitesBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "marrow-sites",
        abstract: "Active marrow by skeletal site and each site's share of the red-marrow dose in a PA cardiac field, newborn to 15 y (Markdown table).")

    @Option(help: "Histories per age.") var histories: Int = 300_000

    func run() throws {
        let spectrum = SourceSpectrum(XRaySpectrum(kVp: 70, anodeAngleDegrees: 12, filtration: try Filtration(parsing: "3.5mmAl+0.2mmCu")))
        let cases: [(ReferenceAge, Double)] = [(.newborn, 6), (.one, 7), (.five, 9), (.ten, 11), (.fifteen, 13)]
        var columns: [[SkeletalSiteDose]] = []
        var marrowPerKAP: [Double] = []
        for (age, field) in cases {
            let phantom = StylisedPhantom.reference(age: age, sex: .female)
            let config = TransportConfiguration(phantom: phantom, beam: .cArm(projection: .pa, fieldWidth: field, fieldHeight: field,
                                                                              distance: .focusToSkin(60), target: .heart),
                                                spectrum: spectrum, histories: histories, seed: 143)
            let r = try TransportSimulation.run(config)
            columns.append(r.skeletalSites ?? [])
            marrowPerKAP.append(r.dose(.redMarrow)!.perKAP!)
        }
        print("| site | " + cases.map { "\($0.0.label): % of AM / % of AM dose" }.joined(separator: " | ") + " |")
        print("|---|" + cases.map { _ in "---:" }.joined(separator: "|") + "|")
        for site in SkeletalSite.allCases {
            let cells = columns.indices.map { k -> String in
                let s = columns[k][site.rawValue]
                let share = s.activeMarrowFraction * (s.marrowPerKAP ?? 0) / marrowPerKAP[k]
                return String(format: "%.1f / %.1f", 100 * s.activeMarrowFraction, 100 * share)
            }
            print("| \(site.displayName) | " + cells.joined(separator: " | ") + " |")
        }
        print("| red marrow, mGy/(Gy·cm²) | " + marrowPerKAP.map { String(format: "%.3f", $0) }.joined(separator: " | ") + " |")
    }
}
