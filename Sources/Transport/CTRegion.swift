import HarmonicCore
import Phantoms

/// A CT scan's body region and its scan range on a stylised phantom, from the phantom's own
/// anatomy (so the range grows with the child):
/// - head: the whole head (top of the neck to the vertex);
/// - neck: the neck (top of the trunk to the base of the head);
/// - chest: lung apices to lung bases (the clinical "lung apex to costophrenic recess"), the apex
///   placed where the real lung's is (`lungApexAboveClavicle`), not where the stylised lung ends;
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
    /// apex rise 2-3 cm above the medial third of the clavicle into the root of the neck (Gray's
    /// Anatomy, the cervical pleura; Moore, *Clinically Oriented Anatomy*, the thorax: the pleural
    /// cupula); 2.5 cm is the middle of that range. The stylised lungs (MIRD-5
    /// half-ellipsoids) end at the clavicles, so a chest scan started at their top would begin
    /// 2-3 cm lower than a clinical one and leave out the base of the neck, where the lower poles
    /// of the thyroid lie beside the real apices; scaled to the child by the trunk's height.
    public static let lungApexAboveClavicle = 2.5

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
        /// The top of a chest scan: the real lung apex (above), or the stylised lungs' top if higher.
        func chestTop() throws -> Double {
            max(try extent(.organ(.lungs)).1,
                try extent(.bone(.clavicles)).1 + Self.lungApexAboveClavicle * d.trunkHeightScale)
        }
        switch self {
        case .head: return (headBase, vertex)
        case .neck: return (neckBase, headBase)
        case .chest: return (try extent(.organ(.lungs)).0, try chestTop())
        case .abdomen: return (try extent(.bone(.osCoxae)).1, try extent(.organ(.liver)).1)
        case .pelvis: return try extent(.bone(.osCoxae))
        case .abdomenPelvis: return (try extent(.bone(.osCoxae)).0, try extent(.organ(.liver)).1)
        case .chestAbdomenPelvis: return (try extent(.bone(.osCoxae)).0, try chestTop())
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
