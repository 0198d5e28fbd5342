import HarmonicCore

/// A labelled region of a voxelised phantom.
public struct VoxelRegion: Sendable {
    public let name: String
    public let role: RegionRole
    public let tissue: Tissue
    /// g/cm³
    public let density: Double
    public internal(set) var voxelCount: Int
    /// Sum of voxel-centre coordinates (for centroids).
    var positionSum: Vec3
    public init(name: String, role: RegionRole, tissue: Tissue, density: Double, voxelCount: Int = 0,
                positionSum: Vec3 = Vec3(0, 0, 0)) {
        self.name = name; self.role = role; self.tissue = tissue; self.density = density
        self.voxelCount = voxelCount; self.positionSum = positionSum
    }
    public var centroid: Vec3 { voxelCount > 0 ? (1 / Double(voxelCount)) * positionSum : Vec3(0, 0, 0) }
}

/// A phantom voxelised on a regular grid: one contiguous array of region labels, x fastest.
/// Label 0 is outside the body; label i > 0 is `regions[i - 1]`.
public struct VoxelPhantom: Sendable {
    public let nx: Int, ny: Int, nz: Int
    /// Voxel edge (cm).
    public let spacing: Double
    /// Lower corner of voxel (0, 0, 0) in the phantom frame (cm).
    public let origin: Vec3
    public let labels: [UInt8]
    public let regions: [VoxelRegion]
    /// The same object for every copy of this phantom, a new one for every phantom built: lets
    /// consumers keep what they derive from the labels (the transport's tracking grid) across runs
    /// on the same phantom, without hashing the labels.
    public let identity = Identity()
    public final class Identity: Sendable {}

    public var voxelVolume: Double { spacing * spacing * spacing }

    /// A grid built by hand (validation geometries such as slabs); voxel counts and centroids
    /// of `regions` are recomputed from `labels`.
    public init(nx: Int, ny: Int, nz: Int, spacing: Double, origin: Vec3, labels: [UInt8], regions: [VoxelRegion]) {
        precondition(labels.count == nx * ny * nz)
        self.nx = nx; self.ny = ny; self.nz = nz; self.spacing = spacing; self.origin = origin; self.labels = labels
        var r = regions.map { VoxelRegion(name: $0.name, role: $0.role, tissue: $0.tissue, density: $0.density) }
        for iz in 0..<nz { for iy in 0..<ny { for ix in 0..<nx {
            let l = Int(labels[ix + nx * (iy + ny * iz)])
            guard l > 0 else { continue }
            r[l - 1].voxelCount += 1
            r[l - 1].positionSum = r[l - 1].positionSum
                + Vec3(origin.x + (Double(ix) + 0.5) * spacing, origin.y + (Double(iy) + 0.5) * spacing, origin.z + (Double(iz) + 0.5) * spacing)
        } } }
        self.regions = r
    }

    @inline(__always) public func index(_ ix: Int, _ iy: Int, _ iz: Int) -> Int { ix + nx * (iy + ny * iz) }

    /// Mass (g) of a region.
    public func mass(ofRegion i: Int) -> Double { Double(regions[i].voxelCount) * voxelVolume * regions[i].density }

    /// Mass (g) of an organ's own regions (walls, not contents; skeleton for none).
    public func mass(of organ: Organ) -> Double {
        regions.indices.reduce(0.0) { $0 + (regions[$1].role == .organ(organ) ? mass(ofRegion: $1) : 0) }
    }

    /// Whole-body mass (g).
    public var bodyMass: Double { regions.indices.reduce(0.0) { $0 + mass(ofRegion: $1) } }

    /// Skeleton mass (g).
    public var skeletonMass: Double {
        regions.indices.reduce(0.0) { if case .bone = regions[$1].role { $0 + mass(ofRegion: $1) } else { $0 } }
    }

    /// Volume-weighted centroid of an organ, including the contents of a hollow organ
    /// (the heart's centre is the centre of the whole heart).
    public func centroid(of organ: Organ) -> Vec3? {
        var sum = Vec3(0, 0, 0), n = 0
        for r in regions where r.role == .organ(organ) || r.role == .contents(organ) {
            sum = sum + r.positionSum; n += r.voxelCount
        }
        return n > 0 ? (1 / Double(n)) * sum : nil
    }

    /// Region label at a point (0 outside the grid or the body).
    public func label(at p: Vec3) -> UInt8 {
        let ix = Int(((p.x - origin.x) / spacing).rounded(.down)), iy = Int(((p.y - origin.y) / spacing).rounded(.down))
        let iz = Int(((p.z - origin.z) / spacing).rounded(.down))
        guard ix >= 0, iy >= 0, iz >= 0, ix < nx, iy < ny, iz < nz else { return 0 }
        return labels[index(ix, iy, iz)]
    }
}

