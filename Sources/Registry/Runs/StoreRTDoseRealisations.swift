import Dosimetry
import Epidemiology
import Foundation
import HarmonicCore

/// The RT dose realisation file (`STORE.rt-realisations` with `.index.csv`, written by
/// `harmonic rt dose --store`) as a `DoseRealisationSource`, so that `harmonic analyze --cohort
/// radiotherapy --realisations STORE.rt-realisations` fits Monte Carlo maximum likelihood on the
/// realisations the RT run drew. Realisation r of every course shares the draw of the errors
/// shared by its (target site, era, technique) group, so summing a child's courses within a
/// realisation keeps shared errors shared (Stram & Kopecky, Health Phys 2003). Values are Gy.
public struct StoreRTDoseRealisations: DoseRealisationSource {
    public let path: String
    public let realisationCount: Int
    /// Course key `SITE/course_id` → row of the data file.
    let rows: [String: Int]

    public static func defaultPath(storePath: String) -> String { RTDoseRun.realisationPath(store: storePath) }

    /// True when `path` has an RT index beside it (the data file has the cardiac header; the index tells them apart).
    public static func recognises(path: String) -> Bool {
        guard let text = try? String(contentsOfFile: RTDoseRun.indexPath(realisationFile: path), encoding: .utf8) else { return false }
        return text.hasPrefix(RTDoseRun.indexHeader)
    }

    public init(path: String) throws {
        self.path = path
        let reader = try RealisationReader(path: path)
        guard reader.quantities == RTDoseRun.organs.count else {
            throw InputError(.file(path), field: "quantities", value: "\(reader.quantities)",
                             expected: "\(RTDoseRun.organs.count) organs per course (a file written by harmonic rt dose --store)")
        }
        realisationCount = reader.realisations
        let indexPath = RTDoseRun.indexPath(realisationFile: path)
        let text: String
        do { text = try String(contentsOfFile: indexPath, encoding: .utf8) } catch {
            throw InputError(.file(indexPath), expected: "the index written beside \(path) by harmonic rt dose --store")
        }
        var rows: [String: Int] = [:]
        for (n, line) in text.split(separator: "\n").enumerated().dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count >= 3, let row = Int(f[0]), row >= 0, row < reader.rows else {
                throw InputError(.row(file: indexPath, line: n + 1), field: "row", value: String(line), expected: "a row of \(path) (0..<\(reader.rows)), site, course_id")
            }
            rows["\(f[1].uppercased())/\(f[2])"] = row
        }
        self.rows = rows
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        guard let quantity = RTDoseRun.organs.firstIndex(of: organ) else {
            throw InputError(.file(path), field: "organ", value: organ.rawValue, expected: RTDoseRun.organs.map(\.rawValue).joined(separator: ", "))
        }
        let part = RealisationMatrixReader.Part(path: path, indexPath: RTDoseRun.indexPath(realisationFile: path), rows: rows, gyPerUnit: 1,
                                                keyField: "course_id", rerun: "harmonic rt dose --store")
        return try RealisationMatrixReader(parts: [part], realisationCount: realisationCount).matrix(quantity: quantity, organ: organ, for: members)
    }
}
