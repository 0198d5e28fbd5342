import Foundation
import HarmonicCore

/// The adult template of the stylised family, in adult MIRD-5 coordinates (cm): trunk
/// elliptic cylinder 20 x 10 cm semi-axes, 0 <= z <= 70 (since session 24 a fuller trunk 16 cm wide
/// with the arms beside it: `trunkOutline`, `armA`); neck 5.4 cm radius, 70-75; head
/// elliptic cylinder 7 x 10, 75-87, with an ellipsoidal cap (7, 10, 9); legs truncated cones
/// from radius 10 at z = 0 to 5 at z = -80.
///
/// Sources: organ positions and shapes follow Snyder, Ford, Warner & Watson, MIRD Pamphlet 5
/// revised (1978) and the Cristy & Eckerman (ORNL/TM-8381, 1987) adult: lungs, liver, stomach,
/// spleen, kidneys, bladder, spine, ribs, arm and leg bones, testes and breasts are the
/// MIRD equations (rounded); the heart (MIRD's rotated ellipsoids, Coffey 1981) is an
/// axis-aligned ellipsoid at the same centre; thyroid (MIRD half-torus) is two ellipsoidal lobes;
/// clavicles (MIRD torus sections) and scapulae are thin ellipsoids; colon segments (ascending,
/// transverse, descending, rectosigmoid) are elliptic cylinders; oesophagus, thymus, salivary
/// glands, eye lenses, oral mucosa and extrathoracic airways follow the ORNL additions
/// (approximate positions); the os coxae are built from pelvic anatomy (`PelvicSkeleton`).
/// Sizes are then fitted per age to ICRP 89 masses, so the adult sizes here only set the
/// shapes' proportions. Precedence: earlier regions win overlaps.
enum AdultTemplate {
    /// The trunk frame's semi-axes (MIRD-5's trunk, arms included): the scale of the trunk frame,
    /// into which every age maps by x·20/trunkA, y·10/trunkB.
    static let trunkA = 20.0, trunkB = 10.0, trunkHeight = 70.0
    /// The trunk's own section without the arms (template cm; session 24): a superelliptic
    /// (Lamé) cylinder |x/16|³ + |y/10|³ <= 1. MIRD-5's 20 × 10 cm ellipse held the arms, and it
    /// thins from the midline: at 0.8 and 0.9 of its half-width it is 0.60 and 0.44 of the midline
    /// depth, where the ICRP 110 adults' trunk is 0.80-0.87 and 0.58-0.72 (and 1.02-1.09 at
    /// 0.3-0.6: the pectorals and the paraspinal muscles); exponent 3 gives 0.79 and 0.65, the ICRP
    /// profile (docs/trunk-remodel.md, section 1). The ICRP 110 trunk's half-width without its
    /// arms is 14.4 (AF) and 16.9-17.7 cm (AM) at the chest; a half-width of 16 cm keeps the trunk's section and
    /// the arms' together at MIRD-5's area (+5%), so the fit keeps the trunk's depth within 2%.
    static let trunkOutlineA = 16.0, trunkOutlineExponent = 3.0
    /// The trunk's outline (above) as a solid, over the trunk's height.
    static var trunkOutline: Quadric {
        .superellipticCylinderZ(cx: 0, cy: 0, a: trunkOutlineA, b: trunkB, n: trunkOutlineExponent, zMin: 0, zMax: trunkHeight)
    }
    /// The trunk's half-depth (template cm) at a lateral position x (template cm).
    static func trunkHalfDepth(atX x: Double) -> Double {
        Quadric.superellipseHalfDepth(a: trunkOutlineA, b: trunkB, n: trunkOutlineExponent, at: x)
    }
    /// The arms, hanging beside the trunk (the `.arms` frame, `BodyDimensions.armsFrame`): an
    /// elliptic cylinder per side from the trunk's base to the shoulder, 7 cm wide and 8.5 cm deep,
    /// against the trunk's side. ICRP 110 adults: the arms are centred 17-21 cm from the midline,
    /// 7-9 cm wide and 8-12 cm deep at the chest, 8-9 × 8 cm at the waist (docs/trunk-remodel.md,
    /// section 2). The adult male's upper limbs are 2 × 5% of his mass (Dempster's segment
    /// fractions: upper arm 2.8, forearm 1.6, hand 0.6%), 7.3 kg of 73 kg, against 6.8 kg for these
    /// cylinders at 1.04 g/cm³ in the template.
    static let armA = 3.5, armB = 4.25
    static var armCentreX: Double { trunkOutlineA + armA }
    /// The shoulder joint's height (template cm), the pivot of raised arms (`ArmPosture`): the
    /// humeral head's centre, 4 cm under the trunk's top and 2.3 cm under the clavicles' axis
    /// (68.3 cm). The adult humeral head is about 4.5 cm across (Gray's Anatomy, 41st ed., ch. 48),
    /// so the raised arm keeps its head in the glenoid's place, level with the clavicles.
    static let shoulderPivotZ = 66.0
    /// True when a template point (trunk frame) lies within the trunk's outline in section (any
    /// z), arms excluded.
    @inline(__always)
    static func trunkOutline(contains q: Vec3) -> Bool {
        trunkOutline.contains(Vec3(q.x, q.y, 0.5 * trunkHeight))
    }
    static let neckRadius = 5.4, neckHeight = 5.0
    static let headA = 7.0, headB = 10.0, headCylinder = 12.0, headCap = 9.0
    static var headHeight: Double { headCylinder + headCap }
    static let legLength = 80.0
    /// The liver's top on the midline (template cm), under the diaphragm: the liver's upper surface
    /// lies against the diaphragm's undersurface (Gray's Anatomy, 41st ed., ch. 67), so its fitted
    /// size grows it down and sideways from there. The point lies on the MIRD-5 liver's cut plane,
    /// so the plane stays where it is at every size; scaled about its centre instead, the liver rose
    /// into the thorax and its cut plane swept through it, so that beyond a size factor of about
    /// 1.4 it lost mass as it grew (the newborn could not reach its ICRP 89 130 g).
    static let liverDome = Vec3(0, 0, 43)

