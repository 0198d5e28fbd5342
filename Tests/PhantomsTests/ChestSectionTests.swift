import Foundation
import Testing
import HarmonicCore
@testable import Phantoms

/// The chest's section by age (session 27, `BodyDimensions.chestDepthOverBreadth`): the trunk
/// without the arms has the child's thoracic index, depth over breadth, and the fit to the body
/// mass sets its size. Until session 27 the ratio was set for MIRD's trunk with the arms inside,
/// so once the arms moved beside the trunk (session 24) the 5-year-old's chest was 15.4 cm broad
/// and 14.5 cm deep, and the newborn's deeper than broad.
@Suite("Chest section: the child's thoracic index, and breadths that match measured children")
struct ChestSectionTests {
    @Test("the fitted trunk has the age's depth over breadth without the arms", arguments: ReferenceAge.allCases)
    func fittedTrunkHasTheThoracicIndex(age: ReferenceAge) {
        for sex in [Sex.male, .female] {
            let d = StylisedPhantom.reference(age: age, sex: sex).dimensions
            let index = d.chestDepth / d.chestBreadth
            #expect(abs(index - BodyDimensions.chestDepthOverBreadth(age)) < 1e-9, "\(age.label) \(sex): \(index)")
        }
    }

    @Test("the chest is nearly round at birth and becomes ovoid by 5 years (0.95, 0.85, then 0.74 to 15 years)")
    func infantChestIsRounder() {
        let indices = ReferenceAge.allCases.map { BodyDimensions.chestDepthOverBreadth($0) }
        #expect(indices[0] > indices[1] && indices[1] > indices[2])
        // The normal range of 3-15 years, 0.63-0.85 (thoracic index; BodyDimensions).
        for age in [ReferenceAge.five, .ten, .fifteen] {
            #expect((0.63...0.85).contains(BodyDimensions.chestDepthOverBreadth(age)))
        }
    }

    /// The measured breadth of children's chests without the arms (cm), boys / girls: Snyder et al.
    /// 1977, *Anthropometry of Infants, Children, and Youths to Age 18 for Product Safety Design*
    /// (UM-HSRI-77-17), "chest breadth at axilla", medians of the survey's individual records (the
    /// NIST AnthroKids export; `scripts/snyder1977_chest_breadth.py` computes them) in the age
    /// groups 4.5-5.5 (N 58 / 34), 9.5-10.5 (40 / 45) and 14.5-15.5 years (42 / 39). The survey
    /// has no child under 2 years and did not measure chest depth.
    static let measuredChestBreadth: [ReferenceAge: (male: Double, female: Double)] = [
        .five: (17.4, 17.0), .ten: (20.5, 21.2), .fifteen: (25.6, 26.2),
    ]

    /// These breadths were not used to build the trunk: its breadth follows from the thoracic index
    /// and the ICRP 89 body mass (17.3, 20.2 and 24.7 / 24.3 cm; until session 27 the 5-year-old's
    /// chest was 15.4 cm broad and 14.5 cm deep). They check it. 8%: the survey's breadth is taken
    /// at the axilla, above the nipple level of the index, where an adolescent's chest is broader
    /// (15-y girls: 24.3 cm here against 26.2 measured, -7%).
    @Test("the fitted chest breadths are within 8% of measured children's at 5, 10 and 15 years (Snyder et al. 1977)")
    func chestBreadthMatchesMeasuredChildren() throws {
        for age in [ReferenceAge.five, .ten, .fifteen] {
            for sex in [Sex.male, .female] {
                let pair = try #require(Self.measuredChestBreadth[age])
                let measured = sex == .male ? pair.male : pair.female
                let fitted = StylisedPhantom.reference(age: age, sex: sex).dimensions.chestBreadth
                #expect(abs(fitted / measured - 1) < 0.08, "\(age.label) \(sex): \(fitted) cm against \(measured) cm")
            }
        }
    }

    @Test("the voxelised 5-year-old's chest is 12-14 cm deep on the midline at the heart (it was 14.5)")
    func fiveYearOldChestDepthInTheVoxels() throws {
        let v = StylisedPhantom.reference(age: .five, sex: .male).voxelise()
        let heart = try #require(v.centroid(of: .heart))
        let depth = TrunkAndArmsTests.depth(v, x: 0, z: heart.z)
        #expect((12...14).contains(depth), "midline depth \(depth) cm")
    }
}
