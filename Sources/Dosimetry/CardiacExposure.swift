import HarmonicCore

/// Beam quality of one X-ray exposure: tube voltage and the filtration in the beam.
/// `aluminiumMillimetres` is the total aluminium-equivalent filtration other than copper
/// (inherent plus added; IEC 60601-1-3 requires at least 2.5 mm Al at 70 kV and above).
public struct BeamQuality: Sendable, Hashable, Codable {
    public var kVp: KiloVolt
    public var copperMillimetres: Double
    public var aluminiumMillimetres: Double

    public init(kVp: KiloVolt, copperMillimetres: Double = 0, aluminiumMillimetres: Double = 3.0) {
        self.kVp = kVp; self.copperMillimetres = copperMillimetres; self.aluminiumMillimetres = aluminiumMillimetres
    }
}

/// The child as the dosimetry sees them: age and sex pick the reference phantoms to
/// interpolate between; weight and height, when recorded, scale to the individual.
public struct PatientSize: Sendable, Hashable, Codable {
    public var age: Years
    public var sex: Sex
    public var weight: Kilogram?
    public var height: Centimetre?

    public init(age: Years, sex: Sex, weight: Kilogram? = nil, height: Centimetre? = nil) {
        self.age = age; self.sex = sex; self.weight = weight; self.height = height
    }
}

/// One cardiac irradiation: who, from where, with which beam and how large a field.
///
/// Angles follow DICOM positioner conventions (PS3.3 C.8.7.5.1.2), as `Transport.Projection`:
/// primary 0° = PA (detector anterior), +90° = LAO 90 (detector at the patient's left),
/// −90° = RAO 90; secondary + = cranial, − = caudal. The field is centred on the heart.
/// `fieldAreaCm2` is the collimated field area at the skin entrance plane.
public struct CardiacExposure: Sendable, Hashable, Codable {
    public var patient: PatientSize
    public var primaryDegrees: Double
    public var secondaryDegrees: Double
    public var quality: BeamQuality
    public var fieldAreaCm2: Double

    public init(patient: PatientSize, primaryDegrees: Double, secondaryDegrees: Double = 0,
                quality: BeamQuality, fieldAreaCm2: Double) {
        self.patient = patient; self.primaryDegrees = primaryDegrees; self.secondaryDegrees = secondaryDegrees
        self.quality = quality; self.fieldAreaCm2 = fieldAreaCm2
    }
}
