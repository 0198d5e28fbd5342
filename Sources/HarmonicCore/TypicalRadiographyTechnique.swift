import Foundation

/// Typical entrance air kerma (free in air at the skin, mGy) of one radiograph by region and age,
/// when the exam records no dose: the values of the US Food and Drug Administration's guidance
/// "Pediatric Information for X-ray Imaging Device Premarket Notifications" (2017), Table 2, for
/// the head, chest and abdomen of a newborn, 1-, 5-, 10- and 15-year-old and an adult (head 100,
/// 120, 140, 150, 150, 1100 µGy; chest 77, 96, 110, 190, 280, 150 µGy; abdomen 100, 230, 320, 420,
/// 550, 1100 µGy; read from a vendor manual that reproduces the table, PIXXGEN Prudent AT-SM-04,
/// 2020, p. 53). The pelvis takes the abdomen's values (Harmonic's assumption: the same AP
/// technique); the neck has no typical value and is refused. Linear in age between the table's
/// ages (the adult at 30 years). Hospitals differ from a typical value by factors of several
/// (newborn ESD 26-668 µGy across Kuwaiti hospitals: Brindhaban & Eze, Med Princ Pract 2006;
/// 15:260), so the `radiography_typical_technique` error is wide.
public enum TypicalRadiographyTechnique {
    static let ages: [Double] = [0, 1, 5, 10, 15, 30]
    static let microgray: [String: [Double]] = [
        "head": [100, 120, 140, 150, 150, 1100],
        "chest": [77, 96, 110, 190, 280, 150],
        "abdomen": [100, 230, 320, 420, 550, 1100],
        "pelvis": [100, 230, 320, 420, 550, 1100],
    ]
    public static let source = "typical entrance air kerma of the FDA's paediatric guidance (2017, Table 2) for the region and age"

    /// mGy for a body region (head, chest, abdomen, pelvis); nil where no typical value is held (the neck, anything else).
    public static func entranceAirKerma(region: String, ageYears: Double) -> Double? {
        guard let v = microgray[region] else { return nil }
        return KnotBracket(ages, ageYears).interpolate(v) / 1000
    }
}

