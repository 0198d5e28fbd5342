import Dispatch
import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// Air kerma in the pencil-chamber holes of a CTDI phantom per photon of one axial rotation.
public struct CTDIPhantomResult: Sendable, Codable, Equatable {
    /// Phantom diameter (cm): 16 (head) or 32 (body), IEC 60601-2-44.
    public let diameter: Double
    /// Mean air kerma over the 100 mm chamber (Gy per photon) at the centre and the mean of the
    /// four peripheral holes 1 cm below the surface.
    public let centre: Double, periphery: Double
    /// Weighted: (1/3) centre + (2/3) periphery (the CTDIw weighting of IEC 60601-2-44).
    public var weighted: Double { centre / 3 + 2 * periphery / 3 }
    /// Relative 1σ uncertainty of `weighted` (batch method).
    public let relativeUncertainty: Double
}

/// Organ doses of one CT scan per unit CTDIvol.
public struct CTOrganCoefficient: Sendable, Codable, Equatable {
    public let organ: Organ
    /// Organ dose (mGy) per mGy of CTDIvol in the region's reference CTDI phantom.
    public let perCTDIvol: Double
    /// Relative 1σ Monte Carlo uncertainty (organ tally and CTDI normalisation).
    public let relativeUncertainty: Double
}

public struct CTScanDoses: Sendable, Codable {
    public let region: CTRegion
    public let age: ReferenceAge.RawValue
    public let sex: Sex
    public let kVp: Double
    /// Focus travel (cm): DLP = CTDIvol × scan length.
    public let scanLength: Double
    /// Diameter (cm) of the CTDI phantom the coefficients refer to.
    public let referencePhantomDiameter: Double
    /// CTDIvol in the other CTDI phantom (32 cm for head scans, 16 cm for body scans) per
    /// CTDIvol in the reference phantom, same scan: converts coefficients between conventions.
    public let otherPhantomCTDIRatio: Double
    public let organs: [CTOrganCoefficient]
    /// ICRP 103 effective dose (mSv per mGy CTDIvol) for the phantom's sex.
    public let effectiveDose103PerCTDIvol: Double
    public let tubeCurrentModulation: Double
    public let histories: Int
    public let wallSeconds: Double

    /// Effective dose per DLP (mSv per mGy·cm).
    public var effectiveDose103PerDLP: Double { effectiveDose103PerCTDIvol / scanLength }
    public func coefficient(_ organ: Organ) -> CTOrganCoefficient? { organs.first { $0.organ == organ } }
}

/// CT organ dosimetry with Harmonic's photon Monte Carlo.
///
/// Normalisation: a helical scan of length Z with photons spread uniformly (or by the
/// tube-current profile) along z gives organ dose d per photon. The same source, one axial
/// rotation in a CTDI phantom, gives mean chamber air kerma K_w per photon (weighted 1/3 centre,
/// 2/3 periphery, 100 mm chambers). With CTDI100 = K̄·L/W (L = 10 cm) and CTDIvol = CTDIw/pitch,
/// photons per cm of scan cancel the pitch and beam width: D/CTDIvol = d·Z / (K_w·L)
/// (McNitt-Gray 2002 RadioGraphics 22:1541 for the CTDI definitions; IEC 60601-2-44).
public enum CTSimulation {
    /// Chamber length (cm) of the CTDI100 pencil chamber.
    public static let chamberLength = 10.0
    static let joulesPerKeV = 1.602176634e-16

    /// The CT tube spectrum assumed for a kVp: 7° anode, 6 mm Al + 0.1 mm Cu total filtration
    /// (an assumption: scanners' filtration is not published; docs/imaging-dose.md gives the HVLs).
    public static func spectrum(kVp: Double) -> SourceSpectrum {
        SourceSpectrum(XRaySpectrum(kVp: kVp, anodeAngleDegrees: 7,
                                    filtration: Filtration([.init(material: .aluminium, thicknessMillimetres: 6),
                                                            .init(material: .copper, thicknessMillimetres: 0.1)])))
    }