extension StylisedPhantom {
    /// Voxelises the phantom on demand with cubic voxels of `spacing` cm (default height/300).
    /// Regions are filled in precedence order; body voxels left over become residual soft tissue
    /// (trunk or elsewhere); residual voxels on the body surface become skin (one voxel thick).
    public func voxelise(spacing: Double? = nil) -> VoxelPhantom {
        let h = spacing ?? defaultSpacing
        let d = dimensions
        // Envelope parts in age space.
        let envelope = AdultTemplate.envelope.map { part in
            PhantomRegion(name: "envelope", role: .residualOther, tissue: .softTissue, frame: part.0, solid: part.1,
                          sizeFactor: 1, extendsBody: true)
        }
        let bodyParts = envelope + regions.filter { $0.extendsBody }
        var lo = Vec3(.infinity, .infinity, .infinity), hi = Vec3(-.infinity, -.infinity, -.infinity)
        for part in bodyParts {
            let (a, b) = part.bounds(d)
            lo = Vec3(min(lo.x, a.x), min(lo.y, a.y), min(lo.z, a.z)); hi = Vec3(max(hi.x, b.x), max(hi.y, b.y), max(hi.z, b.z))
        }
        let origin = lo - Vec3(h, h, h)
        let nx = Int(((hi.x - origin.x) / h).rounded(.up)) + 1
        let ny = Int(((hi.y - origin.y) / h).rounded(.up)) + 1
        let nz = Int(((hi.z - origin.z) / h).rounded(.up)) + 1
        var inBody = [Bool](repeating: false, count: nx * ny * nz)
        var labels = [UInt8](repeating: 0, count: nx * ny * nz)

        func forEachVoxel(in bounds: (Vec3, Vec3), _ body: (Int, Vec3) -> Void) {
            let (a, b) = bounds
            let x0 = max(0, Int(((a.x - origin.x) / h).rounded(.down))), x1 = min(nx - 1, Int(((b.x - origin.x) / h).rounded(.up)))
            let y0 = max(0, Int(((a.y - origin.y) / h).rounded(.down))), y1 = min(ny - 1, Int(((b.y - origin.y) / h).rounded(.up)))
            let z0 = max(0, Int(((a.z - origin.z) / h).rounded(.down))), z1 = min(nz - 1, Int(((b.z - origin.z) / h).rounded(.up)))
            guard x0 <= x1, y0 <= y1, z0 <= z1 else { return }
            for iz in z0...z1 {
                let z = origin.z + (Double(iz) + 0.5) * h
                for iy in y0...y1 {
                    let y = origin.y + (Double(iy) + 0.5) * h
                    var i = x0 + nx * (iy + ny * iz)
                    for ix in x0...x1 {
                        body(i, Vec3(origin.x + (Double(ix) + 0.5) * h, y, z)); i += 1
                    }
                }
            }
        }
        for part in bodyParts {
            forEachVoxel(in: part.bounds(d)) { i, p in if !inBody[i] && part.contains(p, d) { inBody[i] = true } }
        }
        var out: [VoxelRegion] = []
        for region in regions {
            let base = out.count + 1
            precondition(base + 8 < 255, "too many regions for UInt8 labels")
            if let bone = region.boneGeometry {
                // One region per skeletal site the solid holds (see BoneGeometry).
                let sites = bone.sites
                forEachVoxel(in: region.bounds(d)) { i, p in
                    if inBody[i] && labels[i] == 0 && region.contains(p, d) {
                        let site = bone.site(at: d.toTemplate(p, region.frame))
                        labels[i] = UInt8(base + sites.firstIndex(of: site)!)
                    }
                }
                for site in sites {
                    out.append(VoxelRegion(name: "\(region.name): \(site.displayName)", role: .bone(site), tissue: region.tissue,
                                           density: density(of: region.tissue), voxelCount: 0, positionSum: Vec3(0, 0, 0)))
                }
            } else {
                let label = UInt8(base)
                forEachVoxel(in: region.bounds(d)) { i, p in
                    if inBody[i] && labels[i] == 0 && region.contains(p, d) { labels[i] = label }
                }
                out.append(VoxelRegion(name: region.name, role: region.role, tissue: region.tissue,
                                       density: density(of: region.tissue), voxelCount: 0, positionSum: Vec3(0, 0, 0)))
            }
        }
        let trunkLabel = UInt8(out.count + 1), otherLabel = UInt8(out.count + 2), skinLabel = UInt8(out.count + 3)
        out.append(VoxelRegion(name: "residual soft tissue (trunk)", role: .residualTrunk, tissue: .softTissue,
                               density: Tissue.softTissue.nominalDensity, voxelCount: 0, positionSum: Vec3(0, 0, 0)))
        out.append(VoxelRegion(name: "residual soft tissue (head, neck, legs)", role: .residualOther, tissue: .softTissue,
                               density: Tissue.softTissue.nominalDensity, voxelCount: 0, positionSum: Vec3(0, 0, 0)))
        out.append(VoxelRegion(name: "skin", role: .skin, tissue: .softTissue,
                               density: Tissue.softTissue.nominalDensity, voxelCount: 0, positionSum: Vec3(0, 0, 0)))
        precondition(out.count < 255, "too many regions for UInt8 labels")
        for iz in 0..<nz {
            let z = origin.z + (Double(iz) + 0.5) * h
            let trunk = z >= 0 && z <= d.trunkHeight
            for iy in 0..<ny {
                for ix in 0..<nx {
                    let i = ix + nx * (iy + ny * iz)
                    guard inBody[i] && labels[i] == 0 else { continue }
                    let surface = ix == 0 || iy == 0 || iz == 0 || ix == nx - 1 || iy == ny - 1 || iz == nz - 1
                        || !inBody[i - 1] || !inBody[i + 1] || !inBody[i - nx] || !inBody[i + nx]
                        || !inBody[i - nx * ny] || !inBody[i + nx * ny]
                    if surface { labels[i] = skinLabel; continue }
                    // The arms beside the trunk are not trunk (the lymph-node proxy, `DoseReduction`).
                    let inTrunk = trunk && AdultTemplate.trunkOutline(contains: d.toTemplate(
                        Vec3(origin.x + (Double(ix) + 0.5) * h, origin.y + (Double(iy) + 0.5) * h, z), .trunk))
                    labels[i] = inTrunk ? trunkLabel : otherLabel
                }
            }
        }
        return VoxelPhantom(nx: nx, ny: ny, nz: nz, spacing: h, origin: origin, labels: labels, regions: out)
    }
}
