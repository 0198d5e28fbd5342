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
@Suite("CT Monte Carlo against Lee et al. 2012 (effective dose per DLP, chest organs per CTDIvol) and against organ doses measured by Fujii et al. 2009")
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

    /// Fujii et al. 2009 (Br J Radiol 82:1010, Table 2): organ doses measured with photodiodes in a
    /// 6-year-old phantom on four scanners' routine paediatric chest protocols, divided by each
    /// scanner's displayed CTDIvol (read as the 32 cm phantom's: their in-field organs come to
    /// 2.0-2.5 per CTDIvol, a 6-year-old's size-specific factor for the 32 cm phantom). Harmonic:
    /// 6 y (5 and 10 y interpolated), sex mean, 120 kV. The organs in a chest CT's field are required
    /// within a factor 2 of the scanners' geometric mean, the red marrow and effective dose too.
    @Test("chest CT organ doses in the field, red marrow and effective dose per CTDIvol are within a factor 2 of those measured in a 6-year-old phantom on four scanners (Fujii 2009)")
    func chestAgainstMeasuredPaediatricPhantom() throws {
        let rows = try CTValidation.compareFujii2009(try CTCoefficientTable.loadDefault())
        let required = ["thyroid", "lung", "breast", "oesophagus", "red_marrow", "effective_dose_icrp103"]
        for q in required {
            let r = try #require(rows.first { $0.quantity == q })
            #expect(r.ratio > 0.5 && r.ratio < 2, "\(q): Harmonic \(r.harmonic) per CTDIvol, measured \(r.measured)")
        }
    }

    /// Fujii's liver, 1.6-2.2 per CTDIvol, was wholly in their beam: their protocols over-ranged
    /// 3-10 cm beyond the planned range (218-300 mm exposed), which Harmonic does not model.
    /// Harmonic's chest scan reaches the real lung bases, over the liver's top; its liver is 0.54 of
    /// theirs with the arms raised out of the scan (session 25; 0.48-0.49 with the arms at the sides,
    /// when this was a known issue), the lowest ratio of the comparison (docs/imaging-dose.md).
    @Test("the chest CT liver dose per CTDIvol is within a factor 2 of Fujii 2009's measurement, though their over-ranging is not modelled")
    func chestLiverAgainstMeasured() throws {
        let r = try #require(try CTValidation.compareFujii2009(try CTCoefficientTable.loadDefault()).first { $0.quantity == "liver" })
        #expect(r.ratio > 0.5 && r.ratio < 2, "liver: Harmonic \(r.harmonic) per CTDIvol, measured \(r.measured)")
    }
}
