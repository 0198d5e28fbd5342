import Foundation
import HarmonicCore

/// Places the rib cage, the sternum and the vertebral bodies and arches of a stylised phantom
/// from chest-wall and thoracic-cage anatomy by age, so that the marrow of these sites (27-45% of
/// the active marrow at 0-15 y, ICRP 143) lies at its anatomical depth.
///
/// Coordinates are those of the adult template's trunk frame (cm; 20 x 10 cm semi-axes), into
/// which the age phantom's trunk maps by x·20/trunkA, y·10/trunkB; depths measured in the child
/// (cm) are converted with the phantom's own trunk depth, so they hold at every age and after
/// the trunk width is fitted to the body mass.
///
/// - Chest wall (skin to pleura along the antero-posterior axis, `chestWallThickness`): the rib
///   cage's inner surface (the pleura) lies this far inside the trunk surface at the anterior and
///   posterior midline; its lateral extent is 13.7 cm of the trunk's 16 (MIRD-5's 16.4 of 20 cm,
///   when the trunk held the arms: `ribInnerA`). The ribs are a shell outside the pleura whose thickness and
///   band width follow the fitted bone size factor (the outline does not), so the rib cage lies
///   inside the trunk at every age. Each band is bone from the spine to the costochondral junction
///   and costal cartilage (soft tissue, no marrow) from there to the sternum, the cartilage's share
///   of the length from CT by age (`costalIndex`, `costochondralJunctionX`).
/// - Lungs, heart, thymus and oesophagus are kept inside the pleura (the thoracic cavity); the
///   heart also in front of the posterior mediastinum (`heartPosteriorLimit`), and its blood one
///   wall thickness inside both, so that where the heart is flattened its wall stays: the anterior
///   wall behind the sternum, the posterior wall in front of the oesophagus
///   (`wallThicknessPerContentsSize`).
/// - Oesophagus (thoracic part): in the posterior mediastinum, its posterior surface on the
///   vertebral bodies' anterior surface, as deep as the posterior mediastinum
///   (`posteriorMediastinumDepth`; "the oesophagus lies in front of the vertebral column",
///   Gray's Anatomy, 41st ed., ch. 56). The MIRD-5 oesophagus keeps its template position
///   (y 1.4-2.6 cm), which lay inside the vertebral bodies once they were placed from the
///   sternovertebral distance (adult front y 1.4 cm, 15 y 1.6 cm).
/// - Sternum: a bone of its own on the anterior midline, its posterior surface on the pleura,
///   17 cm long in the adult template (z 50.5-67.5 cm: the manubrium at the top of the rib cage
///   to the xiphisternal joint; adult sternal length about 17 cm: Gray's Anatomy), scaled with the
///   trunk height; an elliptic section 2.5 times as wide as thick (an anatomical proportion)
///   whose area makes the bone's volume that of the ICRP 143 reference phantom of the age
///   (`sternumVolumes`), and a cortex of ICRU 44 cortical bone over ICRU 44 spongiosa whose
///   thickness makes the cortex's share of the volume that of ICRP 143 ("cancellous tissue,
///   covered by a thin layer of compact bone": Gray's Anatomy). The ossified newborn sternum is
///   a few millimetres thick (the rest is cartilage, soft tissue here); the section is kept at
///   least one voxel (height/300) thick, narrower so that the volume stays (at least round).
/// - Vertebral bodies: anterior surface at the depth where the sternum-to-vertebra distance is
///   the fraction `sternovertebralFraction` of the thorax's internal antero-posterior depth (CT of
///   75 normal children, Wan et al.: see `sternovertebralFraction`). Behind them the spinal canal
///   (soft tissue) and the vertebral arches around and behind it, so the marrow sits in the
///   bodies, not in a cylinder around the spinal canal. Each segment of the column (thoracic,
///   lumbar, sacral) has its anatomical length and the bone volume of its ICRP 143 site
///   (`VertebralColumn`).
public enum ThoracicSkeleton {
    static let ribsName = "ribs", costalCartilageName = "costal cartilage", sternumName = "sternum", sternumCortexName = "sternum cortex"
    static let oesophagusName = "oesophagus"
    /// The air column of the trachea, from the root of the neck to the carina, directly in front
    /// of the oesophagus ("the oesophagus lies behind the trachea", Gray's Anatomy, 41st ed.,
    /// ch. 56). The ICRP 110/143 phantoms hold it as "Air inside body" (organ ID 140,
    /// ../shared/data/reference/icrp143/*_organs.dat); MIRD-5's thorax has no airway, so the
    /// upper oesophagus had 1-2 cm more tissue in front of it.
    static let tracheaLumenName = "trachea (lumen)"
    /// Adult tracheal lumen 1.8 cm across (template cm, radius 0.9): coronal diameter 13-25 mm in
    /// men and 10-21 mm in women, sagittal 13-27 and 10-23 mm (Breatnach, Abbott & Fraser,
    /// *Dimensions of the normal human trachea*, AJR 142 (1984) 903); its wall 0.2 cm thick
    /// (cartilage rings and mucosa, Gray's Anatomy). Children follow the template (the lumen
    /// scales with the trunk: 0.5 cm across at birth, 0.9 cm at 5 y).
    static let tracheaLumenRadius = 0.9, tracheaWall = 0.2
    /// The carina at the level of the T4/T5 disc (the sternal angle; Gray's Anatomy, 41st ed.,
    /// ch. 56): between the template's rib bands of T4 (z 56.7) and T5 (z 54.0).
    static let carinaZ = 55.4
    static let vertebralBodiesName = "vertebral bodies", vertebralArchesName = "vertebral arches"
    /// The spinal canal (spinal cord, meninges and cerebrospinal fluid: soft tissue) between the
    /// vertebral bodies and the arches. MIRD-5's spine is solid bone behind the bodies, so every
    /// beam through the midline from behind crossed 1.5 cm more bone than the body holds: the
    /// oesophagus in PA lies straight in front of it. Adult thoracic canal about 1.5 cm sagittal
    /// by 1.7 cm transverse (the narrowest of the spine, about 16 mm across: Kang et al. 2012, as
    /// recorded in session 13's notes, docs/validation-chang2017-notes.md), template cm, grown with
    /// the bones. The ICRP 110/143 phantoms hold its contents as "Spinal cord" (organ ID 126 in
    /// ../shared/data/reference/icrp143/*_organs.dat). Session 13 tried a canal and left it out
    /// because the Chang cells moved within noise; it is kept now as anatomy (oesophagus PA
    /// 50 keV 0.82 → 0.89 at 5 y).
    static let spinalCanalName = "spinal canal"
    static let spinalCanalHalfDepth = 0.75, spinalCanalHalfWidth = 0.85
    /// Organs of the thoracic cavity, kept inside the pleura.
    static let thoracicOrgans: Set<Organ> = [.lungs, .heart, .thymus, .oesophagus]

