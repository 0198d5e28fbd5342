import ArgumentParser
import Foundation
import HarmonicCore
import Phantoms
import Transport
import XRayPhysics

/// `harmonic mc`: organ doses for one C-arm projection by photon Monte Carlo.
/// `--marrow-response kerma|enhanced`.
extension MarrowResponse: ExpressibleByArgument {}
/// `--arms raised|sides`.
extension ArmPosture: ExpressibleByArgument {}

struct MCCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mc",
        abstract: "Organ doses per KAP and per entrance air kerma for one X-ray projection (photon Monte Carlo in a stylised paediatric phantom).",
        discussion: """
        Geometry convention (DICOM positioner angles, PS3.3 C.8.7.5): the patient lies supine, \
        head first; angles say where the DETECTOR is.
          PA        detector above the chest, tube under the table: beam back -> front
          AP        the reverse (primary angle 180)
          LAOn      primary +n: detector towards the patient's LEFT (LAO90 = LAT: beam right -> left)
          RAOn      primary -n: detector towards the patient's right (RAO90 = LLAT: beam left -> right)
          CRAn      secondary +n: detector tilted towards the HEAD (beam travels feet -> head)
          CAUn      secondary -n: detector tilted towards the feet
        Combine with '/': LAO30/CRA20. The central ray passes through the centre of --target \
        (heart: wall and blood); the field (width x height, cm) is defined in the plane at \
        --fsd (focus-skin distance along the central ray) or --fid (focus-isocentre distance).

        The phantom is the stylised reference phantom nearest to --age (newborn, 1, 5, 10, 15 y, \
        adult), scaled to --height/--mass if given (as PCXMC does), with its arms raised above \
        the head as in catheterisation (--arms sides hangs them beside the trunk, the ICRP \
        reference posture, where they shield the chest from lateral beams). Physics: photoelectric, \
        Compton (with S) and Rayleigh (with F), tungsten-anode spectrum (XRayPhysics); kerma approximation (no electron transport, \
        valid below 150 keV). Entrance air kerma is free-in-air on the central ray at the skin, \
        WITHOUT backscatter.

        Red marrow: photon fluence in each of the 22 ICRP 143 skeletal sites, folded with the \
        marrow kerma response and weighted by the site's share of the active marrow at the \
        child's age (docs/red-marrow.md). The table ends with the sites that carry at least 1% \
        of the marrow dose: their share of the marrow, their share of the dose and the marrow \
        dose in the site (mGy per mGy entrance air kerma); --json gives every site. \
        --marrow-response enhanced multiplies each site's marrow kerma by the photoelectron dose \
        the trabeculae add (chord model of the ICRP 143 spongiosa: up to ×1.3-1.5 at 50-70 keV in \
        infants, ×1.05-1.1 from 15 y); it is not the validated default (docs/red-marrow.md, \
        "Photoelectron enhancement").

        Example:
          harmonic mc --age 5 --sex F --kvp 70 --filter 3.5mmAl+0.1mmCu --projection LAO30/CRA20 \\
                      --field 10x10 --fsd 60 --histories 1e6
        """)

    @Option(help: "Age in years (picks the nearest reference phantom).") var age: Double
    @Option(help: "Sex: M or F.") var sex: String
    @Option(help: "Height in cm (optional; scales the phantom).") var height: Double?
    @Option(help: "Body mass in kg (optional; scales the phantom, needs --height).") var mass: Double?
    @Option(help: "Tube voltage in kV (40-125).") var kvp: Double = 70
    @Option(help: "Total filtration, e.g. 3.5mmAl+0.1mmCu.") var filter: String = "3.5mmAl"
    @Option(help: "Anode angle in degrees.") var anodeAngle: Double = 12
    @Option(help: "Monoenergetic source in keV instead of a tube spectrum.") var energy: Double?
    @Option(help: "Projection, e.g. PA, LAT, LAO30/CRA20 (see the convention above).") var projection: String = "PA"
    @Option(help: "Field size WxH in cm at the reference plane, e.g. 10x10.") var field: String = "10x10"
    @Option(help: "Focus-skin distance along the central ray (cm).") var fsd: Double?
    @Option(help: "Focus-isocentre distance (cm); field size is then given at the isocentre.") var fid: Double?
    @Option(help: "Organ the central ray aims at (snake_case, e.g. heart, lung).") var target: String = "heart"
    @Option(help: "Photon histories, e.g. 1e6.") var histories: String = "1e6"
    @Option(help: "Random seed (same seed, same result, whatever the thread count).") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("Active-marrow response: 'kerma' (the marrow kerma, default) or 'enhanced' (with the trabeculae's photoelectron dose).", valueName: "kerma|enhanced"))
    var marrowResponse: MarrowResponse = .marrowKerma
    @Option(help: ArgumentHelp("Where the arms are: 'raised' above the head (default: catheterisation, and what the coefficient library assumes) or 'sides' (hanging beside the trunk, as in the ICRP reference phantoms; they then shield the chest in lateral and oblique projections).", valueName: "raised|sides"))
    var arms: ArmPosture = .raised
    @Flag(help: "Print JSON instead of a table.") var json = false

    func run() throws {
        guard let sexValue = Sex(code: sex) else { throw ValidationError("--sex '\(sex)': expected M or F") }
        guard age >= 0, age < 120 else { throw ValidationError("--age '\(age)': expected years between 0 and 120") }
        guard let n = Double(histories), n >= 1, n <= 1e11 else { throw ValidationError("--histories '\(histories)': expected a number such as 1e6") }
        guard let organ = Organ(rawValue: target) else {
            throw ValidationError("--target '\(target)': expected one of \(Organ.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let parts = field.lowercased().split(separator: "x").compactMap { Double($0) }
        guard parts.count == 2, parts[0] > 0, parts[1] > 0 else { throw ValidationError("--field '\(field)': expected WxH in cm, e.g. 10x10") }
        let distance: FieldDistance
        switch (fsd, fid) {
        case let (s?, nil): distance = .focusToSkin(s)
        case let (nil, i?): distance = .focusToIsocentre(i)
        case (nil, nil): distance = .focusToSkin(60)
        default: throw ValidationError("give either --fsd or --fid, not both")
        }
        let proj: Projection
        do { proj = try Projection(parsing: projection) } catch { throw ValidationError("--\(error)") }
        var phantom: StylisedPhantom
        if let height {
            guard let mass else { throw ValidationError("--height needs --mass too") }
            phantom = .individual(ageYears: age, sex: sexValue, heightCm: height, massKg: mass)
        } else {
            phantom = .reference(age: .nearest(to: age), sex: sexValue)
        }
        phantom = phantom.withArms(arms)
        let spectrum: SourceSpectrum
        if let energy {
            guard energy >= 5, energy <= 150 else { throw ValidationError("--energy '\(energy)': expected 5-150 keV") }
            spectrum = .monoenergetic(energy)
        } else {
            guard kvp >= 40, kvp <= 150 else { throw ValidationError("--kvp '\(kvp)': expected 40-150 kV") }
            let filtration: Filtration
            do { filtration = try Filtration(parsing: filter) } catch { throw ValidationError("--filter '\(filter)': \(error)") }
            spectrum = SourceSpectrum(XRaySpectrum(kVp: kvp, anodeAngleDegrees: anodeAngle, filtration: filtration))
        }
        var config = TransportConfiguration(
            phantom: phantom,
            beam: .cArm(projection: proj, fieldWidth: parts[0], fieldHeight: parts[1], distance: distance, target: organ),
            spectrum: spectrum, histories: Int(n), seed: seed)
        config.marrowResponse = marrowResponse
        let bar = ProgressBar("mc \(proj) \(phantom.age.label) \(sexValue.rawValue)")
        let result: OrganDoseResult
        do { result = try TransportSimulation.run(config) { done, total in bar.update(Double(done) / Double(total)) } }
        catch let e as TransportInputError { throw ValidationError(e.description) }
        if json {
            // Organs with no deposit have an undefined relative uncertainty ("nan").
            print(try jsonString(result))
        } else {
            print(OrganDoseTable.render(result, title: "\(phantom.age.label) \(sexValue == .female ? "female" : "male"), arms \(arms == .raised ? "raised" : "at the sides"), \(proj), field \(field) cm, " + (energy.map { "\($0) keV" } ?? "\(Int(kvp)) kVp \(filter)")))
        }
    }
}
