import HarmonicCore
import Phantoms

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// Everything one batch of photon histories reads: the voxel grid, per-label lookups and the
/// energy tables, as contiguous arrays.
///
/// Tracking: Woodcock (delta) tracking on the voxel grid (Woodcock et al. 1965): flight lengths
/// are sampled with the majorant μ_max (ziggurat exponentials) and a collision is real with
/// probability μ(voxel)/μ_max. The majorant is the global one inside a box around the most
/// attenuating material's voxels and that of the other materials outside it (`MajorantBox`).
/// Air is crossed in straight jumps given by a distance map (`chessboardAirDistance`, carried
/// in the grid's air codes: `TrackingGrid`). Local majorants on 4-voxel macro-cells were
/// tried and were slower: at 45 keV the mean free path (≈ 2-4 cm) is longer than a macro-cell, so
/// cell crossings outnumbered the virtual collisions they saved.
///
/// Scoring, kerma approximation (secondary electrons are not transported: their ranges, < 0.1 mm
/// below 150 keV, are far below the voxel size; photons below 1 keV are absorbed), two estimators:
/// - organ doses, track length: every tentative collision point, real or virtual, stands for
///   1/μ_max of track, so Σ E·μen(E)/μ_max over the points in a region estimates its kerma
///   ∫ E·μen ds without bias (the expected-value or track-length kerma estimator of MCNP's
///   F4 tally with an energy-absorption response; Spanier & Gelbard 1969). Every photon crossing a
///   region contributes, not only the few that interact in it: for a gram-sized organ (a child's
///   breast or thyroid in a broad beam) the variance per history falls by about μ_max/μen.
/// - energy bookkeeping, analog: the energy a photon loses in a photoelectric absorption (all of
///   it; fluorescence of tissue elements, K-edges below 4.1 keV, is absorbed locally) or an
///   incoherent scatter (E − E') is tallied where it happens, so deposited + escaped = emitted
///   exactly (`OrganDoseResult.depositedEnergy`).
///
/// Skeletal scoring: in the bone regions of each skeletal site the photon fluence is scored as
/// track length per 1 keV energy bin (with Woodcock tracking every tentative collision point,
/// real or virtual, stands for a track length of 1/μ_max: its expected count per cm is μ_max),
/// keeping Σ 1/μ_max and Σ (E − bin)/μ_max per bin so that folding with a response function
/// linear within the bin is exact. `DoseReduction` folds the site spectra with the marrow and
/// endosteum response functions (`SkeletalResponse`).
struct TrackingProblem<S: ScatterSampler>: Sendable {
    let nx: Int, ny: Int, nz: Int
    let origin: Vec3
    let spacing: Double
    let labels: [UInt8]
    /// Per label (index 0 = outside): material index into the tables (0 = vacuum).
    let labelMaterial: [Int]
    /// Per label: index of its skeletal fluence tally (bone regions), or -1.
    let labelBone: [Int]
    /// Number of skeletal fluence tallies (bone labels).
    let boneCount: Int
    let tables: InteractionTables
    /// (μen/ρ) of air (cm²/g), for KAP and air kerma.
    let airMuEn: EnergyTable
    /// Scatter samplers, index = material - 1.
    let samplers: [S]
    let source: BeamSource
    let spectrum: SourceSpectrum
    /// Labels and air distances in one byte per voxel (`TrackingGrid`).
    let grid: TrackingGrid
    /// Where the global majorant applies; a lower one outside (`MajorantBox`).
    let majorantBox: MajorantBox
    /// The tables as the loop reads them (`TrackingTables`).
    let loopTables: TrackingTables
    let exponential = ZigguratExponential.shared