    /// Chest wall thickness, skin to pleura (cm), for a body mass (kg).
    ///
    /// Children: Hossain et al., *Sound and air: ultrasonographic measurements of pediatric chest
    /// wall thickness*, Pediatr Emerg Care 37 (2021) e1544: 1.11 cm in the smallest Broselow
    /// weight category (3-5 kg, taken as 4 kg) to 1.91 cm in the largest (32-36 kg, taken as 34 kg),
    /// 2nd intercostal space, mid-clavicular line; thickness correlates best with weight
    /// (Terboven et al., Ultrasound J 13 (2021) 36), so it is interpolated linearly in body mass.
    /// Adults: Givens et al., *Needle thoracostomy: implications of computed tomography chest wall
    /// thickness*, Acad Emerg Med 11 (2004) 211: 4.16 cm in men (CT, 2nd intercostal space,
    /// mid-clavicular line), taken at the ICRP 89 adult male mass of 73 kg; between 34 and 73 kg
    /// linear in mass (the women's 4.90 cm includes breast tissue, a region of its own here).
    /// No paediatric measurement of the posterior chest wall was found; the same thickness is used
    /// posteriorly (docs/red-marrow.md).
    public static func chestWallThickness(massKg: Double) -> Double {
        let points: [(kg: Double, cm: Double)] = [(4, 1.11), (34, 1.91), (73, 4.16)]
        if massKg <= points[0].kg { return points[0].cm }
        for i in 1..<points.count where massKg <= points[i].kg {
            let (a, b) = (points[i - 1], points[i])
            return a.cm + (b.cm - a.cm) * (massKg - a.kg) / (b.kg - a.kg)
        }
        return points[points.count - 1].cm
    }

