import HarmonicCore

/// The os coxae (hip bones) of the stylised phantoms, built from pelvic anatomy rather than
/// MIRD-5's posterior half-cylinder (Snyder et al. 1978: a 0.7 cm shell of radius 12 cm behind
/// the trunk's frontal plane, z 0-22 cm), which had no iliac wings reaching forward and no pubis,
/// so the 6-25% of the active marrow in the os coxae (ICRP 143, 0-15 y) lay only posteriorly.
///
/// Each hip bone is two solids in the adult template (cm; +y posterior, x to the left):
/// - **Ilium (wing)**: a 0.7 cm plate (MIRD-5's pelvic shell thickness) on an elliptic cylinder
///   from the acetabular roof (template z 8 cm) to the iliac crest (z 22 cm, MIRD-5's top of the
///   pelvis). Its outer ellipse is as wide as the bi-iliac (intercristal) breadth, 28 cm in adults
///   (average adult woman; Heinz et al., Asia Pac J Clin Nutr 14 (2005), as cited for bi-iliac
///   width; Ruff et al., J Hum Evol 48 (2005) 381), and passes through the anterior superior
///   iliac spines (ASIS), 22.7 cm apart (CT of 200 adults, mean inter-ASIS distance; "Variability
///   in the range of inter-anterior superior iliac spine distance and its correlation with femoral
///   head centre", Skeletal Radiol, doi:10.1007/s00256-009-0791-x), which lie in the anterior pelvic plane, the vertical frontal plane of the pubic tubercles in
///   standing posture ("Morpho-metrical features of the pelvis in standing posture", 16 Japanese
///   male specimens, Kaibogaku Zasshi, ISSN 0022-7722), as far as the stylised trunk allows: its
///   elliptic section curves back laterally, so the wings are kept `subcutaneous` (1 cm, template)
///   under the skin, which puts the ASIS about 1.3 cm (template) behind the pubis' plane in
///   the adult template. Posteriorly the wing ends at the sacro-iliac joint, `sacroIliac` (an
///   anatomical proportion, not a measured value), beside the sacrum.
/// - **Acetabulum, ischium and pubis**: the lower ring, z 1-8 cm (1 cm of perineal soft tissue
///   below the pubic arch and the ischial tuberosities: proportion), a shell whose lateral outer
///   surface lies at the femoral-head centre, 8.0 cm from the midline (the same CT study: mean
///   inter-femoral-head distance 16.0 cm), 2 cm thick there (the acetabular floor and the
///   quadrilateral plate; proportion), whose widest point lies in the frontal plane of the sacral
///   promontory (acetabular centre and promontory on one vertical line in standing posture, same
///   morphometry), i.e. the anterior surface of the vertebral bodies (`ThoracicSkeleton`), and
///   whose anterior surface is the pubic symphysis on the anterior pelvic plane, 1.5 cm thick
///   antero-posteriorly (proportion). The pubic body rises to z 4.75 cm at the symphysis (an
///   oblique cut: the bladder lies above and behind it); the ischia end 3 cm behind the acetabular
///   centres (proportion) and the ring leaves the posterior midline to the sacrum.
///
/// The anterior pelvic plane lies `anteriorPlane` (template cm) behind the anterior trunk surface
/// (an anatomical proportion: 1.5 cm of soft tissue over the pubis in the adult template,
/// scaled with the trunk depth at other ages). The bones follow the trunk frame to every age, as
/// MIRD's pelvis did; their thickness follows the fitted bone size factor (the outline does
/// not), so the pelvis stays inside the trunk at every age.
public enum PelvicSkeleton {
    static let iliumNames = ("ilium L", "ilium R")
    static let lowerNames = ("acetabulum, ischium and pubis L", "acetabulum, ischium and pubis R")
    static var allNames: Set<String> { [iliumNames.0, iliumNames.1, lowerNames.0, lowerNames.1] }

    /// Adult dimensions (cm) and their template positions.
    public static let biIliacBreadth = 28.0, interASIS = 22.7, interFemoralHead = 16.0
    static let iliumThickness = 0.7, iliacCrestZ = 22.0, acetabularRoofZ = 8.0
    static let anteriorPlane = -8.5, sacroIliac = (x: 4.5, y: 6.5), subcutaneous = 1.0
    static let acetabularWall = 2.0, pubicDepth = 1.5, symphysisTopZ = 4.75, ischiumBehindAcetabulum = 3.0, pelvicFloorZ = 1.0

