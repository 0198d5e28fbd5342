import Foundation
import HarmonicCore

/// One region of an age phantom: a template solid, the frame that maps it, and its fitted size.
public struct PhantomRegion: Sendable {
    public let name: String
    public let role: RegionRole
    public let tissue: Tissue
    let frame: BodyFrame
    var solid: Solid
    /// Size factor in template space (fitted to ICRP 89), applied as `scaling` says.
    var sizeFactor: Double
    let extendsBody: Bool
    /// How the size factor acts (isotropic about the solid's centre unless placed otherwise).
    var scaling: SizeScaling = .aboutCentre
    /// A template-space solid the region is kept inside (thoracic organs inside the pleura, the
    /// heart also in front of the posterior mediastinum).
    var clip: Solid? = nil
    /// How far inside `clip` the region is kept (template cm) per unit of its size factor: a hollow
    /// organ's contents stay one wall thickness inside the clip, so that the wall keeps its thickness
    /// where the clip flattens the organ (`ThoracicSkeleton`: the heart's anterior wall behind the sternum).
    var clipInsetPerSize: Double = 0
    /// A region that is not bone but lies between bones and grows with them: its size factor takes
    /// the skeleton's common factor in the fit (the spinal canal between the vertebral bodies and arches).
    var growsWithBones = false

    /// True when the age-space point lies in this region's solid (ignoring precedence).
    @inline(__always)
    func contains(_ p: Vec3, _ dims: BodyDimensions) -> Bool {
        let q = dims.toTemplate(p, frame)
        if let clip, !clip.contains(q, inset: clipInsetPerSize * sizeFactor) { return false }
        switch scaling {
        case .aboutCentre:
            let c = solid.quadric.centre
            return solid.contains(c + (1 / sizeFactor) * (q - c))
        case let .aboutPoint(c):
            return solid.contains(c + (1 / sizeFactor) * (q - c))
        case .shellOutward:
            return solid.containsShell(q, thicknessScale: sizeFactor)
        case .fixed:
            return solid.contains(q)
        }
    }

    func bounds(_ dims: BodyDimensions) -> (Vec3, Vec3) {
        let lo: Vec3, hi: Vec3
        switch scaling {
        case .aboutCentre, .aboutPoint:
            let (l, h) = solid.quadric.bounds
            let c: Vec3
            if case let .aboutPoint(p) = scaling { c = p } else { c = solid.quadric.centre }
            lo = c + sizeFactor * (l - c); hi = c + sizeFactor * (h - c)
        case .shellOutward:
            (lo, hi) = solid.shellBounds(thicknessScale: sizeFactor)
        case .fixed:
            (lo, hi) = solid.quadric.bounds
        }
        let a = dims.fromTemplate(lo, frame)
        let b = dims.fromTemplate(hi, frame)
        return (Vec3(min(a.x, b.x), min(a.y, b.y), min(a.z, b.z)), Vec3(max(a.x, b.x), max(a.y, b.y), max(a.z, b.z)))
    }
}

/// How a region's fitted size factor changes its solid.
enum SizeScaling: Sendable, Equatable {
    /// Isotropic about the solid's centre (organs, most bones).
    case aboutCentre
    /// Isotropic about a fixed template point (a bone that must keep one surface in place).
    case aboutPoint(Vec3)
    /// A shell whose inner surface stays and whose thickness (and z-band width) scale
    /// (the rib cage: the outline follows the chest wall, the bone mass the fit).
    case shellOutward
    /// Not scaled: a bone sized from its own reference mass (the sternum, `ThoracicSkeleton`).
    case fixed
}

