import Dispatch
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// What to build: the grid, the photon histories per (geometry, energy) run, the seed, and
/// the provenance stamped into the header.
public struct LibraryBuildPlan: Sendable {
    public var grid: LibraryGrid
    public var historiesPerPoint: Int
    public var seed: UInt64
    /// ISO 8601 start time written to the header (a resumed build keeps the checkpoint's).
    public var built: String
    public var command: String
    /// The active-marrow response of every run (default: the marrow kerma). A library built with
    /// `.photoelectronEnhanced` serves a sensitivity analysis of the marrow dose's definition
    /// (docs/red-marrow.md, "Photoelectron enhancement"); its header's engine says so.
    public var marrowResponse: MarrowResponse

    public init(grid: LibraryGrid, historiesPerPoint: Int, seed: UInt64 = 2026,
                built: String = ISO8601DateFormatter().string(from: Date()), command: String = "",
                marrowResponse: MarrowResponse = .marrowKerma) {
        self.grid = grid; self.historiesPerPoint = historiesPerPoint; self.seed = seed
        self.built = built; self.command = command; self.marrowResponse = marrowResponse
    }

    var header: LibraryHeader {
        var h = LibraryHeader(grid: grid, historiesPerPoint: historiesPerPoint, seed: seed, built: built, command: command)
        if marrowResponse == .photoelectronEnhanced { h.engine += Self.enhancedMarrowNote }
        return h
    }

    /// Appended to the header's engine by a library whose red marrow includes the enhancement.
    public static let enhancedMarrowNote = "; active marrow: marrow kerma times the trabeculae's photoelectron enhancement (chord model of the ICRP 143 spongiosa, --marrow-response enhanced)"
}

/// What a build did.
public struct LibraryBuildSummary: Sendable {
    public let records: Int
    /// Records found in the checkpoint and kept.
    public let resumedRecords: Int
    public let computedRecords: Int
    public let finished: Bool
    public let seconds: Double
    public let bytes: Int
}

/// Builds a coefficient library by Monte Carlo, one geometry record at a time, with a checkpoint.
///
/// Each record runs one monoenergetic C-arm simulation per energy node (`Transport`, product
/// physics), all energies of a record in parallel (one thread each: a run's result depends
/// only on its seed, never on the thread count). Records are appended to `<out>.partial` as
/// they finish; that file has the final layout, so an interrupted build is continued by
/// reading its header (which must match the plan) and counting its complete records, and the
/// finished file is the checkpoint renamed: a resumed build gives the same bytes as an
/// uninterrupted one. Run seeds: splitmix64 of (seed, record, energy).
public enum LibraryBuilder {
    /// Batches per run (the engine's fixed batch count; part of what makes results reproducible).
    static let batchesPerRun = 8

    /// The checkpoint next to `url`.
    public static func checkpointURL(for url: URL) -> URL { URL(fileURLWithPath: url.path + ".partial") }

    /// Builds (or with `resume`, continues) the library at `url`. `stopAfter` computes at most
    /// that many new records and leaves the checkpoint (an interruption, for tests and for
    /// building in slices). `progress(done, total)` is called after each record.
    @discardableResult
    public static func build(_ plan: LibraryBuildPlan, to url: URL, resume: Bool, stopAfter: Int? = nil,
                             progress: ((Int, Int) -> Void)? = nil) throws -> LibraryBuildSummary {
        let start = Date()
        let grid = plan.grid
        let problems = grid.problems()
        guard problems.isEmpty else {
            throw InputError(.file("library grid"), field: "grid", value: problems.joined(separator: "; "), expected: "a valid grid")
        }
        guard plan.historiesPerPoint > 0 else {
            throw InputError(.file("library plan"), field: "histories per point", value: "\(plan.historiesPerPoint)", expected: "a positive number")
        }
        let partial = checkpointURL(for: url)
        let fm = FileManager.default
        var header = plan.header
        var done = 0
        if fm.fileExists(atPath: partial.path) {
            guard resume else {
                throw InputError(.file(partial.path), expected: "no unfinished build here: continue it with --resume, or delete it to start again")
            }
            let data = try Data(contentsOf: partial)
            let (found, headerEnd) = try CoefficientLibraryFile.decodeHeader(data, path: partial.path)
            var comparable = found
            comparable.built = header.built; comparable.command = header.command
            guard comparable == header else {
                throw InputError(.file(partial.path), field: "header",
                                 value: "grid/histories/seed/marrow response of the checkpoint (\(found.historiesPerPoint) histories, seed \(found.seed)\(found.engine.hasSuffix(LibraryBuildPlan.enhancedMarrowNote) ? ", enhanced marrow" : ""))",
                                 expected: "the same grid, histories per point (\(plan.historiesPerPoint)), seed (\(plan.seed)) and marrow response (\(plan.marrowResponse.rawValue)) as this build")
            }
            header = found
            done = min(CoefficientLibraryFile.completeRecords(fileSize: data.count, headerEnd: headerEnd, header: found), grid.recordCount)
            // Drop a record cut off by the interruption.
            let keep = headerEnd + done * found.recordBytes
            if data.count != keep {
                let h = try FileHandle(forWritingTo: partial)
                try h.truncate(atOffset: UInt64(keep)); try h.close()
            }
        } else {
            try fm.createDirectory(at: partial.deletingLastPathComponent(), withIntermediateDirectories: true)
            try CoefficientLibraryFile.encodeHeader(header).write(to: partial)
        }
        let resumed = done
        let handle = try FileHandle(forWritingTo: partial)
        defer { try? handle.close() }
        try handle.seekToEnd()
        let total = grid.recordCount
        let last = min(total, stopAfter.map { done + $0 } ?? total)
        var cache: (key: Int, phantom: StylisedPhantom, voxels: VoxelPhantom)? = nil
        progress?(done, total)
        while done < last {
            let point = grid.point(ofRecord: done)
            let key = point.age * grid.sexes.count + point.sex
            if cache?.key != key {
                let phantom = StylisedPhantom.reference(age: ReferenceAge(rawValue: grid.ages[point.age])!, sex: Sex(rawValue: grid.sexes[point.sex])!)
                    .withArms(grid.armPosture)
                cache = (key, phantom, phantom.voxelise(spacing: phantom.defaultSpacing * grid.voxelScale))
            }
            let record = try computeRecord(done, grid: grid, plan: plan, phantom: cache!.phantom, voxels: cache!.voxels)
            try handle.write(contentsOf: record)
            done += 1
            progress?(done, total)
        }
        try handle.synchronize()
        try handle.close()
        let finished = done == total
        if finished {
            if fm.fileExists(atPath: url.path) { try fm.removeItem(at: url) }
            try fm.moveItem(at: partial, to: url)
        }
        let bytes = (try? fm.attributesOfItem(atPath: (finished ? url : partial).path)[.size] as? Int) ?? 0
        return LibraryBuildSummary(records: total, resumedRecords: resumed, computedRecords: done - resumed, finished: finished,
                                   seconds: Date().timeIntervalSince(start), bytes: bytes)
    }

