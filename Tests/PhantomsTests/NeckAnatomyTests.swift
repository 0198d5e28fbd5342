import Testing
import HarmonicCore
@testable import Phantoms

/// The neck of the stylised family against anatomy: its girth by age, and the thyroid's lobes
/// beside the trachea just under the strap muscles (`BodyDimensions.neckCircumference`,
/// `AdultTemplate`; sources there).
@Suite("Neck anatomy: neck circumference by age, thyroid beside the trachea")
struct NeckAnatomyTests {
    @Test("the neck grows with the body: its circumference rises with age from birth to 15 y, never wider at 1 y than at 5 y as the head-proportional neck was")
    func neckGrowsWithAge() {
        for sex in Sex.allCases {
            let girth = [ReferenceAge.newborn, .one, .five, .ten, .fifteen].map {
                2 * .pi * StylisedPhantom.reference(age: $0, sex: sex).dimensions.neckRadius
            }
            #expect(zip(girth, girth.dropFirst()).allSatisfy { $0 < $1 }, "\(sex): \(girth)")
        }
    }

    @Test("reference necks match the paediatric neck-circumference medians within 1 cm: 25 cm at 5-6 y, 28.5 cm at 10 y, 33.5 (boys) and 30.5 cm (girls) at 15 y (Katz 2014, Hatipoglu 2010)")
    func neckCircumferenceMatchesReferences() {
        let expected: [(ReferenceAge, Sex, Double)] = [(.five, .male, 25), (.five, .female, 25), (.ten, .male, 28.5),
                                                        (.ten, .female, 28.5), (.fifteen, .male, 33.5), (.fifteen, .female, 30.5)]
        for (age, sex, cm) in expected {
            let girth = 2 * .pi * StylisedPhantom.reference(age: age, sex: sex).dimensions.neckRadius
            #expect(abs(girth - cm) < 1, "\(age.label) \(sex): \(girth) cm")
        }
    }

    @Test("the thyroid's lobes flank the trachea: their centres lie lateral to the airway and no deeper than its axis, in the template and in every reference phantom's voxels",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func thyroidBesideTrachea(age: ReferenceAge) throws {
        let v = StylisedPhantom.reference(age: age, sex: .female).voxelise()
        func centroid(_ match: (VoxelRegion) -> Bool) -> (Vec3, Int) {
            var s = Vec3(0, 0, 0), n = 0
            for r in v.regions where match(r) {
                s = s + Double(r.voxelCount) * Vec3(abs(r.centroid.x), r.centroid.y, r.centroid.z)
                n += r.voxelCount
            }
            return ((1 / Double(max(n, 1))) * s, n)
        }
        let (thyroid, nt) = centroid { $0.role == .organ(.thyroid) }
        let (airway, na) = centroid { $0.role == .organ(.extrathoracic) && $0.name.contains("neck") }
        try #require(nt > 0 && na > 0)
        #expect(thyroid.x > 0.5 * v.spacing, "\(age.label): lobes at |x| \(thyroid.x) cm")
        #expect(thyroid.y <= airway.y + v.spacing, "\(age.label): thyroid y \(thyroid.y), airway axis y \(airway.y) (anterior is negative y)")
    }

    @Test("in the adult template the trachea's front lies within the ultrasound IQR of the skin-to-trachea tissue, 0.68-1.15 cm (Guinot 2012), and the thyroid lobes' front 0.6-1.2 cm under the skin")
    func adultThyroidDepth() throws {
        let regions = AdultTemplate.regions(sex: .male)
        let lobe = try #require(regions.first { $0.name == "thyroid L" })
        let airway = try #require(regions.first { $0.name == "extrathoracic airways (neck)" })
        guard case let .ellipsoid(c, semi) = lobe.solid.quadric, case let .cylinderZ(_, ty, _, tb, _, _) = airway.solid.quadric else {
            Issue.record("unexpected shapes"); return
        }
        let skinY = -(AdultTemplate.neckRadius * AdultTemplate.neckRadius - c.x * c.x).squareRoot()
        let thyroidDepth = (c.y - semi.y) - skinY
        #expect(thyroidDepth >= 0.6 && thyroidDepth <= 1.2, "thyroid front \(thyroidDepth) cm under the skin")
        let tracheaDepth = (ty - tb) + AdultTemplate.neckRadius
        #expect(tracheaDepth >= 0.68 && tracheaDepth <= 1.15, "trachea front \(tracheaDepth) cm under the skin")
    }
}
