import Foundation
import HarmonicCore

/// Dose-volume statistics of every structure of an RT Structure Set over an RT Dose grid
/// (`harmonic dicom dvh`): one `DoseVolumeSummary` per structure that overlaps the grid, and
/// the names of those that do not. Throws `DoseGridMismatch` when no structure overlaps.
public struct DoseVolumeReport: Sendable {
    public var summaries: [DoseVolumeSummary]
    /// Structures with contours that cover no voxel centre of the grid.
    public var outsideGrid: [String]
    /// Structures without any closed planar contour (points or open curves only).
    public var withoutContours: [String]
    public var doseUnits: String?

    public init(structures: RTStructureSet, grid: RTDoseGrid, bins: Int = 100,
                doseFile: String = "dose", structureFile: String = "structure set",
                doseFrameOfReference: String? = nil, structureFramesOfReference: [String] = []) throws {
        summaries = []; outsideGrid = []; withoutContours = []; doseUnits = grid.units
        for s in structures.structures {
            if s.contours.isEmpty { withoutContours.append(s.name); continue }
            if let d = DoseVolumeSummary(structure: s, grid: grid, bins: bins) { summaries.append(d) } else { outsideGrid.append(s.name) }
        }
        if summaries.isEmpty {
            throw DoseGridMismatch(doseFile: doseFile, structureFile: structureFile, grid: grid,
                                   structures: structures.structures.filter { !$0.contours.isEmpty },
                                   doseFrameOfReference: doseFrameOfReference,
                                   structureFramesOfReference: structureFramesOfReference)
        }
    }

    /// Reads both files and builds the report, naming the files in any error.
    public init(doseURL: URL, structureURL: URL, bins: Int = 100) throws {
        let doseSet = try DICOMFile(contentsOf: doseURL).dataSet
        let structureSet = try DICOMFile(contentsOf: structureURL).dataSet
        let grid = try RTDoseGrid(doseSet)
        let structures = try RTStructureSet(structureSet)
        let frames = structureSet.sequence(Tag(0x3006_0010)).compactMap { $0.string(Tag(0x0020_0052)) }
        try self.init(structures: structures, grid: grid, bins: bins, doseFile: doseURL.path, structureFile: structureURL.path,
                      doseFrameOfReference: doseSet.string(Tag(0x0020_0052)), structureFramesOfReference: frames)
    }

    /// A table: structure, volume (cm³), mean, max, D2%, D98% (dose units of the grid).
    public var text: String {
        let unit = doseUnits == "GY" ? "Gy" : (doseUnits ?? "")
        var out = "structure".padded(24) + "voxels".padded(9) + "volume(cm³)".padded(13)
            + ["mean", "max", "D2%", "D98%"].map { "\($0)(\(unit))".padded(11) }.joined() + "\n"
        for s in summaries {
            out += s.structure.padded(24) + String(s.voxels).padded(9) + fmt(s.volumeCubicCentimetres).padded(13)
                + [s.mean, s.max, s.d2, s.d98].map { fmt($0).padded(11) }.joined() + "\n"
        }
        if !outsideGrid.isEmpty { out += "outside the dose grid (no voxel centre inside): \(outsideGrid.joined(separator: ", "))\n" }
        if !withoutContours.isEmpty { out += "no closed planar contours: \(withoutContours.joined(separator: ", "))\n" }
        return out
    }

    /// JSON: units, one object per structure, and the structures left out with why.
    public var json: String {
        struct Row: Encodable {
            let structure: String, voxels: Int, volume_cm3: Double, mean: Double, max: Double, d2: Double, d98: Double
        }
        struct Doc: Encodable {
            let dose_units: String?, structures: [Row], outside_grid: [String], without_contours: [String]
        }
        let doc = Doc(dose_units: doseUnits, structures: summaries.map {
            Row(structure: $0.structure, voxels: $0.voxels, volume_cm3: $0.volumeCubicCentimetres, mean: $0.mean,
                max: $0.max, d2: $0.d2, d98: $0.d98)
        }, outside_grid: outsideGrid, without_contours: withoutContours)
        let e = JSONEncoder(); e.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: (try? e.encode(doc)) ?? Data(), as: UTF8.self)
    }

    /// Cumulative DVH in long form: structure, dose, fraction of the volume receiving at least that dose.
    public var cumulativeCSV: String {
        var out = "structure,dose,volume_fraction\n"
        for s in summaries {
            let name = s.structure.contains(",") || s.structure.contains("\"")
                ? "\"" + s.structure.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s.structure
            for (d, v) in zip(s.doses, s.volumeFraction) { out += "\(name),\(d),\(v)\n" }
        }
        return out
    }
}

/// No structure of the structure set overlaps the dose grid: says where each lies and how to fix it.
public struct DoseGridMismatch: Error, CustomStringConvertible, Sendable {
    public let description: String

    init(doseFile: String, structureFile: String, grid: RTDoseGrid, structures: [RTStructure],
         doseFrameOfReference: String?, structureFramesOfReference: [String]) {
        func range(_ a: Double, _ b: Double) -> String { "\(fmt(Swift.min(a, b)))..\(fmt(Swift.max(a, b)))" }
        let x1 = grid.origin[0] + Double(grid.columns - 1) * grid.columnSpacing
        let y1 = grid.origin[1] + Double(grid.rows - 1) * grid.rowSpacing
        let zs = grid.frameOffsets.map { grid.origin[2] + $0 }
        var s = "\(structureFile): no structure lies inside the dose grid of \(doseFile).\n"
        s += "  dose grid voxel centres (mm): x \(range(grid.origin[0], x1)), y \(range(grid.origin[1], y1)), z \(range(zs.min() ?? 0, zs.max() ?? 0))\n"
        for st in structures {
            let pts = st.contours.flatMap(\.points), z = st.contours.map(\.z)
            guard let xmin = pts.map(\.x).min(), let xmax = pts.map(\.x).max(),
                  let ymin = pts.map(\.y).min(), let ymax = pts.map(\.y).max() else { continue }
            s += "  structure '\(st.name)' (mm): x \(range(xmin, xmax)), y \(range(ymin, ymax)), z \(range(z.min()!, z.max()!))\n"
        }
        if let d = doseFrameOfReference, !structureFramesOfReference.isEmpty, !structureFramesOfReference.contains(d) {
            s += "  the files have different frames of reference: dose \(d), structures \(structureFramesOfReference.joined(separator: ", "))\n"
        }
        s += "Use the RT Dose computed on the same planning CT (the same Frame of Reference UID) as this structure set, "
            + "or export the dose grid over the whole patient volume."
        description = s
    }
}

private func fmt(_ x: Double) -> String { String(format: "%.4g", x) }

private extension String {
    func padded(_ n: Int) -> String { count >= n ? self + " " : self + String(repeating: " ", count: n - count) }
}