    init(nx: Int, ny: Int, nz: Int, origin: Vec3, spacing: Double, labels: [UInt8], labelMaterial: [Int], labelBone: [Int],
         boneCount: Int, tables: InteractionTables, airMuEn: EnergyTable, samplers: [S], source: BeamSource,
         spectrum: SourceSpectrum, airDistance: [UInt8]) {
        self.init(nx: nx, ny: ny, nz: nz, origin: origin, spacing: spacing, labels: labels, labelMaterial: labelMaterial,
                  labelBone: labelBone, boneCount: boneCount, tables: tables, airMuEn: airMuEn, samplers: samplers, source: source,
                  spectrum: spectrum,
                  grid: TrackingGrid(labels: labels, nx: nx, ny: ny, nz: nz, labelMaterial: labelMaterial, labelBone: labelBone, airDistance: airDistance, spacing: spacing))
    }

    /// With a tracking grid already built for these labels (`TrackingGridCache`).
    init(nx: Int, ny: Int, nz: Int, origin: Vec3, spacing: Double, labels: [UInt8], labelMaterial: [Int], labelBone: [Int],
         boneCount: Int, tables: InteractionTables, airMuEn: EnergyTable, samplers: [S], source: BeamSource,
         spectrum: SourceSpectrum, grid: TrackingGrid) {
        self.nx = nx; self.ny = ny; self.nz = nz; self.origin = origin; self.spacing = spacing; self.labels = labels
        self.labelMaterial = labelMaterial; self.labelBone = labelBone; self.boneCount = boneCount; self.tables = tables
        self.airMuEn = airMuEn; self.samplers = samplers; self.source = source; self.spectrum = spectrum
        self.grid = grid
        majorantBox = MajorantBox(bounds: grid.labelBounds, labelMaterial: labelMaterial, nx: nx, ny: ny, nz: nz, spacing: spacing, tables: tables)
        loopTables = TrackingTables(tables, outsideMajorant: majorantBox.outside)
    }

    var labelCount: Int { labelMaterial.count }
    /// Energy bins (1 keV wide, from 0 keV) of the skeletal fluence tallies.
    static var fluenceBins: Int { skeletalFluenceBins }
    /// Tally layout per batch: analog deposit (labelCount); skeletal fluence, per bone tally and
    /// 1 keV bin, Σ 1/μ_max and Σ (E − bin)/μ_max (cm); track-length kerma (labelCount, from
    /// `trackKermaOffset`: Σ E·μen/μ_max, keV); then (from `bookkeeping`) emitted energy,
    /// escaped energy, Σ E·μen_air/cos θ, Σ E·μen_air, photons, photons that left the grid
    /// without a real interaction (uncollided transmission).
    var talliesPerBatch: Int { bookkeeping + 6 }
    var trackKermaOffset: Int { labelCount + 2 * boneCount * Self.fluenceBins }
    var bookkeeping: Int { trackKermaOffset + labelCount }

