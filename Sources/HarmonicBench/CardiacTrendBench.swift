import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench cardiac-trend`: ICRP 60 effective dose per KAP for paediatric cardiac
/// PA/lateral mixes, newborn to 15 y, beside the PCXMC values of Karambatsakidou et al. (2009),
/// and the lungs, breast, heart and red marrow dose per KAP of the same mix beside the PCXMC
/// organ conversion coefficients of Karambatsakidou et al. (2019).
struct CardiacTrendBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardiac-trend",
        abstract: "E(ICRP 60)/KAP and organ dose/KAP for paediatric cardiac PA+LAT, 70 kVp 3.5 mm Al + 0.2 mm Cu, vs Karambatsakidou 2009 and 2019.",
        discussion: """
        Female reference phantoms newborn, 1, 5, 10, 15 y; C-arm field on the heart at 60 cm focus-skin
        distance, square fields 6, 7, 9, 11, 13 cm; the mix is half PA, half left lateral; arms raised
        above the head (--arms sides hangs them beside the trunk, where they shield the lateral beam).
        Outputs: E(ICRP 60) per KAP in mSv/(Gy·cm²) against Karambatsakidou et al., Br J Radiol 82 (2009)
        748 (PCXMC, ICRP 60: 3.7, 1.9, 1.0, 0.6, 0.4); then lungs, breast, heart and red marrow dose per
        KAP in mGy/(Gy·cm²) (= mSv/(Gy·cm²) for photons) against Karambatsakidou et al., Phys Med 57 (2019)
        17 (PCXMC with RDSR geometry): newborn → 15 y lungs 9.4 → 1.6, breasts 8.9 → 0.54, heart
        9.3 → 1.4 (the end points quoted in issue #13; the paper's intermediate ages and its projection
        mix were not found, so only the end points are compared).
        Example: swift run -c release harmonic-bench cardiac-trend --histories 300000
        """)

    @Option(help: "Histories per projection.") var histories: Int = 1_000_000
    @Option(help: ArgumentHelp("Where the phantoms' arms are.", valueName: "raised|sides")) var arms: ArmPosture = .raised

    /// Karambatsakidou et al. 2019 end points (newborn, 15 y), mSv/(Gy·cm²), as quoted in issue #13.
    static let karambatsakidou2019: [Organ: (newborn: Double, fifteen: Double)] = [
        .lungs: (9.4, 1.6), .breast: (8.9, 0.54), .heart: (9.3, 1.4),
    ]

    func run() throws {
        let spectrum = SourceSpectrum(XRaySpectrum(kVp: 70, anodeAngleDegrees: 12, filtration: try Filtration(parsing: "3.5mmAl+0.2mmCu")))
        print("age       field  PA      LAT     mix     PCXMC (Karambatsakidou 2009)   ratio   [mSv/(Gy·cm²), ICRP 60]")
        let organs: [Organ] = [.lungs, .breast, .heart, .redMarrow]
        var organMix: [(ReferenceAge, [Organ: Double])] = []
        for (age, field, published) in [(ReferenceAge.newborn, 6.0, 3.7), (.one, 7, 1.9), (.five, 9, 1.0), (.ten, 11, 0.6), (.fifteen, 13, 0.4)] {
            let phantom = StylisedPhantom.reference(age: age, sex: .female).withArms(arms)
            let voxels = phantom.voxelise()
            var values: [Double] = []
            var perOrgan: [Organ: Double] = [:]
            for projection in [Projection.pa, .lateral] {
                let config = TransportConfiguration(
                    phantom: phantom,
                    beam: .cArm(projection: projection, fieldWidth: field, fieldHeight: field, distance: .focusToSkin(60), target: .heart),
                    spectrum: spectrum, histories: histories, seed: 2009)
                let result = try TransportSimulation.run(config, voxels: voxels)
                values.append(result.effectiveDose60PerKAP!)
                for o in organs { perOrgan[o, default: 0] += 0.5 * (result.organs.first { $0.organ == o }?.perKAP ?? .nan) }
            }
            organMix.append((age, perOrgan))
            let mix = 0.5 * (values[0] + values[1])
            print(String(format: "%-9@ %4.0f   %.3f   %.3f   %.3f   %.1f                            %.2f",
                         age.label as NSString, field, values[0], values[1], mix, published, mix / published))
        }
        print("\nOrgan dose per KAP of the PA+LAT mix, mGy/(Gy·cm²); in brackets Karambatsakidou 2019 (PCXMC) and Harmonic/published:")
        print("| age | lungs | breast | heart | red marrow |\n|---|---|---|---|---|")
        for (age, d) in organMix {
            let cells = organs.map { o -> String in
                let v = d[o] ?? .nan
                guard let ref = Self.karambatsakidou2019[o], age == .newborn || age == .fifteen else { return String(format: "%.2f", v) }
                let r = age == .newborn ? ref.newborn : ref.fifteen
                return String(format: "%.2f (%.2f; %.2f×)", v, r, v / r)
            }
            print("| \(age.label) | " + cells.joined(separator: " | ") + " |")
        }
    }
}
