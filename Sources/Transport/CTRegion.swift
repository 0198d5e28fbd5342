import HarmonicCore
import Phantoms

/// A CT scan's body region and its scan range on a stylised phantom, from the phantom's own
/// anatomy (so the range grows with the child):
/// - head: the whole head (top of the neck to the vertex);
/// - neck: the neck (top of the trunk to the base of the head);
/// - chest: lung apices to lung bases (the clinical "lung apex to costophrenic recess"), both placed
///   where the real lung's are (`lungApexAboveClavicle`, `lungBasesBelowDome`), not where the
///   stylised lung ends;
/// - abdomen: dome of the liver to the iliac crests (top of the os coxae);
/// - pelvis: iliac crests to the lowest point of the os coxae (ischial tuberosities);
/// - abdomen_pelvis, chest_abdomen_pelvis: the unions.
/// Overranging (the extra half-rotation at each end of a helical scan) is not modelled.
public enum CTRegion: String, CaseIterable, Sendable, Codable {
    case head, neck, chest, abdomen, pelvis
    case abdomenPelvis = "abdomen_pelvis"
    case chestAbdomenPelvis = "chest_abdomen_pelvis"

    /// Head and neck scans use the head bowtie and are normalised to the 16 cm CTDI phantom;
    /// body scans use the body bowtie and the 32 cm phantom (see docs/imaging-dose.md).
    public var isHeadScan: Bool { self == .head || self == .neck }
    public var bowtie: Bowtie { isHeadScan ? .head : .body }
    /// Where the arms are during the scan or the RT kV images of the region: at the sides for the head
    /// and neck, raised above the head for the chest, abdomen and pelvis, so that they are out of the
    /// scanned volume and of the lateral image (`ArmPosture`).
    public var armPosture: ArmPosture { isHeadScan ? .atSides : .raised }
    /// Diameter (cm) of the CTDI phantom CTDIvol refers to by Harmonic's convention.
    public var referencePhantomDiameter: Double { isHeadScan ? 16 : 32 }

    /// Accepts the snake_case names and common spellings ("CAP", "chest-abdomen-pelvis", "AP").
    public init(parsing text: String) throws {
        let t = text.lowercased().replacingOccurrences(of: "-", with: "_").replacingOccurrences(of: " ", with: "_")
        switch t {
        case "cap", "chest_abdomen_pelvis", "thorax_abdomen_pelvis", "trunk": self = .chestAbdomenPelvis
        case "ap", "abdomen_pelvis", "abdomenpelvis": self = .abdomenPelvis
        case "thorax", "lung", "lungs": self = .chest
        case "brain", "skull": self = .head
        default:
            guard let r = CTRegion(rawValue: t) else {
                throw TransportInputError(field: "region", value: text,
                                          expected: "one of " + CTRegion.allCases.map(\.rawValue).joined(separator: ", ") + " (or CAP, AP, thorax, brain)")
            }
            self = r
        }
    }

    /// Height (cm, adult) of the lung apex above the clavicles: the cervical pleura and the lung's
    /// apex rise 2.5 cm above the medial third of the clavicle into the root of the neck (surface
    /// marking of the pleura and lungs in the anatomy textbooks, e.g. the page reproduced at
    /// issuhub.com/view/index/34511?pageIndex=294: "rising 2.5 cm above the medial one-third of the
    /// clavicle"; Moore, *Clinically Oriented Anatomy*: 2-3 cm). The stylised lungs (MIRD-5 half-ellipsoids) end at
    /// the clavicles, so a chest scan started at their top would begin 2-3 cm lower than a clinical
    /// one and leave out the base of the neck, where the lower poles of the thyroid lie beside the
    /// real apices. Scaled to the child by the trunk's height.
    public static let lungApexAboveClavicle = 2.5