    /// Runs `histories` photons with `rng`, adding into `out` (talliesPerBatch values).
    func run(histories: Int, rng: inout RandomStream, out: UnsafeMutableBufferPointer<Double>) {
        let nL = labelCount
        let bk = bookkeeping
        let kermaOffset = trackKermaOffset
        let bins = Self.fluenceBins
        let invH = 1 / spacing
        let sizeX = Double(nx) * spacing, sizeY = Double(ny) * spacing, sizeZ = Double(nz) * spacing
        let nE = tables.count, step = tables.step, invStep = 1 / step
        let nM = tables.materialCount, stride = loopTables.stride
        let box = majorantBox, boxLower = box.lower, boxUpper = box.upper, boxSize = box.upper - box.lower, hasBox = !box.isEmpty
        var emitted = 0.0, escaped = 0.0, kap = 0.0, kerma = 0.0, uncollided = 0.0
        // Local copies read by every history (the source was copied from `self` at each emission).
        let source = source, spectrum = spectrum, airMuEn = airMuEn
        let cells = grid.cells   // the grid (`grid.storage`) lives as long as `self`
        grid.material.withUnsafeBufferPointer { codeMaterial in
        grid.bone.withUnsafeBufferPointer { codeBone in
        grid.skip.withUnsafeBufferPointer { airSkip in
        exponential.k.withUnsafeBufferPointer { zk in
        exponential.w.withUnsafeBufferPointer { zw in
        exponential.f.withUnsafeBufferPointer { zf in
        samplers.withUnsafeBufferPointer { samplers in
        loopTables.rows.withUnsafeBufferPointer { rows in
        loopTables.fractions.withUnsafeBufferPointer { fractions in
        loopTables.energyAbsorption.withUnsafeBufferPointer { enRows in
        do {
            for _ in 0..<histories {
                let emission = source.emit(spectrum, &rng)
                var e = emission.0
                let start = emission.1, dir0 = emission.2, secant = emission.3
                emitted += e
                let a = airMuEn(e) * e
                kap += a * secant; kerma += a
                // Position relative to the grid's lower corner.
                var px = start.x - origin.x, py = start.y - origin.y, pz = start.z - origin.z
                var dx = dir0.x, dy = dir0.y, dz = dir0.z
                // Enter the grid box (slab method).
                let (tIn, tOut) = boxEntry(px, py, pz, dx, dy, dz, sizeX, sizeY, sizeZ)
                if tIn >= tOut { escaped += e; uncollided += 1; continue }
                px += tIn * dx; py += tIn * dy; pz += tIn * dz
                // Skip the air between the grid's face and the body (see chessboardAirDistance).
                let entry = min(max(Int(px * invH), 0), nx - 1)
                    + nx * (min(max(Int(py * invH), 0), ny - 1) + ny * min(max(Int(pz * invH), 0), nz - 1))
                let entrySkip = airSkip[Int(cells[entry])]
                if entrySkip > 0 { px += entrySkip * dx; py += entrySkip * dy; pz += entrySkip * dz }
                var collided = false
                // Energy-dependent quantities are refreshed only when the energy changes
                // (at incoherent scatters), not at every Woodcock step.
                var ie = 0, fe = 0.0, muInside = 0.0, invMuOutside = 0.0, ib = 0, fb = 0.0
                func refresh(_ e: Double) {
                    let xe = e * invStep
                    ie = min(Int(xe), nE - 2)
                    fe = xe - Double(ie)
                    ib = min(Int(e), bins - 1)
                    fb = e - Double(ib)
                    let r0 = ie * stride, r1 = r0 + stride
                    muInside = rows[r0] + fe * (rows[r1] - rows[r0])   // inverted only if the ray meets the box
                    invMuOutside = 1 / (rows[r0 + nM] + fe * (rows[r1 + nM] - rows[r0 + nM]))
                }
                // The majorant box along the current ray. `travelled`: distance since the ray began
                // (last scatter or grid entry); `segmentEnd`: where the current majorant segment
                // ends. Phases: 0, not yet resolved (`segmentEnd` is a lower bound of the distance
                // to the box, so flights shorter than it cannot reach it and the exact ray-box
                // intersection is computed only for the flights that might: most rays never
                // need it); 1, before the box (`segmentEnd` = its entry); 2, inside (= its exit);
                // 3, past it or missing it (never).
                var travelled = 0.0, segmentEnd = Double.infinity, boxExit = Double.infinity
                var phase = 3, invMuMax = 0.0
                func aim() {
                    travelled = 0; phase = 3; segmentEnd = .infinity; invMuMax = invMuOutside
                    guard hasBox else { return }
                    // Largest gap along one axis: a lower bound of the Euclidean distance to the box.
                    // (Two-argument maxima: the three-argument `max` is variadic and allocates.)
                    let gap = maximum(maximum(maximum(boxLower.x - px, px - boxUpper.x), maximum(boxLower.y - py, py - boxUpper.y)),
                                      maximum(boxLower.z - pz, pz - boxUpper.z))
                    if gap > 0 { phase = 0; segmentEnd = gap } else { resolve() }
                }
                /// The exact ray-box intersection from the current point.
                func resolve() {
                    let (tIn, tOut) = boxEntry(px - boxLower.x, py - boxLower.y, pz - boxLower.z, dx, dy, dz, boxSize.x, boxSize.y, boxSize.z)
                    if tIn >= tOut { phase = 3; segmentEnd = .infinity; invMuMax = invMuOutside; return }
                    boxExit = travelled + tOut
                    if tIn > 0 { phase = 1; segmentEnd = travelled + tIn; invMuMax = invMuOutside } else { enterBox() }
                }
                func enterBox() { phase = 2; segmentEnd = boxExit; invMuMax = 1 / muInside }
                /// Passes the segment ends the photon has reached along the ray.
                func crossSegments() {
                    while travelled >= segmentEnd {
                        switch phase {
                        case 0: resolve()
                        case 1: enterBox()
                        default: phase = 3; segmentEnd = .infinity; invMuMax = invMuOutside
                        }
                    }
                }
                refresh(e)
                aim()
                while true {
                    var s = exponential.sample(&rng, zk, zw, zf) * invMuMax
                    if travelled + s >= segmentEnd {
                        // A flight that might reach the box: intersect the ray with it (still
                        // outside it, so the flight's majorant stays valid).
                        if phase == 0 { resolve() }
                        if travelled + s >= segmentEnd {
                            // The flight would cross a face of the majorant box: stop there and sample
                            // a new flight with the other side's majorant (memoryless, exact).
                            s = segmentEnd - travelled
                            px += s * dx; py += s * dy; pz += s * dz
                            travelled = segmentEnd
                            crossSegments()
                            continue
                        }
                    }
                    travelled += s
                    px += s * dx; py += s * dy; pz += s * dz
                    if !(px >= 0 && px < sizeX && py >= 0 && py < sizeY && pz >= 0 && pz < sizeZ) {
                        escaped += e
                        if !collided { uncollided += 1 }
                        break
                    }
                    let voxel = Int(px * invH) + nx * (Int(py * invH) + ny * Int(pz * invH))
                    let label = Int(cells[voxel])   // a region label, or an air code
                    let m = codeMaterial[label]
                    if m == 0 {
                        // Air: skip straight on by the free distance (exact; see chessboardAirDistance).
                        let t = airSkip[label]
                        if t > 0 {
                            px += t * dx; py += t * dy; pz += t * dz
                            travelled += t
                            crossSegments()
                        }
                        continue
                    }
                    // Track-length kerma: E·μen of the voxel's material, interpolated here for the one
                    // material (interpolating every material's at each energy change, or summing while the
                    // label stays the same, measured 4% slower).
                    let q0 = ie * nM + m
                    let eMuEn = enRows[q0] + fe * (enRows[q0 + nM] - enRows[q0])
                    out[kermaOffset + label] += eMuEn * invMuMax
                    let b = codeBone[label]
                    if b >= 0 {
                        let f = nL + 2 * (b * bins + ib)
                        out[f] += invMuMax
                        out[f + 1] += invMuMax * fb
                    }
                    let k = m * nE + ie
                    // μ of the voxel's material, interpolated here for the one material: with a medium per
                    // skeletal site there are about 30 materials, and interpolating them all at each
                    // energy change cost 15% of a history (session 25).
                    let r0 = ie * stride + m
                    if rng.uniform() >= (rows[r0] + fe * (rows[r0 + stride] - rows[r0])) * invMuMax { continue }   // virtual collision
                    collided = true
                    let r = rng.uniform()
                    var deposit: Double
                    var alive = true
                    if r < fractions[2 * k] {
                        deposit = e; alive = false
                    } else if r < fractions[2 * k + 1] {
                        let (e1, c) = samplers[m - 1].sampleIncoherent(e, &rng)
                        deposit = e - e1
                        rotate(&dx, &dy, &dz, cosTheta: c, &rng)
                        if e1 < 1 { deposit = e; alive = false; out[kermaOffset + label] += e1 }
                        out[label] += deposit
                        e = e1
                        if !alive { break }
                        refresh(e)
                        aim()
                        continue
                    } else {
                        let c = samplers[m - 1].sampleCoherent(e, &rng)
                        rotate(&dx, &dy, &dz, cosTheta: c, &rng)
                        aim()
                        continue
                    }
                    out[label] += deposit
                    if !alive { break }
                }
            }
        } } } } } } } } } } }
        out[bk] += emitted
        out[bk + 1] += escaped
        out[bk + 2] += kap
        out[bk + 3] += kerma
        out[bk + 4] += Double(histories)
        out[bk + 5] += uncollided
    }
}