    /// Simulates one axial rotation of `geometry`'s source (its z range is ignored) centred on a
    /// PMMA CTDI phantom of `diameter` cm (15 cm long) with five 1 × 1 cm × 100 mm chambers.
    public static func ctdiPhantom(diameter: Double, geometry: CTGeometry, spectrum: SourceSpectrum, histories: Int,
                                   seed: UInt64 = 1, batches: Int = 32, spacing: Double = 0.5, threads: Int? = nil) throws -> CTDIPhantomResult {
        guard diameter > 2, histories > 0 else {
            throw TransportInputError(field: "CTDI phantom", value: "diameter \(diameter) cm, \(histories) histories", expected: "a diameter above 2 cm and positive histories")
        }
        let h = spacing, r = diameter / 2, length = 15.0
        let nxy = Int((diameter / h).rounded(.up)) + 2 + (Int((diameter / h).rounded(.up)) % 2)
        let nz = Int((length / h).rounded(.up)) + 2
        let origin = Vec3(-Double(nxy) * h / 2, -Double(nxy) * h / 2, -Double(nz) * h / 2)
        let holes = [(0.0, 0.0), (r - 1, 0.0), (-(r - 1), 0.0), (0.0, r - 1), (0.0, -(r - 1))]
        var labels = [UInt8](repeating: 0, count: nxy * nxy * nz)
        var chamberVoxels = [Int](repeating: 0, count: holes.count)
        for iz in 0..<nz {
            let z = origin.z + (Double(iz) + 0.5) * h
            guard abs(z) < length / 2 else { continue }
            for iy in 0..<nxy {
                let y = origin.y + (Double(iy) + 0.5) * h
                for ix in 0..<nxy {
                    let x = origin.x + (Double(ix) + 0.5) * h
                    guard x * x + y * y < r * r else { continue }
                    var label: UInt8 = 1
                    if abs(z) < chamberLength / 2, let k = holes.firstIndex(where: { abs(x - $0.0) < 0.5 && abs(y - $0.1) < 0.5 }) {
                        label = UInt8(2 + k); chamberVoxels[k] += 1
                    }
                    labels[ix + nxy * (iy + nxy * iz)] = label
                }
            }
        }
        let pmma = PhotonCrossSections(material: .pmma)
        let tables = InteractionTables(present: [1], materials: [{ e in
            let m = pmma.mu(e); return (m.total, m.photoelectric, m.incoherent, m.coherent)
        }])
        let air = PhotonCrossSections(material: .air)
        let airMuEn = EnergyTable { air.muEnOverRho($0) }
        var axial = geometry
        axial.zStart = 0; axial.zEnd = 0; axial.modulation = []; axial.axisX = 0; axial.axisY = 0
        let problem = TrackingProblem(nx: nxy, ny: nxy, nz: nz, origin: origin, spacing: h, labels: labels,
                                      labelMaterial: [0, 1, 1, 1, 1, 1, 1], labelBone: [-1, -1, 0, 1, 2, 3, 4], boneCount: holes.count,
                                      tables: tables, airMuEn: airMuEn, samplers: [pmma], source: BeamSource(ct: axial),
                                      spectrum: spectrum, airDistance: chessboardAirDistance(labels: labels, nx: nxy, ny: nxy, nz: nz))
        let nBatches = max(2, min(batches, histories))
        let raw = TransportSimulation.runBatches(problem, histories: histories, batches: nBatches, seed: seed, threads: threads)
        let per = problem.talliesPerBatch, nL = problem.labelCount, bins = skeletalFluenceBins
        /// Air kerma (Gy) per chamber from a tally slice, and the photons it holds.
        func kerma(_ t: ArraySlice<Double>) -> [Double] {
            (0..<holes.count).map { k in
                var s = 0.0
                for b in 0..<bins {
                    let i = t.startIndex + nL + 2 * (k * bins + b)
                    let s0 = t[i]
                    guard s0 > 0 else { continue }
                    let e = Double(b) + t[i + 1] / s0
                    s += s0 * e * airMuEn(e)
                }
                return s / (Double(chamberVoxels[k]) * h * h * h) * joulesPerKeV * 1000
            }
        }
        func weighted(_ k: [Double]) -> (Double, Double, Double) {
            let c = k[0], p = (k[1] + k[2] + k[3] + k[4]) / 4
            return (c, p, c / 3 + 2 * p / 3)
        }
        var total = [Double](repeating: 0, count: per)
        var perBatch: [Double] = []
        for b in 0..<nBatches {
            let slice = raw[(b * per)..<((b + 1) * per)]
            for k in 0..<per { total[k] += slice[slice.startIndex + k] }
            perBatch.append(weighted(kerma(slice)).2 / slice[slice.startIndex + problem.bookkeeping + 4])
        }
        let n = total[problem.bookkeeping + 4]
        let (c, p, _) = weighted(kerma(total[...]))
        return CTDIPhantomResult(diameter: diameter, centre: c / n, periphery: p / n,
                                 relativeUncertainty: relativeSpread(perBatch))
    }

