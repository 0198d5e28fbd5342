import Foundation
import HarmonicCore
import Phantoms
import Testing
import Transport
@testable import Dosimetry

@Suite("Projection radiography and fluoroscopy organ doses: per KAP and per entrance air kerma, the typical technique, bad input, and the FDA 2017 paediatric effective doses")
struct RadiographyDoseTests {
    static let calculator = try! ImagingDoseCalculator.loadDefault()

    func exam(_ modality: ImagingModality, _ region: String, age: Double, sex: Sex = .female, kap: Double? = nil, esak: Double? = nil) -> ImagingExam {
        var e = ImagingExam(modality: modality, region: region, ageYears: age, sex: sex)
        e.kap = kap; e.doseIndex = esak
        return e
    }

    @Test("the committed table covers both modalities, every region, reference age and sex with every organ of the sex")
    func tableComplete() throws {
        let t = try #require(Self.calculator.radiography)
        for m in RadiographyDoses.Modality.allCases { for region in RadiographySimulation.regions {
            for age in ReferenceAge.allCases { for sex in Sex.allCases {
                let e = t.entries[.init(modality: m, region: region, age: age.rawValue, sex: sex)]
                #expect(e != nil, "missing \(m) \(region) \(age) \(sex)")
                if let e {
                    #expect(e.organs.count == Organ.allCases.filter { $0.exists(in: sex) }.count)
                    #expect(e.effective103.perKAP > 0 && e.effective103.perEntranceAirKerma > 0)
                }
            } }
        } }
    }

    /// US FDA, "Pediatric Information for X-ray Imaging Device Premarket Notifications" (2017),
    /// Table 2: entrance skin air kerma (free in air, µGy) and effective dose (µSv) of a typical
    /// head, chest and abdomen radiograph of a newborn, 1-, 5-, 10-, 15-year-old and adult (as
    /// reproduced in PIXXGEN Prudent AT-SM-04, 2020, p. 53). Their technique, phantoms and tissue
    /// weights are not stated there, so agreement within a factor 2 is what is asked: the
    /// `radiography_model` error (GSD 1.5) spans it at 95%. Not used to set any parameter.
    static let fda: [(region: String, age: Int, esakMicroGy: Double, effectiveMicroSv: Double)] = [
        ("head", 0, 100, 10), ("head", 1, 120, 7.3), ("head", 5, 140, 5.9), ("head", 10, 150, 4.3), ("head", 15, 150, 3.1), ("head", 30, 1100, 19),
        ("chest", 0, 77, 19), ("chest", 1, 96, 16), ("chest", 5, 110, 18), ("chest", 10, 190, 33), ("chest", 15, 280, 36), ("chest", 30, 150, 34),
        ("abdomen", 0, 100, 62), ("abdomen", 1, 230, 90), ("abdomen", 5, 320, 120), ("abdomen", 10, 420, 160), ("abdomen", 15, 550, 140), ("abdomen", 30, 1100, 290),
    ]

    func ratioToFDA(_ row: (region: String, age: Int, esakMicroGy: Double, effectiveMicroSv: Double)) throws -> Double {
        let t = try #require(Self.calculator.radiography)
        let region = try CTRegion(parsing: row.region)
        let ours = try Sex.allCases.map { try t.lookup(.radiography, region: region, ageYears: Double(row.age), sex: $0).effective103.perEntranceAirKerma }
        return (ours.reduce(0, +) / 2) / (row.effectiveMicroSv / row.esakMicroGy)
    }

    @Test("effective dose per entrance air kerma of chest and abdomen radiographs is within a factor 2 of the FDA 2017 paediatric table at every age (sex mean)")
    func chestAndAbdomenAgainstFDA() throws {
        for row in Self.fda where row.region != "head" {
            let r = try ratioToFDA(row)
            #expect(r > 0.5 && r < 2, "\(row.region) \(row.age) y: Harmonic / FDA \(r)")
        }
    }

    @Test("effective dose per entrance air kerma of a skull radiograph is within a factor 2 of the FDA 2017 table from 1 year; the newborn's is about half (known: the FDA field and view are not stated)")
    func headAgainstFDA() throws {
        for row in Self.fda where row.region == "head" {
            let r = try ratioToFDA(row)
            if row.age == 0 {
                withKnownIssue("newborn skull: Harmonic's 10.7 cm AP field over the cranium gives about half the FDA effective dose per entrance air kerma; the FDA's field (face, neck, thyroid?) is not stated") {
                    #expect(r > 0.5 && r < 2, "head newborn: Harmonic / FDA \(r)")
                }
            } else {
                #expect(r > 0.5 && r < 2, "head \(row.age) y: Harmonic / FDA \(r)")
            }
        }
    }