/// Entry and exit distances of a ray into the box [0, size) (slab method).
@inline(__always)
func boxEntry(_ px: Double, _ py: Double, _ pz: Double, _ dx: Double, _ dy: Double, _ dz: Double,
              _ sx: Double, _ sy: Double, _ sz: Double) -> (Double, Double) {
    var tIn = 0.0, tOut = Double.infinity
    slab(px, dx, sx, &tIn, &tOut); slab(py, dy, sy, &tIn, &tOut); slab(pz, dz, sz, &tIn, &tOut)
    return (tIn, tOut)
}

@inline(__always)
func slab(_ p: Double, _ d: Double, _ size: Double, _ tIn: inout Double, _ tOut: inout Double) {
    if d != 0 {
        let inverse = 1 / d
        let t0 = -p * inverse, t1 = (size - p) * inverse
        tIn = maximum(tIn, minimum(t0, t1)); tOut = minimum(tOut, maximum(t0, t1))   // branch-free: the sign of d is unpredictable
    } else if p < 0 || p >= size { tOut = -1 }
}

/// `Swift.min` and `Swift.max` of two doubles, the same expressions: in the tracking loop, too
/// large for the inliner, the generic ones stay calls, and a call spills every live floating-
/// point register.
@inline(__always) func minimum(_ x: Double, _ y: Double) -> Double { y < x ? y : x }
@inline(__always) func maximum(_ x: Double, _ y: Double) -> Double { y >= x ? y : x }

