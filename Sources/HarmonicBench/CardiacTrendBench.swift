import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic-bench cardiac-trend`: ICRP 60 effective dose per KAP for paediatric cardiac
/// PA/lateral mixes, newborn to 15 y, beside the PCXMC values of Karambatsakidou et al. (2009).
struct CardiacTrendBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cardiac-trend",
        abstract: "E(ICRP 60)/KAP for paediatric cardiac PA+LAT, 70 kVp 3.5 mm Al + 0.2 mm Cu, vs Karambatsakidou 2009.")

    @Option(help: "Histories per projection.") var histories: Int = 1_000_000

    func run() throws {
        let spectrum = SourceSpectrum(XRaySpectrum(kVp: 70, anodeAngleDegrees: 12, filtration: try Filtration(parsing: "3.5mmAl+0.2mmCu")))
        print("age       field  PA      LAT     mix     PCXMC (Karambatsakidou 2009)   ratio   [mSv/(Gy·cm²), ICRP 60]")
        for (age, field, published) in [(ReferenceAge.newborn, 6.0, 3.7), (.one, 7, 1.9), (.five, 9, 1.0), (.ten, 11, 0.6), (.fifteen, 13, 0.4)] {
            let phantom = StylisedPhantom.reference(age: age, sex: .female)
            let voxels = phantom.voxelise()
            var values: [Double] = []
            for projection in [Projection.pa, .lateral] {
                let config = TransportConfiguration(
                    phantom: phantom,
                    beam: .cArm(projection: projection, fieldWidth: field, fieldHeight: field, distance: .focusToSkin(60), target: .heart),
                    spectrum: spectrum, histories: histories, seed: 2009)
                values.append(try TransportSimulation.run(config, voxels: voxels).effectiveDose60PerKAP!)
            }
            let mix = 0.5 * (values[0] + values[1])
            print(String(format: "%-9@ %4.0f   %.3f   %.3f   %.3f   %.1f                            %.2f",
                         age.label as NSString, field, values[0], values[1], mix, published, mix / published))
        }
    }
}
