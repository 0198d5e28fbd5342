import HarmonicCore

/// Density of the lungs (parenchyma with its air and blood) by reference age.
///
/// ICRP Publication 143 (2020) paediatric reference computational phantoms, organ IDs 97/99
/// "Lung, left/right, tissue" (medium 50): 0.591 g/cm³ at birth, 0.393 at 1 y, 0.386 at 5 y,
/// 0.434 at 10 y, 0.359 at 15 y (both sexes); ICRP Publication 110 (2009) adult phantoms:
/// 0.382 (male), 0.385 (female). Read from the phantoms' organ tables as distributed with
/// OpenDXMC (`../shared/data/reference/icrp143/*_organs.dat`). With the ICRP 89 lung masses
/// (which include the lungs' blood) these give the phantoms' lung volumes; the Cristy & Eckerman
/// density of 0.296 g/cm³ for every age made the lungs 1.3 (adult) to 2.0 (newborn) times
/// as large, so the chest held too little tissue in front of and behind them.
public enum LungDensity {
    /// g/cm³ for a reference age and sex.
    public static func reference(_ age: ReferenceAge, _ sex: Sex) -> Double {
        switch age {
        case .newborn: 0.591
        case .one: 0.393
        case .five: 0.386
        case .ten: 0.434
        case .fifteen: 0.359
        case .adult: sex == .male ? 0.382 : 0.385
        }
    }
}
