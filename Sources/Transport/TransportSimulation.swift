import Dispatch
import Foundation
import HarmonicCore
import Phantoms

/// Photon Monte Carlo organ dosimetry in the stylised phantoms.
///
/// `run` voxelises the phantom, builds the energy tables of its tissues, places the source,
/// then runs `batches` fixed batches of histories on all cores
/// (`DispatchQueue.concurrentPerform`), each batch with its own
/// `RandomStream(seed:stream: batch)`, and reduces the batches in order: the same seed gives the
/// same result whatever the thread count. Organ dose uncertainties come from the spread of the
/// batch estimates.
public enum TransportSimulation {
    static let joulesPerKeV = 1.602176634e-16

    /// Runs a simulation with the given physics. `progress(done, total)` is called as batches finish.
    public static func run<P: PhysicsModel>(_ config: TransportConfiguration, physics model: P, voxels given: VoxelPhantom? = nil,
                                            progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> OrganDoseResult {
        let start = Date()
        let phantom = config.phantom
        let physics = model.adapted(to: phantom)
        guard config.histories > 0 else {
            throw TransportInputError(field: "histories", value: "\(config.histories)", expected: "a positive number of photon histories")
        }
        let voxels = given ?? phantom.voxelise(spacing: config.voxelSpacing)
        let problem = try makeProblem(config, voxels: voxels, physics: physics)
        let batches = max(1, min(config.batches, config.histories))
        let raw = runBatches(problem.problem, histories: config.histories, batches: batches, seed: config.seed,
                             threads: config.threads, progress: progress)
        return reduce(raw: raw, batches: batches, problem: problem, voxels: voxels, config: config, physics: physics,
                      seconds: Date().timeIntervalSince(start))
    }

    /// Runs fixed batches of a tracking problem on `threads` workers (nil: all cores), each batch
    /// with its own random stream and its own slice of the tallies; returns the batches' tallies
    /// in batch order. Workers take the next batch as they finish one, so a core slowed by
    /// other work holds back at most one batch; which worker runs a batch does not change it.
    static func runBatches<S>(_ problem: TrackingProblem<S>, histories: Int, batches: Int, seed: UInt64, threads: Int?,
                              progress: (@Sendable (Int, Int) -> Void)? = nil) -> [Double] {
        let per = problem.talliesPerBatch
        var raw = [Double](repeating: 0, count: batches * per)
        let queue = BatchQueue()
        raw.withUnsafeMutableBufferPointer { buffer in
            let base = UnsafeMutableBufferPointerBox(buffer)
            let workers = max(1, min(threads ?? ProcessInfo.processInfo.activeProcessorCount, batches))
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let b = queue.take()
                    if b >= batches { break }
                    let n = histories / batches + (b < histories % batches ? 1 : 0)
                    var rng = RandomStream(seed: seed, stream: UInt64(b))
                    let slice = UnsafeMutableBufferPointer(rebasing: base.buffer[(b * per)..<((b + 1) * per)])
                    problem.run(histories: n, rng: &rng, out: slice)
                    progress?(queue.finished(), batches)
                }
            }
        }
        return raw
    }

    struct Prepared<S: ScatterSampler> {
        let problem: TrackingProblem<S>
        /// Reference quantity conversions: KAP and air kerma per tally unit.
        let isPointSource: Bool
        let airKermaDivisor: Double       // Ω·D_skin² (point) or field area (parallel), cm²
        let focusToSkin: Double?
    }

    static func makeProblem<P: PhysicsModel>(_ config: TransportConfiguration, voxels: VoxelPhantom, physics: P) throws -> Prepared<P.Sampler> {
        let phantom = config.phantom
        // Materials: one per tissue present (index = tissue.rawValue + 1), at the phantom's densities;
        // then, where the physics follows the phantom's skeleton, one per skeletal site present: the
        // site's own mixture (`SkeletonComposition.siteMedia`) at the skeleton's fitted density times
        // the site's relative density, rescaled over the sites so that the bones keep their mass.
        let tissues = Tissue.allCases
        var sites: [(site: SkeletalSite, model: P, density: Double)] = []
        var siteIndex: [SkeletalSite: Int] = [:]
        var siteVoxels: [Double] = []
        for r in voxels.regions where r.voxelCount > 0 && r.tissue == .skeleton {
            guard case let .bone(site) = r.role else { continue }
            let medium = phantom.skeleton.siteMedia[site.rawValue]
            if let i = siteIndex[site] { siteVoxels[i] += Double(r.voxelCount); continue }
            guard let model = physics.forSkeletonSite(medium) else { continue }
            siteIndex[site] = sites.count
            sites.append((site, model, medium.relativeDensity))
            siteVoxels.append(Double(r.voxelCount))
        }
        if !sites.isEmpty {
            let volume = siteVoxels.reduce(0, +)
            let weighted = zip(siteVoxels, sites).reduce(0) { $0 + $1.0 * $1.1.density }
            let norm = volume / weighted
            for i in sites.indices { sites[i].density *= norm * phantom.density(of: .skeleton) }
        }
        let labelMaterial = [0] + voxels.regions.map { r -> Int in
            if case let .bone(site) = r.role, r.tissue == .skeleton, let i = siteIndex[site] { return tissues.count + 1 + i }
            return r.tissue.rawValue + 1
        }
        let present = Set(zip(labelMaterial.dropFirst(), voxels.regions).filter { $0.1.voxelCount > 0 }.map(\.0))
        var attenuation: [(Double) -> (total: Double, photo: Double, incoherent: Double, coherent: Double)] = tissues.map { t in
            let rho = phantom.density(of: t)
            return { e in
                let m = physics.massAttenuation(t, keV: e)
                return (m.total * rho, m.photo * rho, m.incoherent * rho, m.coherent * rho)
            }
        }
        var absorption: [(Double) -> Double] = tissues.map { t in
            let rho = phantom.density(of: t)
            return { e in physics.massEnergyAbsorption(t, keV: e) * rho }
        }
        for s in sites {
            let model = s.model, rho = s.density
            attenuation.append { e in
                let m = model.massAttenuation(.skeleton, keV: e)
                return (m.total * rho, m.photo * rho, m.incoherent * rho, m.coherent * rho)
            }
            absorption.append { e in model.massEnergyAbsorption(.skeleton, keV: e) * rho }
        }
        let tables = InteractionTables(present: present, materials: attenuation, energyAbsorption: absorption)
        var labelBone = [-1], boneCount = 0
        for r in voxels.regions {
            // Bone regions score their site's spongiosa fluence; a cortex (cortical bone) does not.
            if case .bone = r.role, r.tissue != .corticalBone { labelBone.append(boneCount); boneCount += 1 } else { labelBone.append(-1) }
        }
        let air = EnergyTable { physics.muEnOverRho(.air, keV: $0) }
        let source: BeamSource
        var divisor: Double
        var fsd: Double? = nil
        switch config.beam {
        case let .cArm(projection, width, height, distance, target):
            guard width > 0, height > 0 else {
                throw TransportInputError(field: "field", value: "\(width)x\(height)", expected: "positive width and height in cm")
            }
            guard let iso = voxels.centroid(of: target) else {
                throw TransportInputError(field: "target organ", value: target.rawValue, expected: "an organ present in the \(phantom.sex) phantom")
            }
            let d = projection.direction, (u, v) = projection.fieldAxes
            let skinDepth = depthToSkin(from: iso, towards: -1 * d, voxels)
            let focus: Vec3, plane: Double
            switch distance {
            case let .focusToSkin(f):
                guard f > 0 else { throw TransportInputError(field: "focus-skin distance", value: "\(f)", expected: "a positive distance in cm") }
                focus = iso - (skinDepth + f) * d; plane = f; fsd = f
            case let .focusToIsocentre(f):
                guard f > skinDepth else {
                    throw TransportInputError(field: "focus-isocentre distance", value: "\(f)",
                                              expected: "more than the isocentre depth (\(String(format: "%.1f", skinDepth)) cm)")
                }
                focus = iso - f * d; plane = f; fsd = f - skinDepth
            }
            source = BeamSource(kind: .point, origin: focus, axis: d, u: u, v: v, distance: plane,
                                halfWidth: width / 2, halfHeight: height / 2)
            divisor = source.solidAngle * fsd! * fsd!
        case let .wholeBodyParallel(projection):
            let d = projection.direction, (u, v) = projection.fieldAxes
            let lo = voxels.origin
            let hi = lo + Vec3(Double(voxels.nx) * voxels.spacing, Double(voxels.ny) * voxels.spacing, Double(voxels.nz) * voxels.spacing)
            let centre = 0.5 * (lo + hi)
            var hu = 0.0, hv = 0.0, hd = 0.0
            for corner in 0..<8 {
                let c = Vec3(corner & 1 == 0 ? lo.x : hi.x, corner & 2 == 0 ? lo.y : hi.y, corner & 4 == 0 ? lo.z : hi.z) - centre
                hu = max(hu, abs(c.dot(u))); hv = max(hv, abs(c.dot(v))); hd = max(hd, abs(c.dot(d)))
            }
            source = BeamSource(kind: .parallel, origin: centre - (hd + 1) * d, axis: d, u: u, v: v, distance: 0,
                                halfWidth: hu, halfHeight: hv)
            divisor = source.fieldArea
        case let .ct(geometry):
            guard geometry.beamWidth > 0, geometry.focusToAxis > 0, geometry.pitch > 0 else {
                throw TransportInputError(field: "CT geometry", value: "beam width \(geometry.beamWidth) cm, focus-axis \(geometry.focusToAxis) cm, pitch \(geometry.pitch)",
                                          expected: "a positive beam width, focus-axis distance and pitch")
            }
            source = BeamSource(ct: geometry)
            // 'Air kerma' of a CT run is Σ E·(μen/ρ)air per photon (Gy·cm², no field area):
            // CTSimulation multiplies it back out and normalises to CTDIvol instead.
            divisor = 1
        }
        let problem = TrackingProblem(nx: voxels.nx, ny: voxels.ny, nz: voxels.nz, origin: voxels.origin, spacing: voxels.spacing,
                                      labels: voxels.labels, labelMaterial: labelMaterial, labelBone: labelBone, boneCount: boneCount,
                                      tables: tables, airMuEn: air,
                                      samplers: tissues.map { physics.sampler($0) } + sites.map { $0.model.sampler(.skeleton) },
                                      source: source, spectrum: config.spectrum,
                                      grid: TrackingGridCache.shared.grid(for: voxels, labelMaterial: labelMaterial, labelBone: labelBone))
        return Prepared(problem: problem, isPointSource: source.kind == .point, airKermaDivisor: divisor, focusToSkin: fsd)
    }

    /// Distance from a point inside the body to the last body voxel along a direction (cm).
    static func depthToSkin(from p: Vec3, towards d: Vec3, _ v: VoxelPhantom) -> Double {
        var t = 0.0, last = 0.0
        let step = v.spacing / 4
        let limit = Double(v.nx + v.ny + v.nz) * v.spacing
        while t < limit {
            if v.label(at: p + t * d) != 0 { last = t }
            t += step
        }
        return last + step / 2
    }
}

/// Hands out batch indices to workers (0, 1, 2, ...) and counts finished batches for progress.
final class BatchQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0, done = 0
    /// The next batch to run (callers stop at the batch count).
    func take() -> Int { lock.lock(); defer { lock.unlock() }; next += 1; return next - 1 }
    /// Counts one more finished batch; returns the count.
    func finished() -> Int { lock.lock(); defer { lock.unlock() }; done += 1; return done }
}

/// Lets concurrent batches write disjoint slices of one buffer.
struct UnsafeMutableBufferPointerBox: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>
    init(_ b: UnsafeMutableBufferPointer<Double>) { buffer = b }
}
