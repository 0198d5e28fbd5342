import HarmonicCore
import Phantoms

/// The points at which the coefficient library holds Monte Carlo results.
///
/// Geometry dimensions (one record per combination): reference phantom (age × sex), C-arm
/// primary and secondary angle, square field area at the skin entrance. Per record, the
/// library holds one result per photon energy of `energiesKeV` (monoenergetic sources):
/// tube spectra of any kVp and filtration are folded at lookup time (`SpectrumFold`), so kVp,
/// copper and aluminium are not grid dimensions at all.
///
/// Fixed geometry (not interpolated): central ray through the heart centroid (wall and
/// contents), focus-skin distance `focusSkinCm` along the central ray, anode angle
/// `anodeAngleDegrees` for the folded tube spectra.
public struct LibraryGrid: Sendable, Hashable, Codable {
    /// Reference phantom ages (`ReferenceAge` raw values: 0, 1, 5, 10, 15, 30 = adult), ascending.
    public var ages: [Int]
    /// Sexes, "M" / "F".
    public var sexes: [String]
    /// DICOM primary angle (°), ascending: −90 = RAO 90, 0 = PA, +90 = LAO 90.
    public var primaryDegrees: [Double]
    /// DICOM secondary angle (°), ascending: − caudal, + cranial.
    public var secondaryDegrees: [Double]
    /// Field area at the skin entrance plane (cm²), ascending; square fields.
    public var fieldAreasCm2: [Double]
    /// Photon energies of the monoenergetic runs (keV), ascending.
    public var energiesKeV: [Double]
    /// Focus-skin distance along the central ray (cm).
    public var focusSkinCm: Double
    /// Anode angle of the folded tube spectra (°).
    public var anodeAngleDegrees: Double
    /// Voxel size as a fraction of the phantom's default (height / 300); 1 in production,
    /// coarser (e.g. 3) only in fast tests.
    public var voxelScale: Double
    /// Where the phantoms' arms are (`ArmPosture`): raised above the head, as in paediatric cardiac
    /// catheterisation, so that the lateral and oblique angles do not pass through an arm that is
    /// not there. A library file written before session 25 has no such key and had its arms at
    /// the sides.
    public var armPosture: ArmPosture

    public init(ages: [Int], sexes: [String], primaryDegrees: [Double], secondaryDegrees: [Double],
                fieldAreasCm2: [Double], energiesKeV: [Double], focusSkinCm: Double = 60,
                anodeAngleDegrees: Double = 12, voxelScale: Double = 1, armPosture: ArmPosture = .raised) {
        self.ages = ages; self.sexes = sexes; self.primaryDegrees = primaryDegrees
        self.secondaryDegrees = secondaryDegrees; self.fieldAreasCm2 = fieldAreasCm2
        self.energiesKeV = energiesKeV; self.focusSkinCm = focusSkinCm
        self.anodeAngleDegrees = anodeAngleDegrees; self.voxelScale = voxelScale
        self.armPosture = armPosture
    }

    private enum CodingKeys: String, CodingKey {
        case ages, sexes, primaryDegrees, secondaryDegrees, fieldAreasCm2, energiesKeV, focusSkinCm, anodeAngleDegrees,
             voxelScale, armPosture
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(ages: try c.decode([Int].self, forKey: .ages), sexes: try c.decode([String].self, forKey: .sexes),
                  primaryDegrees: try c.decode([Double].self, forKey: .primaryDegrees),
                  secondaryDegrees: try c.decode([Double].self, forKey: .secondaryDegrees),
                  fieldAreasCm2: try c.decode([Double].self, forKey: .fieldAreasCm2),
                  energiesKeV: try c.decode([Double].self, forKey: .energiesKeV),
                  focusSkinCm: try c.decode(Double.self, forKey: .focusSkinCm),
                  anodeAngleDegrees: try c.decode(Double.self, forKey: .anodeAngleDegrees),
                  voxelScale: try c.decode(Double.self, forKey: .voxelScale),
                  armPosture: try c.decodeIfPresent(ArmPosture.self, forKey: .armPosture) ?? .atSides)
    }

