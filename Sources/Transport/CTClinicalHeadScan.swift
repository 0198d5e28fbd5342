import Foundation

extension CTRegion {
    /// Fraction of the phantom's whole head (top of the neck to the vertex, the head scan range of
    /// the committed CT table) that a clinical head CT covers: the skull base to the vertex. In the
    /// stylised head (the adult template of `Phantoms.AdultTemplate`, head 75-96 cm, scaled with the
    /// child's head height) the brain's lowest point, at the level of the foramen magnum, is at
    /// 81.5 cm: (96 − 81.5) / 21 = 0.69. From the phantom's anatomy, not a publication; it agrees with
    /// clinical head scans of 12-14 cm implied by paediatric DRL pairs (DLP/CTDIvol 317/22 and 786/68,
    /// Ploussi et al., Br J Radiol 2020;93:20190358) for the 16-21 cm phantom heads.
    public static let clinicalHeadScanFraction = (96.0 - 81.5) / 21.0

    /// The clinical scan length (cm) of this region given the phantom's scan length for it: the head
    /// skull base to vertex; every other region its whole scan range.
    public func clinicalScanLength(phantomScanLength: Double) -> Double {
        self == .head ? phantomScanLength * Self.clinicalHeadScanFraction : phantomScanLength
    }
}