/// A stylised (MIRD / Cristy-Eckerman type) phantom of one reference age and sex, derived from
/// the adult MIRD-5 template (`AdultTemplate`) by per-body-part scaling (trunk, neck, head, legs)
/// with the trunk width fitted to the ICRP 89 body mass, every organ's size fitted to its ICRP 89
/// mass and the skeleton density fitted to the ICRP 89 skeleton mass. Hollow organs (heart,
/// stomach, intestines, bladder, gall bladder) have an inner contents region whose volume follows
/// ICRP 89's contents-to-wall ratio, so the wall mass is the organ mass.
public struct StylisedPhantom: Sendable {
    public let age: ReferenceAge
    public let sex: Sex
    public internal(set) var dimensions: BodyDimensions
    public internal(set) var regions: [PhantomRegion]
    /// Skeleton (bone + marrow mixture) density, g/cm³, fitted to the ICRP 89 skeleton mass.
    public internal(set) var skeletonDensity: Double
    /// Lung density, g/cm³, of the reference age (`LungDensity`; an individual phantom keeps that
    /// of the reference phantom it is scaled from, so its lung mass scales with its volume).
    public internal(set) var lungDensity: Double
    /// Voxel size (cm) of the fit and the default voxelisation: height / 300.
    public internal(set) var defaultSpacing: Double
    /// Active marrow and endosteum by skeletal site, for the phantom's age and sex (ICRP 143 /
    /// ICRP 89; an individual phantom takes the child's own age and body mass).
    public internal(set) var skeleton: SkeletonComposition

    public func density(of tissue: Tissue) -> Double {
        switch tissue {
        case .skeleton: skeletonDensity
        case .lung: lungDensity
        default: tissue.nominalDensity
        }
    }

