import Foundation
import Testing
import HarmonicCore
@testable import Phantoms

/// The trunk's vertebral column by segment against anatomy and the ICRP 143 phantoms
/// (`VertebralColumn`; sources there).
@Suite("Vertebral column: segment lengths and ICRP 143 bone volume by site")
struct VertebralColumnTests {
    /// Bone volume (cm³) of each trunk-spine site, by integration of the regions' masses.
    static func spineVolumes(_ p: StylisedPhantom) -> [SkeletalSite: Double] {
        let masses = p.regionMassesByIntegration(pointsPerAxis: 48)
        var out: [SkeletalSite: Double] = [:]
        for (i, r) in p.regions.enumerated() where r.role == .bone(.trunkSpine) {
            guard let segment = VertebralColumn.Segment.allCases.first(where: { r.name == $0.bodiesName || r.name == $0.archesName })
            else { continue }
            out[segment.site, default: 0] += masses[i] / p.density(of: r.tissue)
        }
        return out
    }

    @Test("the segments follow Gray's lengths below the top of T1 (thoracic 28, lumbar 18, sacrum and coccyx 12.5 cm of the adult template)")
    func segmentBoundaries() {
        #expect(VertebralColumn.segment(atTemplateZ: 67) == .thoracic)
        #expect(VertebralColumn.segment(atTemplateZ: 39.6) == .thoracic)
        #expect(VertebralColumn.segment(atTemplateZ: 39.4) == .lumbar)
        #expect(VertebralColumn.segment(atTemplateZ: 21.6) == .lumbar)
        #expect(VertebralColumn.segment(atTemplateZ: 21.4) == .sacral)
        #expect(VertebralColumn.segment(atTemplateZ: 9.1) == .sacral)
        #expect(VertebralColumn.segment(atTemplateZ: 8.9) == nil)
        // The voxel's site follows the same boundaries.
        #expect(BoneGeometry.trunkSpine.site(at: Vec3(0, 4, 40)) == .thoracicVertebrae)
        #expect(BoneGeometry.trunkSpine.site(at: Vec3(0, 4, 39)) == .lumbarVertebrae)
        #expect(BoneGeometry.trunkSpine.site(at: Vec3(0, 4, 21)) == .sacrum)
    }

    @Test("a section's bone area is that of its ellipses counted on a fine grid (bodies, arches less the canal) within 0.5%")
    func sectionAreaAgainstGrid() {
        for (k, front) in [(1.0, 1.4), (0.6, 2.0), (1.3, 1.0)] {
            let s = VertebralColumn.Section(k: k, bodyFront: front)
            func inside(_ x: Double, _ y: Double, _ cy: Double, _ a: Double, _ b: Double) -> Bool {
                (x / a) * (x / a) + ((y - cy) / b) * ((y - cy) / b) <= 1
            }
            let n = 1200, x0 = -3 * k, x1 = 3 * k, y0 = front, y1 = s.archBack
            let dx = (x1 - x0) / Double(n), dy = (y1 - y0) / Double(n)
            var count = 0
            for i in 0..<n { for j in 0..<n {
                let x = x0 + (Double(i) + 0.5) * dx, y = y0 + (Double(j) + 0.5) * dy
                if inside(x, y, s.bodyFront + s.bodyHalfDepth, s.bodyHalfWidth, s.bodyHalfDepth) { count += 1; continue }
                if inside(x, y, s.bodyBack + s.canalHalfDepth, s.canalHalfWidth, s.canalHalfDepth) { continue }
                if inside(x, y, s.bodyBack + s.archHalfDepth, s.archHalfWidth, s.archHalfDepth) { count += 1 }
            } }
            let grid = Double(count) * dx * dy
            #expect(abs(s.boneArea / grid - 1) < 0.005, "k \(k): area \(s.boneArea) cm², grid \(grid) cm²")
            // Solving for that area gives back the same k.
            let solved = VertebralColumn.Section.solve(area: s.boneArea, bodyFront: front)
            #expect(abs(solved.k / k - 1) < 1e-6)
        }
    }

