import HarmonicCore

/// One beam of an RT Plan (PS3.3 C.8.8.14), first control point's geometry.
public struct RTBeam: Sendable {
    public var number: Int
    public var name: String?
    public var radiationType: String?
    public var machine: String?
    /// Nominal beam energy (MeV for photons/electrons, PS3.3 C.8.8.14.5).
    public var nominalEnergyMeV: Double?
    public var gantryAngleDegrees: Double?
    public var couchAngleDegrees: Double?
    /// Isocentre in patient coordinates, mm.
    public var isocentreMillimetres: [Double]?
    public var meterset: Double?
    public var controlPoints: Int
    /// TREATMENT, SETUP, VERIFICATION... (300A,00CE).
    public var deliveryType: String? = nil
    /// Gantry rotation of the first control point (300A,011F): NONE, CW or CC (arcs).
    public var gantryRotation: String? = nil
    /// Collimator jaw opening at the isocentre plane, mm: x1, x2, y1, y2 (300A,011C of the
    /// ASYMX/X and ASYMY/Y devices of the first control point); nil where the plan gives none.
    public var jawsMillimetres: [Double]? = nil
    /// True when any control point carries MLC leaf positions (MLCX/MLCY).
    public var hasMLC: Bool = false
    /// Source-axis distance (300A,00B4), mm.
    public var sourceAxisDistanceMillimetres: Double? = nil
    /// Scan mode of an ion beam (300A,0308): NONE (passive), UNIFORM, MODULATED (PBS), MODULATED_SPEC.
    public var scanMode: String? = nil
}

/// An RT Plan reduced to beams, meterset and fractions.
public struct RTPlan: Sendable {
    public var label: String?
    public var fractionsPlanned: Int?
    public var beams: [RTBeam]
    /// Frame of Reference UID of the plan (0020,0052), when the plan carries one.
    public var frameOfReferenceUID: String?
    /// Largest Target Prescription Dose (300A,0026) of the Dose Reference Sequence, Gy.
    public var prescribedDoseGy: Double?
    /// Number of Brachy Application Setups (300A,00A0) of the first fraction group, and whether
    /// the plan carries a Brachy Application Setup Sequence (300A,0230): a brachytherapy plan.
    public var brachyApplicationSetups: Int
    /// True when the beams come from the Ion Beam Sequence (300A,03A2) of an RT Ion Plan.
    public var isIonPlan: Bool

    /// A plan built in memory (benchmarks, synthetic courses).
    public init(label: String?, fractionsPlanned: Int?, prescribedDoseGy: Double?, beams: [RTBeam] = []) {
        self.label = label; self.fractionsPlanned = fractionsPlanned; self.prescribedDoseGy = prescribedDoseGy
        self.beams = beams; frameOfReferenceUID = nil; brachyApplicationSetups = 0; isIonPlan = false
    }

    public init(_ ds: DataSet) throws {
        label = ds.string(Tag(0x300A_0002))
        frameOfReferenceUID = ds.string(Tag(0x0020_0052))
        let fg = ds.sequence(Tag(0x300A_0070)).first
        fractionsPlanned = try fg?.integers(Tag(0x300A_0078)).first
        brachyApplicationSetups = max(try fg?.integers(Tag(0x300A_00A0)).first ?? 0, ds.sequence(Tag(0x300A_0230)).count)
        prescribedDoseGy = try ds.sequence(Tag(0x300A_0010)).compactMap { try $0.decimals(Tag(0x300A_0026)).first }.max()
        var meterset: [Int: Double] = [:]
        for r in fg?.sequence(Tag(0x300C_0004)) ?? [] {
            if let n = try r.integers(Tag(0x300C_0006)).first { meterset[n] = try r.decimals(Tag(0x300A_0086)).first }
        }
        let ionBeams = ds.sequence(Tag(0x300A_03A2))
        isIonPlan = !ionBeams.isEmpty
        // Ion beams keep their control points in (300A,03A8) and the SAD is per axis (300A,00B4 absent).
        let beamItems = isIonPlan ? ionBeams : ds.sequence(Tag(0x300A_00B0))
        let cpTag = isIonPlan ? Tag(0x300A_03A8) : Tag(0x300A_0111)
        beams = try beamItems.map { b in
            let cps = b.sequence(cpTag)
            let cp = cps.first
            let n = try b.integers(Tag(0x300A_00C0)).first ?? 0
            var jaws: [Double]? = nil
            var x: [Double] = [], y: [Double] = []
            for d in cp?.sequence(Tag(0x300A_011A)) ?? [] {
                let type = d.string(Tag(0x300A_00B8)) ?? ""
                let pos = try d.decimals(Tag(0x300A_011C))
                if (type == "X" || type == "ASYMX"), pos.count == 2 { x = pos }
                if (type == "Y" || type == "ASYMY"), pos.count == 2 { y = pos }
            }
            if x.count == 2, y.count == 2 { jaws = x + y }
            let mlc = cps.contains { c in
                c.sequence(Tag(0x300A_011A)).contains { ($0.string(Tag(0x300A_00B8)) ?? "").hasPrefix("MLC") }
            }
            var beam = RTBeam(number: n, name: b.string(Tag(0x300A_00C2)), radiationType: b.string(Tag(0x300A_00C6)),
                              machine: b.string(Tag(0x300A_00B2)),
                              nominalEnergyMeV: try cp?.decimals(Tag(0x300A_0114)).first,
                              gantryAngleDegrees: try cp?.decimals(Tag(0x300A_011E)).first,
                              couchAngleDegrees: try cp?.decimals(Tag(0x300A_0122)).first,
                              isocentreMillimetres: try cp?.decimals(Tag(0x300A_012C)),
                              meterset: meterset[n], controlPoints: cps.count)
            beam.deliveryType = b.string(Tag(0x300A_00CE))
            beam.gantryRotation = cp?.string(Tag(0x300A_011F))
            beam.jawsMillimetres = jaws
            beam.hasMLC = mlc
            beam.sourceAxisDistanceMillimetres = try b.decimals(Tag(0x300A_00B4)).first
            beam.scanMode = b.string(Tag(0x300A_0308))
            return beam
        }
    }
}

