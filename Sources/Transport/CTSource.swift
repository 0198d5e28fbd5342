import Foundation
import HarmonicCore
import Phantoms
import XRayPhysics

/// The bowtie (beam-shaping) filter of a CT scanner, modelled as a water compensator that
/// evens out the path through a water cylinder of radius `radius`: thickness
/// t(x) = min(cap, 2r − 2√(r² − x²)) at distance x (cm) of the ray from the rotation axis, with
/// t = cap beyond r. Real bowties are Teflon, graphite or aluminium with undisclosed profiles
/// (Boone 2010, Med Phys 37:40 measured some); this shape is an assumption of Harmonic, stated
/// in docs/imaging-dose.md, and cancels to first order because the same source is used for the
/// CTDI phantoms that normalise the organ doses.
public struct Bowtie: Sendable, Hashable {
    /// Radius (cm) of the water cylinder the filter compensates.
    public var radius: Double
    /// Largest water-equivalent thickness (cm), reached at and beyond `radius`.
    public var cap: Double
    public init(radius: Double, cap: Double) { self.radius = radius; self.cap = cap }
    /// Head bowtie (compensates the 16 cm head phantom), capped at 8 cm water.
    public static let head = Bowtie(radius: 8, cap: 8)
    /// Body bowtie (compensates the 32 cm body phantom), capped at 12 cm water.
    public static let body = Bowtie(radius: 16, cap: 12)

    /// Water thickness (cm) for a ray passing at distance `x` (cm) from the axis.
    @inline(__always) public func thickness(at x: Double) -> Double {
        let a = abs(x)
        guard a < radius else { return cap }
        return min(cap, 2 * radius - 2 * (radius * radius - a * a).squareRoot())
    }
}

/// A CT acquisition's geometry: a focus rotating about the phantom's long (z) axis at
/// `focusToAxis`, an equi-angular fan of full width 2·halfFan, a beam `beamWidth` wide along z
/// at the axis (nominal collimation N·T), a bowtie filter, and either a helical scan (the focus
/// moves uniformly from `zStart` to `zEnd`, one turn per pitch·beamWidth) or one axial rotation
/// (`zStart == zEnd`, the tube angle uniform). Optional tube-current modulation: relative mA per
/// z bin (`modulation`, largest 1), applied by rejection so photon density follows the mA.
public struct CTGeometry: Sendable {
    public var focusToAxis: Double
    public var halfFan: Double
    public var beamWidth: Double
    public var zStart: Double, zEnd: Double
    public var pitch: Double
    public var startAngle: Double
    public var bowtie: Bowtie
    /// Relative tube current per z bin of `modulationBin` cm starting at `zStart` (max 1); empty = constant.
    public var modulation: [Double]
    public var modulationBin: Double
    /// Rotation axis position (x, y) in the phantom frame (cm).
    public var axisX: Double, axisY: Double
    /// Fan centre offset (radians) from the focus-axis line: 0 for a symmetric fan; a cone-beam CT's
    /// half fan (offset detector) is a fan of half-width `halfFan` centred at `fanOffset` (`CBCTProtocol`).
    public var fanOffset: Double = 0
    /// Arc (radians) of an axial acquisition's tube angles from `startAngle`; 2π (the default) = a full
    /// rotation with the tube angle uniform, as before this field existed.
    public var arc: Double = 2 * Double.pi
    /// Whether a helical scan averages over its start angle: the tube's angle when the scan begins
    /// is not recorded for a registry's scan, and an organ at either end of the range (the thyroid
    /// at a chest scan's top) gets from one start angle up to ±25% more or less than from another
    /// (the last half-turn front or back). Averaged, the tube angle is uniform and independent of
    /// the focus's z. False (the default) is one helix from `startAngle`.
    public var averagesStartAngle = false

    public init(focusToAxis: Double = 54.1, fieldOfView: Double = 50, beamWidth: Double = 4, zStart: Double, zEnd: Double,
                pitch: Double = 1, startAngle: Double = 0, bowtie: Bowtie, modulation: [Double] = [], modulationBin: Double = 1,
                axisX: Double = 0, axisY: Double = 0) {
        self.focusToAxis = focusToAxis
        self.halfFan = asin(min(1, fieldOfView / 2 / focusToAxis))
        self.beamWidth = beamWidth; self.zStart = zStart; self.zEnd = zEnd; self.pitch = pitch
        self.startAngle = startAngle; self.bowtie = bowtie; self.modulation = modulation; self.modulationBin = modulationBin
        self.axisX = axisX; self.axisY = axisY
    }

    public var isAxial: Bool { zEnd <= zStart }
    /// Length (cm) the focus travels: the scan length of DLP = CTDIvol × scan length.
    public var scanLength: Double { max(0, zEnd - zStart) }
}

/// A CT source ready for sampling: the geometry plus the water attenuation table of the bowtie.
struct CTSource: Sendable {
    let geometry: CTGeometry
    let waterMu: EnergyTable

    init(_ g: CTGeometry) {
        geometry = g
        let water = PhotonCrossSections(material: .water)
        waterMu = EnergyTable { water.mu($0).total }
    }

    /// Energy (keV), focus position and unit direction of one photon that passed the bowtie.
    @inline(__always)
    func emit(_ spectrum: SourceSpectrum, _ rng: inout RandomStream) -> (Double, Vec3, Vec3) {
        let g = geometry
        while true {
            let zs: Double
            let theta: Double
            if g.isAxial {
                zs = g.zStart
                theta = g.arc >= 2 * Double.pi ? 2 * Double.pi * rng.uniform() : g.startAngle + g.arc * rng.uniform()
            } else {
                zs = g.zStart + rng.uniform() * (g.zEnd - g.zStart)
                if !g.modulation.isEmpty {
                    let bin = min(g.modulation.count - 1, max(0, Int((zs - g.zStart) / g.modulationBin)))
                    if rng.uniform() >= g.modulation[bin] { continue }
                }
                theta = g.averagesStartAngle ? 2 * Double.pi * rng.uniform()
                    : g.startAngle + 2 * Double.pi * (zs - g.zStart) / (g.pitch * g.beamWidth)
            }
            let gamma = g.fanOffset + (2 * rng.uniform() - 1) * g.halfFan
            let w = (rng.uniform() - 0.5) * g.beamWidth
            let e = spectrum.sample(&rng)
            let t = g.bowtie.thickness(at: g.focusToAxis * sin(gamma))
            if t > 0, rng.uniform() >= exp(-waterMu(e) * t) { continue }
            let ct = cos(theta), st = sin(theta)
            let focus = Vec3(g.axisX + g.focusToAxis * ct, g.axisY + g.focusToAxis * st, zs)
            // Towards the axis (c) and across the fan (p), in the transverse plane.
            let cg = cos(gamma), sg = sin(gamma)
            let fx = cg * -ct + sg * -st, fy = cg * -st + sg * ct
            let d = Vec3(g.focusToAxis * fx, g.focusToAxis * fy, w).normalised
            return (e, focus, d)
        }
    }
}