    /// Distance from the posterior surface of the sternum to the anterior surface of the vertebral
    /// body, as a fraction of the thorax's largest internal antero-posterior depth (c/b of Wan et
    /// al., *CT evaluation of normal thoracic cage and its development in Chinese children*, 1996,
    /// from the published group means: pectus index a/c 2.34, 2.58, 2.63 and flatness a/b 1.57,
    /// 1.64, 1.64 at 3-6, 7-11 and 12-16 y, so c/b = 0.671, 0.636, 0.624). Linear in age between
    /// the groups' mid-ages (4.5, 9, 14 y); held constant below 4.5 y and above 14 y.
    public static func sternovertebralFraction(ageYears: Double) -> Double {
        let points: [(age: Double, f: Double)] = [(4.5, 1.57 / 2.34), (9, 1.64 / 2.58), (14, 1.64 / 2.63)]
        if ageYears <= points[0].age { return points[0].f }
        for i in 1..<points.count where ageYears <= points[i].age {
            let (a, b) = (points[i - 1], points[i])
            return a.f + (b.f - a.f) * (ageYears - a.age) / (b.age - a.age)
        }
        return points[points.count - 1].f
    }

    /// Cortical and spongiosa volumes (cm³) of a skeletal site of the ICRP Publication 143 reference
    /// phantom of the age and sex (skeleton tables, masses exclusive of miscellaneous skeletal
    /// tissue): cortex CBV / 1.92; spongiosa AM / 1.03 + IM / 0.98 + TBV / 1.92 (ICRU 44 densities
    /// of cortical bone, red and yellow marrow). Linear in age between 0, 1, 5, 10 and 15 y. ICRP 89
    /// gives no adult skeleton by site and tissue, so the adult (30 y) is the 15-y site grown with
    /// the whole skeleton, times the ICRP 89 skeleton mass of the adult over that at 15 y (10.5/7.95
    /// kg male, 7.8/7.18 kg female; Table 2.8), linear between 15 and 30 y.
    public static func siteVolume(_ site: SkeletalSite, ageYears: Double, sex: Sex) -> (cortex: Double, spongiosa: Double) {
        let phantoms: [ReferenceAge] = [.newborn, .one, .five, .ten, .fifteen], ages = phantoms.map { Double($0.rawValue) }
        func at(_ k: Int) -> (Double, Double) {
            let t = ICRP143SkeletonData.tissues(age: phantoms[k], sex: sex)![site.rawValue]
            return (t.corticalBone / 1.92, t.activeMarrow / 1.03 + t.inactiveMarrow / 0.98 + t.trabecularBone / 1.92)
        }
        let a = min(max(ageYears, 0), 15)
        var k = 0
        while k < ages.count - 2 && a > ages[k + 1] { k += 1 }
        let w = (a - ages[k]) / (ages[k + 1] - ages[k])
        let (lo, hi) = (at(k), at(k + 1))
        let adultGrowth = ICRP89.skeletonMass(.adult, sex) / ICRP89.skeletonMass(.fifteen, sex)
        let g = 1 + (adultGrowth - 1) * min(max((ageYears - 15) / 15, 0), 1)
        return (g * ((1 - w) * lo.0 + w * hi.0), g * ((1 - w) * lo.1 + w * hi.1))
    }

    /// The sternum's cortical and spongiosa volumes (cm³), `siteVolume` of the sternum.
    public static func sternumVolumes(ageYears: Double, sex: Sex) -> (cortex: Double, spongiosa: Double) {
        siteVolume(.sternum, ageYears: ageYears, sex: sex)
    }

    /// Antero-posterior depth of the posterior mediastinum on the midline (template cm): the
    /// oesophagus (1.2 cm deep in the adult template, `AdultTemplate`) lies between the heart's
    /// posterior surface (the left atrium) and the vertebral bodies, with the descending aorta to its
    /// left (Gray's Anatomy, 41st ed., ch. 56-57).
    static let posteriorMediastinumDepth = 1.2

    /// The plane (template y, cm) the heart stays in front of: the vertebral bodies' anterior surface
    /// less the posterior mediastinum. The fitted MIRD heart (centre 2.5 cm in front of the trunk's
    /// frontal plane) otherwise reached into the vertebral bodies at 0, 10, 15 y and in the adult.
    static func heartPosteriorLimit(_ l: Layout) -> Double { l.vertebralBodyFront - posteriorMediastinumDepth }

