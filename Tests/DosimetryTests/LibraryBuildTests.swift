import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
import Phantoms
@testable import Dosimetry

/// A library small enough to build in a debug test: one phantom, two angles, two energies,
/// coarse voxels, few histories. Built once per test process.
enum SmallLibrary {
    static let grid = LibraryGrid(ages: [5], sexes: ["F"], primaryDegrees: [0, 90], secondaryDegrees: [0],
                                  fieldAreasCm2: [64], energiesKeV: [30, 60], voxelScale: 3)
    static let plan = LibraryBuildPlan(grid: grid, historiesPerPoint: 400, seed: 11, built: "2026-11-23T00:00:00Z", command: "test")

    static let built: Result<URL, Error> = Result {
        let url = try SharedData.temporaryDirectory("library-small").appendingPathComponent("small.hlib")
        try LibraryBuilder.build(plan, to: url, resume: false)
        return url
    }
    static func url() throws -> URL { try built.get() }
}

@Suite("Library build: checkpoint, resume and file errors")
struct LibraryBuildTests {
    @Test("a build interrupted after one record and resumed gives the same bytes as an uninterrupted build")
    func resumeGivesSameBytes() throws {
        let whole = try Data(contentsOf: try SmallLibrary.url())
        let url = try SharedData.temporaryDirectory("library-resume").appendingPathComponent("lib.hlib")
        let first = try LibraryBuilder.build(SmallLibrary.plan, to: url, resume: false, stopAfter: 1)
        #expect(!first.finished)
        #expect(FileManager.default.fileExists(atPath: LibraryBuilder.checkpointURL(for: url).path))
        // A record cut off mid-write (a crash) is dropped and recomputed.
        let partial = LibraryBuilder.checkpointURL(for: url)
        let h = try FileHandle(forWritingTo: partial); try h.seekToEnd(); try h.write(contentsOf: Data([1, 2, 3])); try h.close()
        let second = try LibraryBuilder.build(SmallLibrary.plan, to: url, resume: true)
        #expect(second.finished)
        #expect(second.resumedRecords == 1 && second.computedRecords == 1)
        #expect(try Data(contentsOf: url) == whole)
        #expect(!FileManager.default.fileExists(atPath: partial.path))
    }

    @Test("a library header written before the arms' posture was recorded reads as arms at the sides; a new grid raises them")
    func headerWithoutArmPostureMeansArmsAtSides() throws {
        var json = String(decoding: try JSONEncoder().encode(SmallLibrary.grid), as: UTF8.self)
        #expect(json.contains("\"armPosture\":\"raised\""))
        json = json.replacingOccurrences(of: ",\"armPosture\":\"raised\"", with: "").replacingOccurrences(of: "\"armPosture\":\"raised\",", with: "")
        let old = try JSONDecoder().decode(LibraryGrid.self, from: Data(json.utf8))
        #expect(old.armPosture == .atSides)
        var expected = SmallLibrary.grid
        expected.armPosture = .atSides
        #expect(old == expected)
    }

    @Test("an existing checkpoint is not overwritten without --resume")
    func checkpointNeedsResume() throws {
        let url = try SharedData.temporaryDirectory("library-guard").appendingPathComponent("lib.hlib")
        try LibraryBuilder.build(SmallLibrary.plan, to: url, resume: false, stopAfter: 1)
        #expect(throws: InputError.self) { try LibraryBuilder.build(SmallLibrary.plan, to: url, resume: false) }
    }

    @Test("resuming with other settings than the checkpoint's is refused")
    func resumeChecksSettings() throws {
        let url = try SharedData.temporaryDirectory("library-mismatch").appendingPathComponent("lib.hlib")
        try LibraryBuilder.build(SmallLibrary.plan, to: url, resume: false, stopAfter: 1)
        var other = SmallLibrary.plan
        other.historiesPerPoint = 500
        #expect(throws: InputError.self) { try LibraryBuilder.build(other, to: url, resume: true) }
    }

    @Test("a truncated library file is rejected with a message that names the file and says it is truncated")
    func truncatedFileIsRejected() throws {
        let data = try Data(contentsOf: try SmallLibrary.url())
        let url = try SharedData.temporaryDirectory("library-truncated").appendingPathComponent("cut.hlib")
        try data.prefix(data.count - 10).write(to: url)
        do {
            _ = try CoefficientLibrary(contentsOf: url)
            Issue.record("a truncated file loaded")
        } catch let e as InputError {
            #expect(e.location.file == url.path)
            #expect(e.description.contains("truncated"))
        }
    }

