import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// A kilovoltage cone-beam CT acquisition of a radiotherapy linac's imager (Varian OBI, Elekta XVI
/// class): one axial rotation of a wide cone about the phantom's long axis.
///
/// - full fan (head and neck): a symmetric fan covering a 25 cm field of view at the axis, full
///   bowtie (`Bowtie.head`);
/// - half fan (body): the detector offset sideways so that the fan covers from 1.5 cm past the
///   axis to 22.5 cm from it (a 45 cm field of view over the rotation), half bowtie (`Bowtie.body`
///   evaluated from the axis outwards).
///
/// Geometry (focus 100 cm from the axis, cone 17 cm (full) or 16 cm (half) long at the axis, one
/// 360° rotation) and filtration are **Harmonic's assumptions** typical of the linac imagers; no
/// cited vendor document was found (docs/imaging-dose.md). The default tube voltages follow the
/// vendors' standard protocols as quoted in the literature: head 100 kV, thorax and pelvis 125 kV
/// (Varian ProBeam presets: Head 100 kVp, Thorax and Pelvis 125 kVp, AAPM 2026 abstract
/// "Imaging Dose Evaluation of the Varian ProBeam CBCT Using Radiophotoluminescent Glass
/// Dosimeters"; half-fan 125 kV pelvis in Wen et al., Phys Med Biol 2007;52:2267 and Wood et al.,
/// Br J Radiol 2015;88:20150364).
public struct CBCTProtocol: Sendable, Equatable {
    public enum Fan: String, Sendable, Codable { case full, half }
    public var fan: Fan
    public var kVp: Double
    public var focusToAxis: Double
    /// Cone length along z at the axis (cm).
    public var coneLength: Double
    /// Transverse coverage at the axis: from `fieldFrom` to `fieldTo` cm (signed, across the fan).
    public var fieldFrom: Double, fieldTo: Double
    public var bowtie: Bowtie

    public init(fan: Fan, kVp: Double, focusToAxis: Double = 100, coneLength: Double, fieldFrom: Double, fieldTo: Double, bowtie: Bowtie) {
        self.fan = fan; self.kVp = kVp; self.focusToAxis = focusToAxis; self.coneLength = coneLength
        self.fieldFrom = fieldFrom; self.fieldTo = fieldTo; self.bowtie = bowtie
    }

    /// Full-fan head protocol (100 kV, 25 cm field of view, 17 cm cone).
    public static let head = CBCTProtocol(fan: .full, kVp: 100, coneLength: 17, fieldFrom: -12.5, fieldTo: 12.5, bowtie: .head)
    /// Half-fan body protocol (125 kV, 45 cm field of view, 16 cm cone).
    public static let body = CBCTProtocol(fan: .half, kVp: 125, coneLength: 16, fieldFrom: -1.5, fieldTo: 22.5, bowtie: .body)

    /// The default protocol for a body region: head and neck full fan, the trunk half fan.
    public static func `default`(for region: CTRegion) -> CBCTProtocol { region.isHeadScan ? .head : .body }

    /// Fan angles (radians) of the transverse coverage.
    var fanAngles: (from: Double, to: Double) {
        (asin(fieldFrom / focusToAxis), asin(fieldTo / focusToAxis))
    }

    /// The CT-source geometry of one rotation centred at `z` (cm, phantom frame).
    public func geometry(centreZ z: Double) -> CTGeometry {
        var g = CTGeometry(focusToAxis: focusToAxis, fieldOfView: 2 * max(abs(fieldFrom), abs(fieldTo)), beamWidth: coneLength,
                           zStart: z, zEnd: z, bowtie: bowtie)
        let (a, b) = fanAngles
        g.halfFan = (b - a) / 2
        g.fanOffset = (a + b) / 2
        return g
    }

    /// The tube spectrum: the CT assumption of `CTSimulation.spectrum` (7° anode, 6 mm Al + 0.1 mm Cu).
    public var spectrum: XRaySpectrum {
        XRaySpectrum(kVp: kVp, anodeAngleDegrees: 7,
                     filtration: Filtration([.init(material: .aluminium, thicknessMillimetres: 6),
                                             .init(material: .copper, thicknessMillimetres: 0.1)]))
    }

    /// Photons leaving the bowtie per mAs in the simulated source: the tube's fluence at the axis
    /// (`XRaySpectrum.fluence`, per mm² per mAs at 1 m, inverse square to `focusToAxis`) times the
    /// area R·Δγ·W the source spreads its photons over at the axis distance, times the fraction
    /// that passes the bowtie (averaged over the fan and the spectrum). Converts per-photon results
    /// of `CTSource` to per-mAs results.
    public func photonsPerMAs(_ x: XRaySpectrum) -> Double {
        let water = PhotonCrossSections(material: .water)
        let (a, b) = fanAngles
        let total = x.totalFluence
        let perCm2AtAxis = total * 100 * (100 / focusToAxis) * (100 / focusToAxis)
        let steps = 400
        var pass = 0.0
        let mus = x.energies.map { water.mu($0).total }
        for k in 0..<steps {
            let g = a + (Double(k) + 0.5) / Double(steps) * (b - a)
            let t = bowtie.thickness(at: focusToAxis * sin(g))
            var s = 0.0
            for (i, phi) in x.fluence.enumerated() where phi > 0 && x.energies[i] >= 1 { s += phi * exp(-mus[i] * t) }
            pass += s / total
        }
        pass /= Double(steps)
        return perCm2AtAxis * focusToAxis * (b - a) * coneLength * pass
    }
}
