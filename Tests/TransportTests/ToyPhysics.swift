import Foundation
import HarmonicCore
import Phantoms
@testable import Transport

/// A test double with energy-independent cross sections, for geometry and bookkeeping tests
/// that must not depend on XRayPhysics: μ/ρ = 0.2 cm²/g (photo 0.1, incoherent 0.08, coherent
/// 0.02); incoherent scattering isotropic with the Compton energy; coherent isotropic.
struct ToyPhysics: PhysicsModel {
    struct Sampler: ScatterSampler {
        func sampleIncoherent(_ keV: Double, _ rng: inout RandomStream) -> (energy: Double, cosTheta: Double) {
            let c = 2 * rng.uniform() - 1
            return (keV / (1 + keV / 510.998_95 * (1 - c)), c)
        }
        func sampleCoherent(_ keV: Double, _ rng: inout RandomStream) -> Double { 2 * rng.uniform() - 1 }
    }
    func massAttenuation(_ tissue: Tissue, keV: Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double) {
        (0.2, 0.1, 0.08, 0.02)
    }
    func muEnOverRho(_ absorber: Absorber, keV: Double) -> Double { absorber == .skeleton ? 0.2 : 0.1 }
    /// Photoabsorption 0.1 plus incoherent 0.08 times the mean energy lost in an isotropic Compton
    /// scatter, ⟨1 − 1/(1 + k(1 − c))⟩ over c uniform in [−1, 1] = 1 − ln(1 + 2k)/(2k), k = E/mc².
    func massEnergyAbsorption(_ tissue: Tissue, keV: Double) -> Double {
        let k = keV / 510.998_95
        return 0.1 + 0.08 * (1 - log(1 + 2 * k) / (2 * k))
    }
    func sampler(_ tissue: Tissue) -> Sampler { Sampler() }
}

/// A slab `thickness` cm thick (along y, the PA beam axis) of one tissue, 2 cm wide in x and z,
/// in a grid with `margin` cm of vacuum either side.
func slab(_ tissue: Tissue, thickness: Double, spacing: Double = 0.1) -> VoxelPhantom {
    let nx = 20, nz = 20, ny = Int((thickness / spacing).rounded())
    let labels = [UInt8](repeating: 1, count: nx * ny * nz)
    return VoxelPhantom(nx: nx, ny: ny, nz: nz, spacing: spacing, origin: Vec3(-1, -thickness / 2, -1), labels: labels,
                        regions: [VoxelRegion(name: "slab", role: .organ(.liver), tissue: tissue, density: tissue.nominalDensity)])
}
