import Foundation
import Testing
import HarmonicCore
@testable import RTDose

@Suite("Course-record tier: site-typical fields on the age-matched phantom")
struct CourseRecordTests {
    func course(_ site: String, modality: String = "photon", technique: String = "3d_crt", dose: Double = 54) throws -> CourseRecord {
        try CourseRecord(targetSite: site, modality: modality, technique: technique, prescribedDoseGy: dose, fractions: 30,
                         location: .row(file: "rt_courses.csv", line: 7))
    }

    @Test("a brain course puts the brain in the field and the ovaries far out of it")
    func brain() throws {
        let r = try CourseRecordDose.run(course("brain"), patient: PatientDescription(ageYears: 8, sex: .female))
        func o(_ x: Organ) throws -> OrganPlanDose { try #require(r.organs.first { $0.organ == x }) }
        #expect(try o(.brain).components.inFieldGy > 10)
        #expect(try o(.brain).source == .phantom)
        #expect(try o(.ovaries).source == .outOfField)
        #expect(try o(.ovaries).meanDoseGy < 0.01 * 54)
        #expect(try o(.thyroid).meanDoseGy > o(.ovaries).meanDoseGy)
        #expect(r.courseSite == "brain")
    }

    @Test("craniospinal irradiation covers the spine: red marrow gets far more than in a brain course")
    func craniospinal() throws {
        let p = PatientDescription(ageYears: 6, sex: .male)
        let csi = try CourseRecordDose.run(course("craniospinal", dose: 36), patient: p)
        let brain = try CourseRecordDose.run(course("brain", dose: 36), patient: p)
        let m1 = try #require(csi.organs.first { $0.organ == .redMarrow }).meanDoseGy
        let m2 = try #require(brain.organs.first { $0.organ == .redMarrow }).meanDoseGy
        #expect(m1 > 3 * m2)
    }

    @Test("a modulated photon course gets more head leakage far away than a conformal one (MU scaling)")
    func modulatedLeakage() throws {
        let p = PatientDescription(ageYears: 10, sex: .female)
        let crt = try CourseRecordDose.run(course("brain"), patient: p)
        let imrt = try CourseRecordDose.run(course("brain", technique: "imrt"), patient: p)
        let a = try #require(crt.organs.first { $0.organ == .ovaries }).components.headScatterLeakageGy
        let b = try #require(imrt.organs.first { $0.organ == .ovaries }).components.headScatterLeakageGy
        #expect(b > 1.5 * a)
    }

    @Test("a proton course gives neutron dose equivalent out of field and no head leakage")
    func proton() throws {
        let r = try CourseRecordDose.run(course("brain", modality: "proton", technique: "pencil_beam_scanning"),
                                         patient: PatientDescription(ageYears: 8, sex: .female))
        let lung = try #require(r.organs.first { $0.organ == .lungs })
        #expect(lung.components.neutronEquivalentSv > 0)
        #expect(lung.components.headScatterLeakageGy == 0)
    }

    @Test("an unknown target site is an error naming the row, the field and the value")
    func unknownSite() {
        do { _ = try course("kneecap"); Issue.record("accepted an unknown site") } catch {
            let e = String(describing: error)
            #expect(e.contains("rt_courses.csv, line 7"))
            #expect(e.contains("target_site"))
            #expect(e.contains("kneecap"))
        }
    }

    @Test("electron, carbon and brachytherapy courses are refused, naming the field", arguments: [
        ("electron", "3d_crt", "modality"), ("carbon", "pencil_beam_scanning", "modality"), ("photon", "brachytherapy", "technique"),
        ("proton", "imrt", "technique"),
    ])
    func unsupported(modality: String, technique: String, field: String) {
        do { _ = try course("brain", modality: modality, technique: technique); Issue.record("accepted \(modality) \(technique)") } catch {
            #expect(String(describing: error).contains("field '\(field)'"))
        }
    }
}
