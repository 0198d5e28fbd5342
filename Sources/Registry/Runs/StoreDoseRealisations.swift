import Dosimetry
import Epidemiology
import Foundation
import HarmonicCore

/// The dose reconstruction's realisation file (`STORE.realisations` with its index
/// `STORE.realisations.index.csv`, docs/dose-realisations.md) as a `DoseRealisationSource`, so
/// that `harmonic analyze --store STORE --realisations STORE.realisations` fits Monte Carlo
/// maximum likelihood on exactly the realisations `harmonic dose` drew.
///
/// Realisation r of every procedure shares the same draw of each shared error (calibration,
/// coefficient model, era imputation), so summing a child's procedures within a realisation keeps
/// shared errors shared, as MCML needs (Stram & Kopecky, Health Phys 2003). Values are read in
/// mGy (float16) and handed to the analysis in Gy.
public struct StoreDoseRealisations: DoseRealisationSource {
    public let path: String
    public let realisationCount: Int
    /// Procedure key `SITE/site_procedure_id` → row of the data file.
    let rows: [String: Int]

    /// The realisation file written next to `storePath` by `harmonic dose`.
    public static func defaultPath(storePath: String) -> String { storePath + ".realisations" }

    /// True when the file at `path` starts like the reconstruction's format (magic, then version 1).
    public static func recognises(path: String) -> Bool {
        guard let h = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? h.close() }
        let head = [UInt8]((try? h.read(upToCount: 16)) ?? Data())
        return head.count == 16 && Array(head[0..<8]) == RealisationFile.magic
            && head[8] == UInt8(RealisationFile.version) && head[9] == 0 && head[10] == 0 && head[11] == 0
    }

    /// Opens the data file (checks header and size) and reads its index.
    public init(path: String) throws {
        self.path = path
        let reader = try RealisationReader(path: path)
        realisationCount = reader.realisations
        let indexPath = path + ".index.csv"
        var rows: [String: Int] = [:]
        for e in try RealisationIndex.read(indexPath) {
            guard e.row >= 0 && e.row < reader.rows else {
                throw InputError(.file(indexPath), field: "row", value: "\(e.row)", expected: "a row of \(path) (0..<\(reader.rows))")
            }
            rows["\(e.site.uppercased())/\(e.procedureID)"] = e.row
        }
        self.rows = rows
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        try RealisationMatrixReader(parts: [part], realisationCount: realisationCount)
            .matrix(quantity: RealisationMatrixReader.organDoseQuantity(organ, files: [path]), organ: organ, for: members)
    }

    /// This file as a part of a cohort's realisation matrix.
    var part: RealisationMatrixReader.Part {
        .init(path: path, indexPath: path + ".index.csv", rows: rows, gyPerUnit: 1 / 1000, keyField: "site_procedure_id", rerun: "harmonic dose --store")
    }
}