    /// Antero-posterior wall thickness (template cm) of a hollow organ per unit size factor of its
    /// contents: the contents are the organ's solid scaled by k (`StylisedPhantom.contentsScale`,
    /// from the ICRP 89 contents-to-wall mass ratio), so the wall is (1/k − 1) of the contents'
    /// semi-axis thick. The heart's contents are kept this far inside the pleura: the
    /// heart's anterior surface, the right ventricle's wall, lies directly behind the sternum and the
    /// left 4th-6th costal cartilages (the pericardium's bare area; Gray's Anatomy, 41st ed., ch. 57),
    /// so where the heart reaches the pleura it is its blood, not its wall, that the chest wall displaces.
    static func wallThicknessPerContentsSize(_ solid: Quadric, organ: Organ) -> Double {
        guard ICRP89.contentsRatio(organ) > 0, case let .ellipsoid(_, semi) = solid else { return 0 }
        return semi.y * (1 / StylisedPhantom.contentsScale(organ) - 1)
    }

    /// Adult-template proportions (cm): MIRD-5 rib shell 0.6 cm thick; 13.7 cm inner lateral
    /// semi-axis, just outside the lungs' 13.5 cm, which leaves 1.5-1.7 cm of lateral chest wall
    /// inside the trunk's 16 cm side at every fitted rib thickness (MIRD-5's ribs were at 16.4 of
    /// its 20-cm trunk, which held the arms: session 24, `AdultTemplate.trunkOutlineA`; the ICRP 110
    /// adults' lungs end 4-6 cm inside their skin laterally, docs/trunk-remodel.md); vertebral body 2.8 cm deep, 4 cm wide, arches 2.2 cm wide (scaled per segment
    /// by `VertebralColumn`); the MIRD-5 spine's posterior surface (y = 8 cm) as the end of the
    /// arches; sternum z 50.5-67.5 cm (its section: `sternumVolumes`).
    static let ribShell = 0.6, ribInnerA = 13.7
    static let vertebralBodyDepth = 2.8, vertebralBodyHalfWidth = 2.0, spinePosterior = 8.0, archHalfWidth = 1.1
    /// Depth of the arches behind the bodies in the adult template: the spine's posterior surface
    /// (y 8 cm) less the adult bodies' back (y 1.4 + 2.8 cm).
    static let archDepth = spinePosterior - (1.4 + vertebralBodyDepth)
    static let sternumZ = (50.5, 67.5)

    /// Costal index (cartilage length over bony rib length, along the curve) of an adolescent's 4th-6th
    /// ribs: 3-D CT with curved multiplanar reformatting in 22 adolescents with asymmetric pectus
    /// carinatum, whose protruded and normal sides did not differ (*Does overgrowth of costal
    /// cartilage cause pectus carinatum? A three-dimensional computed tomography evaluation of rib
    /// length and costal cartilage length in patients with asymmetric pectus carinatum*, abstract):
    /// cartilage 55.8, 70.0, 97.8 mm, ribs 265.8, 279.7, 283.8 mm (4th, 5th, 6th; protruded side),
    /// 223.6/829.3 = 0.270 pooled. An upper bound of a normal chest's: symmetric pectus carinatum had
    /// longer cartilage than controls (J Pediatr Surg 2014, same method), pectus excavatum shorter
    /// (Eisinger et al., J Surg Res 2019); no control values were readable.
    static let adolescentCostalIndex = (55.8 + 70.0 + 97.8) / (265.8 + 279.7 + 283.8)

    /// Costal index at an age: the adolescent value (`adolescentCostalIndex`) from 9 y, and 1/0.79
    /// of it up to 1.5 y, linear between. Sandoz et al., *Quantitative geometric analysis of rib,
    /// costal cartilage and sternum from childhood to teenagehood*, Med Biol Eng Comput 51 (2013)
    /// 971 (CT of 48 children, 4 months to 15 y): the mean costal index of children over 3 y is 21%
    /// lower than under 3 y; the ages are the two groups' middles (1.5 and 9 y).
    public static func costalIndex(ageYears: Double) -> Double {
        let (young, old) = (adolescentCostalIndex / 0.79, adolescentCostalIndex)
        let w = min(max((ageYears - 1.5) / (9 - 1.5), 0), 1)
        return young + (old - young) * w
    }

