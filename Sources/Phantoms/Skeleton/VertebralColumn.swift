import Foundation
import HarmonicCore

/// The trunk's vertebral column of a stylised phantom: thoracic, lumbar and sacral segments at
/// their anatomical lengths, each with the bone volume of its ICRP 143 skeletal site.
///
/// MIRD-5's spine is one elliptic cylinder from the base of the trunk to its top, so one
/// cross-section served every segment and the thoracic/lumbar boundary lay at the base of the rib
/// cage (template z 35.1 cm), where the rib bands end laterally, not where T12 meets L1. Measured
/// against the ICRP 143 phantoms (`harmonic-bench marrow-sites --volumes`), the stylised thoracic
/// vertebrae held 1.5-1.7 times their bone volume, the lumbar 0.5-1.1 times and the sacrum 1.4-4.6
/// times (docs/red-marrow.md), where a lumbar vertebra is about twice a thoracic one.
///
/// - **Lengths.** "The vertebral column ... its average length in the male is about 71 cm. Of this
///   length the cervical part measures 12.5 cm, the thoracic about 28 cm, the lumbar 18 cm, and
///   the sacrum and coccyx 12.5 cm" (Gray, *Anatomy of the Human Body*, 20th ed., 1918, §3b, *The
///   vertebral column as a whole*). The top of T1 is the top of the stylised rib cage (template
///   z 67.5 cm), so the thoracic segment reaches down to z 39.5, the lumbar to 21.5 (MIRD-5's
///   iliac crest is at 22) and the sacrum and coccyx to 9.0, between the iliac wings. The 2.5 cm of
///   the trunk above T1 (C7) stay with the thoracic segment. The adult proportions hold at every
///   age (the segments scale with the trunk height).
/// - **Section.** The adult template's section, in the phantom's own cm and scaled by one size
///   `k` per segment: vertebral bodies 4k cm wide and 2.8k cm deep (`ThoracicSkeleton`), their
///   anterior surface where `ThoracicSkeleton.layout` places it; behind them the spinal canal,
///   1.7k × 1.5k cm (the adult thoracic canal, in proportion to its vertebra); the vertebral arches
///   2.2k cm wide around and behind the canal and 3.8k cm deep (in the adult template, MIRD-5's
///   posterior surface of the spine at y 8 cm behind the bodies' back at 4.2 cm), so the whole
///   section keeps the adult's proportions (a fixed posterior end gave the newborn's arches 3.5
///   times its bodies' depth and more bone than its bodies). `k` is solved so that the
///   segment's bone volume (bodies and arches, the canal excluded) is the ICRP 143 site volume
///   (`ThoracicSkeleton.siteVolume`), scaled for an individual child by body mass over the
///   reference mass of the age (as the marrow mass and the sternum are).
public enum VertebralColumn {
    /// A segment of the trunk's column, each one ICRP 143 skeletal site.
    public enum Segment: String, CaseIterable, Sendable {
        case thoracic, lumbar, sacral

        /// The ICRP 143 site whose bone the segment holds.
        public var site: SkeletalSite {
            switch self {
            case .thoracic: .thoracicVertebrae
            case .lumbar: .lumbarVertebrae
            case .sacral: .sacrum
            }
        }

        /// Template z range (cm), Gray's segment lengths below the top of T1 (`VertebralColumn`).
        public var templateZ: (lower: Double, upper: Double) {
            switch self {
            case .thoracic: (VertebralColumn.t12Bottom, AdultTemplate.trunkHeight)
            case .lumbar: (VertebralColumn.l5Bottom, VertebralColumn.t12Bottom)
            case .sacral: (VertebralColumn.coccyxTip, VertebralColumn.l5Bottom)
            }
        }

        var bodiesName: String { "\(ThoracicSkeleton.vertebralBodiesName) (\(rawValue))" }
        var canalName: String { "\(ThoracicSkeleton.spinalCanalName) (\(rawValue))" }
        var archesName: String { "\(ThoracicSkeleton.vertebralArchesName) (\(rawValue))" }
    }

    /// Gray's segment lengths (cm, adult male, along the column): thoracic 28, lumbar 18, sacrum
    /// and coccyx 12.5; the top of T1 at the template rib cage's top (z 67.5 cm).
    static let t1Top = 67.5, thoracicLength = 28.0, lumbarLength = 18.0, sacrococcygealLength = 12.5
    static let t12Bottom = t1Top - thoracicLength
    static let l5Bottom = t12Bottom - lumbarLength
    static let coccyxTip = l5Bottom - sacrococcygealLength

    /// The segment holding a template height, nil below the coccyx.
    public static func segment(atTemplateZ z: Double) -> Segment? {
        if z >= t12Bottom { return .thoracic }
        if z >= l5Bottom { return .lumbar }
        if z >= coccyxTip { return .sacral }
        return nil
    }

    /// One segment's cross-section, in the phantom's cm (y posterior).
    public struct Section: Equatable, Sendable {
        /// The size factor of the adult template's section.
        public var k: Double
        /// Anterior surface of the vertebral bodies (phantom y, cm).
        public var bodyFront: Double