    /// Organ doses per CTDIvol of a scan of `region` on the reference phantom of `age` and `sex`.
    /// `ctdi`: the CTDI phantom results of the same source (the region's bowtie) for 16 and
    /// 32 cm (`ctdiSet`; computed when nil).
    /// `modulation`: tube-current modulation strength, 0 (constant mA) to 1: relative mA
    /// exp(s·μ·(D_w(z) − max D_w)) per slice, μ the water attenuation at the spectrum's mean energy.
    /// The phantom's arms are where the region puts them (`CTRegion.armPosture`: raised for the
    /// trunk, at the sides for head and neck); `voxels`, when given, must be that phantom's.
    public static func scan(region: CTRegion, age: ReferenceAge, sex: Sex, kVp: Double, histories: Int,
                            ctdi: (p16: CTDIPhantomResult, p32: CTDIPhantomResult)? = nil,
                            modulation: Double = 0, seed: UInt64 = 1, voxels given: VoxelPhantom? = nil,
                            threads: Int? = nil) throws -> CTScanDoses {
        let start = Date()
        guard (40...150).contains(kVp) else {
            throw TransportInputError(field: "kVp", value: "\(kVp)", expected: "a CT tube voltage between 40 and 150 kV")
        }
        guard (0...1).contains(modulation) else {
            throw TransportInputError(field: "tube-current modulation", value: "\(modulation)", expected: "a strength from 0 (off) to 1")
        }
        let phantom = StylisedPhantom.reference(age: age, sex: sex).withArms(region.armPosture)
        let voxels = given ?? phantom.voxelise()
        let spectrum = Self.spectrum(kVp: kVp)
        let (z0, z1) = try region.scanRange(phantom, voxels)
        var geometry = CTGeometry(zStart: z0, zEnd: z1, bowtie: region.bowtie)
        geometry.averagesStartAngle = true
        if modulation > 0 {
            let water = PhotonCrossSections(material: .water)
            let mu = water.mu(spectrum.meanEnergy).total
            let dw = voxels.waterEquivalentDiameters()
            let first = max(0, Int(((z0 - voxels.origin.z) / voxels.spacing).rounded(.down)))
            let last = min(voxels.nz - 1, Int(((z1 - voxels.origin.z) / voxels.spacing).rounded(.down)))
            let inRange = first <= last ? Array(dw[first...last]) : [dw[first]]
            let top = inRange.max() ?? 0
            geometry.modulation = inRange.map { exp(modulation * mu * ($0 - top)) }
            geometry.modulationBin = voxels.spacing
        }
        let norms = try ctdi ?? ctdiSet(bowtie: region.bowtie, spectrum: spectrum, histories: max(100_000, histories / 4), seed: seed, threads: threads)
        let reference = region.isHeadScan ? norms.p16 : norms.p32
        let other = region.isHeadScan ? norms.p32 : norms.p16
        let config = TransportConfiguration(phantom: phantom, beam: .ct(geometry), spectrum: spectrum, histories: histories,
                                            seed: seed, batches: 32, threads: threads)
        let result = try TransportSimulation.run(config, voxels: voxels)
        let scale = result.airKermaPerHistory * geometry.scanLength / (reference.weighted * chamberLength)
        let organs = result.organs.map {
            CTOrganCoefficient(organ: $0.organ, perCTDIvol: $0.perAirKerma * scale,
                               relativeUncertainty: ($0.relativeUncertainty * $0.relativeUncertainty
                                                     + reference.relativeUncertainty * reference.relativeUncertainty).squareRoot())
        }
        return CTScanDoses(region: region, age: age.rawValue, sex: sex, kVp: kVp, scanLength: geometry.scanLength,
                           referencePhantomDiameter: region.referencePhantomDiameter,
                           otherPhantomCTDIRatio: other.weighted / reference.weighted, organs: organs,
                           effectiveDose103PerCTDIvol: result.effectiveDose103PerAirKerma * scale,
                           tubeCurrentModulation: modulation, histories: histories, wallSeconds: Date().timeIntervalSince(start))
    }

