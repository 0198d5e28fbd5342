import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic library`: build, inspect and query the cardiac organ dose coefficient library.
struct LibraryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Build, inspect and query the precomputed organ-dose-per-KAP library for cardiac C-arm exposures.",
        discussion: """
        The library holds Monte Carlo organ doses per unit kerma-area product (KAP) for a field \
        centred on the heart, for every reference phantom (newborn, 1, 5, 10, 15 y, adult; male and \
        female), C-arm angle (primary RAO90...LAO90, secondary CAU45...CRA45, every 15 degrees) and \
        field size, for monoenergetic photons 15-120 keV. Any tube spectrum (kVp, mm Cu, mm Al) is \
        folded in at lookup time; angles, field size and the child's size (weight and height) are \
        interpolated. Method and error figures: docs/dosimetry-library.md.

        Examples:
          harmonic library info
          harmonic library lookup --age 3 --sex F --weight 13 --height 95 --projection LAO30/CRA15 --kvp 70 --cu 0.2 --field 8x8
          harmonic library build --out /tmp/lib.hlib --histories-per-point 20000 --ages 0,1
          harmonic library build --out /tmp/lib.hlib --histories-per-point 20000 --ages 0,1 --resume
        """,
        subcommands: [LibraryBuildCommand.self, LibraryInfoCommand.self, LibraryLookupCommand.self, LibraryCTCommand.self, LibraryKVImagingCommand.self, LibraryRadiographyCommand.self])
}

/// Parses "0,1,5" style lists.
private func numbers(_ text: String, _ option: String) throws -> [Double] {
    let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    let values = parts.compactMap(Double.init)
    guard !values.isEmpty, values.count == parts.count else {
        throw ValidationError("\(option) '\(text)': expected comma-separated numbers, e.g. 0,1,5")
    }
    return values
}

struct LibraryBuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Compute a coefficient library by Monte Carlo (resumable).",
        discussion: """
        Runs one monoenergetic Monte Carlo simulation per grid point and energy and writes the \
        library file. Records are appended to <out>.partial as they finish: if the build is \
        interrupted (Ctrl-C, power cut), run the same command with --resume and it continues \
        where it stopped; the finished file is identical to an uninterrupted build's. \
        Progress goes to stderr.

        Cost: grid records x energies x --histories-per-point histories (the default grid has \
        4,368 records x 12 energies). To refresh the committed default library:
          swift run -c release harmonic library build --out Sources/Dosimetry/Resources/cardiac-coefficients.hlib \\
                --histories-per-point 20000
        A library whose red marrow includes the trabeculae's photoelectron dose, for a sensitivity \
        analysis of the marrow dose's definition (then: harmonic dose --store COPY-OF-STORE --library enhanced.hlib):
          harmonic library build --out enhanced.hlib --histories-per-point 20000 --marrow-response enhanced
        A quick small library for experiments:
          harmonic library build --out /tmp/small.hlib --ages 5 --sexes F --primary 0,90 --secondary 0 \\
                --fields 64 --histories-per-point 20000
        """)

    @Option(help: "Output file.") var out: String = "cardiac-coefficients.hlib"
    @Option(help: "Photon histories per grid point and energy.") var historiesPerPoint: Int = 20000
    @Flag(help: "Continue the unfinished build in <out>.partial.") var resume = false
    @Option(help: "Reference ages (0, 1, 5, 10, 15, 30 = adult), comma-separated.") var ages: String?
    @Option(help: "Sexes, e.g. M,F.") var sexes: String?
    @Option(help: "Primary angles in degrees (RAO -, LAO +), comma-separated.") var primary: String?
    @Option(help: "Secondary angles in degrees (CAU -, CRA +), comma-separated.") var secondary: String?
    @Option(help: "Field areas at the skin in cm², comma-separated.") var fields: String?
    @Option(help: "Photon energies in keV, comma-separated.") var energies: String?
    @Option(help: "Random seed.") var seed: UInt64 = 2026
    @Option(help: ArgumentHelp("Where the phantoms' arms are: 'raised' above the head (default, as in paediatric catheterisation: the lateral angles do not pass through them) or 'sides' (hanging, the ICRP reference posture).", valueName: "raised|sides"))
    var arms: ArmPosture = .raised
    @Option(help: "Compute at most this many records, then stop (build in slices; continue with --resume).") var stopAfter: Int?
    @Option(help: ArgumentHelp("Active-marrow response: 'kerma' (default, the committed library's) or 'enhanced' (with the trabeculae's photoelectron dose: a library for a sensitivity analysis, used with harmonic dose --library).", valueName: "kerma|enhanced"))
    var marrowResponse: MarrowResponse = .marrowKerma
    @Flag(help: "Print the build summary (records, computed, resumed, seconds, bytes, finished) as JSON.") var json = false

    func run() throws {
        var grid = LibraryGrid.standard
        if let ages { grid.ages = try numbers(ages, "--ages").map { Int($0) } }
        if let sexes { grid.sexes = sexes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } }
        if let primary { grid.primaryDegrees = try numbers(primary, "--primary") }
        if let secondary { grid.secondaryDegrees = try numbers(secondary, "--secondary") }
        if let fields { grid.fieldAreasCm2 = try numbers(fields, "--fields") }
        if let energies { grid.energiesKeV = try numbers(energies, "--energies") }
        grid.armPosture = arms
        let problems = grid.problems()
        guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
        guard historiesPerPoint > 0 else { throw ValidationError("--histories-per-point must be positive") }
        let command = "harmonic " + CommandLine.arguments.dropFirst().joined(separator: " ")
        let plan = LibraryBuildPlan(grid: grid, historiesPerPoint: historiesPerPoint, seed: seed, command: command, marrowResponse: marrowResponse)
        let url = URL(fileURLWithPath: out)
        note("library: \(grid.recordCount) records x \(grid.energiesKeV.count) energies x \(historiesPerPoint) histories -> \(out)")
        let bar = ProgressBar("library")
        let start = Date()
        var firstDone: Int? = nil
        var lastNote = Date()
        let summary: LibraryBuildSummary
        do {
            summary = try LibraryBuilder.build(plan, to: url, resume: resume, stopAfter: stopAfter) { done, total in
                bar.update(Double(done) / Double(total))
                if firstDone == nil { firstDone = done; return }
                if Date().timeIntervalSince(lastNote) > 30, done > firstDone!, done < total {
                    lastNote = Date()
                    let rate = Double(done - firstDone!) / Date().timeIntervalSince(start)
                    note(String(format: "library: %d/%d records, %.1f records/s, about %.0f s left", done, total, rate, Double(total - done) / rate))
                }
            }
        } catch let e as InputError { throw ValidationError(e.description) }
        note(String(format: "library: %d records computed (%d resumed) in %.1f s", summary.computedRecords, summary.resumedRecords, summary.seconds))
        if json {
            print(try jsonString(LibraryBuildJSON(out: out, records: summary.records, computedRecords: summary.computedRecords,
                                                  resumedRecords: summary.resumedRecords, finished: summary.finished,
                                                  seconds: summary.seconds, bytes: summary.bytes)))
        } else if summary.finished {
            print("wrote \(out): \(summary.records) records, \(summary.bytes) bytes")
        } else {
            print("stopped after \(summary.resumedRecords + summary.computedRecords) of \(summary.records) records; continue with --resume (checkpoint \(out).partial)")
        }
    }
}

struct LibraryInfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show a library's grid, size and provenance (the committed default without PATH).")

    @Argument(help: "Library file (default: the committed library).") var path: String?
    @Flag(help: "Print the grid, size and provenance as JSON.") var json = false

    func run() throws {
        let library: CoefficientLibrary
        do { library = try path.map { try CoefficientLibrary(contentsOf: URL(fileURLWithPath: $0)) } ?? CoefficientLibrary.loadDefault() }
        catch let e as InputError { throw ValidationError(e.description) }
        let h = library.header, g = h.grid
        if json {
            print(try jsonString(LibraryInfoJSON(file: library.url.path, bytes: library.fileBytes, records: g.recordCount, recordBytes: h.recordBytes,
                                                 ages: g.ages, sexes: g.sexes, primaryDegrees: g.primaryDegrees, secondaryDegrees: g.secondaryDegrees,
                                                 fieldAreasCm2: g.fieldAreasCm2, energiesKeV: g.energiesKeV, focusSkinCm: g.focusSkinCm,
                                                 anodeAngleDegrees: g.anodeAngleDegrees, voxelScale: g.voxelScale, arms: g.armPosture.rawValue,
                                                 historiesPerPoint: h.historiesPerPoint,
                                                 seed: h.seed, built: h.built, command: h.command, engine: h.engine)))
            return
        }
        func list(_ v: [Double]) -> String { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) }.joined(separator: ", ") }
        print("""
        file        \(library.url.path)
        size        \(library.fileBytes) bytes (\(String(format: "%.2f", Double(library.fileBytes) / 1_048_576)) MiB), \(g.recordCount) records of \(h.recordBytes) bytes
        ages        \(g.ages.map(String.init).joined(separator: ", ")) (30 = adult)
        sexes       \(g.sexes.joined(separator: ", "))
        primary     \(list(g.primaryDegrees)) degrees (RAO -, LAO +)
        secondary   \(list(g.secondaryDegrees)) degrees (CAU -, CRA +)
        fields      \(list(g.fieldAreasCm2)) cm² at the skin (square)
        energies    \(list(g.energiesKeV)) keV
        geometry    focus-skin \(g.focusSkinCm) cm, central ray through the heart, anode angle \(g.anodeAngleDegrees) degrees, voxel scale \(g.voxelScale)
        arms        \(g.armPosture == .raised ? "raised above the head" : "at the sides")
        histories   \(h.historiesPerPoint) per grid point and energy, seed \(h.seed)
        built       \(h.built)
        command     \(h.command)
        engine      \(h.engine)
        """)
    }
}

struct LibraryLookupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup",
        abstract: "Organ dose per KAP for one cardiac exposure, from the library.",
        discussion: """
        Example:
          harmonic library lookup --age 3 --sex F --weight 13 --height 95 --projection LAO30/CRA15 --kvp 70 --cu 0.2 --field 8x8
        Angles follow the DICOM positioner convention (see `harmonic mc --help`). The field is the \
        collimated field at the skin entrance. Without --weight/--height the ICRP 89 reference body \
        for the age is used.
        """)

    @Option(help: "Age in years.") var age: Double
    @Option(help: "Sex: M or F.") var sex: String
    @Option(help: "Body mass in kg (optional).") var weight: Double?
    @Option(help: "Height in cm (optional).") var height: Double?
    @Option(help: "Projection, e.g. PA, LAT, LAO30/CRA20.") var projection: String = "PA"
    @Option(help: "Tube voltage in kV.") var kvp: Double = 70
    @Option(help: "Copper filtration in mm.") var cu: Double = 0
    @Option(help: "Aluminium (total, non-copper) filtration in mm.") var al: Double = 3
    @Option(help: "Field WxH in cm at the skin, e.g. 8x8.") var field: String = "8x8"
    @Option(help: "Library file (default: the committed library).") var library: String?
    @Flag(help: "Print the coefficients as JSON (organ → mGy per Gy·cm² and per Gy of reference air kerma).") var json = false

    func run() throws {
        guard let sexValue = Sex(code: sex) else { throw ValidationError("--sex '\(sex)': expected M or F") }
        let parts = field.lowercased().split(separator: "x").compactMap { Double($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("--field '\(field)': expected WxH in cm, e.g. 8x8") }
        let proj: Projection
        do { proj = try Projection(parsing: projection) } catch { throw ValidationError("--projection: \(error)") }
        let exposure = CardiacExposure(
            patient: PatientSize(age: Years(age), sex: sexValue, weight: weight.map { Kilogram($0) }, height: height.map { Centimetre($0) }),
            primaryDegrees: proj.primaryDegrees, secondaryDegrees: proj.secondaryDegrees,
            quality: BeamQuality(kVp: KiloVolt(kvp), copperMillimetres: cu, aluminiumMillimetres: al),
            fieldAreaCm2: parts[0] * parts[1])
        let result: LibraryLookup
        do {
            let lib = try library.map { try CoefficientLibrary(contentsOf: URL(fileURLWithPath: $0)) } ?? CoefficientLibrary.loadDefault()
            result = try lib.lookup(exposure)
        } catch let e as InputError { throw ValidationError(e.description) }
        if json {
            let organs = Organ.allCases.filter { $0.exists(in: sexValue) }.map {
                LibraryLookupJSON.OrganCoefficient(organ: $0.rawValue, mGyPerGyCm2: result.coefficients[$0], mGyPerGyReferenceAirKerma: result.dosePerReferenceAirKerma($0))
            }
            print(try jsonString(LibraryLookupJSON(organs: organs, effectiveDose103PerKAP: result.coefficients.effectiveDosePerKAP,
                                                   effectiveDose60PerKAP: result.effectiveDose60PerKAP,
                                                   kapPerEntranceAirKermaCm2: result.kapPerEntranceAirKerma,
                                                   kapPerReferenceAirKermaCm2: result.kapPerReferenceAirKerma, clamped: "\(result.clamped)")))
            return
        }
        print("organ                     mGy/(Gy·cm²)   mGy/Gy K(ref point)")
        for organ in Organ.allCases where organ.exists(in: sexValue) {
            let name = organ.displayName.padding(toLength: 25, withPad: " ", startingAt: 0)
            print(name + String(format: " %12.4g   %12.4g", result.coefficients[organ], result.dosePerReferenceAirKerma(organ)))
        }
        print(String(format: "effective dose ICRP 103 (sex-averaged): %.4g mSv/(Gy·cm²); ICRP 60: %.4g", result.coefficients.effectiveDosePerKAP, result.effectiveDose60PerKAP))
        print(String(format: "KAP per air kerma: %.1f cm² at the skin entrance, %.1f cm² at the reference point", result.kapPerEntranceAirKerma, result.kapPerReferenceAirKerma))
        print("clamped to the grid: \(result.clamped)")
    }
}

/// `library build --json`.
struct LibraryBuildJSON: Encodable {
    let out: String
    let records, computedRecords, resumedRecords: Int
    let finished: Bool
    let seconds: Double
    let bytes: Int
    enum CodingKeys: String, CodingKey {
        case out, records, finished, seconds, bytes
        case computedRecords = "computed_records", resumedRecords = "resumed_records"
    }
}

/// `library info --json`: the grid, size and provenance of a library file.
struct LibraryInfoJSON: Encodable {
    let file: String
    let bytes, records, recordBytes: Int
    let ages: [Int]
    let sexes: [String]
    let primaryDegrees, secondaryDegrees, fieldAreasCm2, energiesKeV: [Double]
    let focusSkinCm, anodeAngleDegrees, voxelScale: Double
    /// Where the phantoms' arms were: "raised" or "sides".
    let arms: String
    let historiesPerPoint: Int
    let seed: UInt64
    let built, command, engine: String
    enum CodingKeys: String, CodingKey {
        case file, bytes, records, ages, sexes, seed, built, command, engine, arms
        case recordBytes = "record_bytes", primaryDegrees = "primary_degrees", secondaryDegrees = "secondary_degrees"
        case fieldAreasCm2 = "field_areas_cm2", energiesKeV = "energies_kev", focusSkinCm = "focus_skin_cm"
        case anodeAngleDegrees = "anode_angle_degrees", voxelScale = "voxel_scale", historiesPerPoint = "histories_per_point"
    }
}

/// `library lookup --json`: organ dose per KAP and per reference-point air kerma for one exposure.
struct LibraryLookupJSON: Encodable {
    struct OrganCoefficient: Encodable {
        let organ: String
        let mGyPerGyCm2, mGyPerGyReferenceAirKerma: Double
        enum CodingKeys: String, CodingKey { case organ, mGyPerGyCm2 = "mgy_per_gy_cm2", mGyPerGyReferenceAirKerma = "mgy_per_gy_reference_air_kerma" }
    }
    let organs: [OrganCoefficient]
    let effectiveDose103PerKAP, effectiveDose60PerKAP, kapPerEntranceAirKermaCm2, kapPerReferenceAirKermaCm2: Double
    let clamped: String
    enum CodingKeys: String, CodingKey {
        case organs, clamped
        case effectiveDose103PerKAP = "effective_dose_icrp103_msv_per_gy_cm2", effectiveDose60PerKAP = "effective_dose_icrp60_msv_per_gy_cm2"
        case kapPerEntranceAirKermaCm2 = "kap_per_entrance_air_kerma_cm2", kapPerReferenceAirKermaCm2 = "kap_per_reference_air_kerma_cm2"
    }
}
