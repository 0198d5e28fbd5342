import Foundation
import HarmonicCore
import Testing
import Transport
@testable import Dosimetry

/// Harmonic's CT Monte Carlo (the committed table) against published paediatric CT effective
/// dose per DLP it was not fitted to: Lee et al. 2012, Med Phys 39:2129, Table XII, NCI ED103
/// (Resources/lee2012-ct-effective-dose-per-dlp.csv). Their paediatric body CTDIvol is compared
/// as the 16 cm phantom's and their adult and head values as the region's reference phantom:
/// the table does not state it; their values jump about 2x from 15 y to adult, as the 16 → 32 cm
/// change of phantom does (docs/imaging-dose.md). Acceptance (Harmonic's criterion, no published
/// tolerance exists): every ratio within 0.5-2 (stylised vs. voxel phantoms, different scanner
/// models), and the geometric mean ratio over all rows within 0.75-1.33.
@Suite("CT Monte Carlo against Lee et al. 2012 effective dose per DLP")
struct CTValidationTests {
    static func comparable(_ r: CTValidation.Row) -> Double {
        (r.region.isHeadScan || r.ageYears == 30) ? r.ratioReference : r.ratio16
    }

    @Test("every published E/DLP the table covers is matched within a factor of 2, the geometric mean within 0.75-1.33")
    func effectiveDosePerDLP() throws {
        let rows = try CTValidation.compare(try CTCoefficientTable.loadDefault())
        #expect(rows.count >= 24)
        for r in rows {
            let q = Self.comparable(r)
            #expect(q > 0.5 && q < 2, "\(r.region.rawValue) \(r.ageYears) y \(r.kVp) kV: ratio \(q)")
        }
        let gm = exp(rows.map { log(Self.comparable($0)) }.reduce(0, +) / Double(rows.count))
        #expect(gm > 0.75 && gm < 1.33, "geometric mean ratio \(gm)")
    }

    /// Lee et al. 2012 Table IV, chest scans: the thyroid, an organ in the field of a clinical
    /// chest CT (its lower poles beside the lung apices). Read per 16 cm CTDIvol as above. Same
    /// acceptance as the effective doses. Out-of-field organs (brain, salivary glands, oral cavity)
    /// are reported by `harmonic-bench ct-validation`, not required: their scatter tails depend on
    /// the neck's and head's geometry, where stylised and voxel phantoms differ most.
    @Test("chest CT thyroid dose per CTDIvol matches Lee 2012 Table IV within a factor of 2 at every age and kVp, the geometric mean within 0.75-1.33")
    func chestThyroidPerCTDIvol() throws {
        let rows = try CTValidation.compareChestOrgans(try CTCoefficientTable.loadDefault()).filter { $0.organ == .thyroid }
        #expect(rows.count == 18)
        for r in rows {
            #expect(r.ratio16 > 0.5 && r.ratio16 < 2, "\(r.ageYears) y \(r.sex ?? "both") \(r.kVp) kV: ratio \(r.ratio16)")
        }
        let gm = exp(rows.map { log($0.ratio16) }.reduce(0, +) / Double(rows.count))
        #expect(gm > 0.75 && gm < 1.33, "geometric mean ratio \(gm)")
    }
}
