import Foundation
import Testing
import HarmonicCore
@testable import Phantoms

/// The thoracic skeleton of the stylised family against anatomy: rib cage inside the trunk,
/// chest wall thickness, a sternum of its own and the depth of the vertebral bodies
/// (`ThoracicSkeleton`; sources there).
@Suite("Thoracic anatomy: rib cage, sternum, chest wall and vertebral bodies by age")
struct ThoracicAnatomyTests {
    static let ages: [ReferenceAge] = ReferenceAge.allCases
    static let sternumRole = RegionRole.bone(SkeletalSite.sternum)

    /// Region roles along a line parallel to y (antero-posterior) at (x, z), anterior first.
    static func line(_ v: VoxelPhantom, x: Double, z: Double) -> [(y: Double, role: RegionRole?)] {
        var out: [(Double, RegionRole?)] = []
        var y = v.origin.y
        let end = v.origin.y + Double(v.ny) * v.spacing
        while y < end {
            let l = v.label(at: Vec3(x, y, z))
            out.append((y, l == 0 ? nil : v.regions[Int(l) - 1].role))
            y += v.spacing / 4
        }
        return out
    }

    /// The antero-posterior line on the midline at a template height (cm of the adult template's trunk).
    static func midline(_ v: VoxelPhantom, _ d: BodyDimensions, templateZ zt: Double) -> [(y: Double, role: RegionRole?)] {
        line(v, x: 0, z: zt * d.trunkHeight / AdultTemplate.trunkHeight)
    }

    static func isHeart(_ r: RegionRole?) -> Bool { r == .organ(.heart) || r == .contents(.heart) }