    /// The reference phantom for an age and sex (fitted once per process, then cached).
    public static func reference(age: ReferenceAge, sex: Sex) -> StylisedPhantom {
        PhantomCache.shared.phantom(age, sex) {
            if let stored = FittedParameters.table["\(age.rawValue)\(sex.rawValue)"] {
                var p = unfitted(age: age, sex: sex)
                if stored.sizes.count == p.regions.count {
                    p.dimensions.trunkA = stored.trunkA; p.dimensions.trunkB = stored.trunkB
                    for i in p.regions.indices { p.regions[i].sizeFactor = stored.sizes[i] }
                    p.placeSkeleton(ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, sex))
                    return p
                }
            }
            return fitted(age: age, sex: sex)
        }
    }

    /// Swift source of the fitted parameters of every reference phantom, for
    /// `FittedParameters.swift` (regenerate with `harmonic-bench phantom-fit` after changing
    /// the template or the reference values).
    public static func fittedParametersSource() -> String {
        var lines = ["// Generated by `swift run -c release harmonic-bench phantom-fit`: fitted trunk semi-axes",
                     "// and region size factors of StylisedPhantom.fitted(age:sex:). Do not edit by hand.",
                     "enum FittedParameters {",
                     "    static let table: [String: (trunkA: Double, trunkB: Double, sizes: [Double])] = ["]
        for age in ReferenceAge.allCases {
            for sex in Sex.allCases { lines.append(fittedParametersEntry(age: age, sex: sex)) }
        }
        lines += ["    ]", "}", ""]
        return lines.joined(separator: "\n")
    }

    /// One phantom's line of `fittedParametersSource()` (fits that phantom; phantoms can be fitted
    /// in parallel processes and their lines assembled in `ReferenceAge` × `Sex` order).
    public static func fittedParametersEntry(age: ReferenceAge, sex: Sex) -> String {
        let p = fitted(age: age, sex: sex)
        let sizes = p.regions.map { String(format: "%.6f", $0.sizeFactor) }.joined(separator: ", ")
        return "        \"\(age.rawValue)\(sex.rawValue)\": (\(p.dimensions.trunkA), \(p.dimensions.trunkB), [\(sizes)]),"
    }

    /// A phantom for an individual child, as PCXMC does: the nearest reference age, its lengths
    /// scaled by height / reference height and its widths by sqrt(mass ratio / height ratio)
    /// (Tapiovaara & Siiskonen, PCXMC 2.0 user's guide, STUK-TR 7, 2008, section 2.2). The
    /// marrow distribution is that of the child's own age, interpolated between the ICRP 143
    /// reference ages, with the marrow mass scaled to the body mass (`SkeletonComposition`).
    public static func individual(ageYears: Double, sex: Sex, heightCm: Double, massKg: Double) -> StylisedPhantom {
        let base = reference(age: .nearest(to: ageYears), sex: sex)
        let h = heightCm / ICRP89.height(base.age, sex)
        let w = (massKg / ICRP89.bodyMass(base.age, sex) / h).squareRoot()
        var p = base
        var d = p.dimensions
        d.trunkA *= w; d.trunkB *= w; d.neckRadius *= w; d.headA *= w; d.headB *= w
        d.trunkHeight *= h; d.neckHeight *= h; d.headHeight *= h; d.legLength *= h
        p.dimensions = d
        p.defaultSpacing *= h
        p.skeleton = .individual(ageYears: ageYears, sex: sex, massKg: massKg)
        p.placeSkeleton(ageYears: ageYears, massKg: massKg)
        return p
    }

    static func unfitted(age: ReferenceAge, sex: Sex) -> StylisedPhantom {
        var regions: [PhantomRegion] = []
        for t in AdultTemplate.regions(sex: sex) {
            if case let .organ(o) = t.role, ICRP89.contentsRatio(o) > 0 {
                regions.append(PhantomRegion(name: t.name + " contents", role: .contents(o), tissue: .softTissue,
                                             frame: t.frame, solid: t.solid,
                                             sizeFactor: contentsScale(o), extendsBody: false))
            }
            var region = PhantomRegion(name: t.name, role: t.role, tissue: t.tissue, frame: t.frame, solid: t.solid,
                                       sizeFactor: 1, extendsBody: t.extendsBody)
            if t.role == .organ(.liver) { region.scaling = .aboutPoint(AdultTemplate.liverDome) }
            regions.append(region)
        }
        var p = StylisedPhantom(age: age, sex: sex, dimensions: .initial(age, sex), regions: regions,
                                skeletonDensity: Tissue.skeleton.nominalDensity,
                                lungDensity: LungDensity.reference(age, sex),
                                defaultSpacing: ICRP89.height(age, sex) / 300,
                                skeleton: .reference(ageYears: Double(age.rawValue), sex: sex))
        p.placeSkeleton(ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, sex))
        return p
    }

    /// Linear scale of a hollow organ's contents relative to its outer surface, (r / (1 + r))^(1/3)
    /// with r the ICRP 89 contents-to-wall mass ratio (equal densities), so the wall holds the organ mass.
    static func contentsScale(_ organ: Organ) -> Double {
        let r = ICRP89.contentsRatio(organ)
        return pow(r / (1 + r), 1.0 / 3)
    }

    /// Fits the trunk's section (its breadth and depth in proportion, `BodyDimensions.chestDepthOverBreadth`,
    /// to the ICRP 89 body mass, on a coarse voxelisation; the thoracic skeleton
    /// is re-placed for each trunk, `ThoracicSkeleton`), every organ's size
    /// (to its ICRP 89 mass, by precedence-aware integration: `regionMassesByIntegration`) and
    /// one common size factor of the bones not sized to their own ICRP 143 volume (to their share of
    /// the ICRP 89 skeleton mass, `volumeSizedSkeletonShare`, at the Cristy & Eckerman skeleton
    /// density 1.4 g/cm³), by damped fixed-point iteration (bone shells clipped by the body make the skeleton mass
    /// steeper than s³, so its step is s^(1/8)).
    static func fitted(age: ReferenceAge, sex: Sex) -> StylisedPhantom {
        var p = unfitted(age: age, sex: sex)
        let targetBody = ICRP89.bodyMass(age, sex) * 1000
        for iteration in 0..<40 {
            if iteration < 5 {
                let v = p.voxelise(spacing: p.defaultSpacing * 2)
                let w = (targetBody / v.bodyMass).squareRoot()
                p.dimensions.trunkA *= w; p.dimensions.trunkB *= w
                p.placeSkeleton(ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, sex))
            }
            let masses = p.regionMassesByIntegration()
            var organMass: [Organ: Double] = [:], skeleton = 0.0
            for (i, m) in masses.enumerated() {
                switch p.regions[i].role {
                case let .organ(o): organMass[o, default: 0] += m
                case .bone where p.regions[i].scaling != .fixed: skeleton += m
                default: break
                }
            }
            let target = ICRP89.skeletonMass(age, sex) * (1 - volumeSizedSkeletonShare(age: age, sex: sex))
            let boneScale = skeleton > 0 ? pow(target / skeleton, 1.0 / 8) : 1
            for i in p.regions.indices {
                switch p.regions[i].role {
                case let .organ(o), let .contents(o):
                    if let target = ICRP89.organMass(o, age, sex) {
                        let m = organMass[o] ?? 0
                        p.regions[i].sizeFactor *= m > 0 ? pow(target / m, iteration < 10 ? 1.0 / 3 : 1.0 / 6) : 1.5
                    }
                case .bone: p.regions[i].sizeFactor *= boneScale
                default: if p.regions[i].growsWithBones { p.regions[i].sizeFactor *= boneScale }
                }
            }
        }
        return p
    }
}

