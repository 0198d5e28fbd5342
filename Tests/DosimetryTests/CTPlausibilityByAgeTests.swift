import Foundation
import HarmonicCore
import Testing
import Transport
@testable import Dosimetry

@Suite("CTDIvol plausibility by age and era, from published paediatric 75th percentiles (Ploussi et al. 2020)")
struct CTPlausibilityByAgeTests {
    static let calculator = try! ImagingDoseCalculator.loadDefault()

    func chest(age: Double, ctdivol: Double, year: Double?) -> ImagingExam {
        ImagingExam(modality: .ct, region: "chest", ageYears: age, sex: .male, ctdivol: ctdivol, kVp: 100, year: year)
    }

    @Test("the reference interpolates linearly in age between the cited youngest and oldest groups (chest 2 → 5 mGy, head 22 → 68 mGy)")
    func reference() {
        let r = Self.calculator.reference
        #expect(abs(r.p75(.chest, ageYears: 0) - 2) < 1e-9 && abs(r.p75(.chest, ageYears: 18) - 5) < 1e-9)
        #expect(abs(r.p75(.chest, ageYears: 9) - 3.5) < 1e-9)
        #expect(abs(r.p75(.head, ageYears: 30) - 68) < 1e-9, "clamped beyond the table")
        #expect(abs(r.p75(.pelvis, ageYears: 18) - 10) < 1e-9, "body regions other than the chest use the abdomen-pelvis values")
    }

    @Test("a 2015 chest CTDIvol of 30 mGy for a 1-year-old (12 times the age's 75th percentile) is refused, naming the value, the bound and its source; 8 mGy is accepted")
    func tooHighForAge() throws {
        #expect { try Self.calculator.estimate(chest(age: 1, ctdivol: 30, year: 2015)) } throws: { e in
            let t = "\(e)"
            return t.contains("CTDIvol 30") && t.contains("age 1.0") && t.contains("Ploussi") && t.contains("-10.8 mGy")
        }
        #expect(try Self.calculator.estimate(chest(age: 1, ctdivol: 8, year: 2015)).ctdivol == 8)
    }

    @Test("older practice is allowed higher doses: 20 mGy for the same child is refused in 2015 and accepted in 1988 (x 2.49) and for an unknown year")
    func era() throws {
        #expect(throws: DoseModelError.self) { try Self.calculator.estimate(chest(age: 1, ctdivol: 20, year: 2015)) }
        #expect(try Self.calculator.estimate(chest(age: 1, ctdivol: 20, year: 1988)).ctdivol == 20)
        #expect(try Self.calculator.estimate(chest(age: 1, ctdivol: 20, year: nil)).ctdivol == 20)
    }

    @Test("a CTDIvol far below the age's reference (a unit error such as mGy recorded as Gy) is refused: 0.2 mGy chest at 17 (1/24 of 4.8 mGy)")
    func tooLow() {
        #expect { try Self.calculator.estimate(chest(age: 17, ctdivol: 0.2, year: 2015)) } throws: { "\($0)".contains("0.2") && "\($0)".contains("plausible") }
    }

    @Test("the bound applies in the reference phantom: 15 mGy displayed for the 16 cm phantom (6.3 mGy in 32 cm) is accepted for a 1-year-old's chest in 2015")
    func phantomConverted() throws {
        var exam = chest(age: 1, ctdivol: 15, year: 2015)
        exam.ctdiPhantom = 16
        let r = try Self.calculator.estimate(exam)
        #expect(r.ctdivol! < 8 && r.ctdivol! > 5)
    }

    @Test("a radiotherapy planning CT is held only to the absolute bounds: 30 mGy for a 1-year-old's chest is accepted (TG-180: planning CTs 10-30 mGy)")
    func planningCT() throws {
        var exam = chest(age: 1, ctdivol: 30, year: 2015)
        exam.radiotherapyPlanning = true
        #expect(try Self.calculator.estimate(exam).ctdivol == 30)
    }

    @Test("a malformed reference table is refused with the file, line and what was expected")
    func badTable() {
        #expect { try PaediatricCTReference(csv: "region,age_years,p75_ctdivol_mgy,phantom_cm\nhead,0,-3,16\n", file: "ref.csv") } throws: {
            "\($0)".contains("ref.csv line 2") && "\($0)".contains("positive")
        }
    }
}
