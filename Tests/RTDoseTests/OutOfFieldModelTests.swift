import Foundation
import Testing
import HarmonicCore
@testable import RTDose

/// One row of a published measurement set.
struct Measurement { let distanceMm: Double, component: String, value: Double }

func measurements(_ name: String) throws -> [Measurement] {
    let url = Bundle.module.bundleURL.appendingPathComponent("Resources/validation/\(name)")
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        .filter { !$0.hasPrefix("#") && !$0.hasPrefix("distance") }
        .map { line in
            let f = line.split(separator: ",")
            return Measurement(distanceMm: Double(f[0])!, component: String(f[1]), value: Double(f[2])!)
        }
}

@Suite("Out-of-field models: behaviour and validation against published measurements")
struct OutOfFieldModelTests {
    func photonModel(square: Double = 10, mu: Double? = nil) throws -> PhotonOutOfFieldModel {
        try PhotonOutOfFieldModel(parameters: .resource(ModelParameters.photonFile), equivalentSquareCm: square, monitorUnitsPerGy: mu)
    }

    @Test("photon out-of-field dose falls with distance from the field edge, every component")
    func photonFalls() throws {
        let m = try photonModel()
        var last = m.dose(distanceFromEdgeCm: 0)
        for d in stride(from: 2.0, through: 80, by: 2) {
            let now = m.dose(distanceFromEdgeCm: d)
            #expect(now.patientScatter < last.patientScatter)
            #expect(now.headScatterLeakage < last.headScatterLeakage)
            last = now
        }
    }

    @Test("leakage scales with monitor units: an IMRT plan at 3x the MU gets 3x the leakage, the same patient scatter")
    func leakageScalesWithMU() throws {
        let crt = try photonModel(mu: 100), imrt = try photonModel(mu: 300)
        let far = 200.0   // cm: head scatter has died out, leakage remains
        #expect(abs(imrt.dose(distanceFromEdgeCm: far).headScatterLeakage / crt.dose(distanceFromEdgeCm: far).headScatterLeakage - 3) < 0.01)
        #expect(imrt.dose(distanceFromEdgeCm: 10).patientScatter == crt.dose(distanceFromEdgeCm: 10).patientScatter)
    }

