/// The skeletal sites of the ICRP Publication 143 paediatric reference phantoms (ICRP 143
/// skeleton tables, one row per site; the same sites as ICRP Publication 110 for the adult).
/// Active marrow (AM), the 50 µm endosteal layer (TM50) and the bone surfaces are distributed
/// over these sites by age (`SkeletonComposition`); the stylised phantom places each site in its
/// bone geometry (`BoneGeometry`).
public enum SkeletalSite: Int, CaseIterable, Sendable, Codable {
    case craniofacial, mandible, scapulae, clavicles, sternum, ribs
    case cervicalVertebrae, thoracicVertebrae, lumbarVertebrae, sacrum, osCoxae
    case humeriUpper, humeriLower, radii, ulnae, wristsAndHands
    case femoraUpper, femoraLower, patellae, tibiae, fibulae, anklesAndFeet

    /// The row label of the site in the ICRP 143 `<phantom>_skeleton.dat` tables.
    public var icrp143RowName: String {
        switch self {
        case .craniofacial: "Craniofacial Bones"
        case .mandible: "Mandible"
        case .scapulae: "Scapulae"
        case .clavicles: "Clavicles"
        case .sternum: "Sternum"
        case .ribs: "Ribs"
        case .cervicalVertebrae: "Cervical Vertebrae"
        case .thoracicVertebrae: "Thoracic Vertebrae"
        case .lumbarVertebrae: "Lumbar Vertebrae"
        case .sacrum: "Sacrum"
        case .osCoxae: "Os coxae"
        case .humeriUpper: "Humeri, Upper Half"
        case .humeriLower: "Humeri, Lower Half"
        case .radii: "Radii"
        case .ulnae: "Ulnae"
        case .wristsAndHands: "Wrists and Hands"
        case .femoraUpper: "Femora, Upper Half"
        case .femoraLower: "Femora, Lower Half"
        case .patellae: "Patellae"
        case .tibiae: "Tibiae"
        case .fibulae: "Fibulae"
        case .anklesAndFeet: "Ankles and Feet"
        }
    }

    /// Short name for tables and reports.
    public var displayName: String {
        switch self {
        case .craniofacial: "craniofacial"
        case .mandible: "mandible"
        case .scapulae: "scapulae"
        case .clavicles: "clavicles"
        case .sternum: "sternum"
        case .ribs: "ribs"
        case .cervicalVertebrae: "cervical vertebrae"
        case .thoracicVertebrae: "thoracic vertebrae"
        case .lumbarVertebrae: "lumbar vertebrae"
        case .sacrum: "sacrum"
        case .osCoxae: "os coxae"
        case .humeriUpper: "humeri, upper half"
        case .humeriLower: "humeri, lower half"
        case .radii: "radii"
        case .ulnae: "ulnae"
        case .wristsAndHands: "wrists and hands"
        case .femoraUpper: "femora, upper half"
        case .femoraLower: "femora, lower half"
        case .patellae: "patellae"
        case .tibiae: "tibiae"
        case .fibulae: "fibulae"
        case .anklesAndFeet: "ankles and feet"
        }
    }

    /// The spongiosa medium of the site in the ICRP 143 `<phantom>_media.dat` tables (the
    /// tables pair radii with ulnae and tibiae with fibulae and patellae; "Scarum" is the
    /// tables' spelling).
    public var icrp143SpongiosaMediumName: String {
        switch self {
        case .craniofacial: "Cranium, spongiosa"
        case .mandible: "Mandible, spongiosa"
        case .scapulae: "Scapulae, spongiosa"
        case .clavicles: "Clavicles, spongiosa"
        case .sternum: "Sternum, spongiosa"
        case .ribs: "Ribs, spongiosa"
        case .cervicalVertebrae: "Cervical spine, spongiosa"
        case .thoracicVertebrae: "Thoracic spine, spongiosa"
        case .lumbarVertebrae: "Lumbar spine, spongiosa"
        case .sacrum: "Scarum, spongiosa"
        case .osCoxae: "Pelvis, spongiosa"
        case .humeriUpper: "Humeri, upper half, spongiosa"
        case .humeriLower: "Humeri, lower half, spongiosa"
        case .radii, .ulnae: "Ulnae and radii, spongiosa"
        case .wristsAndHands: "Wrists and hand bones, spongiosa"
        case .femoraUpper: "Femora upper half, spongiosa"
        case .femoraLower: "Femora lower half, spongiosa"
        case .patellae, .tibiae, .fibulae: "Tibiae, fibulae, and patellae, spongiosa"
        case .anklesAndFeet: "Ankles and foot bones, spongiosa"
        }
    }
}

/// Tissue masses (g) and surfaces (m²) of one skeletal site, ICRP 143 skeleton table columns.
public struct SkeletalSiteTissues: Sendable, Equatable, Codable {
    /// Active (red) marrow, inactive (yellow) marrow, trabecular and cortical bone, exclusive of
    /// miscellaneous skeletal tissue (MST), g.
    public var activeMarrow: Double, inactiveMarrow: Double, trabecularBone: Double, corticalBone: Double
    /// The 50 µm endosteal layer (TM50, the target of "bone surface" dose since ICRP 110), g,
    /// inclusive of MST.
    public var endosteum: Double
    /// Trabecular and cortical (Haversian + medullary) bone surface areas, m².
    public var trabecularSurface: Double, corticalSurface: Double

    public init(activeMarrow: Double, inactiveMarrow: Double, trabecularBone: Double, corticalBone: Double,
                endosteum: Double, trabecularSurface: Double, corticalSurface: Double) {
        self.activeMarrow = activeMarrow; self.inactiveMarrow = inactiveMarrow
        self.trabecularBone = trabecularBone; self.corticalBone = corticalBone; self.endosteum = endosteum
        self.trabecularSurface = trabecularSurface; self.corticalSurface = corticalSurface
    }
}

extension SkeletalSite {
    /// The stylised bone solid that holds the site (see `BoneGeometry`).
    public var geometry: BoneGeometry {
        BoneGeometry.allCases.first { $0.sites.contains(self) }!
    }
}
