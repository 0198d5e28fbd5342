import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// Organ doses of one projection radiograph or of fluoroscopy of a body region, per kerma-area
/// product (KAP) and per entrance air kerma (free in air at the skin on the central ray, no
/// backscatter), from one simulation: `RadiographySimulation`.
public struct RadiographyDoses: Sendable, Codable {
    public enum Modality: String, Sendable, Codable, CaseIterable { case radiography, fluoroscopy }
    /// One organ's coefficient, both normalisations of the same simulation.
    public struct OrganCoefficient: Sendable, Codable, Equatable {
        public let organ: Organ
        /// mGy per Gy·cm² of KAP.
        public let perKAP: Double
        /// mGy per mGy of entrance air kerma.
        public let perEntranceAirKerma: Double
        /// Relative 1σ Monte Carlo uncertainty (batch method; inf where nothing was scored).
        public let relativeUncertainty: Double
    }
    public let modality: Modality
    public let region: CTRegion
    public let technique: RadiographySimulation.Technique
    public let age: ReferenceAge.RawValue
    public let sex: Sex
    public let organs: [OrganCoefficient]
    /// ICRP 103 effective dose, mSv per Gy·cm² and mSv per mGy of entrance air kerma.
    public let effectiveDose103PerKAP: Double
    public let effectiveDose103PerEntranceAirKerma: Double
    /// KAP per entrance air kerma (Gy·cm² per mGy): the field's area at the skin, scaled.
    public var kapPerEntranceAirKerma: Double { effectiveDose103PerEntranceAirKerma / effectiveDose103PerKAP }
    public let histories: Int
    public let wallSeconds: Double
}

/// Projection radiography and fluoroscopy with the C-arm point source of the cardiac transport
/// (`BeamSetup.cArm`): a square field at the isocentre, the isocentre at the centroid of the
/// region's landmark organ (`PlanarKVSimulation.landmark`: head brain, neck thyroid, chest lungs,
/// abdomen kidneys, pelvis urinary bladder), the field as long as the region's anatomical range
/// (`CTRegion.scanRange`; an abdominal radiograph from the diaphragm to the symphysis, the abdomen
/// and pelvis), so that a radiograph is collimated to the region examined: square up to 35 cm,
/// then 35 cm wide and at most 43 cm long (a 35 × 43 cm detector).
///
/// The technique (`technique(for:region:age:)`) is **Harmonic's assumption**, set inside the ranges
/// the European paediatric quality criteria are quoted with (European Commission, EUR 16261, 1996:
/// tube voltages of about 60-85 kV by examination, additional filtration up to 1 mm Al + 0.1-0.2 mm
/// Cu, focus-film distance 100-115 cm supine and 150 cm for the erect chest); the guideline's own
/// tables were not readable here, so each value is documented in `docs/imaging-dose.md` as an
/// assumption, and the `radiography_model` error of the uncertainty table covers it. A projection
/// radiograph: chest AP supine below 3 years, PA erect from 3 years (the reference phantoms of 0
/// and 1 year AP, of 5 years and older PA); head, neck, abdomen and pelvis AP. Fluoroscopy: an
/// under-couch tube, so a PA beam through the supine child, 75 kV with 0.2 mm Cu (paediatric
/// fluoroscopy's copper filtration), the field 8-20 cm.
public enum RadiographySimulation {
    /// Beam and geometry of one examination of the reference phantom of one age.
    public struct Technique: Sendable, Codable, Equatable {
        public let kVp: Double
        /// Total filtration: 3 mm Al plus this copper (mm).
        public let copperMillimetres: Double
        /// "ap" or "pa".
        public let view: String
        public let focusToIsocentre: Double
        /// Length of the field at the isocentre, head to foot (cm); its width is the same, at most 35 cm.
        public let fieldSide: Double
    }