    /// The Monte Carlo runs of one geometry record, encoded.
    static func computeRecord(_ index: Int, grid: LibraryGrid, plan: LibraryBuildPlan,
                              phantom: StylisedPhantom, voxels: VoxelPhantom) throws -> Data {
        let point = grid.point(ofRecord: index)
        let projection = Projection(primaryDegrees: grid.primaryDegrees[point.primary], secondaryDegrees: grid.secondaryDegrees[point.secondary])
        let side = grid.fieldAreasCm2[point.field].squareRoot()
        let nE = grid.energiesKeV.count
        let organs = Organ.allCases
        let nQ = organs.count + 2
        let results = ResultSlots(count: nE)
        DispatchQueue.concurrentPerform(iterations: nE) { e in
            var config = TransportConfiguration(
                phantom: phantom,
                beam: .cArm(projection: projection, fieldWidth: side, fieldHeight: side, distance: .focusToSkin(grid.focusSkinCm), target: .heart),
                spectrum: .monoenergetic(grid.energiesKeV[e]), histories: plan.historiesPerPoint,
                seed: runSeed(plan.seed, record: index, energy: e), batches: batchesPerRun, threads: 1)
            config.marrowResponse = plan.marrowResponse
            results.set(e, Result { try TransportSimulation.run(config, voxels: voxels) })
        }
        var values = [Double](repeating: 0, count: nE * nQ)
        var kapPerESAK = 0.0
        for e in 0..<nE {
            let r = try results.get(e)
            if e == 0, let kap = r.kapPerHistory { kapPerESAK = kap / r.airKermaPerHistory }
            for dose in r.organs { values[e * nQ + dose.organ.index] = dose.perKAP ?? 0 }
            values[e * nQ + organs.count] = r.effectiveDose103PerKAP ?? 0
            values[e * nQ + organs.count + 1] = r.effectiveDose60PerKAP ?? 0
        }
        let depth = isocentreDepth(voxels, direction: projection.direction)
        return CoefficientLibraryFile.encodeRecord(kapPerESAK: kapPerESAK, isocentreDepth: depth, values: values)
    }

    /// Depth (cm) of the heart centroid below the skin along the beam, as the transport places
    /// the focus (last body voxel met walking from the centroid towards the focus).
    static func isocentreDepth(_ v: VoxelPhantom, direction d: Vec3) -> Double {
        guard let iso = v.centroid(of: .heart) else { return 0 }
        var t = 0.0, last = 0.0
        let step = v.spacing / 4, limit = Double(v.nx + v.ny + v.nz) * v.spacing
        while t < limit {
            if v.label(at: iso - t * d) != 0 { last = t }
            t += step
        }
        return last + step / 2
    }

    /// splitmix64 of the seed and the run's position (Steele, Lea & Flood, OOPSLA 2014).
    static func runSeed(_ seed: UInt64, record: Int, energy: Int) -> UInt64 {
        var z = seed &+ UInt64(record &* 64 &+ energy) &* 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Results of concurrent runs, one slot each.
final class ResultSlots: @unchecked Sendable {
    private var slots: [Result<OrganDoseResult, Error>?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<OrganDoseResult, Error>) { lock.lock(); slots[i] = r; lock.unlock() }
    func get(_ i: Int) throws -> OrganDoseResult { lock.lock(); defer { lock.unlock() }; return try slots[i]!.get() }
}
