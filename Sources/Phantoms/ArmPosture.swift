import HarmonicCore

/// Where a phantom's arms are.
///
/// The ICRP reference phantoms (ICRP 110, ICRP 143), and so the whole-body reference beams of
/// Chang et al. 2017, have the arms hanging at the sides. In paediatric cardiac catheterisation
/// and in CT of the chest and abdomen the arms are raised above the head, out of the lateral beams
/// and out of the scanned volume. PCXMC lets its user leave the arms out of the phantom for this
/// (its "arms in phantom" option; Tapiovaara & Siiskonen, PCXMC 2.0 user's guide, STUK-TR 7,
/// 2008); in CT of the chest and abdomen the patient's arms are raised to keep them out of the
/// scanned volume, where they would add attenuation and streaks.
///
/// Raised, each arm is turned half a turn about its shoulder joint (`AdultTemplate.shoulderPivotZ`)
/// so that it stands straight up beside the neck and head: the same cylinder, the same bones and the
/// same mass, with the humeral heads where they were and the upper halves of the humeri (their
/// active marrow, ICRP 143) beside the neck and not beside the chest.
/// A stylised simplification: a raised arm leans in against the head, and the scapula turns with it.
public enum ArmPosture: String, Sendable, Codable, CaseIterable {
    /// Hanging beside the trunk (the reference posture).
    case atSides = "sides"
    /// Raised straight up above the shoulders.
    case raised
}

extension StylisedPhantom {
    /// The same phantom with its arms in `posture` (the fit, the masses and the skeleton's marrow
    /// are unchanged: a raised arm is the hanging arm turned about the shoulder).
    public func withArms(_ posture: ArmPosture) -> StylisedPhantom {
        var p = self
        p.dimensions.arms = posture
        return p
    }

    /// Where the phantom's arms are.
    public var armPosture: ArmPosture { dimensions.arms }
}