/// An RT Dose grid (PS3.3 C.8.8.3): geometry in mm and dose values (Gy when units are GY).
public struct RTDoseGrid: Sendable {
    public var rows: Int, columns: Int, frames: Int
    /// Position of the first voxel centre, mm.
    public var origin: [Double]
    /// Row spacing (between rows, y) and column spacing (x), mm.
    public var rowSpacing: Double, columnSpacing: Double
    /// z offsets of the frames relative to the origin, mm.
    public var frameOffsets: [Double]
    public var scaling: Double
    public var units: String?
    public var summationType: String?
    public var doseType: String?
    /// Dose per voxel, frame-major then row then column, already multiplied by DoseGridScaling.
    public var values: [Double]

    /// A grid built in memory (tests, synthetic plans).
    public init(rows: Int, columns: Int, origin: [Double], rowSpacing: Double, columnSpacing: Double,
                frameOffsets: [Double], units: String = "GY", values: [Double]) {
        self.rows = rows; self.columns = columns; frames = frameOffsets.count; self.origin = origin
        self.rowSpacing = rowSpacing; self.columnSpacing = columnSpacing; self.frameOffsets = frameOffsets
        scaling = 1; self.units = units; summationType = nil; doseType = nil; self.values = values
    }

    public init(_ ds: DataSet) throws {
        func need<T>(_ v: T?, _ tag: UInt32, _ what: String) throws -> T {
            guard let v else {
                throw InputError(.tag(file: ds.buffer.name, tag: Tag(tag).description, offset: 0), field: Tag(tag).keyword, expected: what)
            }
            return v
        }
        rows = try need(try ds.integers(Tag(0x0028_0010)).first, 0x0028_0010, "the number of rows")
        columns = try need(try ds.integers(Tag(0x0028_0011)).first, 0x0028_0011, "the number of columns")
        frames = try ds.integers(Tag(0x0028_0008)).first ?? 1
        origin = try ds.decimals(Tag(0x0020_0032))
        let spacing = try ds.decimals(Tag(0x0028_0030))
        guard origin.count == 3, spacing.count == 2 else {
            throw InputError(.tag(file: ds.buffer.name, tag: "(0028,0030)", offset: ds.element(Tag(0x0028_0030))?.headerOffset ?? 0),
                             field: "PixelSpacing", expected: "ImagePositionPatient (3 values) and PixelSpacing (2 values)")
        }
        rowSpacing = spacing[0]; columnSpacing = spacing[1]
        frameOffsets = try ds.decimals(Tag(0x3004_000C))
        if frameOffsets.isEmpty { frameOffsets = [0] }
        scaling = try ds.decimals(Tag(0x3004_000E)).first ?? 1
        units = ds.string(Tag(0x3004_0002)); doseType = ds.string(Tag(0x3004_0004)); summationType = ds.string(Tag(0x3004_000A))
        let bits = try ds.integers(Tag(0x0028_0100)).first ?? 16
        let pixel = try need(ds.element(.pixelData), 0x7FE0_0010, "dose pixel data")
        let n = rows * columns * frames
        guard pixel.length >= n * bits / 8, bits == 16 || bits == 32, frameOffsets.count == frames else {
            throw ds.valueError(pixel, value: "\(pixel.length) bytes",
                                expected: "\(rows)×\(columns)×\(frames) voxels of \(bits) bits and \(frames) frame offsets")
        }
        let raw: [Double] = bits == 32 ? ds.binary(pixel, UInt32.self).map(Double.init) : ds.binary(pixel, UInt16.self).map(Double.init)
        let s = scaling
        values = raw.prefix(n).map { $0 * s }
    }

    public func dose(frame: Int, row: Int, column: Int) -> Double { values[(frame * rows + row) * columns + column] }
}

/// A structure (ROI) with its planar contours (PS3.3 C.8.8.5-6), points in mm.
public struct RTStructure: Sendable {
    public var number: Int
    public var name: String
    /// Closed planar contours: each a list of (x, y) points at one z.
    public var contours: [(z: Double, points: [(x: Double, y: Double)])]
    public var pointCount: Int

