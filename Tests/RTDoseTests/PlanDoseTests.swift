import Foundation
import Testing
import DICOM
import HarmonicCore
import HarmonicTestSupport
@testable import RTDose

/// dicompyler-core's DVH of one ROI: volume (cm³), mean, D2% (Gy).
func dicompyler(structureSet: String, dose: String, roi: Int) throws -> [Double] {
    let script = """
    import sys, pydicom, pydicom.dicomio
    # dicompyler-core 0.5.6 imports read_file, which pydicom 3 renamed dcmread.
    pydicom.dicomio.read_file = lambda f, *a, **k: pydicom.dcmread(f, force=True)
    from dicompylercore import dvhcalc
    h = dvhcalc.get_dvh(pydicom.dcmread(sys.argv[1]), pydicom.dcmread(sys.argv[2]), int(sys.argv[3]))
    for v in (h.volume, h.mean, h.D2.value): print(float(v))
    """
    return try PeerTool.python(script, arguments: [structureSet, dose, String(roi)])
        .split(separator: "\n").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
}

@Suite("One plan: organ doses of contoured and phantom-placed organs")
struct PlanDoseTests {
    @Test("the grid-only DVH of a contoured organ agrees with dicompyler-core (volume, mean, D2%)")
    func brainAgainstDicompyler() throws {
        var options = PlanDoseOptions()
        options.blendDistanceCm = .infinity      // grid only, as dicompyler-core
        options.placeUncontouredOrgans = false
        let r = try PlanDoseCalculation.run(Sample.files(), patient: Sample.girl, options: options)
        let brain = try #require(r.organs.first { $0.organ == .brain })
        let theirs = try dicompyler(structureSet: Sample.url("RS.dcm").path, dose: Sample.url("RD.dcm").path, roi: 3)
        try #require(theirs.count == 3)
        // Same voxel-centre rule; dicompyler-core interpolates contour planes' areas slightly
        // differently at the poles: volume within 1%. Doses: its 0.01 Gy histogram bins
        // (dvhcalc default), so mean and D2% within one bin plus 0.5% of the value.
        #expect(abs(brain.volumeCm3 - theirs[0]) <= 0.01 * theirs[0], "volume \(brain.volumeCm3) vs \(theirs[0])")
        #expect(abs(brain.meanDoseGy - theirs[1]) <= 0.01 + 0.005 * theirs[1], "mean \(brain.meanDoseGy) vs \(theirs[1])")
        #expect(abs(brain.d2Gy - theirs[2]) <= 0.01 + 0.005 * theirs[2], "D2 \(brain.d2Gy) vs \(theirs[2])")
    }

    @Test("the grid-only organ statistics count the same voxels as DoseVolumeSummary of the DICOM layer")
    func sameVoxelsAsDicomLayer() throws {
        var options = PlanDoseOptions()
        options.blendDistanceCm = .infinity
        options.placeUncontouredOrgans = false
        let files = try Sample.files()
        let r = try PlanDoseCalculation.run(files, patient: Sample.girl, options: options)
        let structure = try #require(files.structures.structures.first { $0.name == "Brain" })
        let summary = try #require(DoseVolumeSummary(structure: structure, grid: files.grid))
        let brain = try #require(r.organs.first { $0.organ == .brain })
        #expect(abs(brain.volumeCm3 - summary.volumeCubicCentimetres) < 1e-9 * summary.volumeCubicCentimetres)
        #expect(abs(brain.meanDoseGy - summary.mean) < 1e-9 * summary.mean)
    }