    /// The CTDI phantom results of a bowtie's source in the 16 and 32 cm phantoms (`scan`
    /// normalises head scans to the first, body scans to the second).
    public static func ctdiSet(bowtie: Bowtie, spectrum: SourceSpectrum, histories: Int, seed: UInt64 = 1, threads: Int? = nil) throws
        -> (p16: CTDIPhantomResult, p32: CTDIPhantomResult) {
        let g = CTGeometry(zStart: 0, zEnd: 0, bowtie: bowtie)
        return (try ctdiPhantom(diameter: 16, geometry: g, spectrum: spectrum, histories: histories, seed: seed, threads: threads),
                try ctdiPhantom(diameter: 32, geometry: g, spectrum: spectrum, histories: histories, seed: seed, threads: threads))
    }

    /// Mean dose (Gy per photon) in the central 1 cm slab of a water cylinder of `diameter` and
    /// `length` cm scanned helically over its whole length with `geometry`'s source; and the scan
    /// length. Divided by the CTDIvol per photon (`ctdiPhantom`), it is the size-specific
    /// conversion factor that AAPM Report 204 tabulates (dose at the centre of a long scan per CTDIvol).
    public static func waterCylinderCentralDose(diameter: Double, length: Double = 40, geometry: CTGeometry, spectrum: SourceSpectrum,
                                                histories: Int, seed: UInt64 = 1, batches: Int = 32, spacing: Double = 0.5,
                                                threads: Int? = nil) throws -> (dosePerPhoton: Double, scanLength: Double, relativeUncertainty: Double) {
        guard diameter > 1, length > 2, histories > 0 else {
            throw TransportInputError(field: "water cylinder", value: "diameter \(diameter) cm, length \(length) cm", expected: "diameter > 1 cm, length > 2 cm, positive histories")
        }
        let h = spacing, r = diameter / 2
        let nxy = Int((diameter / h).rounded(.up)) + 2 + (Int((diameter / h).rounded(.up)) % 2)
        let nz = Int((length / h).rounded(.up)) + 2 + (Int((length / h).rounded(.up)) % 2)
        let origin = Vec3(-Double(nxy) * h / 2, -Double(nxy) * h / 2, -Double(nz) * h / 2)
        var labels = [UInt8](repeating: 0, count: nxy * nxy * nz)
        var slabVoxels = 0
        for iz in 0..<nz {
            let z = origin.z + (Double(iz) + 0.5) * h
            guard abs(z) < length / 2 else { continue }
            for iy in 0..<nxy {
                let y = origin.y + (Double(iy) + 0.5) * h
                for ix in 0..<nxy {
                    let x = origin.x + (Double(ix) + 0.5) * h
                    guard x * x + y * y < r * r else { continue }
                    let central = abs(z) < 0.5
                    if central { slabVoxels += 1 }
                    labels[ix + nxy * (iy + nxy * iz)] = central ? 2 : 1
                }
            }
        }
        let water = PhotonCrossSections(material: .water)
        let tables = InteractionTables(present: [1], materials: [{ e in
            let m = water.mu(e); return (m.total, m.photoelectric, m.incoherent, m.coherent)
        }])
        let air = PhotonCrossSections(material: .air)
        var helical = geometry
        helical.zStart = -length / 2; helical.zEnd = length / 2; helical.modulation = []; helical.axisX = 0; helical.axisY = 0
        let problem = TrackingProblem(nx: nxy, ny: nxy, nz: nz, origin: origin, spacing: h, labels: labels,
                                      labelMaterial: [0, 1, 1], labelBone: [-1, -1, -1], boneCount: 0,
                                      tables: tables, airMuEn: EnergyTable { air.muEnOverRho($0) }, samplers: [water],
                                      source: BeamSource(ct: helical), spectrum: spectrum,
                                      airDistance: chessboardAirDistance(labels: labels, nx: nxy, ny: nxy, nz: nz))
        let nBatches = max(2, min(batches, histories))
        let raw = TransportSimulation.runBatches(problem, histories: histories, batches: nBatches, seed: seed, threads: threads)
        let per = problem.talliesPerBatch
        let mass = Double(slabVoxels) * h * h * h * Material.water.density
        let gray = joulesPerKeV * 1000 / mass
        let perBatch = (0..<nBatches).map { b in raw[b * per + 2] / raw[b * per + problem.bookkeeping + 4] * gray }
        let deposited = (0..<nBatches).reduce(0.0) { $0 + raw[$1 * per + 2] }
        return (deposited * gray / Double(histories), helical.scanLength, relativeSpread(perBatch))
    }

    static func relativeSpread(_ values: [Double]) -> Double {
        let n = Double(values.count)
        let mean = values.reduce(0, +) / n
        guard values.count > 1, mean != 0 else { return .infinity }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (variance / n).squareRoot() / abs(mean)
    }
}