    @Test("patient scatter grows with field size")
    func fieldSize() throws {
        #expect(try photonModel(square: 20).dose(distanceFromEdgeCm: 10).patientScatter
                > photonModel(square: 5).dose(distanceFromEdgeCm: 10).patientScatter)
    }

    @Test("passive scattering adds nozzle neutrons to the in-patient neutrons of scanning")
    func passiveVersusScanning() throws {
        let p = try ModelParameters.resource(ModelParameters.protonFile)
        let pbs = try ProtonSecondaryModel(parameters: p, targetVolumeCm3: 1000, technique: .pencilBeamScanning)
        let ps = try ProtonSecondaryModel(parameters: p, targetVolumeCm3: 1000, technique: .passiveScattering)
        #expect(ps.dose(distanceFromEdgeCm: 20).neutronEquivalent > 2 * pbs.dose(distanceFromEdgeCm: 20).neutronEquivalent)
    }

    /// The water phantom of Stolarczyk et al. 2018, 300 x 300 x 600 mm³, that moderates and captures
    /// the neutrons; the 10 x 10 x 10 cm target is 1000 cm³.
    static let stolarczykPhantomCm = [30.0, 30, 60]
    func stolarczykModel() throws -> ProtonSecondaryModel {
        try ProtonSecondaryModel(parameters: .resource(ModelParameters.protonFile), targetVolumeCm3: 1000,
                                 technique: .pencilBeamScanning, bodyCm: Self.stolarczykPhantomCm)
    }

    /// Stolarczyk et al. 2018 (EURADOS WG9, PBS, 10 x 10 x 10 cm target in water): the proton
    /// model, not fitted to these values, reproduces the neutron dose equivalent within a factor
    /// of 2. The paper's abstract gives the values as approximate ("about", "~") without a
    /// tolerance; a factor of 2 is the spread of the neutron detectors compared in that exercise
    /// and the agreement of predicted and measured H/D reported by Polf & Newhauser (2005, Radiat
    /// Prot Dosim) for an unmodulated beam. Ratios in docs/rt-dose.md.
    @Test("proton PBS neutron dose equivalent vs Stolarczyk et al. 2018 within a factor of 2")
    func protonNeutronsVsStolarczyk() throws {
        let model = try stolarczykModel()
        for m in try measurements("stolarczyk2018_pbs_water.csv") where m.component == "neutron_equivalent" {
            let d = (m.distanceMm - 50) / 10     // the target's face is 50 mm from its centre
            let ratio = model.dose(distanceFromEdgeCm: d).neutronEquivalent * 1000 / m.value
            #expect(ratio > 0.5 && ratio < 2, "at \(m.distanceMm) mm: model/measured \(ratio)")
        }
    }

    /// Polf & Newhauser 2005 (Harvard Cyclotron Laboratory, passive scattering, 16 cm range, 5 x 5 cm²,
    /// no modulation): H/D 0.60 mSv/Gy measured at 100 cm from the isocentre. The model's nozzle
    /// neutrons (Yan et al. 2002 at 50 cm, inverse square) were not fitted to it; the tolerance is
    /// the factor of 2 within which those authors' own simulation met their unmodulated measurements.
    /// The target: the 5 x 5 cm² field over the last 2 cm of an unmodulated range (50 cm³).
    @Test("passive-scattering neutron dose equivalent at 100 cm vs Polf & Newhauser 2005 within a factor of 2")
    func passiveNeutronsVsPolf() throws {
        let model = try ProtonSecondaryModel(parameters: .resource(ModelParameters.protonFile), targetVolumeCm3: 50, technique: .passiveScattering)
        let radiusCm = pow(3 * 50 / (4 * Double.pi), 1.0 / 3)
        for m in try measurements("polf2005_hcl_passive.csv") {
            let ratio = model.dose(distanceFromEdgeCm: m.distanceMm / 10 - radiusCm).neutronEquivalent * 1000 / m.value
            #expect(ratio > 0.5 && ratio < 2, "at \(m.distanceMm) mm: model/measured \(ratio)")
        }
    }

    /// Stolarczyk et al. 2018: scattered photons about 0.5 mGy/Gy at 100 mm and 0.02 mGy/Gy at 300 mm
    /// from the target centre. The abstract states no tolerance ("approximately"); the factor of 2
    /// of the neutron test is required here too. The physical model (prompt gammas + capture
    /// photons, `ProtonSecondaryPhotons`, not fitted to these values) gives 0.09 and 0.21 of the
    /// measurement: a recorded known issue (docs/rt-dose.md, "Validation"), so this test reports
    /// when the model comes within the factor of 2 and must then lose its `withKnownIssue`.
    @Test("proton PBS secondary photons vs Stolarczyk et al. 2018 within a factor of 2 (known issue: 0.09 and 0.21)")
    func protonPhotonsVsStolarczyk() throws {
        let model = try stolarczykModel()
        for m in try measurements("stolarczyk2018_pbs_water.csv") where m.component == "photon_absorbed" {
            let ratio = model.dose(distanceFromEdgeCm: (m.distanceMm - 50) / 10).patientScatter * 1000 / m.value
            #expect(ratio > 0.05 && ratio < 0.5, "at \(m.distanceMm) mm the photon ratio \(ratio) left the recorded 0.05-0.5: update docs/rt-dose.md")
            withKnownIssue("secondary photons 5-11x below Stolarczyk 2018 (halo of charged secondaries in the TLD readings?)") {
                #expect(ratio > 0.5 && ratio < 2, "at \(m.distanceMm) mm: model/measured \(ratio)")
            }
        }
    }

    @Test("the model/measurement ratios of docs/rt-dose.md are those the models give now")
    func ratiosRecorded() throws {
        let model = try stolarczykModel()
        var lines: [String] = []
        for m in try measurements("stolarczyk2018_pbs_water.csv") {
            let o = model.dose(distanceFromEdgeCm: (m.distanceMm - 50) / 10)
            let v = m.component == "neutron_equivalent" ? o.neutronEquivalent : o.patientScatter
            lines.append(String(format: "| %.0f | %@ | %.3g | %.3g | %.2f |", m.distanceMm, m.component, v * 1000, m.value, v * 1000 / m.value))
        }
        let doc = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../docs/rt-dose.md"), encoding: .utf8)
        for l in lines { #expect(doc.contains(l), "docs/rt-dose.md lacks: \(l)") }
    }
}
