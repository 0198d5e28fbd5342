// Tissue and filter materials: elemental mass fractions and densities.

/// One element's share of a material by mass.
public struct ElementFraction: Sendable, Hashable {
    /// Atomic number.
    public let z: Int
    /// Mass fraction (0...1).
    public let fraction: Double
    public init(z: Int, fraction: Double) { self.z = z; self.fraction = fraction }
}

/// A homogeneous material: elemental composition by mass and density.
public struct Material: Sendable, Hashable {
    public let name: String
    /// Density in g/cm³.
    public let density: Double
    /// Mass fractions; for the built-in materials they sum to 1 within the rounding of the
    /// published table (±0.001).
    public let massFractions: [ElementFraction]

    public init(name: String, density: Double, massFractions: [ElementFraction]) {
        self.name = name; self.density = density; self.massFractions = massFractions
    }

    /// The same composition at another density (e.g. lung of a different inflation).
    public func withDensity(_ density: Double) -> Material {
        Material(name: name, density: density, massFractions: massFractions)
    }
}

// Verified 2026-11-23 against the NIST X-ray attenuation database's Table 2 compositions
// (Hubbell & Seltzer, NISTIR 5632), which reproduce ICRU 44, as transcribed in an open-source
// Julia package: soft tissue, lung, cortical bone, adipose, whole blood, brain and breast tissue
// (mass fractions and densities identical), air and water. Red and yellow marrow, spongiosa and
// skin (ICRU 44 only, not in the NIST table) were not cross-checked.
extension Material {
    fileprivate init(_ name: String, _ density: Double, _ fractions: [(Int, Double)]) {
        self.init(name: name, density: density, massFractions: fractions.map { ElementFraction(z: $0.0, fraction: $0.1) })
    }