    @Test("a section keeps the adult template's proportions: its bone area is k² times the template's")
    func sectionScalesAsKSquared() {
        let one = VertebralColumn.Section(k: 1, bodyFront: 1.4).boneArea
        for k in [0.25, 0.7, 1.2] {
            #expect(abs(VertebralColumn.Section(k: k, bodyFront: 3).boneArea / (k * k * one) - 1) < 1e-3)
        }
    }

    @Test("each trunk-spine site holds the bone volume of the ICRP 143 reference phantom (AM + IM + TBV + CBV) within 10%",
          arguments: [ReferenceAge.newborn, .one, .five, .ten, .fifteen])
    func siteVolumesMatchICRP143(age: ReferenceAge) {
        for sex in Sex.allCases {
            let volumes = Self.spineVolumes(StylisedPhantom.reference(age: age, sex: sex))
            for segment in VertebralColumn.Segment.allCases {
                let v = ThoracicSkeleton.siteVolume(segment.site, ageYears: Double(age.rawValue), sex: sex)
                let measured = volumes[segment.site] ?? 0, expected = v.cortex + v.spongiosa
                #expect(abs(measured / expected - 1) < 0.10, "\(age.label) \(sex) \(segment): \(measured) cm³, ICRP 143 \(expected) cm³")
            }
        }
    }

    @Test("a lumbar vertebra's section is larger than a thoracic one's at every age from 1 y (ICRP 143 volumes over Gray's lengths)",
          arguments: [ReferenceAge.one, .five, .ten, .fifteen, .adult])
    func lumbarLargerThanThoracic(age: ReferenceAge) {
        let p = StylisedPhantom.reference(age: age, sex: .male)
        let front = ThoracicSkeleton.layout(trunkB: p.dimensions.trunkB, ageYears: Double(age.rawValue), massKg: ICRP89.bodyMass(age, .male)).vertebralBodyFront
        func k(_ s: VertebralColumn.Segment) -> Double {
            VertebralColumn.section(s, dimensions: p.dimensions, bodyFrontTemplateY: front, ageYears: Double(age.rawValue), sex: .male, massScale: 1).k
        }
        #expect(k(.lumbar) > k(.thoracic), "\(age.label): lumbar k \(k(.lumbar)), thoracic k \(k(.thoracic))")
    }

    @Test("the adult's column is the 15-year-old's grown with the ICRP 89 skeleton mass (10.5/7.95 kg male)")
    func adultGrowsWithSkeleton() {
        for site in [SkeletalSite.thoracicVertebrae, .lumbarVertebrae, .sacrum, .sternum] {
            let (a, f) = (ThoracicSkeleton.siteVolume(site, ageYears: 30, sex: .male), ThoracicSkeleton.siteVolume(site, ageYears: 15, sex: .male))
            #expect(abs((a.cortex + a.spongiosa) / (f.cortex + f.spongiosa) - 10500.0 / 7950) < 1e-9)
        }
    }

    @Test("an individual child's column scales with body mass over the reference mass of the age (1.5 × mass, 1.5 × volume within 10%)")
    func individualColumnScalesWithMass() {
        let age = 8.0, sex = Sex.female
        let reference = ICRP89.bodyMass(atAge: age, sex)
        let height = ICRP89.height(.ten, sex) * 0.95
        func volume(_ massKg: Double) -> Double {
            Self.spineVolumes(StylisedPhantom.individual(ageYears: age, sex: sex, heightCm: height, massKg: massKg))[.thoracicVertebrae] ?? 0
        }
        let ratio = volume(1.5 * reference) / volume(reference)
        #expect(abs(ratio / 1.5 - 1) < 0.10, "thoracic vertebrae volume ratio \(ratio) for a body mass ratio of 1.5")
    }
}
