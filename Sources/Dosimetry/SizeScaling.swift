import Foundation
import HarmonicCore
import Phantoms

/// How the library goes from its reference phantoms to an individual child: through one size
/// variable, the body width index w = √(mass / height) (cm-like scale of the trunk cross
/// section; kg and cm).
///
/// - PCXMC scales a reference phantom to a patient by lengths × h/h_ref and widths ×
///   √((m/m_ref)/(h/h_ref)) (Tapiovaara & Siiskonen, PCXMC 2.0 user's guide, STUK-TR 7, 2008,
///   §2.2): the widths follow exactly this index.
/// - Organ dose per KAP falls close to exponentially with patient thickness (the
///   size-specific conversion factors of AAPM Report 204, 2011, are exponential in effective
///   diameter), so the library interpolates ln(D/KAP) linearly in w between the two reference
///   phantoms that bracket the child's w (same sex), i.e. it interpolates the phantom series by
///   trunk thickness. A child of reference size at a reference age reproduces that phantom.
/// - Without a recorded weight or height the ICRP 89 reference value at that age (linear
///   between the reference ages) stands in for it.
public enum SizeScaling {
    /// The width index √(kg / cm) of a body.
    public static func widthIndex(massKg: Double, heightCm: Double) -> Double { (massKg / heightCm).squareRoot() }

    /// The width index of a reference phantom (ICRP 89 Table 2.9 mass and height).
    public static func widthIndex(_ age: ReferenceAge, _ sex: Sex) -> Double {
        widthIndex(massKg: ICRP89.bodyMass(age, sex), heightCm: ICRP89.height(age, sex))
    }

    /// ICRP 89 reference mass (kg) and height (cm) at an age in years, linear between the
    /// reference ages (adult = 30 y and beyond).
    public static func referenceBody(ageYears: Double, sex: Sex) -> (massKg: Double, heightCm: Double) {
        let ages = ReferenceAge.allCases
        let a = min(max(ageYears, 0), Double(ages.last!.rawValue))
        var i = 0
        while i < ages.count - 2 && Double(ages[i + 1].rawValue) <= a { i += 1 }
        let lo = ages[i], hi = ages[i + 1]
        let t = (a - Double(lo.rawValue)) / Double(hi.rawValue - lo.rawValue)
        func mix(_ f: (ReferenceAge, Sex) -> Double) -> Double { f(lo, sex) * (1 - t) + f(hi, sex) * t }
        return (mix(ICRP89.bodyMass), mix(ICRP89.height))
    }

    /// The width index of a patient: recorded weight and height where given, the reference
    /// value for age and sex otherwise. Throws for impossible values.
    public static func widthIndex(of patient: PatientSize) throws -> Double {
        let age = patient.age.value
        guard age.isFinite, age >= 0, age < 130 else {
            throw InputError(.file("patient"), field: "age", value: "\(age)", expected: "an age of 0-130 years")
        }
        let reference = referenceBody(ageYears: age, sex: patient.sex)
        let mass = patient.weight?.value ?? reference.massKg
        let height = patient.height?.value ?? reference.heightCm
        guard mass.isFinite, (0.3...300).contains(mass) else {
            throw InputError(.file("patient"), field: "weight", value: "\(mass)", expected: "a body mass of 0.3-300 kg")
        }
        guard height.isFinite, (20...250).contains(height) else {
            throw InputError(.file("patient"), field: "height", value: "\(height)", expected: "a height of 20-250 cm")
        }
        return widthIndex(massKg: mass, heightCm: height)
    }
}
