import Testing
import HarmonicCore
@testable import Phantoms

@Suite("Where the marrow is: every ICRP 143 skeletal site placed in the stylised bones")
struct BonePlacementTests {
    /// Centroids (cm) of each site's bone voxels in a reference phantom.
    static func centroids(_ age: ReferenceAge, _ sex: Sex) -> (VoxelPhantom, [SkeletalSite: Vec3]) {
        let v = StylisedPhantom.reference(age: age, sex: sex).voxelise()
        var sum: [SkeletalSite: Vec3] = [:], n: [SkeletalSite: Int] = [:]
        for r in v.regions {
            if case let .bone(site) = r.role, r.voxelCount > 0 {
                sum[site] = (sum[site] ?? Vec3(0, 0, 0)) + Double(r.voxelCount) * r.centroid
                n[site, default: 0] += r.voxelCount
            }
        }
        return (v, sum.reduce(into: [:]) { $0[$1.key] = (1 / Double(n[$1.key]!)) * $1.value })
    }

    @Test("every site holding active marrow has bone voxels of its own", arguments: [ReferenceAge.newborn, .five, .fifteen])
    func everySitePlaced(age: ReferenceAge) {
        let (_, c) = Self.centroids(age, .female)
        let composition = SkeletonComposition.reference(ageYears: Double(age.rawValue), sex: .female)
        for site in SkeletalSite.allCases where composition.activeMarrowFraction[site.rawValue] > 0 {
            #expect(c[site] != nil, "\(age.label): \(site.displayName) has no bone voxels")
        }
    }

    @Test("sites lie in anatomical order: head above neck above chest above abdomen above pelvis; limbs proximal above distal")
    func order() throws {
        let (v, c) = Self.centroids(.five, .male)
        func z(_ s: SkeletalSite) throws -> Double { try #require(c[s]).z }
        #expect(try z(.craniofacial) > z(.mandible) && z(.mandible) > z(.cervicalVertebrae))
        #expect(try z(.cervicalVertebrae) > z(.thoracicVertebrae) && z(.thoracicVertebrae) > z(.lumbarVertebrae) && z(.lumbarVertebrae) > z(.sacrum))
        #expect(try z(.humeriUpper) > z(.humeriLower) && z(.humeriLower) > z(.radii) && z(.radii) > z(.wristsAndHands))
        #expect(try z(.femoraUpper) > z(.femoraLower) && z(.femoraLower) > z(.tibiae) && z(.tibiae) > z(.anklesAndFeet))
        #expect(try z(.clavicles) > z(.sternum))
        // Legs are below the trunk (z < 0), the mandible in the head (above trunk and neck).
        #expect(try z(.femoraUpper) < 0 && z(.mandible) > v.origin.z)
        // Sternum anterior (y < 0) to the thoracic vertebrae; the patellae anterior to the femora.
        #expect(try #require(c[.sternum]).y < #require(c[.thoracicVertebrae]).y - 3)
        #expect(try #require(c[.patellae]).y < c[.femoraLower]!.y)
        // Fibulae lateral to the tibiae.
        #expect(try abs(#require(c[.fibulae]).x) > abs(c[.tibiae]!.x))
    }

    @Test("limb bones are divided in adult segment proportions: humerus/forearm 31/23, femur/lower leg 40/32")
    func limbProportions() {
        let v = StylisedPhantom.reference(age: .ten, sex: .female).voxelise()
        var count: [SkeletalSite: Int] = [:]
        for r in v.regions { if case let .bone(s) = r.role { count[s, default: 0] += r.voxelCount } }
        func n(_ sites: [SkeletalSite]) -> Double { Double(sites.reduce(0) { $0 + (count[$1] ?? 0) }) }
        // Template boundaries (BoneGeometry): humerus 39-70 cm, forearm 16-39 cm of the arm;
        // femur -2 to -42 cm (less the patella), tibia and fibula -42 to -74 cm. 25%: the fitted
        // bone solids (size factor 1.16 at 10 y) reach past the trunk base and the knee and foot
        // ends of the template bone, so the end segments gain or lose voxels; a misplaced boundary
        // (e.g. femur to the knee of a 40 cm leg) would be off by a factor 2.
        #expect(abs(n([.humeriUpper, .humeriLower]) / n([.radii, .ulnae]) / (31.0 / 23) - 1) < 0.25, "\(count)")
        #expect(abs(n([.femoraUpper, .femoraLower, .patellae]) / n([.tibiae, .fibulae]) / (40.0 / 32) - 1) < 0.25, "\(count)")
    }
}
