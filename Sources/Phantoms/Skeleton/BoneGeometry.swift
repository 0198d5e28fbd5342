import HarmonicCore

/// Where each ICRP 143 skeletal site sits in the stylised skeleton.
///
/// The MIRD / Cristy-Eckerman bones are few solids (skull, spine, rib cage, sternum, clavicles,
/// scapulae, arm bones in the arms beside the trunk (inside MIRD-5's trunk until session 24), pelvis, one bone per
/// leg), so each solid is divided among the sites it stands for, by position in the adult
/// template (cm; z up from the trunk base, y posterior, x to the phantom's left), i.e.
/// relative to the body, not to the bone solid (whose fitted size factor, 1.00-1.17, lets the
/// trunk surface clip its ends). The boundaries are anatomical proportions, not fitted to any
/// dose table:
/// - skull: craniofacial; the mandible is a bone of its own at the head's base (`Mandible`; until
///   session 21 it was the skull's antero-inferior part, y < -4 cm and z < 84 cm, 5.4-9 cm above
///   the head's base, because the stylised head had no jaw below the cranium).
/// - trunk spine (vertebral bodies and arches in three segments, `VertebralColumn`): sacrum and
///   coccyx z 9.0-21.5 cm, lumbar vertebrae up to 39.5 cm, thoracic vertebrae above (Gray's segment
///   lengths below the top of T1 at the rib cage's top); the neck spine is cervical.
/// - rib cage: ribs; the sternum is a solid of its own on the anterior midline
///   (`ThoracicSkeleton`: both lie inside the trunk at every age, under the chest wall).
/// - arm bone (z 0-70 cm): adult segment lengths humerus 36, forearm 27, hand 19 cm (ICRP 23
///   proportions) mapped onto the 70 cm of the template arm: humerus above z = 39 cm (upper
///   half above 54.5 cm), radius (anterior half) and ulna (posterior half) from 16 to 39 cm,
///   wrist and hand below 16 cm.
/// - leg bone (z -2 to -78 cm): femur down to -42 cm (upper half above -22 cm), the patella
///   the anterior part (y < -0.8 cm) of -40 to -44 cm, tibia (medial) and fibula (lateral
///   0.6 cm of the bone) down to -74 cm, ankle and foot below.
public enum BoneGeometry: Sendable, Hashable, CaseIterable {
    case skull, mandible, cervicalSpine, trunkSpine, ribCage, sternum, clavicle, scapula, arm, pelvis, leg

    /// The sites this solid holds, in label order.
    public var sites: [SkeletalSite] {
        switch self {
        case .skull: [.craniofacial]
        case .mandible: [.mandible]
        case .cervicalSpine: [.cervicalVertebrae]
        case .trunkSpine: [.thoracicVertebrae, .lumbarVertebrae, .sacrum]
        case .ribCage: [.ribs]
        case .sternum: [.sternum]
        case .clavicle: [.clavicles]
        case .scapula: [.scapulae]
        case .arm: [.humeriUpper, .humeriLower, .radii, .ulnae, .wristsAndHands]
        case .pelvis: [.osCoxae]
        case .leg: [.femoraUpper, .femoraLower, .patellae, .tibiae, .fibulae, .anklesAndFeet]
        }
    }

    /// The site of a point of this solid, `q` in adult template coordinates (cm).
    public func site(at q: Vec3) -> SkeletalSite {
        switch self {
        case .skull: return .craniofacial
        case .mandible: return .mandible
        case .cervicalSpine: return .cervicalVertebrae
        case .trunkSpine: return (VertebralColumn.segment(atTemplateZ: q.z) ?? .sacral).site
        case .ribCage: return .ribs
        case .sternum: return .sternum
        case .clavicle: return .clavicles
        case .scapula: return .scapulae
        case .arm:
            if q.z >= 54.5 { return .humeriUpper }
            if q.z >= 39 { return .humeriLower }
            if q.z >= 16 { return q.y < 0 ? .radii : .ulnae }
            return .wristsAndHands
        case .pelvis: return .osCoxae
        case .leg:
            if q.z >= -22 { return .femoraUpper }
            if q.z <= -40 && q.z >= -44 && q.y < -0.8 { return .patellae }
            if q.z >= -42 { return .femoraLower }
            if q.z >= -74 { return abs(q.x) > 10.6 ? .fibulae : .tibiae }
            return .anklesAndFeet
        }
    }
}

extension BoneGeometry {
    /// The solid whose first site is `site` (template bone roles name their first site).
    init?(firstSite site: SkeletalSite) {
        guard let g = BoneGeometry.allCases.first(where: { $0.sites[0] == site }) else { return nil }
        self = g
    }
}

extension PhantomRegion {
    /// The bone solid of a skeletal region (nil for soft tissue).
    public var boneGeometry: BoneGeometry? {
        if case let .bone(site) = role { return BoneGeometry(firstSite: site) }
        return nil
    }
}
