import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic library ct`: precomputes the CT organ-dose-per-CTDIvol table by Monte Carlo.
struct LibraryCTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ct",
        abstract: "Compute the CT organ dose per CTDIvol table (Harmonic's Monte Carlo, CTDI phantoms simulated with the same source).",
        discussion: """
        For each kVp the head and body sources are first simulated in the 16 and 32 cm PMMA CTDI \
        phantoms (CTDIw = 1/3 centre + 2/3 periphery, 100 mm chambers); then every region, age and \
        sex is a helical scan on the reference phantom, its organ doses per photon divided by the \
        CTDIvol per photon. Head and neck rows refer to the 16 cm phantom, body rows to the 32 cm \
        phantom; other_phantom_ctdi_ratio converts. Method and checks: docs/imaging-dose.md.

        To refresh the committed table (release build; about 3 min on 2 cores):
          swift run -c release harmonic library ct --out Sources/Dosimetry/Resources/ct-organ-dose-coefficients.csv
        A quick look:
          harmonic library ct --out /tmp/ct.csv --ages 5 --sexes F --kvps 100 --regions chest --histories 200000
        """)

    @Option(help: "Output CSV file.") var out: String = "ct-organ-dose-coefficients.csv"
    @Option(help: "Photon histories per scan.") var histories: Int = 1_000_000
    @Option(help: "Photon histories per CTDI phantom simulation.") var ctdiHistories: Int = 1_000_000
    @Option(help: "Reference ages, comma-separated (0,1,5,10,15,30).") var ages: String = "0,1,5,10,15,30"
    @Option(help: "Sexes, comma-separated (M,F).") var sexes: String = "M,F"
    @Option(help: "Tube voltages, kV, comma-separated.") var kvps: String = "80,100,120"
    @Option(help: "Regions, comma-separated (\(CTRegion.allCases.map(\.rawValue).joined(separator: ", "))).")
    var regions: String = CTRegion.allCases.map(\.rawValue).joined(separator: ",")
    @Option(help: "Tube-current modulation strength 0 (off) to 1.") var modulation: Double = 0
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print what was written (file, rows, effective dose per index of each simulation) as JSON.") var json = false

    func run() throws {
        let ageList = try commaList(ages, option: "ages") { Int($0).flatMap(ReferenceAge.init(rawValue:)) }
        let sexList = try commaList(sexes, option: "sexes") { Sex(code: $0) }
        let kvpList = try commaList(kvps, option: "kvps") { Double($0) }
        let regionList = try commaList(regions, option: "regions") { try? CTRegion(parsing: $0) }
        guard histories > 0, ctdiHistories > 0 else { throw ValidationError("--histories and --ctdi-histories must be positive") }
        let start = Date()
        var scans: [CTScanDoses] = []
        var ctdiNotes: [String] = []
        var voxelCache: [String: VoxelPhantom] = [:]
        for kvp in kvpList {
            let spectrum = CTSimulation.spectrum(kVp: kvp)
            var norms: [Bowtie: (p16: CTDIPhantomResult, p32: CTDIPhantomResult)] = [:]
            for bowtie in Set(regionList.map(\.bowtie)) {
                let n = try CTSimulation.ctdiSet(bowtie: bowtie, spectrum: spectrum, histories: ctdiHistories, seed: seed)
                norms[bowtie] = n
                ctdiNotes.append(String(format: "%g kV %@ bowtie: CTDIw per photon 16 cm %.4g Gy (centre %.4g, periphery %.4g), 32 cm %.4g Gy (centre %.4g, periphery %.4g)",
                                        kvp, bowtie == .head ? "head" : "body", n.p16.weighted, n.p16.centre, n.p16.periphery,
                                        n.p32.weighted, n.p32.centre, n.p32.periphery))
                FileHandle.standardError.write((ctdiNotes.last! + "\n").data(using: .utf8)!)
            }
            for age in ageList {
                for sex in sexList {
                    for region in regionList {
                        let key = "\(age.rawValue)\(sex.rawValue)\(region.armPosture.rawValue)"
                        let voxels = voxelCache[key] ?? StylisedPhantom.reference(age: age, sex: sex).withArms(region.armPosture).voxelise()
                        voxelCache[key] = voxels
                        let s = try CTSimulation.scan(region: region, age: age, sex: sex, kVp: kvp, histories: histories,
                                                      ctdi: norms[region.bowtie]!, modulation: modulation, seed: seed, voxels: voxels)
                        scans.append(s)
                        FileHandle.standardError.write(String(format: "%g kV %@ %@ %@: scan %.1f cm, E %.4g mSv/mGy, %.1f s\n", kvp, age.label, sex.rawValue,
                                                              region.rawValue, s.scanLength, s.effectiveDose103PerCTDIvol, s.wallSeconds).data(using: .utf8)!)
                    }
                }
            }
        }
        let header = [
            "Harmonic CT organ dose coefficients: organ dose (mGy) per CTDIvol (mGy) in the reference CTDI phantom (16 cm head/neck, 32 cm body),",
            "and ICRP 103 effective dose (mSv per mGy, phantom sex). Computed by Harmonic's photon Monte Carlo (Sources/Transport/CTSimulation.swift):",
            "helical fan beam, focus-axis 54.1 cm, 50 cm field of view, 4 cm beam width, pitch 1, water bowtie (docs/imaging-dose.md),",
            "7 deg W anode, 6 mm Al + 0.1 mm Cu; stylised ICRP 89 reference phantoms, arms raised for chest, abdomen and pelvis scans; no overranging; tube-current modulation \(modulation).",
            "Generated by: harmonic library ct --histories \(histories) --ctdi-histories \(ctdiHistories) --ages \(ages) --sexes \(sexes) --kvps \(kvps) --regions \(regions) --modulation \(modulation) --seed \(seed)",
            String(format: "on %@ in %.0f s.", ISO8601DateFormatter().string(from: Date()), Date().timeIntervalSince(start)),
        ] + ctdiNotes
        try CTCoefficientTable.render(scans, header: header).write(toFile: out, atomically: true, encoding: .utf8)
        if json {
            print(try jsonString(TableBuildJSON(out: out, rows: scans.count, seconds: Date().timeIntervalSince(start), simulations: scans.map {
                .init(modality: "ct", region: $0.region.rawValue, age: $0.age, sex: $0.sex.rawValue, kvp: $0.kVp, effectiveDose103PerIndex: $0.effectiveDose103PerCTDIvol)
            })))
        } else {
            print("wrote \(scans.count) scans to \(out)")
        }
    }
}

/// What the table-building commands (`library ct`, `library kv-imaging`) print with `--json`.
struct TableBuildJSON: Encodable {
    let out: String
    let rows: Int
    let seconds: Double
    /// Effective dose (ICRP 103) per unit of the table's index, one per simulated scan or image set.
    let simulations: [Simulation]
    struct Simulation: Encodable {
        let modality: String, region: String, age: Int, sex: String, kvp: Double
        let effectiveDose103PerIndex: Double
        enum CodingKeys: String, CodingKey { case modality, region, age, sex, kvp, effectiveDose103PerIndex = "effective_dose_icrp103_per_index" }
    }
}
