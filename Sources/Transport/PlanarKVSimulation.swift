import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// Organ doses of a radiotherapy planar kV image pair (an AP and a lateral image, the orthogonal
/// pair of the linac imagers' 2D match), with the C-arm point source of the cardiac transport
/// (`BeamSetup.cArm`): focus 100 cm from the isocentre, the isocentre at the centroid of the
/// region's landmark organ (head: brain; neck: thyroid; chest: lungs; abdomen: kidneys; pelvis:
/// urinary bladder), a square field at the isocentre as long as the region's scan range, 8-20 cm.
///
/// Per image, organ dose per entrance air kerma (free in air at the skin on the central ray, no
/// backscatter): the simulation's `perAirKerma`. The pair's coefficient is the sum over its two
/// images (each at the recorded entrance air kerma). Geometry, field, landmark and beam quality
/// (80 kV head and neck, 100 kV trunk; 3 mm Al total filtration) are **Harmonic's assumptions**
/// (docs/imaging-dose.md); no cited paediatric planar kV protocol was found.
public enum PlanarKVSimulation {
    public static let focusToIsocentre = 100.0
    public static func kVp(for region: CTRegion) -> Double { region.isHeadScan ? 80 : 100 }
    public static func landmark(_ region: CTRegion) -> Organ {
        switch region {
        case .head: .brain
        case .neck: .thyroid
        case .chest: .lungs
        case .abdomen, .abdomenPelvis: .kidneys
        case .pelvis: .bladder
        case .chestAbdomenPelvis: .liver
        }
    }
    public static func spectrum(kVp: Double) -> XRaySpectrum {
        XRaySpectrum(kVp: kVp, anodeAngleDegrees: 12, filtration: Filtration([.init(material: .aluminium, thicknessMillimetres: 3)]))
    }

    /// The AP + lateral pair's organ doses per entrance air kerma of each image.
    public static func pair(region: CTRegion, age: ReferenceAge, sex: Sex, histories: Int, seed: UInt64 = 1,
                            voxels given: VoxelPhantom? = nil, threads: Int? = nil) throws -> KVImagingDoses {
        let start = Date()
        guard histories > 0 else { throw TransportInputError(field: "histories", value: "\(histories)", expected: "a positive number") }
        // The arms where the region puts them: raised for the trunk, so that the lateral image does not
        // cross them (`voxels`, when given, must be that phantom's).
        let phantom = StylisedPhantom.reference(age: age, sex: sex).withArms(region.armPosture)
        let voxels = given ?? phantom.voxelise()
        let (z0, z1) = try region.scanRange(phantom, voxels)
        let side = min(20, max(8, z1 - z0))
        let kvp = kVp(for: region)
        let spectrum = SourceSpectrum(spectrum(kVp: kvp))
        var sums: [Organ: (Double, Double)] = [:]
        var effective = 0.0
        for projection in [Projection.ap, Projection.lateral] {
            let config = TransportConfiguration(phantom: phantom, beam: .cArm(projection: projection, fieldWidth: side, fieldHeight: side,
                                                                             distance: .focusToIsocentre(focusToIsocentre), target: landmark(region)),
                                                spectrum: spectrum, histories: histories, seed: seed, batches: 32, threads: threads)
            let r = try TransportSimulation.run(config, voxels: voxels)
            for o in r.organs {
                let s = sums[o.organ] ?? (0, 0)
                let sd = o.relativeUncertainty.isFinite ? o.relativeUncertainty * o.perAirKerma : .infinity
                sums[o.organ] = (s.0 + o.perAirKerma, s.1 + sd * sd)
            }
            effective += r.effectiveDose103PerAirKerma
        }
        let organs = sums.keys.sorted { $0.rawValue < $1.rawValue }.map { organ -> CTOrganCoefficient in
            let (v, variance) = sums[organ]!
            return CTOrganCoefficient(organ: organ, perCTDIvol: v, relativeUncertainty: v > 0 ? variance.squareRoot() / v : .infinity)
        }
        return KVImagingDoses(modality: .planarKV, region: region, age: age.rawValue, sex: sex, kVp: kvp, index: .entranceAirKerma,
                              indexPerMAs: .nan, organs: organs, effectiveDose103: effective, histories: histories,
                              wallSeconds: Date().timeIntervalSince(start))
    }
}
