import Foundation
import HarmonicCore
import Transport

/// True organ doses of the synthetic diagnostic imaging (`harmonic synth`): reads
/// `truth/imaging_exams.csv` (each exam's true technique) and writes `truth/imaging_organ_doses.csv`,
/// so the store's imaging reconstruction (`harmonic dose --store`) can be checked against truth as
/// the cardiac and RT reconstructions are.
///
/// A CT exam's true organ dose is Harmonic's CT coefficient (committed table) of the phantom of the
/// child's *size age* (the age whose median weight the child has) at the true kVp, times the true
/// CTDIvol in the reference CTDI phantom. The recorded values differ from the truth by the scanner's
/// display factor, the DLP's scan length and (before 2010) the missing CTDIvol and kVp; the
/// reconstruction uses the phantom of the child's true age. The comparison therefore measures the
/// reconstruction's error from record quality and body size, not the CT Monte Carlo's error against
/// real anatomy (validated separately against Lee et al. 2012, docs/imaging-dose.md). Radiographs
/// have no true organ dose yet (planar imaging is not modelled): their dose columns are empty.
public enum SyntheticImagingTruth {
    public static let techniqueFileName = "imaging_exams.csv"
    public static let fileName = "imaging_organ_doses.csv"
    public static let leadingColumns = ["site", "imaging_id", "patient_id", "exam_date", "modality", "body_region", "recorded"]

    /// Writes the truth file; returns the number of exams with a true organ dose.
    @discardableResult
    public static func write(extract: URL, table: CTCoefficientTable? = nil) throws -> Int {
        let input = extract.appendingPathComponent("truth/\(techniqueFileName)")
        let text: String
        do { text = try String(contentsOf: input, encoding: .utf8) } catch {
            throw InputError(.file(input.path), expected: "the technique file harmonic synth writes (truth/\(techniqueFileName))")
        }
        let ct = try table ?? CTCoefficientTable.loadDefault()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard !lines.isEmpty else { throw InputError(.file(input.path), expected: "a header row") }
        let header = lines.removeFirst()
        func col(_ name: String) throws -> Int {
            guard let i = header.firstIndex(of: name) else { throw InputError(.file(input.path), field: name, expected: "a \(name) column") }
            return i
        }
        let c = (site: try col("site"), id: try col("imaging_id"), pid: try col("patient_id"), date: try col("exam_date"),
                 sex: try col("sex"), modality: try col("modality"), region: try col("body_region"), kvp: try col("kvp"),
                 ctdivol: try col("ctdivol_true_mgy"), phantom: try col("reference_phantom_cm"), sizeAge: try col("size_age_years"),
                 recorded: try col("recorded"))
        var out = [(leadingColumns + DoseQuantity.columnNames).joined(separator: ",")]
        var dosed = 0
        for (n, f) in lines.enumerated() {
            guard f.count == header.count else {
                throw InputError(.row(file: input.path, line: n + 2), expected: "\(header.count) fields, found \(f.count)")
            }
            var row = [f[c.site], f[c.id], f[c.pid], f[c.date], f[c.modality], f[c.region], f[c.recorded]]
            var values = [String](repeating: "", count: DoseQuantity.count)
            if f[c.modality] == "ct" {
                func number(_ i: Int, _ name: String) throws -> Double {
                    guard let v = Double(f[i]), v.isFinite else {
                        throw InputError(.row(file: input.path, line: n + 2), field: name, value: f[i], expected: "a number")
                    }
                    return v
                }
                guard let sex = Sex(rawValue: f[c.sex]) else {
                    throw InputError(.row(file: input.path, line: n + 2), field: "sex", value: f[c.sex], expected: "M or F")
                }
                let region: CTRegion
                do { region = try CTRegion(parsing: f[c.region]) } catch {
                    throw InputError(.row(file: input.path, line: n + 2), field: "body_region", value: f[c.region], expected: "a CT region")
                }
                let entry = try ct.lookup(region: region, ageYears: try number(c.sizeAge, "size_age_years"), sex: sex,
                                          kVp: try number(c.kvp, "kvp")).entry
                var ctdivol = try number(c.ctdivol, "ctdivol_true_mgy")
                if try number(c.phantom, "reference_phantom_cm") != entry.referencePhantom { ctdivol /= entry.otherPhantomRatio }
                for (k, organ) in DoseQuantity.organs.enumerated() {
                    if let v = entry.organs[organ]?.value { values[k] = String(format: "%.6g", v * ctdivol) }
                }
                values[DoseQuantity.effective.rawValue] = String(format: "%.6g", entry.effective103 * ctdivol)
                dosed += 1
            }
            row += values
            out.append(row.joined(separator: ","))
        }
        try (out.joined(separator: "\n") + "\n").write(to: extract.appendingPathComponent("truth/\(fileName)"), atomically: true, encoding: .utf8)
        return dosed
    }
}
