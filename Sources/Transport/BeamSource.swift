import HarmonicCore
import Phantoms

/// Where photons start: an isotropic point source (X-ray focus) collimated to a rectangle,
/// or a broad parallel beam (the idealised whole-body fields of ICRP 116 / Chang 2017), or a CT
/// fan beam (`CTGeometry`).
public struct BeamSource: Sendable {
    public enum Kind: Sendable { case point, parallel, ct }
    public let kind: Kind
    /// Focus (point source) or the centre of the entrance rectangle (parallel beam).
    public let origin: Vec3
    /// Beam axis (focus to detector) and the rectangle's axes.
    public let axis: Vec3, u: Vec3, v: Vec3
    /// Focus to the field plane (cm); the rectangle is 2·halfWidth x 2·halfHeight there.
    public let distance: Double
    public let halfWidth: Double, halfHeight: Double
    /// The CT source (kind `.ct`), nil otherwise.
    let ct: CTSource?

    public init(kind: Kind, origin: Vec3, axis: Vec3, u: Vec3, v: Vec3, distance: Double, halfWidth: Double, halfHeight: Double) {
        self.kind = kind; self.origin = origin; self.axis = axis; self.u = u; self.v = v
        self.distance = distance; self.halfWidth = halfWidth; self.halfHeight = halfHeight; self.ct = nil
    }

    /// A CT source (rotating fan beam with bowtie; see `CTGeometry`).
    public init(ct geometry: CTGeometry) {
        kind = .ct; origin = Vec3(geometry.axisX, geometry.axisY, geometry.zStart); axis = Vec3(0, 0, 1)
        u = Vec3(1, 0, 0); v = Vec3(0, 1, 0); distance = geometry.focusToAxis; halfWidth = 0; halfHeight = 0
        ct = CTSource(geometry)
    }

    /// Energy, start, direction and 1/cos θ of one source photon (energy sampled first, as
    /// before the CT source existed, so C-arm results keep their random streams).
    @inline(__always)
    func emit(_ spectrum: SourceSpectrum, _ rng: inout RandomStream) -> (Double, Vec3, Vec3, Double) {
        if kind == .ct { return emitCT(spectrum, &rng) }
        let e = spectrum.sample(&rng)
        let (p, d, s) = sample(&rng)
        return (e, p, d, s)
    }

    /// The CT photon, kept out of line: inlined into the tracking loop, its rejection loop and
    /// trigonometry cost the C-arm and parallel-beam histories registers and code size.
    @inline(never)
    func emitCT(_ spectrum: SourceSpectrum, _ rng: inout RandomStream) -> (Double, Vec3, Vec3, Double) {
        let (e, p, d) = ct.unsafelyUnwrapped.emit(spectrum, &rng)
        return (e, p, d, 1)
    }

    /// Field area at the field plane (cm²).
    public var fieldArea: Double { 4 * halfWidth * halfHeight }

    /// Solid angle of the rectangular field seen from the focus (sr).
    public var solidAngle: Double {
        let a = halfWidth, b = halfHeight, d = distance
        return 4 * asin(a * b / ((a * a + d * d) * (b * b + d * d)).squareRoot())
    }

    /// A start position, a unit direction and 1/cos θ (θ: angle to the axis; the fluence
    /// through the field plane per photon is (1/cos θ) per unit plane area).
    /// Point source: uniform on the field rectangle, accepted with probability cos³θ, which is
    /// isotropic emission into the collimated pyramid.
    @inline(__always)
    func sample(_ rng: inout RandomStream) -> (Vec3, Vec3, Double) {
        switch kind {
        case .parallel, .ct:
            let x = (2 * rng.uniform() - 1) * halfWidth, y = (2 * rng.uniform() - 1) * halfHeight
            return (origin + x * u + y * v, axis, 1)
        case .point:
            while true {
                let x = (2 * rng.uniform() - 1) * halfWidth, y = (2 * rng.uniform() - 1) * halfHeight
                let r = (distance * distance + x * x + y * y).squareRoot()
                let c = distance / r
                if rng.uniform() < c * c * c {
                    let dir = (1 / r) * (distance * axis + x * u + y * v)
                    return (origin, dir, 1 / c)
                }
            }
        }
    }
}

import Foundation
