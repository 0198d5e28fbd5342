/// One element's share of a material's photon interactions at one energy: what the secondary
/// electrons of that element start with (`PhotoelectronEnhancement` in Transport follows them
/// through the trabecular bone and marrow of the spongiosa).
public struct ElementalInteraction: Sendable, Equatable {
    public let z: Int
    /// Photoelectric and incoherent mass coefficients of the element, weighted by its mass
    /// fraction in the material (cm²/g of the material).
    public let photoelectric: Double, incoherent: Double
    /// Binding energy (keV) of the innermost shell the photon can ionise: the element's highest
    /// absorption edge at or below the photon energy within the 1-200 keV tables (0 where none:
    /// H to O, whose K edges lie below 1 keV). The photoelectron starts with E minus it.
    public let bindingKeV: Double
}

extension Material {
    /// Each element's photoelectric and incoherent coefficients and binding energy at `energyKeV`
    /// (the element tables of `PhotonCrossSections`, mixture rule).
    public func elementalInteractions(atKeV energyKeV: Double) -> [ElementalInteraction] {
        let tables = ElementTables.shared
        return massFractions.map { fraction in
            let e = tables.element(fraction.z)
            let segment = e.segment(at: energyKeV)
            let binding = e.edges.map(\.energy).filter { $0 <= energyKeV }.max() ?? 0
            return ElementalInteraction(z: fraction.z,
                                        photoelectric: fraction.fraction * ElementTables.interpolate(e.photoelectric, segment),
                                        incoherent: fraction.fraction * ElementTables.interpolate(e.incoherent, segment),
                                        bindingKeV: binding)
        }
    }

    /// Mass energy-absorption coefficient (cm²/g) at `energyKeV`, mixture rule of the element tables
    /// (the value `PhotonCrossSections.muEnOverRho` interpolates on its grid).
    public func massEnergyAbsorption(atKeV energyKeV: Double) -> Double {
        PhotonCrossSections.mixtureValues(self, at: energyKeV)[4]
    }
}