    /// A structure built in memory (benchmarks, synthetic courses).
    public init(number: Int, name: String, contours: [(z: Double, points: [(x: Double, y: Double)])], pointCount: Int? = nil) {
        self.number = number; self.name = name; self.contours = contours
        self.pointCount = pointCount ?? contours.reduce(0) { $0 + $1.points.count }
    }
}

public struct RTStructureSet: Sendable {
    public var structures: [RTStructure]

    public init(structures: [RTStructure]) { self.structures = structures }

    public init(_ ds: DataSet) throws {
        var byNumber: [Int: RTStructure] = [:]
        var order: [Int] = []
        for r in ds.sequence(Tag(0x3006_0020)) {
            let n = try r.integers(Tag(0x3006_0022)).first ?? -1
            byNumber[n] = RTStructure(number: n, name: r.string(Tag(0x3006_0026)) ?? "", contours: [], pointCount: 0)
            order.append(n)
        }
        for c in ds.sequence(Tag(0x3006_0039)) {
            let n = try c.integers(Tag(0x3006_0084)).first ?? -1
            for contour in c.sequence(Tag(0x3006_0040)) {
                let xyz = try contour.decimals(Tag(0x3006_0050))
                byNumber[n]?.pointCount += xyz.count / 3
                guard contour.string(Tag(0x3006_0042)) == "CLOSED_PLANAR", xyz.count >= 9 else { continue }
                let pts = stride(from: 0, to: xyz.count - 2, by: 3).map { (x: xyz[$0], y: xyz[$0 + 1]) }
                byNumber[n]?.contours.append((z: xyz[2], points: pts))
            }
        }
        structures = order.compactMap { byNumber[$0] }
    }
}

/// Dose statistics of one structure (cumulative DVH summary).
public struct DoseVolumeSummary: Sendable {
    public var structure: String
    public var voxels: Int
    /// Structure volume: voxels × pixel area × frame spacing (cm³).
    public var volumeCubicCentimetres: Double
    public var mean: Double, max: Double
    /// Near-maximum D2% and near-minimum D98% (ICRU Report 83 §3.7): dose received by the hottest 2% / 98%.
    public var d2: Double, d98: Double
    /// Cumulative DVH: fraction of the structure's voxels with dose ≥ `doses[i]`.
    public var doses: [Double], volumeFraction: [Double]

    /// Voxel-centre sampling: a voxel belongs to a structure when its centre lies inside a contour
    /// on a plane within half a frame spacing (even–odd rule for holes). Axial grids only.
    public init?(structure: RTStructure, grid: RTDoseGrid, bins: Int = 100) {
        var doses: [Double] = []
        let halfSlice = grid.frameOffsets.count > 1 ? abs(grid.frameOffsets[1] - grid.frameOffsets[0]) / 2 : 0.5
        for f in 0..<grid.frames {
            let z = grid.origin[2] + grid.frameOffsets[f]
            let planes = structure.contours.filter { abs($0.z - z) <= halfSlice }
            guard !planes.isEmpty else { continue }
            for r in 0..<grid.rows {
                let y = grid.origin[1] + Double(r) * grid.rowSpacing
                for c in 0..<grid.columns {
                    let x = grid.origin[0] + Double(c) * grid.columnSpacing
                    var inside = false
                    for p in planes where pointInPolygon(x, y, p.points) { inside.toggle() }
                    if inside { doses.append(grid.dose(frame: f, row: r, column: c)) }
                }
            }
        }
        guard !doses.isEmpty else { return nil }
        doses.sort()
        self.structure = structure.name
        voxels = doses.count
        volumeCubicCentimetres = Double(voxels) * grid.rowSpacing * grid.columnSpacing * 2 * halfSlice / 1000
        mean = doses.reduce(0, +) / Double(doses.count)
        max = doses.last!
        func quantileFromTop(_ fraction: Double) -> Double { // dose received by at least `fraction` of the volume
            let k = Swift.max(0, Swift.min(doses.count - 1, Int((Double(doses.count) * (1 - fraction)).rounded(.down))))
            return doses[k]
        }
        d2 = quantileFromTop(0.02); d98 = quantileFromTop(0.98)
        let top = Swift.max(max, 1e-300)
        self.doses = (0...bins).map { top * Double($0) / Double(bins) }
        let sorted = doses
        volumeFraction = self.doses.map { d in
            var lo = 0, hi = sorted.count
            while lo < hi { let m = (lo + hi) / 2; if sorted[m] < d { lo = m + 1 } else { hi = m } }
            return Double(sorted.count - lo) / Double(sorted.count)
        }
    }
}

/// Even–odd ray casting test.
func pointInPolygon(_ x: Double, _ y: Double, _ p: [(x: Double, y: Double)]) -> Bool {
    var inside = false
    var j = p.count - 1
    for i in 0..<p.count {
        if (p[i].y > y) != (p[j].y > y), x < (p[j].x - p[i].x) * (y - p[i].y) / (p[j].y - p[i].y) + p[i].x { inside.toggle() }
        j = i
    }
    return inside
}
