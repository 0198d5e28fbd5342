import Foundation

/// The scaled bremsstrahlung cross section of tungsten at the high-frequency limit, the quantity that
/// fixes the absolute output of `XRaySpectrum`.
///
/// χ(Z, T, κ) = (β²/Z²) k dσ/dk in millibarn, κ = k/T the photon's share of the electron's kinetic
/// energy T. Values for Z = 74 at κ = 1 from Seltzer & Berger, At. Data Nucl. Data Tables 35 (1986)
/// 345 (the NIST/ICRU 37 bremsstrahlung tables; here transcribed from the copy SpekPy ships as
/// `nist_brem.dat`): 4.550, 5.311, 5.590, 5.307, 4.471 mb at T = 10, 20, 50, 100, 200 keV.
enum SeltzerBergerTungsten {
    static let kineticEnergiesKeV: [Double] = [10, 20, 50, 100, 200, 500, 1000]
    static let chiAtTipMillibarn: [Double] = [4.550, 5.311, 5.590, 5.307, 4.471, 2.968, 2.189]

    /// χ(74, T, κ = 1) in mb, linear in ln T between the tabulated energies, held constant outside.
    static func scaledCrossSectionAtTip(_ kineticEnergyKeV: Double) -> Double {
        let t = kineticEnergiesKeV, chi = chiAtTipMillibarn
        if kineticEnergyKeV <= t[0] { return chi[0] }
        for i in 1..<t.count where kineticEnergyKeV <= t[i] {
            let f = log(kineticEnergyKeV / t[i - 1]) / log(t[i] / t[i - 1])
            return chi[i - 1] + f * (chi[i] - chi[i - 1])
        }
        return chi[chi.count - 1]
    }
}
