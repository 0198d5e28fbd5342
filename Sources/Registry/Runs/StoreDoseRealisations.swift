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
        guard let column = RegistryStore.organDoseColumns.first(where: { $0.organ == organ })?.column,
              let quantity = DoseQuantity.columnNames.firstIndex(of: column) else {
            throw InputError(.file(path), field: "organ", value: organ.rawValue,
                             expected: "an organ the reconstruction writes (\(RegistryStore.organDoseColumns.map(\.organ.rawValue).joined(separator: ", ")))")
        }
        let reader = try RealisationReader(path: path)
        let R = realisationCount
        var offsets = [0]
        offsets.reserveCapacity(members.count + 1)
        for m in members { offsets.append(offsets.last! + m.exposures.count) }
        var values = [Float](repeating: 0, count: offsets.last! * R)
        var e = 0
        for m in members {
            for x in m.exposures {
                defer { e += 1 }
                guard let key = x.key.map({ k -> String in
                    guard let slash = k.firstIndex(of: "/") else { return k }
                    return k[..<slash].uppercased() + k[slash...]
                }), let row = rows[key] else {
                    // A flagged procedure counted at zero dose (FlaggedDosePolicy.zero) stays zero in every realisation.
                    if x.organDoses.isEmpty { continue }
                    throw InputError(.file(path + ".index.csv"), field: "site_procedure_id", value: x.key ?? "(exposure without a key)",
                                     expected: "a realisation row for every procedure of the analysis cohort: run harmonic dose on this store again")
                }
                let v = reader.values(row: row, quantity: quantity)
                for r in 0..<R {
                    let mGy = v[r]
                    guard mGy.isFinite else {
                        if x.organDoses.isEmpty { break }
                        throw InputError(.file(path), field: "row \(row) (\(key))", value: "\(mGy)",
                                         expected: "a finite dose: this procedure is flagged in the realisation file but dosed in the store; run harmonic dose again")
                    }
                    values[e * R + r] = mGy / 1000
                }
            }
        }
        return DoseRealisationMatrix(realisationCount: R, exposureOffsets: offsets, values: values)
    }
}