    @Test("organ doses scale with the recorded KAP, and a recorded entrance air kerma gives the same doses as the KAP it implies through the simulated field")
    func kapAndEntranceAirKermaAgree() throws {
        let one = try Self.calculator.estimate(exam(.radiography, "chest", age: 4, kap: 0.01))
        let two = try Self.calculator.estimate(exam(.radiography, "chest", age: 4, kap: 0.02))
        let lung1 = try #require(one.dose(.lungs)?.dose.central), lung2 = try #require(two.dose(.lungs)?.dose.central)
        #expect(abs(lung2 / lung1 - 2) < 1e-9)
        // At a reference age both normalisations come from one simulation: the same doses (to the table's 5 digits); between
        // reference ages each is interpolated on its own, so they differ by the interpolation (a few %).
        for (age, tolerance) in [(5.0, 1e-4), (4.0, 0.15)] {
            let byKAP = try Self.calculator.estimate(exam(.radiography, "chest", age: age, kap: 0.01))
            let esak = try #require(byKAP.entranceAirKerma)
            let viaESAK = try Self.calculator.estimate(exam(.radiography, "chest", age: age, esak: esak))
            #expect(abs(try #require(viaESAK.dose(.lungs)?.dose.central) / (byKAP.dose(.lungs)?.dose.central ?? .nan) - 1) < tolerance, "age \(age): \(viaESAK.dose(.lungs)?.dose.central ?? .nan) vs \(byKAP.dose(.lungs)?.dose.central ?? .nan)")
            #expect(abs(try #require(viaESAK.kap) / 0.01 - 1) < 1e-6)
        }
        // A chest radiograph's lungs are in the field: several times the dose of the out-of-field brain.
        #expect(lung1 > 5 * (one.dose(.brain)?.dose.central ?? .infinity))
        #expect(one.notes.isEmpty || !one.notes.contains { $0.contains("typical") })
    }

    @Test("a radiograph with no dose recorded takes the FDA typical entrance air kerma for its region and age, says so, and carries the typical-technique error (a wider interval)")
    func typicalTechnique() throws {
        let typical = try Self.calculator.estimate(exam(.radiography, "chest", age: 5))
        #expect(abs(try #require(typical.entranceAirKerma) - 0.110) < 1e-9, "5-year-old chest: 110 µGy (FDA 2017)")
        #expect(typical.notes.contains { $0.contains("typical") } && typical.doseIndexSource?.contains("FDA") == true)
        #expect(typical.uncertainty.contains { $0.component == "radiography_typical_technique" })
        let recorded = try Self.calculator.estimate(exam(.radiography, "chest", age: 5, esak: 0.110))
        let t = try #require(typical.dose(.lungs)?.dose), r = try #require(recorded.dose(.lungs)?.dose)
        #expect(abs(t.central / r.central - 1) < 1e-9 && t.high95 / t.central > 1.5 * (r.high95 / r.central))
    }

    @Test("fluoroscopy without KAP, a neck radiograph without a dose, an implausible KAP and a region without a field are refused with the reason")
    func badInputRefused() throws {
        let cases: [(ImagingExam, String)] = [
            (exam(.fluoroscopy, "abdomen", age: 3), "no KAP recorded"),
            (exam(.radiography, "neck", age: 3), "typical value only"),
            (exam(.radiography, "chest", age: 3, kap: 120), "check the unit"),
            (exam(.radiography, "chest", age: 3, esak: 80), "plausible"),
            (exam(.radiography, "chest_abdomen_pelvis", age: 3, kap: 0.1), "one field covers one region"),
            (exam(.radiography, "elbow", age: 3, kap: 0.1), "body region 'elbow'"),
        ]
        for (e, expected) in cases {
            #expect(throws: DoseModelError.self, "\(e.modality) \(e.region)") { try Self.calculator.estimate(e) }
            do { _ = try Self.calculator.estimate(e) } catch { #expect("\(error)".contains(expected), "\(error)") }
        }
    }

    @Test("a fluoroscopy's organ doses come from its KAP through the PA field of an under-couch tube: kidneys behind the abdomen's field get more per KAP than the breast in front")
    func fluoroscopyPA() throws {
        let r = try Self.calculator.estimate(exam(.fluoroscopy, "abdomen", age: 6, kap: 0.5))
        #expect(r.kap == 0.5 && r.kVp == 75)
        #expect(try #require(r.dose(.kidneys)?.dose.central) > 2 * (r.dose(.breast)?.dose.central ?? .infinity))
    }
}