/// Turns a unit direction by polar angle θ (cos θ given) and a uniform azimuth; the azimuth's
/// cosine and sine come from a point in the unit disc (no trigonometric calls).
@inline(__always)
func rotate(_ u: inout Double, _ v: inout Double, _ w: inout Double, cosTheta c: Double, _ rng: inout RandomStream) {
    var a = 0.0, b = 0.0, r2 = 0.0
    repeat {
        a = 2 * rng.uniform() - 1; b = 2 * rng.uniform() - 1; r2 = a * a + b * b
    } while r2 > 1 || r2 == 0
    let inverseR2 = 1 / r2
    let cosPhi = (a * a - b * b) * inverseR2, sinPhi = 2 * a * b * inverseR2
    let s = max(0, 1 - c * c).squareRoot()
    if abs(w) > 0.99999 {
        let sign: Double = w > 0 ? 1 : -1
        u = s * cosPhi; v = s * sinPhi; w = sign * c
        return
    }
    let t = (1 - w * w).squareRoot(), st = s / t
    let nu = c * u + st * (u * w * cosPhi - v * sinPhi)
    let nv = c * v + st * (v * w * cosPhi + u * sinPhi)
    let nw = c * w - s * cosPhi * t
    // Renormalise against rounding drift: the rotation keeps |u| = 1 up to ~1e-16, so one
    // Newton step of 1/√x about 1, (3 − |u|²)/2, is exact to machine precision and spares
    // a square root and a division on the path to the next step.
    let n = 1.5 - 0.5 * (nu * nu + nv * nv + nw * nw)
    u = nu * n; v = nv * n; w = nw * n
}