    /// Template x (cm) of the costochondral junction, where the rib band turns from bone into costal
    /// cartilage: the point of the pleura's ellipse, taken in the child's own proportions (trunk
    /// semi-axes `trunkA`, `trunkB`), whose arc length from the anterior midline is the cartilage's
    /// share, index / (1 + index), of the half circumference (the rib with its cartilage runs from
    /// the spine to the sternum; `costalIndex`). The stylised rib cage is otherwise a closed band of
    /// bone whose anterior third carried marrow in front of the heart and lungs.
    static func costochondralJunctionX(pleuraB: Double, trunkA: Double, trunkB: Double, ageYears: Double) -> Double {
        let a = ribInnerA * trunkA / AdultTemplate.trunkA, b = pleuraB * trunkB / AdultTemplate.trunkB
        let index = costalIndex(ageYears: ageYears), share = index / (1 + index)
        // Arc length from the anterior midline, (x, y) = (a sin t, -b cos t), by the midpoint rule.
        let n = 2000, dt = Double.pi / Double(n)
        var arc = [Double](repeating: 0, count: n + 1)
        for k in 1...n {
            let t = (Double(k) - 0.5) * dt
            arc[k] = arc[k - 1] + (a * a * cos(t) * cos(t) + b * b * sin(t) * sin(t)).squareRoot() * dt
        }
        let k = arc.firstIndex { $0 >= share * arc[n] } ?? n
        return ribInnerA * sin(Double(k) * dt)
    }

    /// Where the thoracic skeleton lies for a trunk depth (template-frame y, cm).
    struct Layout: Equatable {
        /// Pleura (inner surface of the rib cage) antero-posterior semi-axis.
        var pleuraB: Double
        /// Anterior surface of the vertebral bodies.
        var vertebralBodyFront: Double
    }

    static func layout(trunkB: Double, ageYears: Double, massKg: Double) -> Layout {
        let toTemplate = AdultTemplate.trunkB / trunkB
        // The pleura never comes closer than 40% of the trunk half-depth to the midline (an
        // implausible chest wall for the trunk, e.g. an individual phantom far below the mass of
        // its height, keeps a thoracic cavity rather than none).
        let pleuraB = max(0.4 * AdultTemplate.trunkB, AdultTemplate.trunkB - chestWallThickness(massKg: massKg) * toTemplate)
        let front = -pleuraB + 2 * pleuraB * sternovertebralFraction(ageYears: ageYears)
        return Layout(pleuraB: pleuraB, vertebralBodyFront: front)
    }
}

