import Foundation
import HarmonicCore
import Phantoms

/// A C-arm projection as DICOM positioner angles (PS3.3 C.8.7.5.1.2), which describe where the
/// *detector* is, seen from the patient lying supine, head first:
/// - primary angle α: rotation about the patient's head-foot axis; 0° = detector anterior
///   (a frontal PA beam, source under the table), +90° = detector at the patient's left
///   (LAO 90, beam travels from the patient's right to left), −90° = RAO 90;
/// - secondary angle β: tilt towards the head; +β = cranial (CRA, detector towards the head,
///   beam travels caudal → cranial), −β = caudal (CAU).
/// In the phantom frame (DICOM LPS: +x left, +y posterior, +z head) the beam direction
/// (focus → detector) is d = (sin α cos β, −cos α cos β, sin β).
public struct Projection: Sendable, Equatable, CustomStringConvertible {
    public var primaryDegrees: Double
    public var secondaryDegrees: Double

    public init(primaryDegrees: Double, secondaryDegrees: Double = 0) {
        self.primaryDegrees = primaryDegrees; self.secondaryDegrees = secondaryDegrees
    }

    public static let pa = Projection(primaryDegrees: 0)
    public static let ap = Projection(primaryDegrees: 180)
    /// Cardiology lateral: detector at the patient's left (LAO 90), beam enters the right side.
    public static let lateral = Projection(primaryDegrees: 90)

    /// Beam direction, focus to detector.
    public var direction: Vec3 {
        let a = primaryDegrees * .pi / 180, b = secondaryDegrees * .pi / 180
        return Vec3(sin(a) * cos(b), -cos(a) * cos(b), sin(b))
    }

    /// Field axes: `u` along the detector rows (patient left-right at α = 0), `v` completing
    /// a right-handed frame with the beam direction.
    public var fieldAxes: (u: Vec3, v: Vec3) {
        let a = primaryDegrees * .pi / 180
        let u = Vec3(cos(a), sin(a), 0)
        return (u, u.cross(direction).normalised)
    }

    public var description: String {
        func part(_ v: Double, _ pos: String, _ neg: String) -> String {
            let m = abs(v); return (v >= 0 ? pos : neg) + (m == m.rounded() ? String(Int(m)) : String(m))
        }
        var s: String
        switch primaryDegrees {
        case 0: s = "PA"
        case 180, -180: s = "AP"
        default: s = part(primaryDegrees, "LAO", "RAO")
        }
        if secondaryDegrees != 0 { s += "/" + part(secondaryDegrees, "CRA", "CAU") }
        return s
    }

    /// Parses "PA", "AP", "LAT" (= LAO90), "RLAT" (beam enters the right side = LAO90),
    /// "LLAT" (beam enters the left side = RAO90), "LAO30", "RAO45", "CRA20", "CAU15" and
    /// combinations joined by "/" such as "LAO30/CRA20".
    public init(parsing text: String) throws {
        var primary = 0.0, secondary = 0.0
        var sawPrimary = false, sawSecondary = false
        for raw in text.uppercased().split(separator: "/") {
            let token = raw.trimmingCharacters(in: .whitespaces)
            func number(_ prefix: String) throws -> Double {
                guard let v = Double(token.dropFirst(prefix.count)), v >= 0, v <= 180 else {
                    throw TransportInputError(field: "projection", value: text, expected: "an angle 0-180 after \(prefix), e.g. \(prefix)30")
                }
                return v
            }
            switch token {
            case "PA": primary = 0; sawPrimary = true
            case "AP": primary = 180; sawPrimary = true
            case "LAT", "RLAT": primary = 90; sawPrimary = true
            case "LLAT": primary = -90; sawPrimary = true
            case _ where token.hasPrefix("LAO"): primary = try number("LAO"); sawPrimary = true
            case _ where token.hasPrefix("RAO"): primary = -(try number("RAO")); sawPrimary = true
            case _ where token.hasPrefix("CRA"): secondary = try number("CRA"); sawSecondary = true
            case _ where token.hasPrefix("CAU"): secondary = -(try number("CAU")); sawSecondary = true
            default:
                throw TransportInputError(field: "projection", value: text, expected: "PA, AP, LAT, LLAT, RLAT, LAOn, RAOn, CRAn, CAUn joined by / (e.g. LAO30/CRA20); '\(token)' is none of these")
            }
        }
        guard sawPrimary || sawSecondary else { throw TransportInputError(field: "projection", value: text, expected: "e.g. PA or LAO30/CRA20") }
        guard abs(secondary) <= 90 else { throw TransportInputError(field: "projection", value: text, expected: "a cranial/caudal tilt of at most 90°") }
        self.init(primaryDegrees: primary, secondaryDegrees: secondary)
    }
}