    /// The vertebral bodies' anterior surface (y, the phantom's cm) of a reference phantom.
    static func vertebralBodyFront(_ p: StylisedPhantom, _ age: ReferenceAge, _ sex: Sex) -> Double {
        let d = p.dimensions
        let layout = ThoracicSkeleton.layout(trunkB: d.trunkB, ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, sex))
        return layout.vertebralBodyFront * d.trunkB / AdultTemplate.trunkB
    }

    static func isThoracicCavity(_ r: RegionRole?) -> Bool {
        switch r {
        case .organ(.lungs), .organ(.heart), .contents(.heart), .organ(.thymus), .organ(.oesophagus): true
        default: false
        }
    }

    @Test("no rib voxel touches the skin or the outside, no sternum voxel the outside: the rib cage lies inside the trunk at every age and sex",
          arguments: ages)
    func ribsInsideTrunk(age: ReferenceAge) {
        for sex in Sex.allCases {
            let v = StylisedPhantom.reference(age: age, sex: sex).voxelise()
            let skin = v.regions.firstIndex { $0.role == .skin }.map { UInt8($0 + 1) }
            var ribsTouching = 0, sternumTouching = 0, ribs = 0, sternum = 0
            for iz in 1..<(v.nz - 1) { for iy in 1..<(v.ny - 1) { for ix in 1..<(v.nx - 1) {
                let i = v.index(ix, iy, iz)
                let l = Int(v.labels[i])
                guard l > 0 else { continue }
                let neighbours = [i - 1, i + 1, i - v.nx, i + v.nx, i - v.nx * v.ny, i + v.nx * v.ny]
                if v.regions[l - 1].role == .bone(.ribs) {
                    ribs += 1
                    if neighbours.contains(where: { v.labels[$0] == 0 || v.labels[$0] == skin }) { ribsTouching += 1 }
                } else if v.regions[l - 1].role == Self.sternumRole {
                    // The sternum is subcutaneous: it may lie under the one-voxel skin layer, never at the surface.
                    sternum += 1
                    if neighbours.contains(where: { v.labels[$0] == 0 }) { sternumTouching += 1 }
                }
            } } }
            #expect(ribs > 0 && sternum > 0, "\(age.label) \(sex): \(ribs) rib and \(sternum) sternum voxels")
            #expect(ribsTouching == 0, "\(age.label) \(sex): \(ribsTouching) of \(ribs) rib voxels touch the skin or the outside")
            #expect(sternumTouching == 0, "\(age.label) \(sex): \(sternumTouching) of \(sternum) sternum voxels touch the outside")
        }
    }

    @Test("the rib bands are bone beside the spine and costal cartilage (soft tissue, no marrow) on the anterior midline below the sternum",
          arguments: ages)
    func ribsBoneBehindCartilageInFront(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .female)
        let v = p.voxelise()
        let d = p.dimensions
        // Lower rib cage (template z 36-49 cm, below the sternum), 1 cm (template) off the midline anteriorly;
        // posteriorly 4 cm (template) off the midline, beside the vertebral bodies and arches.
        var anteriorCartilage = false, anteriorBone = false, posteriorBone = false
        var zt = 36.0
        while zt < 49 {
            let z = zt * d.trunkHeight / AdultTemplate.trunkHeight
            for (y, _) in Self.line(v, x: 1.0 * d.trunkA / AdultTemplate.trunkA, z: z) where y < 0 {
                let l = v.label(at: Vec3(1.0 * d.trunkA / AdultTemplate.trunkA, y, z))
                guard l > 0 else { continue }
                if v.regions[Int(l) - 1].name == ThoracicSkeleton.costalCartilageName { anteriorCartilage = true }
                if v.regions[Int(l) - 1].role == .bone(.ribs) { anteriorBone = true }
            }
            for (y, role) in Self.line(v, x: 4.0 * d.trunkA / AdultTemplate.trunkA, z: z) where role == .bone(.ribs) && y > 0 { posteriorBone = true }
            zt += 0.25
        }
        #expect(anteriorCartilage, "\(age.label): no costal cartilage near the anterior midline")
        #expect(!anteriorBone, "\(age.label): rib bone near the anterior midline, where the costal cartilages are")
        #expect(posteriorBone, "\(age.label): no rib voxels beside the spine")
    }

    @Test("the costal index is the adolescent CT value (223.6/829.3 = 0.270) from 9 y and 21% higher (1/0.79) to 1.5 y, monotone between")
    func costalIndexByAge() {
        #expect(abs(ThoracicSkeleton.costalIndex(ageYears: 15) - (55.8 + 70.0 + 97.8) / (265.8 + 279.7 + 283.8)) < 1e-12)
        #expect(abs(ThoracicSkeleton.costalIndex(ageYears: 30) - ThoracicSkeleton.costalIndex(ageYears: 9)) < 1e-12)
        #expect(abs(ThoracicSkeleton.costalIndex(ageYears: 0) * 0.79 - ThoracicSkeleton.costalIndex(ageYears: 15)) < 1e-9)
        var last = ThoracicSkeleton.costalIndex(ageYears: 0)
        for age in stride(from: 0.5, through: 12, by: 0.5) {
            let c = ThoracicSkeleton.costalIndex(ageYears: age)
            #expect(c <= last + 1e-12, "costal index rises from \(last) to \(c) at \(age) y")
            last = c
        }
    }

    @Test("the costochondral junction lies where the cartilage's share of the rib's arc from the anterior midline ends, in the child's own proportions",
          arguments: ages)
    func costochondralJunctionAtCartilageShare(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let d = p.dimensions
        let a = Double(age.rawValue)
        let l = ThoracicSkeleton.layout(trunkB: d.trunkB, ageYears: a, massKg: ICRP89.bodyMass(age, .male))
        let x = ThoracicSkeleton.costochondralJunctionX(pleuraB: l.pleuraB, trunkA: d.trunkA, trunkB: d.trunkB, ageYears: a)
        // The pleura's ellipse in the phantom's cm; arc lengths by a fine inscribed polygon.
        let (ea, eb) = (ThoracicSkeleton.ribInnerA * d.trunkA / AdultTemplate.trunkA, l.pleuraB * d.trunkB / AdultTemplate.trunkB)
        let xj = x * d.trunkA / AdultTemplate.trunkA
        var toJunction = 0.0, half = 0.0
        var prev = (x: 0.0, y: -eb)
        let n = 20_000
        for k in 1...n {
            let t = Double(k) / Double(n) * .pi
            let q = (x: ea * sin(t), y: -eb * cos(t))
            let ds = ((q.x - prev.x) * (q.x - prev.x) + (q.y - prev.y) * (q.y - prev.y)).squareRoot()
            half += ds
            if q.y < 0 && q.x <= xj { toJunction += ds }
            prev = q
        }
        let index = ThoracicSkeleton.costalIndex(ageYears: a)
        let share = toJunction / half
        #expect(abs(share - index / (1 + index)) < 0.005, "\(age.label): cartilage share \(share), expected \(index / (1 + index))")
        #expect(x > 0 && x < ThoracicSkeleton.ribInnerA, "\(age.label): junction at template x \(x) cm")
    }

    @Test("the sternum is a bone of its own on the anterior midline, in front of the heart, at every age", arguments: ages)
    func sternumOwnBone(age: ReferenceAge) throws {
        let v = StylisedPhantom.reference(age: age, sex: .male).voxelise()
        let sternum = v.regions.filter { $0.role == Self.sternumRole }
        let n = sternum.reduce(0) { $0 + $1.voxelCount }
        #expect(n > 0, "\(age.label): the sternum has no voxels")
        var sum = Vec3(0, 0, 0)
        for r in sternum { sum = sum + Double(r.voxelCount) * r.centroid }
        let c: Vec3 = (1 / Double(n)) * sum
        let heart = try #require(v.centroid(of: .heart))
        #expect(abs(c.x) < v.spacing, "\(age.label): sternum centroid x = \(c.x) cm, off the midline")
        #expect(c.y < heart.y, "\(age.label): sternum (y \(c.y)) not in front of the heart (y \(heart.y))")
    }

    @Test("the heart's anterior wall lies behind the sternum: on the midline at the heart's centre height the heart begins with wall at least half its nominal thickness, never with blood",
          arguments: ages)
    func heartAnteriorWall(age: ReferenceAge) {
        for sex in Sex.allCases {
            let p = StylisedPhantom.reference(age: age, sex: sex)
            let v = p.voxelise()
            let d = p.dimensions
            let mid = Self.midline(v, d, templateZ: 51)
            guard let first = mid.firstIndex(where: { Self.isHeart($0.role) }),
                  let blood = mid[first...].firstIndex(where: { $0.role == .contents(.heart) }),
                  let contents = p.regions.first(where: { $0.role == .contents(.heart) }) else {
                Issue.record("\(age.label) \(sex): no heart wall and blood on the midline"); continue
            }
            // Nominal antero-posterior wall thickness of the fitted heart, in the phantom's cm.
            let nominal = contents.clipInsetPerSize * contents.sizeFactor * d.trunkB / AdultTemplate.trunkB
            let wall = mid[blood].y - mid[first].y
            #expect(mid[first].role == .organ(.heart), "\(age.label) \(sex): the heart begins with blood on the midline")
            #expect(wall >= 0.5 * nominal, "\(age.label) \(sex): anterior heart wall \(wall) cm on the midline, nominal \(nominal) cm")
        }
    }

    @Test("the heart lies in front of the posterior mediastinum: on the midline its posterior surface is at least the oesophagus' depth in front of the vertebral bodies",
          arguments: ages)
    func heartInFrontOfSpine(age: ReferenceAge) {
        for sex in Sex.allCases {
            let p = StylisedPhantom.reference(age: age, sex: sex)
            let v = p.voxelise()
            let front = Self.vertebralBodyFront(p, age, sex), toCm = p.dimensions.trunkB / AdultTemplate.trunkB
            for zt in stride(from: 45.0, through: 57, by: 3) {
                if let back = Self.midline(v, p.dimensions, templateZ: zt).last(where: { Self.isHeart($0.role) }) {
                    let gap = front - back.y
                    #expect(gap >= ThoracicSkeleton.posteriorMediastinumDepth * toCm - v.spacing,
                            "\(age.label) \(sex) z \(zt): heart ends \(gap) cm in front of the vertebral bodies")
                }
            }
        }
    }

    @Test("the thoracic oesophagus lies in the posterior mediastinum: on the midline it ends on the vertebral bodies' front, never inside them, and behind the heart",
          arguments: ages)
    func oesophagusInPosteriorMediastinum(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let v = p.voxelise()
        let front = Self.vertebralBodyFront(p, age, .male)
        for zt in [45.0, 51.0, 57.0, 63.0] {
            let mid = Self.midline(v, p.dimensions, templateZ: zt)
            guard let back = mid.last(where: { $0.role == .organ(.oesophagus) }) else {
                Issue.record("\(age.label) z \(zt): no oesophagus on the midline"); continue
            }
            #expect(abs(back.y - front) <= v.spacing, "\(age.label) z \(zt): oesophagus ends at y \(back.y) cm, vertebral bodies begin at \(front) cm")
            if let heart = mid.last(where: { Self.isHeart($0.role) }) {
                #expect(heart.y < back.y, "\(age.label) z \(zt): heart (y \(heart.y)) not in front of the oesophagus")
            }
        }
    }

    @Test("above the carina the trachea's air lies on the midline directly in front of the oesophagus, below it none",
          arguments: [ReferenceAge.newborn, .five, .fifteen, .adult])
    func tracheaInFrontOfOesophagus(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .female)
        let v = p.voxelise()
        let air = RegionRole.contents(.extrathoracic)
        for zt in [60.0, 66.0] {
            let mid = Self.midline(v, p.dimensions, templateZ: zt)
            guard let lumen = mid.last(where: { $0.role == air }), let oesophagus = mid.first(where: { $0.role == .organ(.oesophagus) }) else {
                Issue.record("\(age.label) z \(zt): no trachea or no oesophagus on the midline"); continue
            }
            // Behind the lumen: the 0.2-cm wall (template), then the oesophagus; one voxel of slack.
            let wall = ThoracicSkeleton.tracheaWall * p.dimensions.trunkB / AdultTemplate.trunkB
            #expect(lumen.y < oesophagus.y && oesophagus.y - lumen.y <= wall + v.spacing,
                    "\(age.label) z \(zt): lumen ends at y \(lumen.y), oesophagus begins at \(oesophagus.y)")
        }
        #expect(!Self.midline(v, p.dimensions, templateZ: 50).contains { $0.role == air }, "\(age.label): air below the carina")
        let lumen = v.regions.first { $0.role == air && $0.name == ThoracicSkeleton.tracheaLumenName }
        #expect(lumen?.density == 0.001205)
    }

    @Test("the liver's top stays under the diaphragm (template z 43) whatever its fitted size", arguments: ages)
    func liverUnderDiaphragm(age: ReferenceAge) throws {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let liver = try #require(p.regions.first { $0.role == .organ(.liver) })
        let top = liver.bounds(p.dimensions).1.z
        #expect(abs(top - 43 * p.dimensions.trunkHeight / AdultTemplate.trunkHeight) < 1e-9, "\(age.label): liver top at z \(top), size \(liver.sizeFactor)")
    }

    @Test("skin to thoracic cavity on the chest's antero-posterior axis equals the published chest wall thickness for the body mass (Hossain 2021, Givens 2004), within 0.3 cm or 15%",
          arguments: ages)
    func chestWall(age: ReferenceAge) {
        for sex in Sex.allCases {
            let p = StylisedPhantom.reference(age: age, sex: sex)
            let v = p.voxelise()
            let d = p.dimensions
            let expected = ThoracicSkeleton.chestWallThickness(massKg: ICRP89.bodyMass(age, sex))
            // Heart level (template z 51 cm), 3 cm (template) lateral to the midline: beside the
            // sternum, where the cavity begins at the pleura.
            let line = Self.line(v, x: 3.0 * d.trunkA / AdultTemplate.trunkA, z: 51 * d.trunkHeight / AdultTemplate.trunkHeight)
            guard let skin = line.first(where: { $0.role != nil }), let cavity = line.first(where: { Self.isThoracicCavity($0.role) }) else {
                Issue.record("\(age.label) \(sex): no body or no thoracic organ on the line"); continue
            }
            let wall = cavity.y - skin.y
            // Tolerance: the larger of one voxel plus the line step, and 15% (the trunk surface 3 cm
            // off the midline lies ~1% behind the midline surface; voxelisation).
            let tolerance = max(v.spacing + 0.1, 0.15 * expected)
            #expect(abs(wall - expected) < tolerance, "\(age.label) \(sex): chest wall \(wall) cm, expected \(expected) cm")
        }
    }

    @Test("sternum-to-vertebral-body distance over the thorax's internal depth matches CT of normal children (Wan et al.: 0.67 at 3-6 y, 0.64 at 7-11 y, 0.62 at 12-16 y) within 13%",
          arguments: [ReferenceAge.five, .ten, .fifteen])
    func vertebralBodyDepth(age: ReferenceAge) throws {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let v = p.voxelise()
        let d = p.dimensions
        let z = 56 * d.trunkHeight / AdultTemplate.trunkHeight   // mid-sternum, thoracic vertebrae
        let mid = Self.line(v, x: 0, z: z)
        let sternumBack = try #require(mid.last(where: { $0.role == Self.sternumRole })).y
        let bodyFront = try #require(mid.first(where: { $0.role == .bone(.thoracicVertebrae) })).y
        // Internal depth b: pleura to pleura on the antero-posterior axis (the rib cage's inner
        // surface, as Wan et al. measure it), in the phantom's cm.
        let layout = ThoracicSkeleton.layout(trunkB: d.trunkB, ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, .male))
        let internalDepth = 2 * layout.pleuraB * d.trunkB / AdultTemplate.trunkB
        let ratio = (bodyFront - sternumBack) / internalDepth
        // Group means from Wan et al. (pectus index a/c and flatness a/b); 13%: about one standard
        // deviation of the ratio from the published SDs (a/c ±0.24-0.33, a/b ±0.10-0.14).
        let expected: Double = switch age { case .five: 1.57 / 2.34; case .ten: 1.64 / 2.58; default: 1.64 / 2.63 }
        #expect(abs(ratio / expected - 1) < 0.13, "\(age.label): c/b = \(ratio), Wan et al. \(expected)")
    }

    @Test("vertebral bodies lie anterior to the vertebral arches and hold most of the thoracic vertebrae's bone", arguments: [ReferenceAge.newborn, .five, .fifteen])
    func bodiesAnteriorToArches(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .female)
        let v = p.voxelise()
        var bodies = (n: 0, y: 0.0), arches = (n: 0, y: 0.0)
        for r in v.regions where r.role == .bone(.thoracicVertebrae) {
            if r.name.hasPrefix(ThoracicSkeleton.vertebralBodiesName) { bodies.n += r.voxelCount; bodies.y += Double(r.voxelCount) * r.centroid.y }
            if r.name.hasPrefix(ThoracicSkeleton.vertebralArchesName) { arches.n += r.voxelCount; arches.y += Double(r.voxelCount) * r.centroid.y }
        }
        #expect(bodies.n > arches.n, "\(age.label): bodies \(bodies.n) voxels, arches \(arches.n)")
        #expect(bodies.y / Double(max(bodies.n, 1)) < arches.y / Double(max(arches.n, 1)))
    }
    @Test("the breasts lie over the heart's upper part, as over ribs 2-6 with the heart from the 3rd to the 6th costal cartilage: their centre above the heart's, below its top",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func breastsOverUpperHeart(age: ReferenceAge) throws {
        let v = StylisedPhantom.reference(age: age, sex: .female).voxelise()
        func centreZ(_ role: RegionRole) -> Double {
            var s = 0.0, n = 0
            for r in v.regions where r.role == role { s += Double(r.voxelCount) * r.centroid.z; n += r.voxelCount }
            return s / Double(max(n, 1))
        }
        let heartLabels = Set(v.regions.indices.filter { v.regions[$0].role == .organ(.heart) }.map { UInt8($0 + 1) })
        let topSlice = try #require((0..<v.nz).last { iz in
            (0..<(v.nx * v.ny)).contains { heartLabels.contains(v.labels[iz * v.nx * v.ny + $0]) }
        })
        let heartTop = v.origin.z + Double(topSlice) * v.spacing
        let (breastZ, heartZ) = (centreZ(.organ(.breast)), centreZ(.organ(.heart)))
        #expect(breastZ > heartZ && breastZ < heartTop, "\(age.label): breast z \(breastZ), heart centre \(heartZ), top \(heartTop)")
    }

    @Test("on the midline behind the thoracic vertebral bodies lies the spinal canal's soft tissue, as deep as the adult canal (1.5 cm, in proportion to its vertebra) within a voxel, and the arches behind it",
          arguments: [ReferenceAge.newborn, .five, .fifteen])
    func spinalCanalBehindBodies(age: ReferenceAge) throws {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let v = p.voxelise()
        let line = Self.midline(v, p.dimensions, templateZ: 50)
        let spine = RegionRole.bone(.thoracicVertebrae)
        let bodiesStart = try #require(line.firstIndex { $0.role == spine })
        let canalStart = bodiesStart + line[bodiesStart...].prefix { $0.role == spine }.count
        // The soft tissue between the bodies and the arches: the canal's, and where the bodies' and the
        // canal's elliptic sections meet at their vertices, a voxel of the trunk's residual soft
        // tissue (the same material) between them.
        let canal = line[canalStart...].prefix { $0.role == .residualOther || $0.role == .residualTrunk }
        let section = VertebralColumn.section(.thoracic, dimensions: p.dimensions, bodyFrontTemplateY: Self.vertebralBodyFront(p, age, .male) * AdultTemplate.trunkB / p.dimensions.trunkB,
                                              ageYears: Double(age.rawValue), sex: .male, massScale: 1)
        let expected = 2 * section.canalHalfDepth
        #expect(abs(Double(canal.count) * v.spacing / 4 - expected) <= v.spacing, "\(age.label): canal \(Double(canal.count) * v.spacing / 4) cm, expected \(expected)")
        #expect(line[(canalStart + canal.count)...].first?.role == spine, "\(age.label): the arches close the canal behind")
    }

    @Test("the sternum is a cortex of cortical bone over spongiosa whose volumes are those of the ICRP 143 reference phantom (CBV; AM + IM + TBV) within 10%",
          arguments: [ReferenceAge.one, .five, .ten, .fifteen])
    func sternumVolumeAndCortex(age: ReferenceAge) {
        for sex in Sex.allCases {
            let p = StylisedPhantom.reference(age: age, sex: sex)
            let masses = p.regionMassesByIntegration(pointsPerAxis: 48)
            var cortex = 0.0, spongiosa = 0.0
            for (i, r) in p.regions.enumerated() where r.role == Self.sternumRole {
                if r.tissue == .corticalBone { cortex += masses[i] / p.density(of: r.tissue) }
                if r.tissue == .spongiosa { spongiosa += masses[i] / p.density(of: r.tissue) }
            }
            let icrp = ThoracicSkeleton.sternumVolumes(ageYears: Double(age.rawValue), sex: sex)
            let (measured, expected) = (cortex + spongiosa, icrp.cortex + icrp.spongiosa)
            #expect(abs(measured / expected - 1) < 0.10, "\(age.label) \(sex): sternum \(measured) cm³, ICRP 143 \(expected) cm³")
            // The cortex's share of the bone (its thickness is below the voxel size, so the integral checks it).
            let share = cortex / max(measured, 1e-9), expectedShare = icrp.cortex / expected
            #expect(abs(share - expectedShare) < 0.05, "\(age.label) \(sex): cortex \(share) of the sternum, ICRP 143 \(expectedShare)")
        }
    }

    @Test("an individual child's sternum scales with body mass over the reference mass of the age (1.5 × mass, 1.5 × sternum volume within 10%)")
    func individualSternumScalesWithMass() {
        let age = 8.0, sex = Sex.male
        let reference = ICRP89.bodyMass(atAge: age, sex)
        let height = ICRP89.height(.ten, sex) * 0.95
        func volume(_ massKg: Double) -> Double {
            let p = StylisedPhantom.individual(ageYears: age, sex: sex, heightCm: height, massKg: massKg)
            let masses = p.regionMassesByIntegration(pointsPerAxis: 48)
            return p.regions.indices.filter { p.regions[$0].role == Self.sternumRole }
                .reduce(0.0) { $0 + masses[$1] / p.density(of: p.regions[$1].tissue) }
        }
        let ratio = volume(1.5 * reference) / volume(reference)
        #expect(abs(ratio / 1.5 - 1) < 0.10, "sternum volume ratio \(ratio) for a body mass ratio of 1.5")
    }
}
