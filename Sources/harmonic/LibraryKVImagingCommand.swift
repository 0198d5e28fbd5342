import ArgumentParser
import Dosimetry
import Foundation
import HarmonicCore
import Phantoms
import Transport

/// `harmonic library kv-imaging`: precomputes the radiotherapy kV imaging (CBCT, planar kV pair) organ-dose table.
struct LibraryKVImagingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kv-imaging",
        abstract: "Compute the CBCT (per CTDIw) and planar kV pair (per entrance air kerma) organ-dose table (Harmonic's Monte Carlo).",
        discussion: """
        CBCT: one rotation of a cone beam (head and neck: full fan, 100 kV, 25 cm field of view, 17 cm \
        cone; trunk: half fan, 125 kV, 45 cm field of view, 16 cm cone; focus 100 cm from the axis) \
        centred on the region of the reference phantom; organ doses per weighted CTDI (mGy per mGy) \
        of the same source in the 16 cm (head, neck) or 32 cm (trunk) CTDI phantom, and the CTDIw per \
        mAs of the simulated tube (index_per_mas, mGy/mAs). Planar kV: an AP and a lateral image \
        (80 kV head and neck, 100 kV trunk, 3 mm Al), focus 100 cm from the isocentre at the region's \
        landmark organ; organ doses of the pair per entrance air kerma of each image (mGy per mGy). \
        Geometry and beam quality are Harmonic's assumptions: docs/imaging-dose.md.

        Refresh the committed table (release build, about 2 min on 2 cores; the committed table used 10^6 histories):
          harmonic library kv-imaging --histories 1000000 --ctdi-histories 1000000 --out Sources/Dosimetry/Resources/kv-imaging-organ-dose-coefficients.csv
        A quick look:
          harmonic library kv-imaging --out /tmp/kv.csv --ages 5 --sexes F --regions pelvis --histories 20000
        """)

    @Option(help: "Output CSV file.") var out: String = KVImagingCoefficientTable.fileName
    @Option(help: "Photon histories per CBCT rotation and per planar image.") var histories: Int = 30_000
    @Option(help: "Photon histories per CTDI phantom simulation.") var ctdiHistories: Int = 100_000
    @Option(help: "Reference ages, comma-separated (0,1,5,10,15,30).") var ages: String = "0,1,5,10,15,30"
    @Option(help: "Sexes, comma-separated (M,F).") var sexes: String = "M,F"
    @Option(help: "Regions, comma-separated (head, neck, chest, abdomen, pelvis).") var regions: String = "head,neck,chest,abdomen,pelvis"
    @Option(help: "Modalities, comma-separated (cbct, planar_kv).") var modalities: String = "cbct,planar_kv"
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Flag(help: "Print what was written (file, rows, effective dose per index of each simulation) as JSON.") var json = false

    func run() throws {
        let ageList = try commaList(ages, option: "ages") { Int($0).flatMap(ReferenceAge.init(rawValue:)) }
        let sexList = try commaList(sexes, option: "sexes") { Sex(code: $0) }
        let regionList = try commaList(regions, option: "regions") { try? CTRegion(parsing: $0) }
        let modalityList = try commaList(modalities, option: "modalities") { KVImagingDoses.Modality(rawValue: $0) }
        guard histories > 0, ctdiHistories > 0 else { throw ValidationError("--histories and --ctdi-histories must be positive") }
        let start = Date()
        var notes: [String] = []
        var norms: [CBCTProtocol.Fan: (p16: CTDIPhantomResult, p32: CTDIPhantomResult)] = [:]
        if modalityList.contains(.cbct) {
            for p in Set(regionList.map { CBCTProtocol.default(for: $0).fan }).sorted(by: { $0.rawValue < $1.rawValue }) {
                let proto = p == .full ? CBCTProtocol.head : CBCTProtocol.body
                let n = try CBCTSimulation.ctdi(proto, histories: ctdiHistories, seed: seed)
                norms[p] = n
                notes.append(String(format: "CBCT %@ fan %g kV: CTDIw per photon 16 cm %.4g Gy (centre %.4g, periphery %.4g), 32 cm %.4g Gy (centre %.4g, periphery %.4g); photons per mAs %.4g",
                                    p.rawValue, proto.kVp, n.p16.weighted, n.p16.centre, n.p16.periphery, n.p32.weighted, n.p32.centre, n.p32.periphery,
                                    proto.photonsPerMAs(proto.spectrum)))
                FileHandle.standardError.write((notes.last! + "\n").data(using: .utf8)!)
            }
        }
        var results: [KVImagingDoses] = []
        for age in ageList {
            for sex in sexList {
                var voxelsByPosture: [ArmPosture: VoxelPhantom] = [:]
                for region in regionList {
                    let voxels = voxelsByPosture[region.armPosture] ?? StylisedPhantom.reference(age: age, sex: sex).withArms(region.armPosture).voxelise()
                    voxelsByPosture[region.armPosture] = voxels
                    for modality in modalityList {
                        let r: KVImagingDoses
                        switch modality {
                        case .cbct:
                            let proto = CBCTProtocol.default(for: region)
                            r = try CBCTSimulation.scan(region: region, age: age, sex: sex, protocol: proto, histories: histories,
                                                        ctdi: norms[proto.fan]!, seed: seed, voxels: voxels)
                        case .planarKV:
                            r = try PlanarKVSimulation.pair(region: region, age: age, sex: sex, histories: histories, seed: seed, voxels: voxels)
                        }
                        results.append(r)
                        FileHandle.standardError.write(String(format: "%@ %@ %@ %@: E %.4g mSv per mGy, %.1f s\n", modality.rawValue, age.label, sex.rawValue,
                                                              region.rawValue, r.effectiveDose103, r.wallSeconds).data(using: .utf8)!)
                    }
                }
            }
        }
        let header = [
            "Harmonic radiotherapy kV imaging organ dose coefficients: CBCT organ dose (mGy) per weighted CTDI (mGy; 16 cm phantom head/neck, 32 cm trunk)",
            "of one rotation; planar kV pair (AP + lateral) organ dose per entrance air kerma (mGy, free in air at the skin) of each image; ICRP 103 effective dose (mSv per mGy).",
            "index_per_mas: CBCT CTDIw per mAs (mGy/mAs) of the simulated tube. Computed by Harmonic's photon Monte Carlo (Sources/Transport/CBCTSimulation.swift,",
            "PlanarKVSimulation.swift) on the stylised ICRP 89 reference phantoms, arms raised for chest, abdomen and pelvis; geometry and beam quality are Harmonic's assumptions (docs/imaging-dose.md).",
            "Generated by: harmonic library kv-imaging --histories \(histories) --ctdi-histories \(ctdiHistories) --ages \(ages) --sexes \(sexes) --regions \(regions) --modalities \(modalities) --seed \(seed)",
            String(format: "on %@ in %.0f s.", ISO8601DateFormatter().string(from: Date()), Date().timeIntervalSince(start)),
        ] + notes
        try KVImagingCoefficientTable.render(results, header: header).write(toFile: out, atomically: true, encoding: .utf8)
        if json {
            print(try jsonString(TableBuildJSON(out: out, rows: results.count, seconds: Date().timeIntervalSince(start), simulations: results.map {
                .init(modality: $0.modality.rawValue, region: $0.region.rawValue, age: $0.age, sex: $0.sex.rawValue, kvp: $0.kVp, effectiveDose103PerIndex: $0.effectiveDose103)
            })))
        } else {
            print("wrote \(results.count) rows of simulations to \(out)")
        }
    }
}