    /// The ilium's outer ellipse (centre y, semi-axes a, b): as wide as the bi-iliac breadth,
    /// through the ASIS on the anterior pelvic plane and the sacro-iliac joint.
    static var iliumEllipse: (cy: Double, a: Double, b: Double) {
        let a = biIliacBreadth / 2
        let front = (1 - (interASIS / 2 / a) * (interASIS / 2 / a)).squareRoot()
        let back = (1 - (sacroIliac.x / a) * (sacroIliac.x / a)).squareRoot()
        // (sacroIliac.y - cy) = back·b and (cy - anteriorPlane) = front·b
        let b = (sacroIliac.y - anteriorPlane) / (front + back)
        return (sacroIliac.y - back * b, a, b)
    }

    /// The lower ring's outer ellipse for the acetabular centres' antero-posterior position `acetabulumY`.
    static func lowerEllipse(acetabulumY: Double) -> (cy: Double, a: Double, b: Double) {
        (acetabulumY, interFemoralHead / 2, acetabulumY - anteriorPlane)
    }
}

extension StylisedPhantom {
    /// Rebuilds the os coxae for the antero-posterior position of the acetabular centres (template y):
    /// the anterior surface of the vertebral bodies, in the frontal plane of the sacral promontory.
    mutating func placePelvicSkeleton(acetabulumY: Double) {
        typealias P = PelvicSkeleton
        let w = P.iliumEllipse
        let r = P.lowerEllipse(acetabulumY: acetabulumY)
        let t = P.iliumThickness
        for i in regions.indices where P.allNames.contains(regions[i].name) {
            let left = regions[i].name == P.iliumNames.0 || regions[i].name == P.lowerNames.0
            let side = left ? 1.0 : -1.0
            if regions[i].name == P.iliumNames.0 || regions[i].name == P.iliumNames.1 {
                regions[i].solid = Solid(.cylinderZ(cx: 0, cy: w.cy, a: w.a, b: w.b, zMin: P.acetabularRoofZ, zMax: P.iliacCrestZ),
                                         cuts: [CutPlane(Vec3(-side, 0, 0), -P.sacroIliac.x),     // lateral of the sacro-iliac joint
                                                CutPlane(Vec3(0, -1, 0), -P.anteriorPlane)],      // behind the anterior pelvic plane
                                         excluding: .cylinderZ(cx: 0, cy: w.cy, a: w.a - t, b: w.b - t,
                                                               zMin: P.acetabularRoofZ, zMax: P.iliacCrestZ))
                // The elliptic trunk curves back laterally (its surface at the ASIS' x lies behind the
                // pubis' plane): the wings stay `subcutaneous` under the skin there.
                regions[i].clip = Solid(.superellipticCylinderZ(cx: 0, cy: 0, a: AdultTemplate.trunkOutlineA - P.subcutaneous,
                                                                b: AdultTemplate.trunkB - P.subcutaneous, n: AdultTemplate.trunkOutlineExponent,
                                                                zMin: -.infinity, zMax: .infinity))
            } else {
                regions[i].solid = Solid(.cylinderZ(cx: 0, cy: r.cy, a: r.a, b: r.b, zMin: P.pelvicFloorZ, zMax: P.acetabularRoofZ),
                                         cuts: [CutPlane(Vec3(-side, 0, 0), 0),                   // one side of the symphysis
                                                // off the posterior midline (the sacrum and coccyx lie there): y <= 2|x|
                                                CutPlane(Vec3(-2 * side, 1, 0), 0),
                                                CutPlane(Vec3(0, 1, 0), r.cy + P.ischiumBehindAcetabulum),
                                                // the pubis rises to symphysisTopZ on the anterior plane, obliquely to the acetabular roof
                                                CutPlane(Vec3(0, -(P.acetabularRoofZ - P.symphysisTopZ) / r.b, 1),
                                                         P.symphysisTopZ - (P.acetabularRoofZ - P.symphysisTopZ) / r.b * P.anteriorPlane)],
                                         excluding: .cylinderZ(cx: 0, cy: r.cy, a: r.a - P.acetabularWall, b: r.b - P.pubicDepth,
                                                               zMin: P.pelvicFloorZ, zMax: P.acetabularRoofZ))
            }
            regions[i].scaling = .shellOutward
        }
    }
}
