import ArgumentParser
import Foundation
import HarmonicCore
import RTDose
import Registry

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

            --store PATH doses every course of rt_courses in the registry store, by tier: dicom_rt (with \
            --dicom-rt DIR: the course's plan, dose and structure set, loaded by ingest-dicom for the same \
            child with a study date from 120 days before start_date to end_date, found in DIR by SOP \
            Instance UID), course_record (site-typical fields on the reference phantom of the child's age \
            and sex, as --site above) or \
            flagged (the reason names the row and field: unknown target site, electron or carbon-ion or \
            brachytherapy course, no birth date). It writes rt_course_organ_dose (one row per course: tier, \
            flag_reason, organ doses in mGy under the column names of procedure_organ_dose plus every other \
            organ, the mean of the realisations; effective_dose_msv is left empty, effective dose is not a \
            quantity for therapeutic doses), rt_course_organ_component (in-field, out-of-field photons, \
            neutron absorbed dose in mGy and neutron dose equivalent in mSv per course and organ), \
            rt_child_organ_dose (per child, the sum over courses), rt_dose_runs, and the realisations \
            PATH.rt-realisations (float16, Gy, errors shared by target site, era and technique plus an \
            unshared error per course) with PATH.rt-realisations.index.csv. Runs are incremental: only new \
            or changed courses are computed (--full recomputes all).
              harmonic rt dose --store harmonic-out/harmonic.sqlite --realisations 1000
              harmonic rt dose --store harmonic-out/harmonic.sqlite --dicom-rt site-files/NO/rt
              harmonic rt dose --store synth.sqlite --dicom-rt synth-out     (synth's <CC>-radiotherapy/dicom-rt/, \
            after harmonic ingest-dicom synth-out/DK-radiotherapy/dicom-rt --site DK --key dk.key --store synth.sqlite)
              harmonic rt dose --store harmonic-out/harmonic.sqlite --json     (the run summary)
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
        @Option(help: "Registry store: dose every course of rt_courses (analyst role; see above).") var store: String?
        @Option(help: "With --store: realisations per course.") var realisations = 1000
        @Option(help: "With --store: random seed (the same seed and inputs give the same realisations).") var seed: UInt64 = 20_261_203
        @Flag(help: "With --store: recompute every course instead of only new or changed ones.") var full = false
        @Option(name: .customLong("dicom-rt"), help: "With --store: folder of the DICOM-RT files loaded by ingest-dicom; linked courses get the dicom_rt tier.")
        var dicomRT: String?
        @Option(name: .customLong("dicom-rt-keys"), help: ArgumentHelp("With --dicom-rt: folder of the site key files (NO.key, FR.key) used at ingest.",
                discussion: "The store holds every DICOM UID only as its keyed hash under the site key, so the files of --dicom-rt are found by hashing their UIDs with the key of each site; a site without a key file keeps the course-record tier, and the run says so."))
        var dicomRTKeys: String?
        @Option(help: "Age of the child at treatment, years.") var age: Double?
        @Option(help: "Sex: F or M.") var sex: String?
        @Option(help: "Height, cm (with --weight: an individual phantom scaled from the nearest reference age).") var height: Double?
        @Option(help: "Body mass, kg (with --height).") var weight: Double?
        @Option(help: "Distance from the field edge (cm) beyond which the out-of-field model replaces the grid.") var blend = 3.0
        @Option(help: "Prescribed dose (Gy): for a course record, or for a plan that carries none.") var prescribedDose: Double?
        @Flag(help: "Print the plan-dose JSON instead of a table.") var json = false

        func validate() throws {
            if let store {
                guard site == nil, [plan, dose, structureSet].allSatisfy({ $0 == nil }) else {
                    throw ValidationError("--store doses the courses of the store: leave out --site and --plan/--dose/--struct")
                }
                guard FileManager.default.fileExists(atPath: store) else { throw ValidationError("--store: no file at \(store)") }
                guard (1...100_000).contains(realisations) else { throw ValidationError("--realisations must be 1-100000, got \(realisations)") }
                return
            }
            guard let age, let sex else { throw ValidationError("--age and --sex are needed for one plan or course record (or give --store)") }
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
            if let store { return try runStore(store) }
            let patient = PatientDescription(ageYears: age!, sex: Sex(code: sex!)!, heightCm: height, massKg: weight)
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

        func runStore(_ path: String) throws {
            let registry = try RegistryStore(path: path, role: .analyst)
            if full { try RTDoseRun.clear(store: registry, storePath: path) }
            let summary = try RTDoseRun.run(store: registry, storePath: path, settings: RTDoseRun.Settings(seed: seed, realisations: realisations, dicomFolder: dicomRT,
                                                                                                        dicomKeys: try dicomRTKeys.map(Pseudonymiser.siteKeys(inFolder:)) ?? [:]),
                                            stage: { note("rt dose: \($0)") })
            if json { print(try jsonString(summary)); return }
            print("Radiotherapy courses: \(summary.courses) (computed \(summary.computed), unchanged \(summary.reused), removed \(summary.removed))")
            for (tier, count) in summary.byTier.sorted(by: { $0.key < $1.key }) { print("  \(tier): \(count)") }
            for (reason, count) in summary.flagReasons.sorted(by: { $0.key < $1.key }) { print("  flagged for \(reason): \(count)") }
            print(String(format: "Realisations: %@ (%d per course, Gy); %.1f s", summary.realisationFile, realisations, summary.seconds))
        }
    }
}