    @Test("a file that is not a library, or whose header is damaged, is rejected with InputError")
    func corruptFileIsRejected() throws {
        let dir = try SharedData.temporaryDirectory("library-corrupt")
        let notLibrary = dir.appendingPathComponent("text.hlib")
        try Data("hello, this is not a library".utf8).write(to: notLibrary)
        #expect(throws: InputError.self) { try CoefficientLibrary(contentsOf: notLibrary) }
        var data = try Data(contentsOf: try SmallLibrary.url())
        data[20] = UInt8(ascii: "}")   // inside the JSON header
        let damaged = dir.appendingPathComponent("damaged.hlib")
        try data.write(to: damaged)
        #expect(throws: InputError.self) { try CoefficientLibrary(contentsOf: damaged) }
        #expect(throws: InputError.self) { try CoefficientLibrary(contentsOf: dir.appendingPathComponent("missing.hlib")) }
    }

    @Test("a NaN coefficient in a record is reported as a corrupt file")
    func nanValueIsRejected() throws {
        var data = try Data(contentsOf: try SmallLibrary.url())
        data[data.count - 1] = 0x7E; data[data.count - 2] = 0x00   // float16 NaN, little endian
        let url = try SharedData.temporaryDirectory("library-nan").appendingPathComponent("nan.hlib")
        try data.write(to: url)
        #expect(throws: InputError.self) { try CoefficientLibrary(contentsOf: url) }
    }
}

@Suite("Library interpolation")
struct LibraryInterpolationTests {
    @Test("at a grid point (reference child, grid angle and field) the lookup is the fold of that record exactly")
    func gridPointsAreReproduced() throws {
        let lib = try CoefficientLibrary(contentsOf: try SmallLibrary.url())
        let quality = BeamQuality(kVp: KiloVolt(80), copperMillimetres: 0.3, aluminiumMillimetres: 3)
        let weights = try lib.fold.weights(for: quality)
        for (p, primary) in SmallLibrary.grid.primaryDegrees.enumerated() {
            let exposure = CardiacExposure(patient: PatientSize(age: Years(5), sex: .female), primaryDegrees: primary,
                                           quality: quality, fieldAreaCm2: 64)
            let result = try lib.lookup(exposure)
            // On the grid: nothing clamped but the photon energy (80 kVp above this grid's 60 keV top node)
            // and the one-sex effective dose.
            #expect(result.clamped.subtracting([.photonEnergy, .singleSexEffectiveDose]).isEmpty)
            let r = SmallLibrary.grid.recordIndex(age: 0, sex: 0, field: 0, primary: p, secondary: 0)
            for organ in [Organ.heart, .lungs, .redMarrow, .breast] {
                let column = lib.organColumn[organ.index]!
                let expected = (0..<lib.nE).reduce(0.0) { $0 + weights[$1] * Double(lib.values[(r * lib.nE + $1) * lib.nQ + column]) }
                // Float rounding only (the fold sums 2 terms; exp(log(x)) is not taken at t = 0).
                #expect(abs(result.coefficients[organ] - expected) <= 1e-12 * max(1, expected))
            }
        }
    }

    @Test("between two angles the lookup lies between the two grid values (linear interpolation)")
    func betweenAnglesIsBetween() throws {
        let lib = try CoefficientLibrary(contentsOf: try SmallLibrary.url())
        let quality = BeamQuality(kVp: KiloVolt(70))
        func heart(_ primary: Double) throws -> Double {
            try lib.coefficients(for: CardiacExposure(patient: PatientSize(age: Years(5), sex: .female), primaryDegrees: primary,
                                                      quality: quality, fieldAreaCm2: 64))[.heart]
        }
        let a = try heart(0), b = try heart(90), mid = try heart(45)
        #expect(abs(mid - 0.5 * (a + b)) <= 1e-9 * max(a, b))
    }

