import ArgumentParser
import Foundation
import HarmonicCore
import RTDose

/// `harmonic rt`: radiotherapy organ doses.
struct RTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rt",
        abstract: "Radiotherapy organ doses: in-field from DICOM-RT, out-of-field models for photons and protons.",
        subcommands: [Dose.self])

    struct Dose: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Organ doses of one plan from its RT Plan, RT Dose and RT Structure Set, or of a course from its record.",
            discussion: """
            For every organ of the shared organ list that exists in the child's sex it prints the mean \
            absorbed dose and D2% (Gy), a 95% interval, and the split into components: in-field (the \
            dose grid), patient scatter, head scatter and leakage (photons), secondary neutrons (protons: \
            absorbed dose in Gy and dose equivalent in Sv), imaging (empty until the imaging-dose issue).
            Contoured organs (names mapped by Sources/RTDose/Resources/structure_synonyms.tsv, AAPM TG-263 \
            and variants) use their voxels inside the grid; beyond --blend cm from the field edge (the 50% \
            isodose) and outside the grid the out-of-field model replaces the planning system's dose. \
            Organs not contoured are placed from the age- and sex-matched phantom registered to the BODY \
            outline and the contoured organs. Structures that give no organ dose are listed with the reason.
            The three files must share one Frame of Reference; the dose must be in GY on evenly spaced \
            slices; only external photon and proton plans are accepted. Errors name the file and tag.
            Without DICOM-RT, --site with --modality, --technique, --prescribed-dose and --fractions gives             the course-record tier: site-typical fields (brain, craniospinal, head_neck, thorax, abdomen,             pelvis, extremity) on the child's phantom receive the prescribed dose, everything else the             out-of-field model; an unknown site is an error.
            Examples:
              harmonic rt dose --plan RP.dcm --dose RD.dcm --struct RS.dcm --age 8 --sex F
              harmonic rt dose --site craniospinal --modality proton --technique pencil_beam_scanning \
                --prescribed-dose 36 --fractions 20 --age 6 --sex M --json
              harmonic rt dose --plan RP.dcm --dose RD.dcm --struct RS.dcm --age 8 --sex F --height 128 --weight 25 --json
            --json prints the shared plan-dose document (schema harmonic.rt-plan-dose/1) read by `harmonic risk compare`.
            """)
        @Option(help: "RT Plan file (beams, fractions, prescription).") var plan: String?
        @Option(help: "RT Dose file (the dose grid, Gy).") var dose: String?
        @Option(name: .customLong("struct"), help: "RT Structure Set file (contours).") var structureSet: String?
        @Option(help: "Course record: target site (brain, craniospinal, head_neck, thorax, abdomen, pelvis, extremity).") var site: String?
        @Option(help: "Course record: photon or proton.") var modality: String?
        @Option(help: "Course record: 3d_crt, imrt, vmat, tomotherapy, stereotactic, passive_scattering, pencil_beam_scanning.")
        var technique: String?
        @Option(help: "Course record: number of fractions.") var fractions: Int?
        @Option(help: "Course record: nominal energy (MV photons, MeV protons).") var energy: Double?
        @Option(help: "Age of the child at treatment, years.") var age: Double
        @Option(help: "Sex: F or M.") var sex: String
        @Option(help: "Height, cm (with --weight: an individual phantom scaled from the nearest reference age).") var height: Double?
        @Option(help: "Body mass, kg (with --height).") var weight: Double?
        @Option(help: "Distance from the field edge (cm) beyond which the out-of-field model replaces the grid.") var blend = 3.0
        @Option(help: "Prescribed dose (Gy): for a course record, or for a plan that carries none.") var prescribedDose: Double?
        @Flag(help: "Print the plan-dose JSON instead of a table.") var json = false

        func validate() throws {
            guard Sex(code: sex) != nil else { throw ValidationError("--sex must be F or M (got '\(sex)')") }
            guard age >= 0, age < 120 else { throw ValidationError("--age must be between 0 and 120 years (got \(age))") }
            guard (height == nil) == (weight == nil) else { throw ValidationError("--height and --weight go together") }
            if let height, !(30...230).contains(height) { throw ValidationError("--height must be 30-230 cm (got \(height))") }
            if let weight, !(1...200).contains(weight) { throw ValidationError("--weight must be 1-200 kg (got \(weight))") }
            guard blend >= 0 else { throw ValidationError("--blend must be at least 0 cm") }
            let files = [plan, dose, structureSet].compactMap { $0 }.count
            if site == nil {
                guard files == 3 else { throw ValidationError("give --plan, --dose and --struct (or --site and the course record options)") }
            } else {
                guard files == 0 else { throw ValidationError("--site (course record) and --plan/--dose/--struct (DICOM-RT) exclude each other") }
                guard modality != nil, technique != nil, prescribedDose != nil, fractions != nil else {
                    throw ValidationError("a course record needs --modality, --technique, --prescribed-dose and --fractions")
                }
            }
        }

        func run() throws {
            let patient = PatientDescription(ageYears: age, sex: Sex(code: sex)!, heightCm: height, massKg: weight)
            let result: PlanDoseResult
            if let site, let modality, let technique, let prescribedDose, let fractions {
                let course = try CourseRecord(targetSite: site, modality: modality, technique: technique, prescribedDoseGy: prescribedDose,
                                              fractions: fractions, energyMeV: energy, location: .file("command line"))
                result = try CourseRecordDose.run(course, patient: patient)
            } else {
                let files = try PlanFiles(plan: URL(fileURLWithPath: plan!), dose: URL(fileURLWithPath: dose!),
                                          structures: URL(fileURLWithPath: structureSet!))
                var options = PlanDoseOptions()
                options.blendDistanceCm = blend
                options.prescribedDoseGy = prescribedDose
                result = try PlanDoseCalculation.run(files, patient: patient, options: options)
            }
            print(json ? result.json : result.text, terminator: json ? "\n" : "")
        }
    }
}
