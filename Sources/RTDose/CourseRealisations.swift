import Foundation
import HarmonicCore

/// Uncertainty realisations of radiotherapy organ doses, with errors shared by the courses of
/// one group (target site, era, technique: the same site-typical geometry and the same model
/// bias apply to all of them) and errors that are not shared (the child's own anatomy and field
/// placement). Each component gets a multiplicative lognormal error with mean 1:
///   in-field: shared GSD `inField` (planning-system and site-geometry error of the group),
///   out-of-field photons and neutrons: shared GSD of the model (`ComponentUncertainty`),
///   every component of a course: an unshared GSD (`unshared`, placement on the phantom).
/// Values are laid out [course][organ][realisation] (the layout of the cardiac realisation file,
/// `Dosimetry.RealisationFile`), Float32 here.
public struct CourseRealisationModel: Sendable {
    public var inField: Double, outOfField: Double, neutron: Double, unshared: Double
    /// GSDs: in-field 1.10 shared (site-typical fields against the child's real fields: an
    /// assumption), out-of-field 1.4 (photon patient scatter, TG-158 §5), neutrons 2.0
    /// (`proton_secondary.csv`), unshared 1.25 (phantom placement, as `PlanDoseOptions`).
    public static let standard = CourseRealisationModel(inField: 1.10, outOfField: 1.4, neutron: 2.0, unshared: 1.25)
    public init(inField: Double, outOfField: Double, neutron: Double, unshared: Double) {
        self.inField = inField; self.outOfField = outOfField; self.neutron = neutron; self.unshared = unshared
    }
}

public enum CourseRealisations {
    /// Realisations of the total absorbed organ dose (Gy) of every course.
    /// - Parameters: `doses[c]`: components per Gy of course c's organs (same organ order for
    ///   all courses); `prescribedGy[c]`; `group[c]`: index of the course's shared-error group;
    ///   `streams[c]`: the random stream of course c's unshared error (default c + 1; the store run
    ///   passes a hash of the course key, so a course draws the same realisations whichever other
    ///   courses are computed with it).
    public static func generate(doses: [[OrganComponentsPerGy]], prescribedGy: [Double], group: [Int], realisations n: Int,
                                model: CourseRealisationModel = .standard, seed: UInt64, streams: [UInt64]? = nil) -> [Float] {
        let courses = doses.count
        guard courses > 0, n > 0 else { return [] }
        let organs = doses[0].count
        let groups = (group.max() ?? 0) + 1
        let s = (log(model.inField), log(model.outOfField), log(model.neutron), log(model.unshared))
        // Shared log-errors [group][component][realisation], drawn once.
        var shared = [Float](repeating: 0, count: groups * 3 * n)
        var rng = RandomStream(seed: seed, stream: 0)
        for g in 0..<groups {
            for k in 0..<3 {
                let sigma = [s.0, s.1, s.2][k]
                for r in 0..<n { shared[(g * 3 + k) * n + r] = Float(exp(sigma * rng.normal() - sigma * sigma / 2)) }
            }
        }
        var out = [Float](repeating: 0, count: courses * organs * n)
        let sharedFactors = shared
        out.withUnsafeMutableBufferPointer { buf in
            let box = MutableBufferBox(buf)
            DispatchQueue.concurrentPerform(iterations: courses) { c in
                var rng = RandomStream(seed: seed, stream: streams?[c] ?? UInt64(c + 1))
                let g = group[c], dp = prescribedGy[c]
                var u = [Float](repeating: 0, count: n)
                for r in 0..<n { u[r] = Float(exp(s.3 * rng.normal() - s.3 * s.3 / 2)) }
                sharedFactors.withUnsafeBufferPointer { sf in
                    for o in 0..<organs {
                        let d = doses[c][o]
                        let a = Float(d.inField * dp), b = Float(d.outOfField * dp), e = Float(d.neutronAbsorbed * dp)
                        let base = (c * organs + o) * n
                        for r in 0..<n {
                            let v = a * sf[(g * 3) * n + r] + b * sf[(g * 3 + 1) * n + r] + e * sf[(g * 3 + 2) * n + r]
                            box.buffer[base + r] = v * u[r]
                        }
                    }
                }
            }
        }
        return out
    }
}
