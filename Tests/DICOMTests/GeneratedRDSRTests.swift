import Foundation
import Testing
import HarmonicCore
import HarmonicTestSupport
@testable import DICOM

/// Values scripts/generate_rdsr.py wrote into each generated file (truth.json).
struct GeneratedTruth: Decodable, Sendable, CustomStringConvertible {
    struct Filter: Decodable, Sendable { let material: String; let thickness_mm: Double }
    struct Event: Decodable, Sendable {
        let uid: String; let type: String; let dap: Double; let rp: Double; let kvp: Double?; let ma: Double
        let primary: Double; let secondary: Double; let sid_cm: Double; let filters: [Filter]
    }
    let file: String; let manufacturer: String; let model: String; let events: [Event]; let planes: [String]
    let dap_total: Double; let rp_total: Double
    var description: String { file }
}

let generatedFolder: URL = (Bundle.module.url(forResource: "truth", withExtension: "json", subdirectory: "Resources/generated")
    ?? Bundle.module.bundleURL.appendingPathComponent("Resources/generated/truth.json")).deletingLastPathComponent()
let generatedTruth: [GeneratedTruth] = {
    guard let data = try? Data(contentsOf: generatedFolder.appendingPathComponent("truth.json")) else { return [] }
    return (try? JSONDecoder().decode([GeneratedTruth].self, from: data)) ?? []
}()

/// Relative 1e-9: the generator wrote decimal text of value × unit factor; both sides divide it back.
func same(_ a: Double?, _ b: Double?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    return abs(a - b) <= 1e-9 * max(abs(a), abs(b), 1e-12)
}

@Suite("Generated vendor-style RDSRs")
struct GeneratedRDSRTests {
    @Test("the four vendor styles were generated")
    func present() { #expect(generatedTruth.count == 4) }

    @Test("every extracted value equals what the generator wrote", arguments: generatedTruth)
    func matchesTruth(truth: GeneratedTruth) throws {
        let r = try RadiationDoseReport(file: DICOMFile(contentsOf: generatedFolder.appendingPathComponent(truth.file)))
        #expect(r.manufacturer == truth.manufacturer && r.modelName == truth.model)
        try #require(r.events.count == truth.events.count)
        for (e, t) in zip(r.events, truth.events) {
            #expect(e.uid == t.uid)
            #expect(e.type.rawValue == t.type)
            #expect(same(e.doseAreaProduct?.value, t.dap), "DAP \(String(describing: e.doseAreaProduct)) vs \(t.dap)")
            #expect(same(e.doseAtReferencePoint?.value, t.rp))
            #expect(same(e.kVp?.value, t.kvp))
            #expect(same(e.tubeCurrentMilliampere, t.ma))
            #expect(same(e.primaryAngleDegrees, t.primary) && same(e.secondaryAngleDegrees, t.secondary))
            #expect(same(e.sourceToDetector?.value, t.sid_cm))
            #expect(e.filters.map { $0.material ?? "" } == t.filters.map(\.material))
            #expect(zip(e.filters, t.filters).allSatisfy { same($0.thicknessMaximum?.millimetre, $1.thickness_mm) })
            #expect(e.targetRegion == "Chest")
        }
        #expect(r.accumulated.count == truth.planes.count)
        // Totals are written as ≤16-character DS text: relative 1e-6 covers that rounding.
        #expect(abs((r.totalDoseAreaProduct?.value ?? 0) - truth.dap_total) <= 1e-6 * truth.dap_total)
    }

    @Test("every event matches pydicom walking the same generated file", arguments: generatedTruth)
    func matchesPydicom(truth: GeneratedTruth) throws {
        let url = generatedFolder.appendingPathComponent(truth.file)
        let r = try RadiationDoseReport(file: DICOMFile(contentsOf: url))
        let lines = try PeerTool.python(pydicomWalker, arguments: [url.path]).split(separator: "\n")
            .map { $0.split(separator: "|", omittingEmptySubsequences: false).map(String.init) }.filter { $0.first != "TOTAL" }
        try #require(lines.count == r.events.count)
        for (e, p) in zip(r.events, lines) {
            #expect(e.uid == p[0] && close(e.doseAreaProduct?.value, p[1]) && close(e.doseAtReferencePoint?.value, p[2]) && close(e.kVp?.value, p[3]))
        }
    }

    @Test("dsrdump reads the same number of irradiation events")
    func dsrdumpAgrees() throws {
        for t in generatedTruth {
            let out = try PeerTool.run("dsrdump", [generatedFolder.appendingPathComponent(t.file).path])
            let n = out.components(separatedBy: "CONTAINER:(,,\"Irradiation Event X-").count - 1
            #expect(n == t.events.count, "\(t.file)")
        }
    }
}
