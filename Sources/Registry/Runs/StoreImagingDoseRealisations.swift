import Dosimetry
import Epidemiology
import Foundation
import HarmonicCore

/// The imaging dose run's realisation file (`STORE.imaging-realisations` with its index
/// `.index.csv`, header `ImagingDoseRun.indexHeader`; docs/imaging-dose.md) as a
/// `DoseRealisationSource`: exposures keyed `SITE/source_table/imaging_id`, as the analysis cohort
/// names imaging exams (`ExposureSelection.imaging`). Values in mGy (float16), handed over in Gy.
public struct StoreImagingDoseRealisations: DoseRealisationSource {
    public let path: String
    public let realisationCount: Int
    /// Exam key `SITE/source_table/imaging_id` → row of the data file.
    let rows: [String: Int]

    /// The realisation file written next to `storePath` by the imaging dose run (`harmonic dose --store`).
    public static func defaultPath(storePath: String) -> String { ImagingDoseRun.realisationPath(store: storePath) }

    /// Opens the data file (checks header and size) and reads its index.
    public init(path: String) throws {
        self.path = path
        let reader = try RealisationReader(path: path)
        realisationCount = reader.realisations
        let indexPath = ImagingDoseRun.indexPath(realisationFile: path)
        let text: String
        do { text = try String(contentsOfFile: indexPath, encoding: .utf8) } catch {
            throw InputError(.file(indexPath), expected: "the index the imaging dose run writes next to its realisation file (run harmonic dose --store)")
        }
        var rows: [String: Int] = [:]
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: true).enumerated() {
            if n == 0 {
                guard line == ImagingDoseRun.indexHeader else {
                    throw InputError(.row(file: indexPath, line: 1), field: "header", value: String(line), expected: ImagingDoseRun.indexHeader)
                }
                continue
            }
            let f = CSVLine.fields(line)
            guard f.count == 8, let row = Int(f[0]), row >= 0, row < reader.rows else {
                throw InputError(.row(file: indexPath, line: n + 1), field: "row", value: String(line),
                                 expected: "8 fields (\(ImagingDoseRun.indexHeader)) with a row of \(path) (0..<\(reader.rows))")
            }
            rows["\(f[1].uppercased())/\(f[2])/\(f[3])"] = row
        }
        self.rows = rows
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        try SummedDoseRealisations(imaging: self).realisations(of: organ, for: members)
    }
}

/// Dose realisations of a cohort whose exposures come from several exposure types (cardiac
/// procedures from `STORE.realisations`, imaging exams from `STORE.imaging-realisations`): each
/// exposure's realisations are read from the file that holds it, so that a child's cumulative dose
/// in realisation r is the sum of its cardiac and imaging doses in realisation r (`analyze --store
/// --realisations --exposures cardiac,imaging`). The files' errors are drawn independently (different
/// models): summing them realisation by realisation keeps each type's shared errors shared within
/// the type (Stram & Kopecky, Health Phys 2003) and treats the types' errors as independent.
public struct SummedDoseRealisations: DoseRealisationSource {
    struct Part { let path: String; let index: String; let rows: [String: Int] }
    let parts: [Part]
    public let realisationCount: Int

    /// Both files must hold the same number of realisations.
    public init(cardiac: StoreDoseRealisations? = nil, imaging: StoreImagingDoseRealisations? = nil) throws {
        var parts: [Part] = [], counts: [(String, Int)] = []
        if let c = cardiac { parts.append(Part(path: c.path, index: c.path + ".index.csv", rows: c.rows)); counts.append((c.path, c.realisationCount)) }
        if let i = imaging {
            parts.append(Part(path: i.path, index: ImagingDoseRun.indexPath(realisationFile: i.path), rows: i.rows)); counts.append((i.path, i.realisationCount))
        }
        guard let first = counts.first else { throw InputError(.file("dose realisations"), expected: "at least one realisation file") }
        for (p, n) in counts where n != first.1 {
            throw InputError(.file(p), field: "realisations", value: "\(n)",
                             expected: "\(first.1) realisations, as \(first.0): run harmonic dose --store with one --realisations for every exposure type")
        }
        self.parts = parts; realisationCount = first.1
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        guard let column = RegistryStore.organDoseColumns.first(where: { $0.organ == organ })?.column,
              let quantity = DoseQuantity.columnNames.firstIndex(of: column) else {
            throw InputError(.file(parts.map(\.path).joined(separator: ", ")), field: "organ", value: organ.rawValue,
                             expected: "an organ the reconstruction writes (\(RegistryStore.organDoseColumns.map(\.organ.rawValue).joined(separator: ", ")))")
        }
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
                let key = x.key.map { k -> String in
                    guard let slash = k.firstIndex(of: "/") else { return k }
                    return k[..<slash].uppercased() + k[slash...]
                }
                guard let key, let p = parts.firstIndex(where: { $0.rows[key] != nil }), let row = parts[p].rows[key] else {
                    // A flagged exposure counted at zero dose (FlaggedDosePolicy.zero) stays zero in every realisation.
                    if x.organDoses.isEmpty { continue }
                    throw InputError(.file(parts.map(\.index).joined(separator: " or ")), field: "exposure", value: x.key ?? "(exposure without a key)",
                                     expected: "a realisation row for every exposure of the analysis cohort: run harmonic dose --store on this store again")
                }
                let v = readers[p].values(row: row, quantity: quantity)
                for r in 0..<R {
                    let mGy = v[r]
                    guard mGy.isFinite else {
                        if x.organDoses[organ] == nil { break }
                        throw InputError(.file(parts[p].path), field: "row \(row) (\(key))", value: "\(mGy)",
                                         expected: "a finite dose: the exposure is dosed in the store but not in the realisation file; run harmonic dose --store again")
                    }
                    values[e * R + r] = mGy / 1000
                }
            }
        }
        return DoseRealisationMatrix(realisationCount: R, exposureOffsets: offsets, values: values)
    }
}