    /// The examination's view, tube voltage and distance (Harmonic's assumptions; see the type's
    /// documentation). The field side is set by `simulate` from the phantom's anatomy.
    static func beam(for modality: RadiographyDoses.Modality, region: CTRegion, age: ReferenceAge) -> (kVp: Double, copper: Double, projection: Projection, view: String, distance: Double) {
        if modality == .fluoroscopy { return (75, 0.2, .pa, "pa", 70) }
        let a = Double(age.rawValue)
        switch region {
        case .chest:
            let erect = a >= 3
            let kv: Double = a < 3 ? 65 : a < 8 ? 70 : a < 12 ? 75 : a < 20 ? 85 : 100
            return (kv, 0.1, erect ? .pa : .ap, erect ? "pa" : "ap", erect ? 150 : 100)
        case .head, .neck:
            return (a < 3 ? 70 : a < 12 ? 75 : 80, 0.1, .ap, "ap", 100)
        default:
            return (a < 3 ? 65 : a < 8 ? 70 : a < 12 ? 75 : 80, 0.1, .ap, "ap", 100)
        }
    }

    public static func spectrum(kVp: Double, copperMillimetres: Double) -> XRaySpectrum {
        XRaySpectrum(kVp: kVp, anodeAngleDegrees: 12, filtration: Filtration([.init(material: .aluminium, thicknessMillimetres: 3),
                                                                              .init(material: .copper, thicknessMillimetres: copperMillimetres)]))
    }

    /// The regions a radiograph or fluoroscopy of Harmonic covers (one field each).
    public static let regions: [CTRegion] = [.head, .neck, .chest, .abdomen, .pelvis]

    /// Organ doses of one examination of `region` on the reference phantom.
    public static func simulate(_ modality: RadiographyDoses.Modality, region: CTRegion, age: ReferenceAge, sex: Sex, histories: Int,
                                seed: UInt64 = 1, voxels given: VoxelPhantom? = nil, threads: Int? = nil) throws -> RadiographyDoses {
        let start = Date()
        guard histories > 0 else { throw TransportInputError(field: "histories", value: "\(histories)", expected: "a positive number") }
        guard regions.contains(region) else {
            throw TransportInputError(field: "region", value: region.rawValue, expected: regions.map(\.rawValue).joined(separator: ", "))
        }
        let phantom = StylisedPhantom.reference(age: age, sex: sex)
        let voxels = given ?? phantom.voxelise()
        // An abdominal radiograph covers the diaphragm to the symphysis (the abdomen and pelvis ranges).
        let (z0, z1) = try (modality == .radiography && region == .abdomen ? CTRegion.abdomenPelvis : region).scanRange(phantom, voxels)
        let b = beam(for: modality, region: region, age: age)
        // Radiography: at most a 35 × 43 cm detector (43 cm head to foot); fluoroscopy 8-20 cm.
        let length = min(modality == .fluoroscopy ? 20 : 43, max(8, z1 - z0))
        let width = min(modality == .fluoroscopy ? 20 : 35, length)
        let config = TransportConfiguration(phantom: phantom, beam: .cArm(projection: b.projection, fieldWidth: width, fieldHeight: length,
                                                                         distance: .focusToIsocentre(b.distance), target: PlanarKVSimulation.landmark(region)),
                                            spectrum: SourceSpectrum(spectrum(kVp: b.kVp, copperMillimetres: b.copper)),
                                            histories: histories, seed: seed, batches: 32, threads: threads)
        let r = try TransportSimulation.run(config, voxels: voxels)
        guard let eKAP = r.effectiveDose103PerKAP, eKAP > 0 else {
            throw TransportInputError(field: "beam", value: "\(modality.rawValue) \(region.rawValue)", expected: "a C-arm beam that deposits dose (no KAP normalisation)")
        }
        let organs = r.organs.map { o in
            RadiographyDoses.OrganCoefficient(organ: o.organ, perKAP: o.perKAP ?? .nan, perEntranceAirKerma: o.perAirKerma,
                                              relativeUncertainty: o.perAirKerma > 0 ? o.relativeUncertainty : .infinity)
        }
        return RadiographyDoses(modality: modality, region: region,
                                technique: Technique(kVp: b.kVp, copperMillimetres: b.copper, view: b.view, focusToIsocentre: b.distance, fieldSide: length),
                                age: age.rawValue, sex: sex, organs: organs, effectiveDose103PerKAP: eKAP,
                                effectiveDose103PerEntranceAirKerma: r.effectiveDose103PerAirKerma, histories: histories,
                                wallSeconds: Date().timeIntervalSince(start))
    }
}