extension StylisedPhantom {
    /// Rebuilds the rib cage, sternum, vertebral bodies and arches and the thoracic organs'
    /// clipping for the phantom's current trunk (see `ThoracicSkeleton`).
    mutating func placeThoracicSkeleton(ageYears: Double, massKg: Double) {
        typealias T = ThoracicSkeleton
        let l = T.layout(trunkB: dimensions.trunkB, ageYears: ageYears, massKg: massKg)
        let (z0, z1) = (35.1, 67.5)
        let pleura = Quadric.cylinderZ(cx: 0, cy: 0, a: T.ribInnerA, b: l.pleuraB, zMin: -.infinity, zMax: .infinity)
        // The heart stays in front of the posterior mediastinum (`heartPosteriorLimit`).
        let mediastinal = Solid(pleura, cuts: [CutPlane(Vec3(0, 1, 0), T.heartPosteriorLimit(l))])
        // The rib bands outside the pleura; the costal cartilage is the same shell cut to the anterior ends.
        func ribBands(cuts: [CutPlane] = []) -> Solid {
            Solid(.cylinderZ(cx: 0, cy: 0, a: T.ribInnerA + T.ribShell, b: l.pleuraB + T.ribShell, zMin: z0, zMax: z1), cuts: cuts,
                  excluding: .cylinderZ(cx: 0, cy: 0, a: T.ribInnerA, b: l.pleuraB, zMin: z0, zMax: z1),
                  zBands: (start: z0, pitch: 2.7, width: 1.4))
        }
        for i in regions.indices {
            let r = regions[i]
            switch r.name {
            case T.ribsName:
                regions[i].solid = ribBands()
                regions[i].scaling = .shellOutward
            case T.costalCartilageName:
                let x = T.costochondralJunctionX(pleuraB: l.pleuraB, trunkA: dimensions.trunkA, trunkB: dimensions.trunkB, ageYears: ageYears)
                regions[i].solid = ribBands(cuts: [CutPlane(Vec3(0, 1, 0), 0), CutPlane(Vec3(1, 0, 0), x), CutPlane(Vec3(-1, 0, 0), x)])
                regions[i].scaling = .shellOutward
                // The ribs' own thickness and band width: grows with the bones as they do.
                regions[i].growsWithBones = true
            case T.sternumName, T.sternumCortexName:
                // Section (cm of the phantom) from the ICRP 143 volume over the length, 2.5:1.
                let length = (T.sternumZ.1 - T.sternumZ.0) * dimensions.trunkHeight / AdultTemplate.trunkHeight
                let v = T.sternumVolumes(ageYears: ageYears, sex: sex)
                // An individual child's sternum scales with body mass over the reference mass of the age
                // (as its marrow mass does, `SkeletonComposition.individual`); 1 for reference phantoms.
                let massScale = massKg / ICRP89.bodyMass(atAge: ageYears, sex)
                // At least one voxel (height/300) thick, the volume kept by a narrower section (at least round).
                let volume = (v.cortex + v.spongiosa) * massScale
                let b = max(defaultSpacing, (volume / (.pi * 2.5 * length)).squareRoot())
                let a = max(b, volume / (.pi * b * length))
                // Cortex thickness t: (a - t)(b - t) = (spongiosa share) · a · b.
                let f = v.spongiosa / (v.cortex + v.spongiosa)
                let t = ((a + b) - ((a + b) * (a + b) - 4 * a * b * (1 - f)).squareRoot()) / 2
                let (sx, sy) = (AdultTemplate.trunkA / dimensions.trunkA, AdultTemplate.trunkB / dimensions.trunkB)
                let outer = Quadric.cylinderZ(cx: 0, cy: -l.pleuraB - b * sy, a: a * sx, b: b * sy, zMin: T.sternumZ.0, zMax: T.sternumZ.1)
                let inner = Quadric.cylinderZ(cx: 0, cy: -l.pleuraB - b * sy, a: (a - t) * sx, b: (b - t) * sy,
                                              zMin: T.sternumZ.0, zMax: T.sternumZ.1)
                regions[i].solid = r.name == T.sternumName ? Solid(inner) : Solid(outer, excluding: inner)
                regions[i].scaling = .fixed
            case T.oesophagusName where r.frame == .trunk:
                // In the posterior mediastinum (`posteriorMediastinumDepth`), on the vertebral bodies.
                guard case let .cylinderZ(cx, _, a, _, zMin, zMax) = r.solid.quadric else { break }
                let half = T.posteriorMediastinumDepth / 2
                regions[i].solid = Solid(.cylinderZ(cx: cx, cy: l.vertebralBodyFront - half, a: a, b: half, zMin: zMin, zMax: zMax))
                // Grows forwards and sideways from the vertebral bodies' front.
                regions[i].scaling = .aboutPoint(Vec3(cx, l.vertebralBodyFront, (zMin + zMax) / 2))
                regions[i].clip = Solid(pleura)
            case T.tracheaLumenName:
                // In front of the oesophagus (`posteriorMediastinumDepth`), behind its own wall.
                let cy = l.vertebralBodyFront - T.posteriorMediastinumDepth - T.tracheaWall - T.tracheaLumenRadius
                regions[i].solid = Solid(.cylinderZ(cx: 0, cy: cy, a: T.tracheaLumenRadius, b: T.tracheaLumenRadius,
                                                    zMin: T.carinaZ, zMax: AdultTemplate.trunkHeight))
                regions[i].scaling = .fixed
                regions[i].clip = Solid(pleura)
            default:
                switch r.role {
                case let .organ(o):
                    if T.thoracicOrgans.contains(o) && r.frame == .trunk { regions[i].clip = o == .heart ? mediastinal : Solid(pleura) }
                case let .contents(o):
                    if T.thoracicOrgans.contains(o) && r.frame == .trunk {
                        regions[i].clip = o == .heart ? mediastinal : Solid(pleura)
                        regions[i].clipInsetPerSize = T.wallThicknessPerContentsSize(r.solid.quadric, organ: o)
                    }
                default: break
                }
            }
        }
        placeVertebralColumn(bodyFrontTemplateY: l.vertebralBodyFront, ageYears: ageYears, massKg: massKg)
        placePelvicSkeleton(acetabulumY: l.vertebralBodyFront)
    }
}