    @Test("every organ of the shared list that exists for a girl is dosed or explained")
    func everyOrganAccounted() throws {
        let r = try #require(Sample.imrt)
        let dosed = Set(r.organs.map(\.organ))
        let expected = Organ.allCases.filter { $0.exists(in: .female) }
        let explained = r.notes.joined(separator: " ")
        for o in expected where !dosed.contains(o) { #expect(explained.contains(o.rawValue), "\(o) neither dosed nor listed") }
        #expect(!dosed.contains(.testes) && !dosed.contains(.prostate))
        for o in r.organs { #expect(o.meanDoseGy > 0, "\(o.organ) has a zero dose") }
    }

    @Test("contoured organs report source contoured; far organs are placed from the phantom by the model")
    func sources() throws {
        let r = try #require(Sample.imrt)
        func organ(_ o: Organ) throws -> OrganPlanDose { try #require(r.organs.first { $0.organ == o }) }
        #expect(try organ(.brain).source == .contoured)
        #expect(try organ(.lungs).source == .contoured)
        #expect(try organ(.lungs).structures.sorted() == ["Lung_L", "Lung_R"])
        #expect(try organ(.ovaries).source == .outOfField)
        #expect(try organ(.liver).source == .outOfField)
        // The thyroid is contoured but lies below the grid: its dose is the model's only.
        #expect(try organ(.thyroid).fractionFromGrid == 0)
        #expect(try organ(.brain).fractionFromGrid > 0.5)
    }

    @Test("structures that give no organ dose are listed with the reason")
    func unmapped() throws {
        let r = try #require(Sample.imrt)
        let reasons = Dictionary(uniqueKeysWithValues: r.unmapped.map { ($0.name, $0.reason) })
        #expect(reasons["SpinalCord"]?.contains("without an organ") == true)
        #expect(reasons["PTV_54"] == "target volume")
        #expect(reasons["z_opt_ring"] == "planning helper structure")
        #expect(reasons["Eye_L"] != nil && reasons["Eye_R"] != nil)
    }

    @Test("the differential DVH sums to the organ volume and its bins are evenly spaced centres")
    func differentialDVH() throws {
        let r = try #require(Sample.imrt)
        for o in r.organs {
            let h = o.differentialDVH
            #expect(h.doseGy.count == h.volumeCm3.count)
            #expect(abs(h.volumeCm3.reduce(0, +) - o.volumeCm3) <= 1e-9 * o.volumeCm3, "\(o.organ)")
            if h.doseGy.count > 1 { #expect(abs(h.doseGy[0] * 3 - h.doseGy[1]) < 1e-9 * h.doseGy[1]) }
        }
    }

    @Test("components add up to the mean dose and the 95% interval brackets it")
    func components() throws {
        let r = try #require(Sample.imrt)
        for o in r.organs {
            #expect(abs(o.components.absorbedGy - o.meanDoseGy) <= 1e-9 * o.meanDoseGy, "\(o.organ)")
            #expect(o.interval95Gy[0] < o.meanDoseGy && o.meanDoseGy < o.interval95Gy[1], "\(o.organ) \(o.interval95Gy)")
            #expect(o.components.imagingGy == nil)
            #expect(o.components.neutronAbsorbedGy == 0)   // photons at 6 MV: no neutrons
        }
    }

    @Test("dose falls with distance from the brain target: lens > thyroid > lung > ovaries")
    func ordering() throws {
        let r = try #require(Sample.imrt)
        func mean(_ o: Organ) -> Double { r.organs.first { $0.organ == o }?.meanDoseGy ?? -1 }
        #expect(mean(.brain) > mean(.eyeLens))
        #expect(mean(.eyeLens) > mean(.thyroid))
        #expect(mean(.thyroid) > mean(.lungs))
        #expect(mean(.lungs) > mean(.ovaries))
        #expect(mean(.ovaries) > 0)
    }

    @Test("a proton plan on the same grid gives neutron doses with H = w_R D and no head leakage")
    func protonComponents() throws {
        let r = try PlanDoseCalculation.run(Sample.files(plan: "rp_proton_pbs.dcm"), patient: Sample.girl)
        let lung = try #require(r.organs.first { $0.organ == .lungs })
        #expect(lung.components.neutronAbsorbedGy > 0)
        #expect(abs(lung.components.neutronEquivalentSv - 10 * lung.components.neutronAbsorbedGy) < 1e-9)
        #expect(lung.components.headScatterLeakageGy == 0)
        #expect(r.plan.technique == .pencilBeamScanning)
    }

    @Test("the JSON has the shared plan-dose shape")
    func jsonShape() throws {
        let r = try #require(Sample.imrt)
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.json.utf8)) as? [String: Any])
        #expect(doc["schema"] as? String == "harmonic.rt-plan-dose/1")
        let patient = try #require(doc["patient"] as? [String: Any])
        #expect(patient["ageYears"] as? Double == 8)
        #expect(patient["sex"] as? String == "F")
        let plan = try #require(doc["plan"] as? [String: Any])
        #expect(plan["radiation"] as? String == "photon")
        #expect(plan["technique"] as? String == "IMRT")
        #expect(plan["fractions"] as? Int == 30)
        #expect(plan["prescribedDoseGy"] as? Double == 54)
        #expect(plan["label"] as? String == "IMRT brain")
        let organs = try #require(doc["organs"] as? [[String: Any]])
        let lung = try #require(organs.first { $0["organ"] as? String == "lung" })
        #expect(lung["source"] as? String == "contoured")
        for key in ["meanDoseGy", "d2Gy"] { #expect(lung[key] is Double) }
        #expect((lung["interval95Gy"] as? [Double])?.count == 2)
        let c = try #require(lung["components"] as? [String: Any])
        for key in ["inFieldGy", "patientScatterGy", "headScatterLeakageGy", "neutronAbsorbedGy", "neutronEquivalentSv"] {
            #expect(c[key] is Double, "\(key)")
        }
        #expect(c["imagingGy"] is NSNull)
        let h = try #require(lung["differentialDVH"] as? [String: Any])
        #expect((h["doseGy"] as? [Double])?.count == (h["volumeCm3"] as? [Double])?.count)
    }

    @Test("a plan without a prescription needs --prescribed-dose: the error names the tag")
    func noPrescription() throws {
        var f = try Sample.files()
        f.plan.prescribedDoseGy = nil
        #expect(throws: InputError.self) { try PlanDoseCalculation.run(f, patient: Sample.girl) }
        var o = PlanDoseOptions(); o.prescribedDoseGy = 54; o.placeUncontouredOrgans = false
        #expect(try PlanDoseCalculation.run(f, patient: Sample.girl, options: o).organs.count > 0)
    }

    @Test("a dose grid far below the prescription (a fraction or beam dose) is refused, not scaled silently")
    func gridBelowPrescription() throws {
        var f = try Sample.files()
        f.grid.values = f.grid.values.map { $0 / 30 }
        let e = (try? PlanDoseCalculation.run(f, patient: Sample.girl)) == nil
        #expect(e)
    }
}
