import ArgumentParser
import DICOM
import Foundation
import HarmonicCore

/// `harmonic dicom`: read DICOM files without any external toolkit.
struct DicomCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dicom",
        abstract: "Inspect DICOM files: element dumps, SR content trees, radiation dose reports, folder scans.",
        discussion: """
        Reads Part 10 files and raw data sets (implicit/explicit VR little endian, explicit big endian, \
        deflated). Errors name the file, the tag and the byte offset.
        Examples:
          harmonic dicom dump --depth 1 rtplan.dcm
          harmonic dicom dump --sr RF-RDSR-GE.dcm
          harmonic dicom dose RF-RDSR-GE.dcm
          harmonic dicom scan /data/site-3/dicom
          harmonic dicom dvh --dose RD.dcm --struct RS.dcm
        """,
        subcommands: [Dump.self, Dose.self, Scan.self, DVH.self]
    )

    struct Dump: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the data set as a tree (like dcmdump) or the SR content tree (like dsrdump).",
            discussion: "Each line: tag, VR, value, length and keyword; sequences show their items indented.\nExample: harmonic dicom dump --depth 0 CT_small.dcm")
        @Argument(help: "DICOM file to dump.") var file: String
        @Flag(name: .customLong("sr"), help: "Print the structured report content tree instead of elements.") var sr = false
        @Option(help: "Show sequences only this many levels deep (0: top level only).") var depth: Int?
        @Flag(help: "Also print the file meta information (group 0002).") var meta = false

        func run() throws {
            let f = try DICOMFile(contentsOf: URL(fileURLWithPath: file))
            if sr { print(DICOMDump.contentTree(ContentItem(document: f.dataSet)), terminator: ""); return }
            print("# \(file): transfer syntax \(f.transferSyntax), \(f.hasPreamble ? "Part 10" : "no preamble")")
            if meta { print(DICOMDump.dataSet(f.meta), terminator: "") }
            print(DICOMDump.dataSet(f.dataSet, maxDepth: depth), terminator: "")
        }
    }

    struct Dose: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the irradiation events and per-plane totals of an X-ray radiation dose SR.",
            discussion: "Units are normalised: DAP in Gy·cm², dose at the reference point in mGy.\nExample: harmonic dicom dose RF-RDSR-Canon-Ultimaxi-mGyDoseAtRP.dcm")
        @Argument(help: "Radiation dose SR file.") var file: String

        func run() throws {
            let r = try RadiationDoseReport(file: DICOMFile(contentsOf: URL(fileURLWithPath: file)))
            print("Device: \(r.manufacturer ?? "?") \(r.modelName ?? "?"); \(r.events.count) events")
            for a in r.accumulated {
                print("Plane \(a.plane.rawValue): DAP \(fmt(a.doseAreaProductTotal?.value)) Gy·cm², RP dose \(fmt(a.doseAtReferencePointTotal?.milligray)) mGy, fluoro time \(fmt(a.totalFluoroTime?.value)) s")
            }
            print("#  type                    plane   DAP(Gy·cm²)  RP(mGy)   kVp    mA     angles(°)      filters")
            for (i, e) in r.events.enumerated() {
                let angles = "\(fmt(e.primaryAngleDegrees))/\(fmt(e.secondaryAngleDegrees))"
                let filters = e.filters.map { "\($0.material ?? "?") \(fmt($0.thicknessMaximum?.millimetre))mm" }.joined(separator: "+")
                print("\(i + 1)".padding(3) + e.type.rawValue.padding(24) + e.plane.rawValue.padding(8)
                      + fmt(e.doseAreaProduct?.value).padding(13) + fmt(e.doseAtReferencePoint?.milligray).padding(10)
                      + fmt(e.kVp?.value).padding(7) + fmt(e.tubeCurrentMilliampere).padding(7) + angles.padding(15) + filters)
            }
            if !r.unconvertedUnits.isEmpty { print("Units not understood: \(r.unconvertedUnits.joined(separator: ", "))") }
        }
    }

    struct Scan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Classify every file of a folder (dose reports, RT objects, images) and list unreadable ones with reasons.",
            discussion: "Parses on all cores; memory does not grow with the number of files.\nExample: harmonic dicom scan /data/site-3/dicom")
        @Argument(help: "Folder to walk recursively.") var directory: String

        func run() throws {
            let urls = DirectoryScan.files(in: URL(fileURLWithPath: directory))
            FileHandle.standardError.write(Data("scanning \(urls.count) files\n".utf8))
            let results = DirectoryScan.scan(urls) { n in FileHandle.standardError.write(Data("  \(n)/\(urls.count)\n".utf8)) }
            var counts: [String: Int] = [:]
            for r in results { counts[r.kind.rawValue, default: 0] += 1 }
            for (k, n) in counts.sorted(by: { $0.key < $1.key }) { print("\(k): \(n)") }
            let problems = results.filter { $0.problem != nil }
            if !problems.isEmpty {
                print("\(problems.count) file(s) with problems:")
                for p in problems { print("  \(p.path): \(p.problem!)") }
                throw ExitCode(3)
            }
        }
    }
}

extension DicomCommand {
    struct DVH: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dvh",
            abstract: "Dose-volume statistics per structure: volume, mean, max, D2%, D98% from an RT Dose and an RT Structure Set.",
            discussion: """
            A voxel belongs to a structure when its centre lies inside one of the structure's closed planar \
            contours on a plane within half a frame spacing (even-odd rule for holes). D2% and D98% are the \
            near-maximum and near-minimum doses of ICRU Report 83. Both files must share a frame of \
            reference: when no structure lies inside the dose grid the command says where each lies and exits 3.
            Examples:
              harmonic dicom dvh --dose RD.dcm --struct RS.dcm
              harmonic dicom dvh --dose RD.dcm --struct RS.dcm --json
              harmonic dicom dvh --dose RD.dcm --struct RS.dcm --csv dvh.csv --bins 200
            """)
        @Option(help: "RT Dose file (the dose grid).") var dose: String
        @Option(name: .customLong("struct"), help: "RT Structure Set file (the contours).") var structureSet: String
        @Flag(help: "Print JSON instead of a table.") var json = false
        @Option(help: "Also write the cumulative DVH of every structure to this CSV file (structure,dose,volume_fraction).")
        var csv: String?
        @Option(help: "Dose bins of the cumulative DVH, from 0 to the structure's maximum.") var bins = 100

        func validate() throws {
            guard bins >= 1 else { throw ValidationError("--bins must be at least 1 (got \(bins))") }
        }

        func run() throws {
            let report: DoseVolumeReport
            do {
                report = try DoseVolumeReport(doseURL: URL(fileURLWithPath: dose), structureURL: URL(fileURLWithPath: structureSet), bins: bins)
            } catch let e as DoseGridMismatch {
                FileHandle.standardError.write(Data((e.description + "\n").utf8))
                throw ExitCode(3)
            }
            print(json ? report.json : report.text, terminator: json ? "\n" : "")
            if let csv { try report.cumulativeCSV.write(toFile: csv, atomically: true, encoding: .utf8) }
        }
    }
}

private func fmt(_ x: Double?) -> String {
    guard let x else { return "-" }
    return String(format: "%.6g", x)
}

private extension String {
    func padding(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
