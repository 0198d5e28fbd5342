import DICOM
import Foundation
import HarmonicCore

/// A plan built in memory with the geometry of scripts/generate_rt_plan_sample.py (a stylised
/// 8-year-old, brain target at the isocentre, analytic IMRT-like dose), on a grid of any size:
/// the input of `harmonic-bench rt-plan` and of tests that need a large grid.
public enum SyntheticPlan {
    /// - Parameters: voxel spacing (mm) and the grid's extent (mm) in x, y and z around the
    ///   isocentre; 2.5 mm over 360 x 360 x 375 mm gives 144 x 144 x 150 = 3.1 M voxels.
    public static func brainIMRT(spacing: Double = 2.5, extent: (x: Double, y: Double, z: Double) = (360, 360, 375)) -> PlanFiles {
        let nx = Int(extent.x / spacing), ny = Int(extent.y / spacing), nz = Int(extent.z / spacing)
        let x0 = -Double(nx - 1) * spacing / 2, y0 = -Double(ny - 1) * spacing / 2, z0 = -extent.z * 0.6
        var values = [Double](repeating: 0, count: nx * ny * nz)
        values.withUnsafeMutableBufferPointer { buf in
            let out = MutableBufferBox(buf)
            DispatchQueue.concurrentPerform(iterations: nz) { f in
                let z = z0 + Double(f) * spacing
                for r in 0..<ny {
                    let y = y0 + Double(r) * spacing
                    for c in 0..<nx {
                        let x = x0 + Double(c) * spacing
                        let d = (x * x + y * y + z * z).squareRoot()
                        out.buffer[(f * ny + r) * nx + c] = d <= 25 ? 54 : 54 * exp(-(d - 25) / 12) + 1.6 * exp(-(d - 25) / 45)
                    }
                }
            }
        }
        let grid = RTDoseGrid(rows: ny, columns: nx, origin: [x0, y0, z0], rowSpacing: spacing, columnSpacing: spacing,
                              frameOffsets: (0..<nz).map { Double($0) * spacing }, values: values)
        let planes = stride(from: -560.0, through: 110, by: spacing).map { $0 }
        func ellipse(_ cx: Double, _ cy: Double, _ a: Double, _ b: Double) -> [(x: Double, y: Double)] {
            (0..<64).map { k in let t = 2 * Double.pi * Double(k) / 64; return (x: cx + a * cos(t), y: cy + b * sin(t)) }
        }
        func ellipsoid(_ c: (Double, Double, Double), _ s: (Double, Double, Double)) -> [(z: Double, points: [(x: Double, y: Double)])] {
            planes.compactMap { z in
                let u = (z - c.2) / s.2
                guard abs(u) < 1 else { return nil }
                let k = (1 - u * u).squareRoot()
                return (z: z, points: ellipse(c.0, c.1, s.0 * k, s.1 * k))
            }
        }
        let body: [(z: Double, points: [(x: Double, y: Double)])] = planes.map { z in
            z >= -60 ? (z: z, points: ellipse(0, 0, 70, 90)) : z >= -120 ? (z: z, points: ellipse(0, 0, 45, 45)) : (z: z, points: ellipse(0, 0, 110, 80))
        }
        let shapes: [(String, [(z: Double, points: [(x: Double, y: Double)])])] = [
            ("BODY", body), ("PTV_54", ellipsoid((0, 0, 0), (25, 25, 25))), ("Brain", ellipsoid((0, 0, 40), (60, 75, 55))),
            ("Lens_L", ellipsoid((32, -79, 10), (4, 4, 4))), ("Lens_R", ellipsoid((-32, -79, 10), (4, 4, 4))),
            ("Parotid_L", ellipsoid((45, 5, -30), (12, 18, 20))), ("Parotid_R", ellipsoid((-45, 5, -30), (12, 18, 20))),
            ("Thyroid", ellipsoid((0, -25, -105), (20, 8, 18))),
            ("Lung_L", ellipsoid((50, 0, -260), (40, 55, 100))), ("Lung_R", ellipsoid((-50, 0, -260), (40, 55, 100))),
            ("Heart", ellipsoid((10, -20, -300), (40, 35, 45))), ("Breast_L", ellipsoid((45, -70, -250), (25, 12, 20))),
            ("Breast_R", ellipsoid((-45, -70, -250), (25, 12, 20))),
        ]
        let structures = RTStructureSet(structures: shapes.enumerated().map { RTStructure(number: $0.offset + 1, name: $0.element.0, contours: $0.element.1) })
        return PlanFiles(plan: RTPlan(label: "synthetic IMRT brain", fractionsPlanned: 30, prescribedDoseGy: 54),
                         grid: grid, structures: structures, radiation: .photon, technique: .imrt, label: "synthetic plan")
    }
}

struct MutableBufferBox<T>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<T>
    init(_ b: UnsafeMutableBufferPointer<T>) { buffer = b }
}