        public var bodyHalfWidth: Double { ThoracicSkeleton.vertebralBodyHalfWidth * k }
        public var bodyHalfDepth: Double { ThoracicSkeleton.vertebralBodyDepth / 2 * k }
        public var bodyBack: Double { bodyFront + 2 * bodyHalfDepth }
        public var canalHalfWidth: Double { ThoracicSkeleton.spinalCanalHalfWidth * k }
        public var canalHalfDepth: Double { ThoracicSkeleton.spinalCanalHalfDepth * k }
        public var archHalfWidth: Double { ThoracicSkeleton.archHalfWidth * k }
        /// The arches end `archDepth`·k behind the bodies (the adult template's spine, in proportion).
        public var archBack: Double { bodyBack + ThoracicSkeleton.archDepth * k }
        public var archHalfDepth: Double { (archBack - bodyBack) / 2 }

        /// Bone area (cm²), k² times the adult template's: the bodies' ellipse and the arches' less the canal. The three are
        /// centred on the midline and meet only at the bodies' posterior vertex, so the arches' bone
        /// is ∫ 2·max(0, w_arch(y) − w_canal(y)) dy (midpoint rule, 2,000 strips).
        public var boneArea: Double {
            let bodies = Double.pi * bodyHalfWidth * bodyHalfDepth
            let (ya, ha, wa) = (bodyBack + archHalfDepth, archHalfDepth, archHalfWidth)
            let (yc, hc, wc) = (bodyBack + canalHalfDepth, canalHalfDepth, canalHalfWidth)
            func width(_ y: Double, _ c: Double, _ h: Double, _ w: Double) -> Double {
                let t = (y - c) / h
                return t * t < 1 ? w * (1 - t * t).squareRoot() : 0
            }
            let n = 2000, dy = 2 * ha / Double(n)
            var arches = 0.0
            for i in 0..<n {
                let y = bodyBack + (Double(i) + 0.5) * dy
                arches += 2 * max(0, width(y, ya, ha, wa) - width(y, yc, hc, wc)) * dy
            }
            return bodies + arches
        }

        /// The adult template's bone area (k = 1, cm²), integrated once.
        static let templateBoneArea = Section(k: 1, bodyFront: 0).boneArea

        /// The section whose bone area is `area` (cm²). Every dimension of the section scales with k
        /// (the strips of the arches' integral too), so its area is k² times the template's and
        /// k = √(area / template area): no search, and no integral per phantom built.
        static func solve(area: Double, bodyFront: Double) -> Section {
            Section(k: (area / templateBoneArea).squareRoot(), bodyFront: bodyFront)
        }
    }

    /// The section of a segment whose bone volume over its length is the ICRP 143 site volume of the
    /// age and sex times `massScale` (body mass over the reference mass of the age; 1 for reference
    /// phantoms). `dimensions` maps the template onto the phantom; `bodyFrontTemplateY` is the
    /// bodies' anterior surface in the template frame (`ThoracicSkeleton.layout`).
    static func section(_ segment: Segment, dimensions d: BodyDimensions, bodyFrontTemplateY: Double,
                        ageYears: Double, sex: Sex, massScale: Double) -> Section {
        let toPhantomY = d.trunkB / AdultTemplate.trunkB
        let z = segment.templateZ
        let length = (z.upper - z.lower) * d.trunkHeight / AdultTemplate.trunkHeight
        let v = ThoracicSkeleton.siteVolume(segment.site, ageYears: ageYears, sex: sex)
        return .solve(area: (v.cortex + v.spongiosa) * massScale / length, bodyFront: bodyFrontTemplateY * toPhantomY)
    }
}

extension StylisedPhantom {
    /// Places the bodies, canal and arches of each segment of the trunk's column (`VertebralColumn`).
    mutating func placeVertebralColumn(bodyFrontTemplateY: Double, ageYears: Double, massKg: Double) {
        typealias V = VertebralColumn
        let massScale = massKg / ICRP89.bodyMass(atAge: ageYears, sex)
        let (sx, sy) = (AdultTemplate.trunkA / dimensions.trunkA, AdultTemplate.trunkB / dimensions.trunkB)
        for segment in V.Segment.allCases {
            let s = V.section(segment, dimensions: dimensions, bodyFrontTemplateY: bodyFrontTemplateY,
                              ageYears: ageYears, sex: sex, massScale: massScale)
            let z = segment.templateZ
            // Phantom cm → template frame (x by trunkA, y by trunkB; z stays in the template).
            func cylinder(centreY: Double, halfWidth: Double, halfDepth: Double) -> Solid {
                Solid(.cylinderZ(cx: 0, cy: centreY * sy, a: halfWidth * sx, b: halfDepth * sy, zMin: z.lower, zMax: z.upper))
            }
            for i in regions.indices {
                switch regions[i].name {
                case segment.bodiesName:
                    regions[i].solid = cylinder(centreY: s.bodyFront + s.bodyHalfDepth, halfWidth: s.bodyHalfWidth, halfDepth: s.bodyHalfDepth)
                case segment.canalName:
                    regions[i].solid = cylinder(centreY: s.bodyBack + s.canalHalfDepth, halfWidth: s.canalHalfWidth, halfDepth: s.canalHalfDepth)
                case segment.archesName:
                    regions[i].solid = cylinder(centreY: s.bodyBack + s.archHalfDepth, halfWidth: s.archHalfWidth, halfDepth: s.archHalfDepth)
                default: continue
                }
                regions[i].scaling = .fixed
                regions[i].growsWithBones = false
            }
        }
    }
}