    /// The production grid of issue #6: every reference phantom, both sexes, primary −90…+90 and
    /// secondary −45…+45 every 15°, fields 5×5, 8×8, 12×12 and 18×18 cm at the skin
    /// (paediatric cardiac fields are 6-13 cm: Karambatsakidou et al., Br J Radiol 82 (2009) 748),
    /// 12 energies 15-120 keV (5 keV steps where organ dose per KAP changes fastest), focus-skin
    /// distance 60 cm (as the PCXMC runs of Karambatsakidou 2009), anode angle 12°.
    public static let standard = LibraryGrid(
        ages: ReferenceAge.allCases.map(\.rawValue),
        sexes: ["M", "F"],
        primaryDegrees: stride(from: -90.0, through: 90, by: 15).map { $0 },
        secondaryDegrees: stride(from: -45.0, through: 45, by: 15).map { $0 },
        fieldAreasCm2: [25, 64, 144, 324],
        energiesKeV: [15, 20, 25, 30, 35, 40, 50, 60, 70, 80, 100, 120])

    /// Geometry records: ages × sexes × fields × primary × secondary.
    public var recordCount: Int {
        ages.count * sexes.count * fieldAreasCm2.count * primaryDegrees.count * secondaryDegrees.count
    }

    /// Record index of one grid point (ages slowest, secondary fastest).
    @inline(__always)
    public func recordIndex(age: Int, sex: Int, field: Int, primary: Int, secondary: Int) -> Int {
        (((age * sexes.count + sex) * fieldAreasCm2.count + field) * primaryDegrees.count + primary)
            * secondaryDegrees.count + secondary
    }

    /// The grid point of a record index (inverse of `recordIndex`).
    public func point(ofRecord index: Int) -> (age: Int, sex: Int, field: Int, primary: Int, secondary: Int) {
        var i = index
        let secondary = i % secondaryDegrees.count; i /= secondaryDegrees.count
        let primary = i % primaryDegrees.count; i /= primaryDegrees.count
        let field = i % fieldAreasCm2.count; i /= fieldAreasCm2.count
        let sex = i % sexes.count; i /= sexes.count
        return (i, sex, field, primary, secondary)
    }

    /// Problems that make the grid unusable, as sentences (empty when valid).
    public func problems() -> [String] {
        var p: [String] = []
        func ascending(_ name: String, _ v: [Double]) {
            if v.isEmpty { p.append("\(name): no values") }
            if zip(v, v.dropFirst()).contains(where: { $0 >= $1 }) { p.append("\(name): values must be strictly ascending") }
            if v.contains(where: { !$0.isFinite }) { p.append("\(name): values must be finite") }
        }
        ascending("ages", ages.map(Double.init))
        for a in ages where ReferenceAge(rawValue: a) == nil {
            p.append("ages: \(a) is not a reference phantom age (0, 1, 5, 10, 15, 30)")
        }
        if sexes.isEmpty || sexes.contains(where: { Sex(rawValue: $0) == nil }) || Set(sexes).count != sexes.count {
            p.append("sexes: expected M and/or F, each once")
        }
        ascending("primary angles", primaryDegrees)
        ascending("secondary angles", secondaryDegrees)
        ascending("field areas", fieldAreasCm2)
        ascending("energies", energiesKeV)
        if fieldAreasCm2.contains(where: { $0 <= 0 }) { p.append("field areas: must be positive") }
        if energiesKeV.contains(where: { $0 < 5 || $0 > 150 }) { p.append("energies: must lie in 5-150 keV (the cross-section tables)") }
        if !(focusSkinCm > 0) { p.append("focus-skin distance: must be positive") }
        if !(voxelScale >= 1) { p.append("voxel scale: must be at least 1") }
        return p
    }
}