    /// How far the real lung bases reach below the top of the diaphragm's dome, as a fraction of
    /// the apex-to-dome height. The apex is at the first thoracic vertebra, the highest point of the
    /// right lung's base (the dome) at the eighth to ninth ("Topography of the lungs, posterior
    /// view", pediagenosis.com, 2019), and in quiet breathing the lungs' posterior inferior border
    /// lies at the tenth thoracic vertebral body (Semin Intervent Radiol 2020;37(1):74-84,
    /// doi:10.1055/s-0039-3401842, Fig. 7): 1.5 vertebral levels below the dome for 8 above it. The stylised diaphragm is flat at the dome's height (the lungs' cut plane, the liver's
    /// top), so a chest scan ending there would stop above the posterior lung bases and leave out
    /// the liver's dome and the stomach's fundus that a clinical chest CT covers.
    public static let lungBasesBelowDome = 1.5 / 8

    /// Scan range (focus z from, to; cm, phantom frame) on a voxelised phantom.
    public func scanRange(_ phantom: StylisedPhantom, _ voxels: VoxelPhantom) throws -> (Double, Double) {
        let d = phantom.dimensions
        let neckBase = d.trunkHeight, headBase = d.trunkHeight + d.neckHeight, vertex = headBase + d.headHeight
        func extent(_ role: RegionRole) throws -> (Double, Double) {
            guard let e = voxels.zExtent(where: { $0 == role }) else {
                throw TransportInputError(field: "phantom", value: "\(phantom.age.label) \(phantom.sex)", expected: "a region \(role) to place the \(rawValue) scan")
            }
            return e
        }
        /// A chest scan from the real lung apices (above the clavicles; or the stylised lungs' top if
        /// higher) to the real posterior lung bases (below the flat stylised diaphragm).
        func chest() throws -> (Double, Double) {
            let lungs = try extent(.organ(.lungs))
            let top = max(lungs.1, try extent(.bone(.clavicles)).1 + Self.lungApexAboveClavicle * d.trunkHeightScale)
            return (lungs.0 - Self.lungBasesBelowDome * (top - lungs.0), top)
        }
        switch self {
        case .head: return (headBase, vertex)
        case .neck: return (neckBase, headBase)
        case .chest: return try chest()
        case .abdomen: return (try extent(.bone(.osCoxae)).1, try extent(.organ(.liver)).1)
        case .pelvis: return try extent(.bone(.osCoxae))
        case .abdomenPelvis: return (try extent(.bone(.osCoxae)).0, try extent(.organ(.liver)).1)
        case .chestAbdomenPelvis: return (try extent(.bone(.osCoxae)).0, try chest().1)
        }
    }
}

extension VoxelPhantom {
    /// Lowest and highest voxel-centre z (cm) of the regions whose role passes `test`; nil if none.
    public func zExtent(where test: (RegionRole) -> Bool) -> (Double, Double)? {
        let wanted = [false] + regions.map { test($0.role) }
        var lo = Int.max, hi = Int.min
        for iz in 0..<nz {
            let base = nx * ny * iz
            for i in base..<(base + nx * ny) where wanted[Int(labels[i])] {
                lo = min(lo, iz); hi = max(hi, iz); break
            }
        }
        guard lo <= hi else { return nil }
        return (origin.z + (Double(lo) + 0.5) * spacing, origin.z + (Double(hi) + 0.5) * spacing)
    }

    /// Water-equivalent diameter (cm) of each z slice: 2√(A_w/π) with A_w the slice's area
    /// weighted by density relative to water (AAPM Report 220's D_w, densities for HU).
    public func waterEquivalentDiameters() -> [Double] {
        let density = [0.0] + regions.map(\.density)
        let a = spacing * spacing
        return (0..<nz).map { iz in
            let base = nx * ny * iz
            var s = 0.0
            for i in base..<(base + nx * ny) { s += density[Int(labels[i])] }
            return 2 * (s * a / Double.pi).squareRoot()
        }
    }
}