    /// Soft tissue, ICRU Report 44 (1989) Table 4.4 "soft tissue", ρ = 1.06 g/cm³.
    public static let softTissue = Material("soft tissue (ICRU 44)", 1.06,
        [(1, 0.102), (6, 0.143), (7, 0.034), (8, 0.708), (11, 0.002), (15, 0.003), (16, 0.003), (17, 0.002), (19, 0.003)])
    /// Lung tissue, ICRU 44 composition, at the inflated-lung density 0.26 g/cm³ given by ICRU 44.
    /// (ICRP 89 lung with blood is denser, 0.38 g/cm³: use `withDensity(_:)` for that.)
    public static let lung = Material("lung (ICRU 44, inflated)", 0.26,
        [(1, 0.103), (6, 0.105), (7, 0.031), (8, 0.749), (11, 0.002), (15, 0.002), (16, 0.003), (17, 0.003), (19, 0.002)])
    /// Cortical bone, ICRU 44, ρ = 1.92 g/cm³.
    public static let corticalBone = Material("cortical bone (ICRU 44)", 1.92,
        [(1, 0.034), (6, 0.155), (7, 0.042), (8, 0.435), (11, 0.001), (12, 0.002), (15, 0.103), (16, 0.003), (20, 0.225)])
    /// Skeleton spongiosa (trabecular bone with its red and yellow marrow), ICRU 44, ρ = 1.18 g/cm³.
    public static let spongiosa = Material("spongiosa (ICRU 44)", 1.18,
        [(1, 0.085), (6, 0.404), (7, 0.028), (8, 0.367), (11, 0.001), (12, 0.001), (15, 0.034), (16, 0.002),
         (17, 0.002), (19, 0.001), (20, 0.074), (26, 0.001)])
    /// Red (active) marrow, ICRU 44, ρ = 1.03 g/cm³.
    public static let redMarrow = Material("red marrow (ICRU 44)", 1.03,
        [(1, 0.105), (6, 0.414), (7, 0.034), (8, 0.439), (15, 0.001), (16, 0.002), (17, 0.002), (19, 0.002), (26, 0.001)])
    /// Yellow (inactive) marrow, ICRU 44, ρ = 0.98 g/cm³.
    public static let yellowMarrow = Material("yellow marrow (ICRU 44)", 0.98,
        [(1, 0.115), (6, 0.644), (7, 0.007), (8, 0.231), (11, 0.001), (16, 0.001), (17, 0.001)])
    /// Whole-skeleton average (bone + marrow) of the stylised phantoms, Cristy & Eckerman,
    /// ORNL/TM-8381 (1987) Table A-2, ρ = 1.4 g/cm³: the adult's skeleton. A child's phantom takes
    /// the mixture of its own age instead (`SkeletonMixture` in Phantoms).
    public static let skeletonAverage = Material("skeleton average (Cristy-Eckerman 1987)", 1.4,
        [(1, 0.0704), (6, 0.2279), (7, 0.0387), (8, 0.4856), (11, 0.0032), (12, 0.0011), (15, 0.0694),
         (16, 0.0017), (17, 0.0014), (19, 0.0015), (20, 0.0991), (26, 0.0008)])
    /// Breast, ICRU 44 "mammary gland 2": 50% glandular / 50% adipose tissue by mass, ρ = 1.02 g/cm³.
    public static let breast = Material("breast 50/50 glandular/adipose (ICRU 44 mammary gland 2)", 1.02,
        [(1, 0.106), (6, 0.332), (7, 0.030), (8, 0.527), (11, 0.001), (15, 0.001), (16, 0.002), (17, 0.001)])
    /// Adipose tissue, ICRU 44, ρ = 0.95 g/cm³.
    public static let adipose = Material("adipose tissue (ICRU 44)", 0.95,
        [(1, 0.114), (6, 0.598), (7, 0.007), (8, 0.278), (11, 0.001), (16, 0.001), (17, 0.001)])
    /// Skin, ICRU 44, ρ = 1.09 g/cm³.
    public static let skin = Material("skin (ICRU 44)", 1.09,
        [(1, 0.100), (6, 0.204), (7, 0.042), (8, 0.645), (11, 0.002), (15, 0.001), (16, 0.002), (17, 0.003), (19, 0.001)])
    /// Whole blood, ICRU 44, ρ = 1.06 g/cm³.
    public static let blood = Material("blood (ICRU 44)", 1.06,
        [(1, 0.102), (6, 0.110), (7, 0.033), (8, 0.745), (11, 0.001), (15, 0.001), (16, 0.002), (17, 0.003),
         (19, 0.002), (26, 0.001)])
    /// Brain (grey/white matter), ICRU 44, ρ = 1.04 g/cm³.
    public static let brain = Material("brain (ICRU 44)", 1.04,
        [(1, 0.107), (6, 0.145), (7, 0.022), (8, 0.712), (11, 0.002), (15, 0.004), (16, 0.002), (17, 0.003), (19, 0.003)])
    /// Dry air near sea level, NIST (Hubbell & Seltzer, NISTIR 5632), ρ = 1.205 mg/cm³.
    public static let air = Material("air (dry, sea level)", 0.001205,
        [(6, 0.000124), (7, 0.755268), (8, 0.231781), (18, 0.012827)])
    /// Liquid water, ρ = 1.00 g/cm³ (stoichiometric H₂O).
    public static let water = Material("water", 1.0, [(1, 0.111894), (8, 0.888106)])
    /// PMMA (polymethyl methacrylate, the CTDI phantoms of IEC 60601-2-44), ρ = 1.19 g/cm³
    /// (NIST ESTAR "Lucite"); mass fractions from the formula C₅H₈O₂ with IUPAC atomic weights.
    public static let pmma = Material("PMMA", 1.19, [(1, 0.080538), (6, 0.599848), (8, 0.319614)])
    /// Aluminium, ρ = 2.699 g/cm³ (NISTIR 5632).
    public static let aluminium = Material("aluminium", 2.699, [(13, 1.0)])
    /// Copper, ρ = 8.96 g/cm³ (NISTIR 5632).
    public static let copper = Material("copper", 8.96, [(29, 1.0)])
    /// Tungsten, ρ = 19.3 g/cm³ (NISTIR 5632).
    public static let tungsten = Material("tungsten", 19.3, [(74, 1.0)])
    /// Lead, ρ = 11.35 g/cm³ (NISTIR 5632).
    public static let lead = Material("lead", 11.35, [(82, 1.0)])

    /// Every built-in material.
    public static let all: [Material] = [softTissue, lung, corticalBone, spongiosa, redMarrow, yellowMarrow,
        skeletonAverage, breast, adipose, skin, blood, brain, air, water, aluminium, copper, tungsten, lead]
}
