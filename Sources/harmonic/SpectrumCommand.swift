import ArgumentParser
import Foundation
import XRayPhysics

/// `harmonic spectrum`: a tungsten-anode tube spectrum with its HVL, mean energy and air kerma.
struct SpectrumCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spectrum",
        abstract: "Tungsten-anode X-ray spectrum: first HVL, mean energy, air kerma per mAs at 1 m.",
        discussion: """
        The spectrum is a thick-target integral over the electrons in a tungsten anode: their \
        energies and depths from Monte Carlo (PENELOPE; Omar et al. 2020), the Seltzer-Berger \
        bremsstrahlung cross section, self-filtration at the anode angle, and the tungsten K lines \
        from electron impact and from fluorescence; see XRaySpectrum. Against SpekPy at \
        40-125 kVp: first HVL within 1%, mean energy within 1.1%, air kerma per mAs 1.04-1.10 \
        times (isotropic emission here; SpekPy models the anisotropy). The output is that of an \
        ideal smooth anode; aged tubes give less. --filter is the TOTAL filtration: include the \
        tube's inherent filtration (typically 2.5 mm Al equivalent).

        Example:
          harmonic spectrum --kvp 70 --filter 3.5mmAl+0.1mmCu
          harmonic spectrum --kvp 90 --anode-angle 10 --filter 2.5mmAl --csv > spectrum.csv
        """)

    @Option(help: "Tube voltage, kV (40-125 validated).") var kvp: Double
    @Option(help: "Total filtration, layers joined by '+': e.g. 3.5mmAl+0.1mmCu (symbols: Al, Cu, W, Pb, H2O, Air).")
    var filter: String = "2.5mmAl"
    @Option(help: "Anode angle, degrees.") var anodeAngle: Double = 12
    @Flag(help: "Print only the spectrum as CSV (energy_kev, photons_per_mm2_per_mas_at_1m).") var csv = false
    @Flag(help: "Print the figures and the spectrum as JSON.") var json = false

    func validate() throws {
        guard kvp >= 20 && kvp <= 150 else { throw ValidationError("--kvp \(kvp): expected 20-150 kV (model validated 40-125 kV)") }
        guard anodeAngle > 3 && anodeAngle < 45 else { throw ValidationError("--anode-angle \(anodeAngle): expected 3-45 degrees") }
    }

    func run() throws {
        let filtration: Filtration
        do { filtration = try Filtration(parsing: filter) } catch { throw ValidationError("--filter: \(error)") }
        let s = XRaySpectrum(kVp: kvp, anodeAngleDegrees: anodeAngle, filtration: filtration)
        if json {
            print(try jsonString(SpectrumJSON(kvp: kvp, anodeAngleDegrees: anodeAngle, filtration: filtration.description,
                                              firstHVLmmAl: s.halfValueLayer(), firstHVLmmCu: s.halfValueLayer(.copper), meanEnergyKeV: s.meanEnergy,
                                              airKermaMicroGyPerMAsAt1m: s.airKermaPerMAs, fluencePerMm2PerMAsAt1m: s.totalFluence,
                                              energiesKeV: s.energies, fluence: s.fluence)))
            return
        }
        if !csv {
            print(String(format: "kVp %.1f, anode angle %.1f°, filtration %@", kvp, anodeAngle, filtration.description))
            print(String(format: "first HVL      %.3f mm Al   (%.4f mm Cu)", s.halfValueLayer(), s.halfValueLayer(.copper)))
            print(String(format: "mean energy    %.2f keV", s.meanEnergy))
            print(String(format: "air kerma      %.2f µGy/mAs at 1 m", s.airKermaPerMAs))
            print(String(format: "fluence        %.4g photons/mm²/mAs at 1 m", s.totalFluence))
            print("")
        }
        print("energy_kev,photons_per_mm2_per_mas_at_1m")
        for (e, phi) in zip(s.energies, s.fluence) { print(String(format: "%.2f,%.6g", e, phi)) }
    }
}

/// `harmonic spectrum --json`: the spectrum's figures and its fluence per energy bin.
struct SpectrumJSON: Encodable {
    let kvp, anodeAngleDegrees: Double
    let filtration: String
    let firstHVLmmAl, firstHVLmmCu, meanEnergyKeV, airKermaMicroGyPerMAsAt1m, fluencePerMm2PerMAsAt1m: Double
    let energiesKeV, fluence: [Double]
    enum CodingKeys: String, CodingKey {
        case kvp, filtration
        case anodeAngleDegrees = "anode_angle_degrees", firstHVLmmAl = "first_hvl_mm_al", firstHVLmmCu = "first_hvl_mm_cu"
        case meanEnergyKeV = "mean_energy_kev", airKermaMicroGyPerMAsAt1m = "air_kerma_ugy_per_mas_at_1m"
        case fluencePerMm2PerMAsAt1m = "fluence_photons_per_mm2_per_mas_at_1m", energiesKeV = "energies_kev"
        case fluence = "photons_per_mm2_per_mas_at_1m"
    }
}
