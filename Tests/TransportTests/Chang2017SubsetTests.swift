import Testing
import Foundation
import HarmonicCore
import HarmonicTestSupport
import Phantoms
@testable import Transport

@Suite("Whole-body beams against Chang et al. 2017 (subset; full table: docs/validation-chang2017.md)")
struct Chang2017SubsetTests {
    static func reference() throws -> Chang2017Reference {
        try Chang2017Reference(contentsOf: SharedData.url("reference/chang2017_icrp_paediatric_photon_dcc.csv"))
    }

    @Test("5-year-old female, 50 keV AP and PA: lungs, heart wall and active marrow within 25%", arguments: ["AP", "PA"])
    func thoracicOrgans(geometry: String) throws {
        let rows = try Chang2017Comparison.compare(age: 5, sex: .female, geometry: geometry, keV: 50, histories: 150_000,
                                                   reference: try Self.reference(), physics: XRayPhysicsModel.shared)
        for organ in [Organ.lungs, .heart, .redMarrow] {
            let row = try #require(rows.first { $0.organ == organ })
            // 25%: the issue's expectation for stylised vs ICRP 143 voxel phantoms at 30-100 keV;
            // statistical uncertainty at 150,000 histories is below 5% for these organs.
            #expect(row.ratio > 0.75 && row.ratio < 1.25, "\(geometry) \(organ): \(row.ratio)")
        }
    }

    @Test("the reference file parses: 30 organs, 3 ages, 2 sexes, 6 geometries, 11 energies")
    func referenceParses() throws {
        let r = try Self.reference()
        #expect(r.values.count == 11_880)   // the CSV's 11,881 lines minus the header
        #expect(r.value(age: 0, sex: .female, organ: .lungs, keV: 30, geometry: "AP") == 0.5087298611496843)
    }

    @Test("a malformed reference row names the file, line, field and value")
    func badRow() throws {
        let dir = try SharedData.temporaryDirectory()
        let url = dir.appendingPathComponent("bad.csv")
        try "age_years,sex,organ,energy_MeV,geometry,dose_per_air_kerma_Gy_per_Gy\n0,F,Lungs,abc,AP,0.5\n".write(to: url, atomically: true, encoding: .utf8)
        do { _ = try Chang2017Reference(contentsOf: url); Issue.record("accepted a bad energy") } catch {
            let text = "\(error)"
            #expect(text.contains("bad.csv") && text.contains("line 2") && text.contains("energy_MeV") && text.contains("abc"))
        }
    }
}
