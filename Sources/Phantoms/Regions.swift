import HarmonicCore

/// The tissue a region is made of; the transport layer maps it to an XRayPhysics material.
public enum Tissue: Int, CaseIterable, Sendable {
    case softTissue = 0, lung, skeleton, breast
    /// Validation materials (slab transmission tests), not used by the phantoms.
    case water, aluminium
    /// Cortical bone and spongiosa of the bones modelled as a cortex over spongiosa (the sternum):
    /// ICRU Report 44 cortical bone (1.92 g/cm³) and spongiosa (1.18 g/cm³).
    case corticalBone, spongiosa
    /// Air inside the body (the trachea's lumen, `ThoracicSkeleton.tracheaLumenName`).
    case air

    /// Densities (g/cm³) of Cristy & Eckerman (ORNL/TM-8381, 1987), section 2: soft tissue
    /// 1.04, lung 0.296; breast 1.02 (ICRP 89 Table 13.6 glandular/adipose mix). The phantoms
    /// take the lung density of their age instead (`LungDensity`, ICRP 143/110) and fit the
    /// skeleton density per age to the ICRP 89 skeleton mass (see `StylisedPhantom`).
    public var nominalDensity: Double {
        switch self {
        case .softTissue: 1.04
        case .lung: 0.296
        case .skeleton: 1.4
        case .breast: 1.02
        case .water: 1.0
        case .aluminium: 2.699   // NIST
        case .corticalBone: 1.92  // ICRU 44
        case .spongiosa: 1.18     // ICRU 44
        case .air: 0.001205       // dry air at sea level, NIST (XRayPhysics `Material.air`)
        }
    }
}

/// What a labelled region of the phantom is, for tallies and dose reporting.
public enum RegionRole: Sendable, Hashable {
    /// An organ or organ wall.
    case organ(Organ)
    /// Contents of a hollow organ (blood in the heart, stomach contents...): scored, not reported.
    case contents(Organ)
    /// Bone of one ICRP 143 skeletal site: the bone and marrow mixture in which the photon
    /// fluence of the site's spongiosa is scored (red marrow and endosteum doses come from it).
    /// A template bone solid holds several sites (`BoneGeometry`); its role names the first,
    /// and voxelisation splits it into one region per site.
    case bone(SkeletalSite)

    /// The role of a template bone solid: its first site (see `BoneGeometry.sites`).
    static func bone(_ geometry: BoneGeometry) -> RegionRole { .bone(geometry.sites[0]) }
    /// Soft tissue not assigned to an organ, inside the trunk (lymph node proxy) or elsewhere.
    case residualTrunk, residualOther
    /// The outer voxel layer of the body.
    case skin
}

/// Which body part's scaling a region follows when the adult template is mapped to an age.
enum BodyFrame: Sendable { case trunk, neck, head, legs, arms }

/// One region of the adult template: a solid in adult MIRD coordinates (cm).
struct TemplateRegion: Sendable {
    var name: String
    var role: RegionRole
    var tissue: Tissue
    var frame: BodyFrame
    var solid: Solid
    /// Regions outside the body envelope that enlarge it (breasts, testes).
    var extendsBody = false
}
