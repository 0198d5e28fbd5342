import Phantoms

/// A two-level Woodcock majorant: the global majorant inside an axis-aligned box around the
/// voxels of the most attenuating material, and the majorant of the materials outside the box
/// everywhere else.
///
/// Why: one small dense region sets the global majorant of the whole grid. In the stylised
/// phantoms the sternum's ICRU 44 cortical bone (1.92 g/cm³) has μ ≈ 1.0/cm at 45 keV against
/// 0.52/cm for the skeleton mixture, the densest material elsewhere, so with one global
/// majorant almost half the Woodcock steps in the body were virtual collisions kept only for
/// a cortex that ~10⁻⁵ of the steps reach (5-year-old, PA cardiac field: 12.7 steps per
/// history, 0.0002 per history in cortical bone).
///
/// Exactness: a piecewise-constant majorant along the ray is a valid majorant as long as it
/// bounds μ at every point (Woodcock et al. 1965; the macro-cell local majorants of
/// Leppänen, Ann. Nucl. Energy 37 (2010) 715, are the many-cell case). Where a sampled flight
/// would cross the box's face, the photon is moved to the face and a new flight is sampled
/// with the majorant of the other side: by the memorylessness of the exponential distribution
/// this is the same free-path law. The box is the bounding box of the dense voxels grown by
/// one voxel on each side (and clipped to the grid), so rounding of positions near a face
/// cannot put a dense voxel on the low-majorant side.
struct MajorantBox: Sendable {
    /// Box corners relative to the grid's lower corner (cm); lower = upper = 0 when no box is used.
    let lower: Vec3, upper: Vec3
    /// Majorant outside the box (1/cm), on the energy grid of `InteractionTables`.
    let outside: [Double]

    var isEmpty: Bool { !(lower.x < upper.x && lower.y < upper.y && lower.z < upper.z) }

    /// The box of the material that is the majorant at most energy grid points, when leaving it
    /// out lowers the majorant; otherwise an empty box with `outside` = the global majorant.
    /// A box holding more than half the grid is not used (most flights would start inside it).
    /// `bounds`: the grid's label bounding boxes (`TrackingGrid.labelBounds`).
    init(bounds: LabelBounds, labelMaterial: [Int], nx: Int, ny: Int, nz: Int, spacing: Double, tables: InteractionTables) {
        if let (lo, hi, major) = Self.denseBox(bounds: bounds, labelMaterial: labelMaterial, nx: nx, ny: ny, nz: nz, tables: tables) {
            lower = Vec3(Double(lo.0) * spacing, Double(lo.1) * spacing, Double(lo.2) * spacing)
            upper = Vec3(Double(hi.0 + 1) * spacing, Double(hi.1 + 1) * spacing, Double(hi.2 + 1) * spacing)
            outside = major
        } else {
            lower = Vec3(0, 0, 0); upper = Vec3(0, 0, 0); outside = tables.majorant
        }
    }

    /// First and last voxel indices of the box, and the majorant outside it; nil when no box helps.
    ///
    /// From the labels' bounding boxes alone, exactly: a material has voxels outside the box if and
    /// only if one of its labels' bounding boxes is not inside it (a box is a product of intervals,
    /// so the voxel that sets a bound lying outside one interval lies outside the box).
    private static func denseBox(bounds: LabelBounds, labelMaterial: [Int], nx: Int, ny: Int, nz: Int,
                                 tables: InteractionTables) -> ((Int, Int, Int), (Int, Int, Int), [Double])? {
        let nE = tables.count, nM = tables.materialCount, mu = tables.muTotal
        // Materials present, and the one that is the majorant at most energy grid points.
        var present = [Bool](repeating: false, count: nM)
        for l in labelMaterial.indices where bounds.isPresent(l) { present[labelMaterial[l]] = true }
        var wins = [Int](repeating: 0, count: nM)
        for i in 0..<nE {
            var best = 0
            for m in 1..<nM where present[m] && mu[m * nE + i] > mu[best * nE + i] { best = m }
            wins[best] += 1
        }
        guard let dense = (1..<nM).max(by: { wins[$0] < wins[$1] }), wins[dense] > 0 else { return nil }
        // Bounding box (voxel indices) of the dense material's voxels, grown by one voxel.
        var lo = (nx, ny, nz), hi = (-1, -1, -1)
        for l in labelMaterial.indices where labelMaterial[l] == dense && bounds.isPresent(l) {
            let b = bounds.box(l)
            lo = (min(lo.0, b.lower.0), min(lo.1, b.lower.1), min(lo.2, b.lower.2))
            hi = (max(hi.0, b.upper.0), max(hi.1, b.upper.1), max(hi.2, b.upper.2))
        }
        lo = (max(lo.0 - 1, 0), max(lo.1 - 1, 0), max(lo.2 - 1, 0))
        hi = (min(hi.0 + 1, nx - 1), min(hi.1 + 1, ny - 1), min(hi.2 + 1, nz - 1))
        guard 2 * (hi.0 - lo.0 + 1) * (hi.1 - lo.1 + 1) * (hi.2 - lo.2 + 1) <= nx * ny * nz else { return nil }
        // Materials with voxels outside the box, and their majorant.
        var outsidePresent = [Bool](repeating: false, count: nM)
        for l in labelMaterial.indices where bounds.isPresent(l) {
            let b = bounds.box(l)
            let inside = b.lower.0 >= lo.0 && b.lower.1 >= lo.1 && b.lower.2 >= lo.2
                && b.upper.0 <= hi.0 && b.upper.1 <= hi.1 && b.upper.2 <= hi.2
            if !inside { outsidePresent[labelMaterial[l]] = true }
        }
        var major = [Double](repeating: 0, count: nE)
        for i in 0..<nE { for m in 1..<nM where outsidePresent[m] { major[i] = max(major[i], mu[m * nE + i]) } }
        guard zip(major, tables.majorant).contains(where: { $0 < $1 }) else { return nil }
        return (lo, hi, major)
    }
}