extension StylisedPhantom {
    /// Places the bones built from anatomy for the phantom's current body: the thoracic skeleton with
    /// the vertebral column and os coxae (`ThoracicSkeleton`) and the mandible (`Mandible`).
    mutating func placeSkeleton(ageYears: Double, massKg: Double) {
        placeThoracicSkeleton(ageYears: ageYears, massKg: massKg)
        placeMandible(ageYears: ageYears, massKg: massKg)
    }

    /// The sites whose bone is sized to its own ICRP 143 volume rather than by the common bone size
    /// factor: the sternum (`ThoracicSkeleton`), the trunk's vertebral column (`VertebralColumn`) and
    /// the mandible (`Mandible`).
    static let volumeSizedSites: [SkeletalSite] = [.sternum, .thoracicVertebrae, .lumbarVertebrae, .sacrum, .mandible]

    /// Those sites' share of the ICRP 143 skeleton mass of the age and sex (AM + IM + TBV + CBV,
    /// exclusive of miscellaneous skeletal tissue; the 15-y phantom's share for the adult). The other
    /// bones are fitted to the rest of the ICRP 89 skeleton mass, so that sizing these sites to their
    /// volume leaves the rest of the skeleton as it was rather than growing it by the mass they lost.
    static func volumeSizedSkeletonShare(age: ReferenceAge, sex: Sex) -> Double {
        guard let sites = ICRP143SkeletonData.tissues(age: age == .adult ? .fifteen : age, sex: sex) else { return 0 }
        func mass(_ t: SkeletalSiteTissues) -> Double { t.activeMarrow + t.inactiveMarrow + t.trabecularBone + t.corticalBone }
        let total = sites.reduce(0) { $0 + mass($1) }
        let sized = volumeSizedSites.reduce(0.0) { $0 + mass(sites[$1.rawValue]) }
        return total > 0 ? sized / total : 0
    }
}

/// Process-wide cache of fitted reference phantoms (fitting voxelises the phantom several times).
final class PhantomCache: @unchecked Sendable {
    static let shared = PhantomCache()
    private let lock = NSLock()
    private var store: [String: StylisedPhantom] = [:]
    func phantom(_ age: ReferenceAge, _ sex: Sex, make: () -> StylisedPhantom) -> StylisedPhantom {
        let key = "\(age.rawValue)\(sex.rawValue)"
        lock.lock(); defer { lock.unlock() }
        if let p = store[key] { return p }
        let p = make()
        store[key] = p
        return p
    }
}