    @Test("outside the grid the lookup clamps and flags the dimension; invalid input throws")
    func clampsAndErrors() throws {
        let lib = try CoefficientLibrary(contentsOf: try SmallLibrary.url())
        let child = PatientSize(age: Years(5), sex: .female)
        let outside = try lib.lookup(CardiacExposure(patient: child, primaryDegrees: 120, secondaryDegrees: 10,
                                                     quality: BeamQuality(kVp: KiloVolt(70)), fieldAreaCm2: 400))
        #expect(outside.clamped.contains(.primaryAngle) && outside.clamped.contains(.secondaryAngle) && outside.clamped.contains(.fieldArea))
        #expect(throws: InputError.self) {
            try lib.lookup(CardiacExposure(patient: child, primaryDegrees: 0, quality: BeamQuality(kVp: KiloVolt(.nan)), fieldAreaCm2: 64))
        }
        #expect(throws: InputError.self) {
            try lib.lookup(CardiacExposure(patient: child, primaryDegrees: 0, quality: BeamQuality(kVp: KiloVolt(70)), fieldAreaCm2: -1))
        }
        #expect(throws: InputError.self) {
            try lib.lookup(CardiacExposure(patient: PatientSize(age: Years(5), sex: .male), primaryDegrees: 0,
                                           quality: BeamQuality(kVp: KiloVolt(70)), fieldAreaCm2: 64))
        }
        #expect(throws: InputError.self) {
            try lib.lookup(CardiacExposure(patient: PatientSize(age: Years(5), sex: .female, weight: Kilogram(-3)), primaryDegrees: 0,
                                           quality: BeamQuality(kVp: KiloVolt(70)), fieldAreaCm2: 64))
        }
    }
}

@Suite("Library build with the enhanced marrow response (sensitivity analysis)")
struct EnhancedMarrowLibraryTests {
    @Test("a library built with the photoelectron enhancement raises only the red marrow, says so in its engine, and cannot resume a kerma build")
    func enhancedLibrary() throws {
        var plan = SmallLibrary.plan
        plan.marrowResponse = .photoelectronEnhanced
        let url = try SharedData.temporaryDirectory("library-enhanced").appendingPathComponent("enhanced.hlib")
        try LibraryBuilder.build(plan, to: url, resume: false)
        let enhanced = try CoefficientLibrary(contentsOf: url), kerma = try CoefficientLibrary(contentsOf: try SmallLibrary.url())
        #expect(enhanced.header.engine.hasSuffix(LibraryBuildPlan.enhancedMarrowNote) && !kerma.header.engine.hasSuffix(LibraryBuildPlan.enhancedMarrowNote))
        let marrow = enhanced.header.quantities.firstIndex(of: Organ.redMarrow.rawValue)!
        let lungs = enhanced.header.quantities.firstIndex(of: Organ.lungs.rawValue)!
        let n = enhanced.header.quantities.count
        let (a, b) = (Array(enhanced.values[0..<(2 * n)]), Array(kerma.values[0..<(2 * n)]))
        for e in 0..<2 {
            // Same seed and histories: the fluence is the same, only the marrow's response differs
            // (5-y factors at 30 and 60 keV: 1.1-1.5 by site).
            #expect(a[e * n + marrow] / b[e * n + marrow] > 1.05 && a[e * n + marrow] / b[e * n + marrow] < 1.6, "energy \(e)")
            #expect(a[e * n + lungs] == b[e * n + lungs])
        }
        // A checkpoint of a kerma build is not resumed as an enhanced one.
        let mixed = try SharedData.temporaryDirectory("library-mixed").appendingPathComponent("lib.hlib")
        try LibraryBuilder.build(SmallLibrary.plan, to: mixed, resume: false, stopAfter: 1)
        #expect(throws: InputError.self) { try LibraryBuilder.build(plan, to: mixed, resume: true) }
    }

    @Test("a dose source loaded from a library file is named by that file, and a missing file is an InputError naming it")
    func libraryPathSource() throws {
        let (_, identity) = try DefaultCoefficientSource.load(libraryPath: try SmallLibrary.url().path)
        #expect(identity.hasPrefix("small.hlib"))
        do {
            _ = try DefaultCoefficientSource.load(libraryPath: "/nonexistent/enhanced.hlib")
            Issue.record("a missing library loaded")
        } catch let e as InputError { #expect(e.description.contains("/nonexistent/enhanced.hlib")) }
    }
}
