import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// Organ doses of one radiotherapy kV imaging session type (a CBCT scan or a planar kV pair) on a
/// reference phantom, per unit of the dose index the imager records.
public struct KVImagingDoses: Sendable, Codable {
    public enum Modality: String, Sendable, Codable, CaseIterable { case cbct, planarKV = "planar_kv" }
    /// What the coefficients are per: the CBCT's weighted CTDI (`ctdiw_16` / `ctdiw_32`, the 16 or
    /// 32 cm CTDI phantom), or the entrance air kerma of each image of a planar pair (`entrance_air_kerma`).
    public enum Index: String, Sendable, Codable { case ctdiw16 = "ctdiw_16", ctdiw32 = "ctdiw_32", entranceAirKerma = "entrance_air_kerma" }
    public let modality: Modality
    public let region: CTRegion
    public let age: ReferenceAge.RawValue
    public let sex: Sex
    public let kVp: Double
    public let index: Index
    /// The index per mAs (mGy/mAs) for the simulated tube (CBCT); NaN where not computed.
    public let indexPerMAs: Double
    public let organs: [CTOrganCoefficient]
    /// ICRP 103 effective dose (mSv) per unit index.
    public let effectiveDose103: Double
    public let histories: Int
    public let wallSeconds: Double
}

/// CBCT organ doses with Harmonic's photon Monte Carlo: the CT source (`CTSource`) in the cone-beam
/// geometry of `CBCTProtocol`, one rotation centred on the body region's scan range
/// (`CTRegion.scanRange`: the middle of the head, neck, lungs, abdomen or pelvis).
///
/// Normalisation: the same source, one rotation centred on a 15 cm long PMMA CTDI phantom (16 cm
/// head, 32 cm body), gives the 100 mm chambers' weighted mean air kerma K_w per photon
/// (`CTSimulation.ctdiPhantom`). For a cone wider than the chamber, the chamber reading is the CBCT's
/// weighted CTDI as the linac imagers display it (the chamber lies wholly in the cone): organ dose per
/// CTDIw = d / K_w (d the organ dose per photon in the phantom). The modified CTDI for wide beams
/// (a narrow reference beam and free-in-air ratios, IEC 60601-2-44 ed. 3.1) is not modelled.
/// The CTDIw per mAs follows from the tube's absolute output (`CBCTProtocol.photonsPerMAs`).
public enum CBCTSimulation {
    /// The weighted-CTDI phantom results (16 and 32 cm) of a protocol's source.
    public static func ctdi(_ p: CBCTProtocol, histories: Int, seed: UInt64 = 1, threads: Int? = nil) throws -> (p16: CTDIPhantomResult, p32: CTDIPhantomResult) {
        let g = p.geometry(centreZ: 0)
        let s = SourceSpectrum(p.spectrum)
        return (try CTSimulation.ctdiPhantom(diameter: 16, geometry: g, spectrum: s, histories: histories, seed: seed, threads: threads),
                try CTSimulation.ctdiPhantom(diameter: 32, geometry: g, spectrum: s, histories: histories, seed: seed, threads: threads))
    }

    /// Organ doses per CTDIw (the region's reference phantom: 16 cm head and neck, 32 cm body) of one
    /// CBCT rotation of `protocol` centred on `region` of the reference phantom of `age` and `sex`.
    public static func scan(region: CTRegion, age: ReferenceAge, sex: Sex, protocol p: CBCTProtocol, histories: Int,
                            ctdi: (p16: CTDIPhantomResult, p32: CTDIPhantomResult)? = nil, seed: UInt64 = 1,
                            voxels given: VoxelPhantom? = nil, threads: Int? = nil) throws -> KVImagingDoses {
        let start = Date()
        guard (40...150).contains(p.kVp) else {
            throw TransportInputError(field: "kVp", value: "\(p.kVp)", expected: "a tube voltage between 40 and 150 kV")
        }
        guard histories > 0 else { throw TransportInputError(field: "histories", value: "\(histories)", expected: "a positive number") }
        // The arms where the region puts them (raised for the trunk, as in CT; `voxels`, when given,
        // must be that phantom's).
        let phantom = StylisedPhantom.reference(age: age, sex: sex).withArms(region.armPosture)
        let voxels = given ?? phantom.voxelise()
        let (z0, z1) = try region.scanRange(phantom, voxels)
        let geometry = p.geometry(centreZ: (z0 + z1) / 2)
        let x = p.spectrum
        let spectrum = SourceSpectrum(x)
        let norms = try ctdi ?? Self.ctdi(p, histories: max(100_000, histories / 4), seed: seed, threads: threads)
        let reference = region.isHeadScan ? norms.p16 : norms.p32
        let config = TransportConfiguration(phantom: phantom, beam: .ct(geometry), spectrum: spectrum, histories: histories,
                                            seed: seed, batches: 32, threads: threads)
        let result = try TransportSimulation.run(config, voxels: voxels)
        let scale = result.airKermaPerHistory / reference.weighted
        let organs = result.organs.map {
            CTOrganCoefficient(organ: $0.organ, perCTDIvol: $0.perAirKerma * scale,
                               relativeUncertainty: ($0.relativeUncertainty * $0.relativeUncertainty
                                                     + reference.relativeUncertainty * reference.relativeUncertainty).squareRoot())
        }
        let perMAs = reference.weighted * p.photonsPerMAs(x) * 1000
        return KVImagingDoses(modality: .cbct, region: region, age: age.rawValue, sex: sex, kVp: p.kVp,
                              index: region.isHeadScan ? .ctdiw16 : .ctdiw32, indexPerMAs: perMAs, organs: organs,
                              effectiveDose103: result.effectiveDose103PerAirKerma * scale, histories: histories,
                              wallSeconds: Date().timeIntervalSince(start))
    }
}
