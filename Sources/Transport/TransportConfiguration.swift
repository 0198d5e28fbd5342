import HarmonicCore
import Phantoms

/// How far the focus is: to the skin along the central ray (field size given at the skin), or
/// to the isocentre (field size given at the isocentre plane).
public enum FieldDistance: Sendable, Equatable {
    case focusToSkin(Double)
    case focusToIsocentre(Double)
}

/// The irradiation geometry.
public enum BeamSetup: Sendable {
    /// A C-arm: isotropic point focus collimated to a width x height (cm) rectangle at the
    /// reference plane of `distance`, central ray through the centroid of `target`
    /// (the isocentre; the heart, wall and contents, for cardiac work).
    case cArm(projection: Projection, fieldWidth: Double, fieldHeight: Double, distance: FieldDistance, target: Organ)
    /// A broad parallel beam covering the whole body along the projection's direction
    /// (the ICRP 116 idealised geometries: PA = Projection.pa, AP = .ap, LLAT, RLAT).
    case wholeBodyParallel(Projection)
    /// A CT scan (helical or axial fan beam with bowtie, optional tube-current modulation);
    /// organ doses per CTDIvol come from `CTSimulation`, which also simulates the CTDI phantoms.
    case ct(CTGeometry)
}

/// One simulation: phantom, beam, source energies, histories and seed.
public struct TransportConfiguration: Sendable {
    public var phantom: StylisedPhantom
    public var beam: BeamSetup
    public var spectrum: SourceSpectrum
    public var histories: Int
    public var seed: UInt64
    /// Fixed number of batches: each has its own random stream, so results do not depend on
    /// the thread count; also the samples of the batch uncertainty estimate.
    public var batches: Int
    /// Voxel size (cm); nil = the phantom's default (height / 300).
    public var voxelSpacing: Double?
    /// Worker threads; nil = all cores. Does not change the result.
    public var threads: Int?
    /// The active-marrow response folded with the spongiosa fluence (default: the marrow kerma).
    public var marrowResponse: MarrowResponse = .marrowKerma

    public init(phantom: StylisedPhantom, beam: BeamSetup, spectrum: SourceSpectrum, histories: Int,
                seed: UInt64 = 1, batches: Int = 64, voxelSpacing: Double? = nil, threads: Int? = nil) {
        self.phantom = phantom; self.beam = beam; self.spectrum = spectrum; self.histories = histories
        self.seed = seed; self.batches = batches; self.voxelSpacing = voxelSpacing; self.threads = threads
    }
}
