import Dosimetry
import Epidemiology
import Foundation
import HarmonicCore

/// Gathers one organ's dose realisations of an analysis cohort from the realisation files of the
/// dose runs (cardiac `STORE.realisations`, imaging `STORE.imaging-realisations`, radiotherapy
/// `STORE.rt-realisations`): each exposure is looked up by its key in the file that holds it and
/// its realisations are copied into the cohort's matrix, in Gy. The one reading loop behind
/// `StoreDoseRealisations`, `StoreImagingDoseRealisations`, `StoreRTDoseRealisations` and
/// `SummedDoseRealisations`.
struct RealisationMatrixReader {
    /// One realisation file and its index.
    struct Part {
        let path: String
        let indexPath: String
        /// Exposure key (`SITE/…`, site upper-case) → row of the data file.
        let rows: [String: Int]
        /// Gy per stored unit: 1/1000 for the files in mGy, 1 for the RT file in Gy.
        let gyPerUnit: Float
        /// How an exposure of this file is named in an error, e.g. `site_procedure_id`.
        let keyField: String
        /// The command that writes this file, for errors that ask to run it again.
        let rerun: String
    }

    let parts: [Part]
    let realisationCount: Int

    /// An exposure key with its site part upper-cased, as the indexes hold it.
    static func canonical(_ key: String) -> String {
        guard let slash = key.firstIndex(of: "/") else { return key }
        return key[..<slash].uppercased() + key[slash...]
    }

    /// The realisations of quantity column `quantity` (the organ `organ`) for every exposure of `members`.
    /// A flagged exposure counted at zero dose (`FlaggedDosePolicy.zero`, no organ doses) stays zero in
    /// every realisation; so does an organ the exposure has no dose for (e.g. absent in the child's sex).
    func matrix(quantity: Int, organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        let readers = try parts.map { try RealisationReader(path: $0.path) }
        let R = realisationCount
        var offsets = [0]
        offsets.reserveCapacity(members.count + 1)
        for m in members { offsets.append(offsets.last! + m.exposures.count) }
        var values = [Float](repeating: 0, count: offsets.last! * R)
        var e = 0
        for m in members {
            for x in m.exposures {
                defer { e += 1 }
                let key = x.key.map(Self.canonical)
                guard let key, let p = parts.firstIndex(where: { $0.rows[key] != nil }), let row = parts[p].rows[key] else {
                    if x.organDoses.isEmpty { continue }
                    throw InputError(.file(parts.map(\.indexPath).joined(separator: " or ")),
                                     field: parts.count == 1 ? parts[0].keyField : "exposure", value: x.key ?? "(exposure without a key)",
                                     expected: "a realisation row for every exposure of the analysis cohort: run \(parts.map(\.rerun).joined(separator: " and ")) again")
                }
                let part = parts[p]
                let v = readers[p].values(row: row, quantity: quantity)
                for r in 0..<R {
                    guard v[r].isFinite else {
                        if x.organDoses.isEmpty || x.organDoses[organ] == nil { break }
                        throw InputError(.file(part.path), field: "row \(row) (\(key)), \(organ.rawValue)", value: "\(v[r])",
                                         expected: "a finite dose: the exposure is dosed in the store but not in the realisation file; run \(part.rerun) again")
                    }
                    values[e * R + r] = v[r] * part.gyPerUnit
                }
            }
        }
        return DoseRealisationMatrix(realisationCount: R, exposureOffsets: offsets, values: values)
    }

    /// The quantity column of `organ` in the cardiac and imaging files (the reconstruction's organ-dose columns).
    static func organDoseQuantity(_ organ: Organ, files: [String]) throws -> Int {
        guard let column = RegistryStore.organDoseColumns.first(where: { $0.organ == organ })?.column,
              let quantity = DoseQuantity.columnNames.firstIndex(of: column) else {
            throw InputError(.file(files.joined(separator: ", ")), field: "organ", value: organ.rawValue,
                             expected: "an organ the reconstruction writes (\(RegistryStore.organDoseColumns.map(\.organ.rawValue).joined(separator: ", ")))")
        }
        return quantity
    }
}