    /// Body envelope parts (template frame), in the frame each follows.
    static let envelope: [(BodyFrame, Solid)] = [
        (.trunk, Solid(trunkOutline)),
        (.arms, Solid(.cylinderZ(cx: armCentreX, cy: 0, a: armA, b: armB, zMin: 0, zMax: 70))),
        (.arms, Solid(.cylinderZ(cx: -armCentreX, cy: 0, a: armA, b: armB, zMin: 0, zMax: 70))),
        (.neck, Solid(.cylinderZ(cx: 0, cy: 0, a: 5.4, b: 5.4, zMin: 70, zMax: 75))),
        (.head, Solid(.cylinderZ(cx: 0, cy: 0, a: 7, b: 10, zMin: 75, zMax: 87))),
        (.head, Solid(.ellipsoid(centre: Vec3(0, 0, 87), semi: Vec3(7, 10, 9)), cuts: [CutPlane(Vec3(0, 0, -1), -87)])),
        (.legs, Solid(.coneZ(cx: -10, cy: 0, r0: 10, z0: 0, r1: 5, z1: -80))),
        (.legs, Solid(.coneZ(cx: 10, cy: 0, r0: 10, z0: 0, r1: 5, z1: -80))),
    ]

    static func regions(sex: Sex) -> [TemplateRegion] {
        func e(_ c: (Double, Double, Double), _ s: (Double, Double, Double)) -> Quadric {
            .ellipsoid(centre: Vec3(c.0, c.1, c.2), semi: Vec3(s.0, s.1, s.2))
        }
        func r(_ name: String, _ role: RegionRole, _ tissue: Tissue = .softTissue, _ frame: BodyFrame = .trunk,
               _ q: Quadric, cuts: [CutPlane] = [], excluding: Quadric? = nil,
               bands: (Double, Double, Double)? = nil, extends: Bool = false) -> TemplateRegion {
            TemplateRegion(name: name, role: role, tissue: tissue, frame: frame,
                           solid: Solid(q, cuts: cuts, excluding: excluding,
                                        zBands: bands.map { (start: $0.0, pitch: $0.1, width: $0.2) }),
                           extendsBody: extends)
        }
        enum SpinePart { case bodies, canal, arches }
        func spine(_ segment: VertebralColumn.Segment, _ part: SpinePart) -> TemplateRegion {
            let z = segment.templateZ
            switch part {
            case .bodies:
                return r(segment.bodiesName, .bone(.trunkSpine), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 4.4, a: 2, b: 1.4, zMin: z.lower, zMax: z.upper))
            case .canal:
                return r(segment.canalName, .residualOther, .softTissue, .trunk,
                         .cylinderZ(cx: 0, cy: 5.6, a: ThoracicSkeleton.spinalCanalHalfWidth, b: ThoracicSkeleton.spinalCanalHalfDepth,
                                    zMin: z.lower, zMax: z.upper))
            case .arches:
                return r(segment.archesName, .bone(.trunkSpine), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 6.9, a: 1.1, b: 1.1, zMin: z.lower, zMax: z.upper))
            }
        }
        var list: [TemplateRegion] = [
            // Head
            r("eye lens L", .organ(.eyeLens), .softTissue, .head, e((3, -8.5, 86), (0.5, 0.2, 0.5))),
            r("eye lens R", .organ(.eyeLens), .softTissue, .head, e((-3, -8.5, 86), (0.5, 0.2, 0.5))),
            r("brain", .organ(.brain), .softTissue, .head, e((0, 0, 88), (6, 8.6, 6.5))),
            r("salivary gland L", .organ(.salivaryGlands), .softTissue, .head, e((5, 0.5, 79), (1.3, 2.6, 2.4))),
            r("salivary gland R", .organ(.salivaryGlands), .softTissue, .head, e((-5, 0.5, 79), (1.3, 2.6, 2.4))),
            r("oral mucosa", .organ(.oralMucosa), .softTissue, .head, e((0, -6, 78.5), (2.5, 1.5, 0.8))),
            r("extrathoracic airways (head)", .organ(.extrathoracic), .softTissue, .head,
              .cylinderZ(cx: 0, cy: -3, a: 1, b: 1.5, zMin: 75, zMax: 82)),
            r("skull", .bone(.skull), .skeleton, .head, e((0, 0, 88), (6.8, 9.7, 7.6))),
            // The body of the jaw at the head's base, sized per age (`Mandible`; this is the adult's shape).
            r(Mandible.name, .bone(BoneGeometry.mandible), .skeleton, .head, Mandible.outer),
            // Neck
            // Thyroid lobes beside the trachea, level with its axis ("the lobes ... are related
            // anterolaterally to the infrahyoid muscles; medially to the larynx and trachea":
            // Gray's Anatomy, 41st ed., ch. 33), and the trachea's front 1.0 cm under the skin:
            // subcutaneous tissue over the trachea 0.97 cm (IQR 0.68-1.15) in non-obese adults
            // (Guinot et al., Crit Care 16 (2012) R40, Table 3, ultrasound), skin to trachea
            // 0.92 ± 0.19 cm (Turk Gogus Kalp Damar Cerrahisi Derg 29 (2021) 457, Table 2). So the
            // lobes' front lies 0.8 cm under the skin. Until session 15 the trachea's front lay
            // 3.4 cm deep and the lobes' 2.0 cm (mean thyroid depth 2.5 cm at 5 y, 2.6 at 15 y).
            r("thyroid L", .organ(.thyroid), .softTissue, .neck, e((1.7, -3.4, 71.5), (0.9, 0.9, 2.3))),
            r("thyroid R", .organ(.thyroid), .softTissue, .neck, e((-1.7, -3.4, 71.5), (0.9, 0.9, 2.3))),
            r("extrathoracic airways (neck)", .organ(.extrathoracic), .softTissue, .neck,
              .cylinderZ(cx: 0, cy: -3.6, a: 0.8, b: 0.8, zMin: 70, zMax: 75)),
            r("oesophagus (neck)", .organ(.oesophagus), .softTissue, .neck,
              .cylinderZ(cx: 0, cy: 0.9, a: 0.7, b: 0.5, zMin: 70, zMax: 75)),
            r("cervical spine", .bone(.cervicalSpine), .skeleton, .neck, .cylinderZ(cx: 0, cy: 2.8, a: 1.4, b: 1.4, zMin: 70, zMax: 75)),
            // Thorax
            r("oesophagus", .organ(.oesophagus), .softTissue, .trunk,
              .cylinderZ(cx: 0, cy: 2.0, a: 0.9, b: 0.6, zMin: 40, zMax: 70)),
            r("heart", .organ(.heart), .softTissue, .trunk, e((1.5, -2.5, 51), (5.5, 4.3, 6.5))),
            r("thymus", .organ(.thymus), .softTissue, .trunk, e((0, -6.5, 61), (2.5, 1.3, 3.5))),
            // The trachea's air, in front of the oesophagus (placed by `ThoracicSkeleton`).
            r(ThoracicSkeleton.tracheaLumenName, .contents(.extrathoracic), .air, .trunk,
              .cylinderZ(cx: 0, cy: 0, a: ThoracicSkeleton.tracheaLumenRadius, b: ThoracicSkeleton.tracheaLumenRadius,
                         zMin: ThoracicSkeleton.carinaZ, zMax: 70)),
            // Thoracic skeleton: sternum, vertebral bodies and arches, and the rib cage are placed per
            // age from the chest wall and vertebral anatomy (`ThoracicSkeleton`); these solids are the
            // adult proportions they start from.
            r(ThoracicSkeleton.sternumCortexName, .bone(BoneGeometry.sternum), .corticalBone, .trunk,
              .cylinderZ(cx: 0, cy: -8.6, a: 1.5, b: 0.6, zMin: 50.5, zMax: 67.5)),
            r(ThoracicSkeleton.sternumName, .bone(BoneGeometry.sternum), .spongiosa, .trunk,
              .cylinderZ(cx: 0, cy: -8.6, a: 1.5, b: 0.6, zMin: 50.5, zMax: 67.5)),
            // The trunk's vertebral column in three segments (thoracic, lumbar, sacral), each its
            // bodies, the spinal canal behind them (before the arches that surround it) and the arches
            // (placed and sized by `VertebralColumn`; these are the adult template's section).
            spine(.thoracic, .bodies), spine(.thoracic, .canal), spine(.thoracic, .arches),
            spine(.lumbar, .bodies), spine(.lumbar, .canal), spine(.lumbar, .arches),
            spine(.sacral, .bodies), spine(.sacral, .canal), spine(.sacral, .arches),
            // The costal cartilages: the rib band's anterior ends (placed by `ThoracicSkeleton`), before the ribs.
            r(ThoracicSkeleton.costalCartilageName, .residualOther, .softTissue, .trunk,
              .cylinderZ(cx: 0, cy: 0, a: 14.3, b: 9.8, zMin: 35.1, zMax: 67.5),
              cuts: [CutPlane(Vec3(0, 1, 0), 0)], excluding: .cylinderZ(cx: 0, cy: 0, a: 13.7, b: 9.2, zMin: 35.1, zMax: 67.5),
              bands: (35.1, 2.7, 1.4)),
            r(ThoracicSkeleton.ribsName, .bone(.ribCage), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 0, a: 14.3, b: 9.8, zMin: 35.1, zMax: 67.5),
              excluding: .cylinderZ(cx: 0, cy: 0, a: 13.7, b: 9.2, zMin: 35.1, zMax: 67.5), bands: (35.1, 2.7, 1.4)),
            r("clavicle L", .bone(.clavicle), .skeleton, .trunk, e((7.5, -6.5, 68.3), (6.5, 0.8, 0.8))),
            r("clavicle R", .bone(.clavicle), .skeleton, .trunk, e((-7.5, -6.5, 68.3), (6.5, 0.8, 0.8))),
            r("scapula L", .bone(.scapula), .skeleton, .trunk, e((10, 8.0, 58), (4.5, 0.6, 7))),
            r("scapula R", .bone(.scapula), .skeleton, .trunk, e((-10, 8.0, 58), (4.5, 0.6, 7))),
            // The arm bones (MIRD-5's section, humerus, radius and ulna side by side) in the arms beside
            // the trunk; MIRD-5 had them at x 18.4 cm inside its 20-cm trunk.
            r("arm bone L", .bone(.arm), .skeleton, .arms, .cylinderZ(cx: armCentreX, cy: 0, a: 1.4, b: 2.7, zMin: 0, zMax: 70)),
            r("arm bone R", .bone(.arm), .skeleton, .arms, .cylinderZ(cx: -armCentreX, cy: 0, a: 1.4, b: 2.7, zMin: 0, zMax: 70)),
            r("liver", .organ(.liver), .softTissue, .trunk, .cylinderZ(cx: 0, cy: 0, a: 16.5, b: 8, zMin: 27, zMax: 43),
              cuts: [CutPlane(Vec3(1.0 / 35, 1.0 / 45, -1.0 / 43), -1)]),
            r("lung L", .organ(.lungs), .lung, .trunk, e((8.5, 0, 43.5), (5, 7.5, 24)), cuts: [CutPlane(Vec3(0, 0, -1), -43.5)]),
            r("lung R", .organ(.lungs), .lung, .trunk, e((-8.5, 0, 43.5), (5, 7.5, 24)), cuts: [CutPlane(Vec3(0, 0, -1), -43.5)]),
            // Abdomen
            r("gall bladder", .organ(.gallbladder), .softTissue, .trunk, e((-4.5, -3.2, 30), (1.5, 1.5, 4))),
            r("stomach", .organ(.stomach), .softTissue, .trunk, e((8, -4, 35), (4, 3, 8))),
            r("spleen", .organ(.spleen), .softTissue, .trunk, e((11, 3, 37), (3.5, 2, 6))),
            r("adrenal L", .organ(.adrenals), .softTissue, .trunk, e((4, 6.5, 39.5), (1.5, 0.5, 3))),
            r("adrenal R", .organ(.adrenals), .softTissue, .trunk, e((-4, 6.5, 39.5), (1.5, 0.5, 3))),
            r("pancreas", .organ(.pancreas), .softTissue, .trunk, e((3, 1, 37), (7, 1.2, 2.2))),
            r("kidney L", .organ(.kidneys), .softTissue, .trunk, e((6, 6, 32.5), (4.5, 1.5, 5.5))),
            r("kidney R", .organ(.kidneys), .softTissue, .trunk, e((-6, 6, 32.5), (4.5, 1.5, 5.5))),
            r("ascending colon", .organ(.colon), .softTissue, .trunk, .cylinderZ(cx: -8.5, cy: -2.4, a: 2.5, b: 1.5, zMin: 8.7, zMax: 24)),
            r("transverse colon", .organ(.colon), .softTissue, .trunk, .cylinderX(cy: -2.4, cz: 25.5, b: 1.5, c: 1.5, xMin: -10.5, xMax: 10.5)),
            r("descending colon", .organ(.colon), .softTissue, .trunk, .cylinderZ(cx: 9, cy: -1, a: 1.9, b: 1.3, zMin: 8, zMax: 24)),
            r("rectosigmoid colon", .organ(.colon), .softTissue, .trunk, .cylinderZ(cx: 0, cy: 1.5, a: 1.5, b: 1.3, zMin: 0, zMax: 9)),
            r("small intestine", .organ(.smallIntestine), .softTissue, .trunk, .cylinderZ(cx: 0, cy: -1.5, a: 10, b: 5, zMin: 14, zMax: 27)),
            r("urinary bladder", .organ(.bladder), .softTissue, .trunk, e((0, -4.5, 8), (4.96, 3.46, 3.46))),
            // Os coxae: iliac wings and the acetabulum-ischium-pubis ring, placed from pelvic anatomy
            // (`PelvicSkeleton`; these placeholders are replaced for every phantom).
            r(PelvicSkeleton.iliumNames.0, .bone(.pelvis), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 0, a: 14, b: 10, zMin: 8, zMax: 22)),
            r(PelvicSkeleton.iliumNames.1, .bone(.pelvis), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 0, a: 14, b: 10, zMin: 8, zMax: 22)),
            r(PelvicSkeleton.lowerNames.0, .bone(.pelvis), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 0, a: 8, b: 10, zMin: 0, zMax: 8)),
            r(PelvicSkeleton.lowerNames.1, .bone(.pelvis), .skeleton, .trunk, .cylinderZ(cx: 0, cy: 0, a: 8, b: 10, zMin: 0, zMax: 8)),
            r("leg bone L", .bone(.leg), .skeleton, .legs, .cylinderZ(cx: 10, cy: 0, a: 1.6, b: 1.6, zMin: -78, zMax: -2)),
            r("leg bone R", .bone(.leg), .skeleton, .legs, .cylinderZ(cx: -10, cy: 0, a: 1.6, b: 1.6, zMin: -78, zMax: -2)),
        ]
        if sex == .female {
            list += [
                r("uterus", .organ(.uterus), .softTissue, .trunk, e((0, -1.5, 13), (4.7, 1.5, 2.5))),
                r("ovary L", .organ(.ovaries), .softTissue, .trunk, e((6, 0, 14), (1, 0.5, 2))),
                r("ovary R", .organ(.ovaries), .softTissue, .trunk, e((-6, 0, 14), (1, 0.5, 2))),
            ]
        } else {
            list += [
                r("prostate", .organ(.prostate), .softTissue, .trunk, e((0, -2.2, 2.5), (1.8, 1.2, 1.4))),
                r("testis L", .organ(.testes), .softTissue, .trunk, e((1.3, -8, -2.3), (1.3, 1.5, 2.3)), extends: true),
                r("testis R", .organ(.testes), .softTissue, .trunk, e((-1.3, -8, -2.3), (1.3, 1.5, 2.3)), extends: true),
            ]
        }
        // Breasts over the 2nd to 6th ribs, the nipple at the 4th intercostal space (Gray's Anatomy,
        // 41st ed., ch. 53), placed against the heart of this template: the heart's upper border lies
        // at the 3rd costal cartilages and its lower border at the 6th (Gray's Anatomy, ch. 57), so
        // the breast spans from one rib above the heart's top to its bottom and its centre lies
        // about 2 cm above the heart's (z 51 → 53; the anterior rib ends slope about two vertebral
        // levels below their heads, which puts the 4th intercostal space there too). MIRD-5 centred
        // the breasts at z 50, level with the heart's centre. (Placed by the sternum of
        // `ThoracicSkeleton` instead, z 57, they sat above the MIRD heart and lungs, whose
        // vertical extent is longer than the 17-cm sternum implies.)
        list += [
            r("breast L", .organ(.breast), .breast, .trunk, e((10, breastCentreY, 53), (4.95, 4.5, 4.35)), extends: true),
            r("breast R", .organ(.breast), .breast, .trunk, e((-10, breastCentreY, 53), (4.95, 4.5, 4.35)), extends: true),
        ]
        return list
    }

    /// The breasts' centre (template y): MIRD-5's 0.46 cm under the trunk's anterior surface at
    /// x = 10 cm (y −8.2 on its ellipse, whose surface lay at −8.66), kept against the fuller trunk.
    static var breastCentreY: Double { -trunkHalfDepth(atX: 10) + 0.46 }
}
