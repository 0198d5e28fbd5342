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

    /// This file as a part of a cohort's realisation matrix.
    var part: RealisationMatrixReader.Part {
        .init(path: path, indexPath: ImagingDoseRun.indexPath(realisationFile: path), rows: rows, gyPerUnit: 1 / 1000,
              keyField: "imaging exam", rerun: "harmonic dose --store")
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
    let reader: RealisationMatrixReader
    public var realisationCount: Int { reader.realisationCount }

    /// Both files must hold the same number of realisations.
    public init(cardiac: StoreDoseRealisations? = nil, imaging: StoreImagingDoseRealisations? = nil) throws {
        var parts: [RealisationMatrixReader.Part] = [], counts: [(String, Int)] = []
        if let c = cardiac { parts.append(c.part); counts.append((c.path, c.realisationCount)) }
        if let i = imaging { parts.append(i.part); counts.append((i.path, i.realisationCount)) }
        guard let first = counts.first else { throw InputError(.file("dose realisations"), expected: "at least one realisation file") }
        for (p, n) in counts where n != first.1 {
            throw InputError(.file(p), field: "realisations", value: "\(n)",
                             expected: "\(first.1) realisations, as \(first.0): run harmonic dose --store with one --realisations for every exposure type")
        }
        reader = RealisationMatrixReader(parts: parts, realisationCount: first.1)
    }

    public func realisations(of organ: Organ, for members: [CohortMember]) throws -> DoseRealisationMatrix {
        try reader.matrix(quantity: RealisationMatrixReader.organDoseQuantity(organ, files: reader.parts.map(\.path)), organ: organ, for: members)
    }
}
