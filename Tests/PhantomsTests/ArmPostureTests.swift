import Foundation
import Testing
import HarmonicCore
@testable import Phantoms

/// The arms raised above the head (`ArmPosture.raised`, session 25): the posture of paediatric
/// catheterisation and trunk CT, in which a lateral beam meets no arm beside the chest. A raised arm
/// is the hanging arm turned half a turn about the shoulder joint (`AdultTemplate.shoulderPivotZ`).
@Suite("Arm posture: raised arms leave the chest's sides, keep their mass and keep the humeral heads at the shoulder")
struct ArmPostureTests {
    /// Voxelised at a coarse spacing: the tests compare postures, not absolute masses.
    static func voxels(_ age: ReferenceAge, _ arms: ArmPosture, sex: Sex = .female) -> VoxelPhantom {
        let p = StylisedPhantom.reference(age: age, sex: sex).withArms(arms)
        return p.voxelise(spacing: p.defaultSpacing * 2)
    }

    /// Centroid and voxel count of one skeletal site's regions.
    static func site(_ v: VoxelPhantom, _ site: SkeletalSite) -> (centroid: Vec3, count: Int) {
        var sum = Vec3(0, 0, 0), n = 0
        for r in v.regions where r.role == .bone(site) { sum = sum + r.positionSum; n += r.voxelCount }
        return (n > 0 ? (1 / Double(n)) * sum : Vec3(0, 0, 0), n)
    }

    @Test("the reference phantoms hang their arms at the sides (the ICRP posture, and Chang 2017's)")
    func referencePostureIsArmsAtSides() {
        #expect(StylisedPhantom.reference(age: .five, sex: .male).armPosture == .atSides)
        #expect(StylisedPhantom.reference(age: .five, sex: .male).withArms(.raised).armPosture == .raised)
    }

    @Test("a point maps to the raised arms' frame and back unchanged, at every age", arguments: ReferenceAge.allCases)
    func raisedArmsFrameRoundTrip(age: ReferenceAge) {
        let d = StylisedPhantom.reference(age: age, sex: .female).withArms(.raised).dimensions
        for p in [Vec3(7.3, -1.2, 20), Vec3(-9.1, 2.5, 93), Vec3(3, 0, 140)] {
            let back = d.fromTemplate(d.toTemplate(p, .arms), .arms)
            #expect((back - p).length < 1e-9, "\(age.label): \(p) → \(back)")
        }
    }

    @Test("raised, the shoulder end stays where it hangs and the hand is above the head",
          arguments: ReferenceAge.allCases)
    func raisedArmTurnsAboutTheShoulder(age: ReferenceAge) {
        let sides = StylisedPhantom.reference(age: age, sex: .male).dimensions
        let raised = StylisedPhantom.reference(age: age, sex: .male).withArms(.raised).dimensions
        let pivot = Vec3(AdultTemplate.armCentreX, 0, AdultTemplate.shoulderPivotZ)
        #expect((sides.fromTemplate(pivot, .arms) - raised.fromTemplate(pivot, .arms)).length < 1e-9)
        let hand = raised.fromTemplate(Vec3(AdultTemplate.armCentreX, 0, 0), .arms)
        #expect(hand.z > raised.standingHeight - raised.legLength, "\(age.label): hand at z = \(hand.z) cm, vertex at \(raised.standingHeight - raised.legLength) cm")
    }

    @Test("at the heart's level nothing lies beside the trunk when the arms are raised, and an arm does when they hang",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func raisedArmsLeaveTheChestSides(age: ReferenceAge) {
        let sides = Self.voxels(age, .atSides), raised = Self.voxels(age, .raised)
        let heart = raised.centroid(of: .heart)!
        let d = StylisedPhantom.reference(age: age, sex: .female).dimensions
        let armCentre = d.fromTemplate(Vec3(AdultTemplate.armCentreX, 0, 35), .arms).x
        for x in [armCentre, -armCentre] {
            #expect(sides.label(at: Vec3(x, 0, heart.z)) != 0, "\(age.label): no arm at x = \(x) with the arms at the sides")
            #expect(raised.label(at: Vec3(x, 0, heart.z)) == 0, "\(age.label): tissue at x = \(x) with the arms raised")
        }
    }

    @Test("raising the arms keeps the body's mass and the arm bones' volume, each site's within its two boundary voxel layers",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func raisedArmsKeepTheirMass(age: ReferenceAge) {
        let sides = Self.voxels(age, .atSides), raised = Self.voxels(age, .raised)
        #expect(abs(raised.bodyMass / sides.bodyMass - 1) < 0.005, "\(age.label): \(raised.bodyMass) g against \(sides.bodyMass) g")
        let sites = BoneGeometry.arm.sites
        let a = sites.map { Self.site(sides, $0).count }, b = sites.map { Self.site(raised, $0).count }
        // The arm's ends and the sites' boundaries are planes across the arm: turned about the
        // shoulder they fall elsewhere in the voxel grid, so the arm, and each site, may gain or
        // lose one voxel layer at each end.
        let total = a.reduce(0, +)
        let d = StylisedPhantom.reference(age: age, sex: .female).dimensions
        let layer = Double(total) / (d.trunkHeight / sides.spacing)
        #expect(Double(abs(b.reduce(0, +) - total)) <= 2 * layer + 1, "\(age.label): arm bones \(b) raised, \(a) at the sides")
        for i in sites.indices {
            #expect(Double(abs(b[i] - a[i])) <= 2 * layer + 1, "\(age.label) \(sites[i].displayName): \(b[i]) voxels raised, \(a[i]) at the sides (layer \(layer))")
        }
    }

    @Test("raised, the humeri's upper halves lie at the shoulders and neck, above the heart, and the hands above them",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func raisedHumeriStayNearTheShoulder(age: ReferenceAge) {
        let v = Self.voxels(age, .raised)
        let d = StylisedPhantom.reference(age: age, sex: .female).dimensions
        let upper = Self.site(v, .humeriUpper).centroid, hands = Self.site(v, .wristsAndHands)
        let heart = v.centroid(of: .heart)!
        let clavicles = Self.site(v, .clavicles).centroid
        #expect(upper.z > heart.z)
        // Within the top of the trunk and the neck: 0.85 of the trunk's height to the head's base.
        #expect(upper.z > 0.85 * d.trunkHeight && upper.z < d.trunkHeight + d.neckHeight + 0.3 * d.headHeight,
                "\(age.label): humeri (upper half) at z = \(upper.z) cm, clavicles at \(clavicles.z) cm")
        if hands.count > 0 { #expect(hands.centroid.z > upper.z) }
    }
}
