import Foundation
import HarmonicCore

/// The mandible as a bone of its own: the body of the jaw, a U-shaped band of bone along the front
/// and sides of the head's base, from the chin back towards the angles.
///
/// The MIRD / Cristy-Eckerman head has no jaw: its skull is an ellipsoidal shell whose lowest point
/// lies 5.4 template-cm above the head's base, so the mandible was the shell's antero-inferior part
/// (5.4-9 cm above the base) and the lower face held no bone. Measured on the ICRP Publication 110
/// adult male (session 21, docs/trunk-remodel.md; the adult female agrees within 0.5 cm): the
/// mandible spans 0-9.6 cm above the menton of a 23.2-cm head (menton to vertex), its body (the
/// horizontal U that holds most of its bone) the lowest 4.8 cm, i.e. 21% of the head's height; the
/// chin's bone lies 1.1-1.7 cm under the skin, the angles 9-10 cm behind it and 10.7 cm apart, in
/// a head section 12.6-15 cm wide and 17.7 cm deep. In the adult template's head (section 14 × 20 cm)
/// the U's outer surface is the front half of an elliptic cylinder centred level with the angles
/// (y 0.2 cm), 5.35 cm in lateral and 8.7 cm in antero-posterior semi-axis (front at y −8.5 cm,
/// 1.5 cm under the skin, the measured 1.3 cm in the template's proportion), from the head's base
/// (z 75) up 21% of the head (z 79.4). The band stops at y −2.2 cm, in front of the salivary glands
/// (the parotid lies behind the ramus, the submandibular gland below the body: Gray's Anatomy,
/// 41st ed., ch. 30-31), whose regions come first and would otherwise take its voxels; the rami are
/// not modelled. The band's thickness makes its volume the ICRP 143 mandible volume of the age
/// (cortex plus spongiosa, `ThoracicSkeleton.siteVolume`), at least one voxel.
public enum Mandible {
    static let name = "mandible"
    /// Template (head frame, cm): the outer ellipse, the band's back and its height.
    static let centreY = 0.2, outerA = 5.35, outerB = 8.7, backY = -2.2
    static let baseZ = AdultTemplate.trunkHeight + AdultTemplate.neckHeight
    /// Share of the head's height (menton to vertex) the body of the mandible spans: 4.8 / 23.2 cm
    /// in the ICRP 110 adult male.
    static let heightShare = 4.8 / 23.2
    static var topZ: Double { baseZ + heightShare * AdultTemplate.headHeight }
    /// The band's outer surface: the whole elliptic cylinder, before the cut at `backY`.
    static var outer: Quadric { .cylinderZ(cx: 0, cy: centreY, a: outerA, b: outerB, zMin: baseZ, zMax: topZ) }

    /// Area (template cm²) of the band's section for a thickness `t` (template cm): the outer
    /// ellipse less the inner one, each in front of `backY`, in closed form.
    static func sectionArea(thickness t: Double) -> Double {
        /// Area of an ellipse of semi-axes (a, b) from its front (−b) back to `c` from its centre:
        /// ab (u √(1 − u²) + asin u + π/2), u = c/b.
        func front(_ a: Double, _ b: Double, to c: Double) -> Double {
            guard a > 0, b > 0 else { return 0 }
            let u = min(max(c / b, -1), 1)
            return a * b * (u * (1 - u * u).squareRoot() + asin(u) + .pi / 2)
        }
        let c = backY - centreY
        return front(outerA, outerB, to: c) - front(max(0, outerA - t), max(0, outerB - t), to: c)
    }

    /// The thickness (template cm) whose section area is `area`, by bisection (the area grows with
    /// the thickness up to the full half-ellipse).
    static func thickness(forArea area: Double) -> Double {
        var (lo, hi) = (0.0, min(outerA, outerB))
        if sectionArea(thickness: hi) <= area { return hi }
        for _ in 0..<50 {
            let mid = (lo + hi) / 2
            if sectionArea(thickness: mid) < area { lo = mid } else { hi = mid }
        }
        return (lo + hi) / 2
    }

    /// The band's solid in the template's head frame for a thickness `t` (template cm).
    static func solid(thickness t: Double) -> Solid {
        Solid(outer, cuts: [CutPlane(Vec3(0, 1, 0), backY)], excluding: outer.inset(by: t))
    }
}

extension StylisedPhantom {
    /// Sizes the mandible to the ICRP 143 volume of the age and sex (times body mass over the reference
    /// mass for an individual child, as the sternum and vertebrae), at least one voxel thick.
    mutating func placeMandible(ageYears: Double, massKg: Double) {
        typealias M = Mandible
        guard let i = regions.firstIndex(where: { $0.name == M.name }) else { return }
        let v = ThoracicSkeleton.siteVolume(.mandible, ageYears: ageYears, sex: sex)
        let volume = (v.cortex + v.spongiosa) * massKg / ICRP89.bodyMass(atAge: ageYears, sex)
        // Template → phantom: x by headA/7, y by headB/10 (equal for every phantom), z by headHeight/21.
        let inPlane = (dimensions.headA / AdultTemplate.headA) * (dimensions.headB / AdultTemplate.headB)
        let height = (M.topZ - M.baseZ) * dimensions.headHeight / AdultTemplate.headHeight
        let minimum = defaultSpacing * AdultTemplate.headB / dimensions.headB
        let t = max(minimum, M.thickness(forArea: volume / (height * inPlane)))
        regions[i].solid = M.solid(thickness: t)
        regions[i].scaling = .fixed
        regions[i].growsWithBones = false
    }
}
